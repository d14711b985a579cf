package dev.ashlar.api.error;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A null where a query or a definition needs a value is refused naming the call, never as a NullPointerException. */
class NullArgumentsTest {

    @Test
    void aNullInAQueryNamesTheCallAndTheArgument() {
        assertThatThrownBy(() -> Filter.eq(null, 1)).isInstanceOf(QueryException.class)
                .hasMessage("Filter.eq was given null for its field; give one");
        assertThatThrownBy(() -> Sort.asc(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("was given null for its field");
        assertThatThrownBy(() -> Query.of(null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("was given null for its resource");
        assertThatThrownBy(() -> Filter.not(null)).isInstanceOf(QueryException.class)
                .hasMessage("Filter.not was given null for its filter; give one");
    }

    @Test
    void aNullInADefinitionIsADefinitionError() {
        assertThatThrownBy(() -> Resource.builder("post").table("posts").attribute("title", (dev.ashlar.api.resource.Type) null).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("Attribute 'title' needs a type");
    }
}
