package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A relationship that starts from an attribute several records share and compares with {@code parent(...)} in its
 * filter: a load would join every parent sharing the key to every related row (four posts of one category, each
 * given the other three twelve times over), so it is refused naming the fix, while a filter through it, which
 * compares each parent on its own, still works; started from a unique attribute it loads each parent's own rows.
 */
class SharedKeyParentFilterTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("shared_key_parent")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("category", TEXT)
                    .attribute("code", TEXT)
                    .identity("unique_code", "code")
                    .hasMany("same_category", "post", r -> r.sourceAttribute("category")
                            .destinationAttribute("category").filter(ne("id", parent("id"))))
                    .hasMany("same_code", "post", r -> r.sourceAttribute("code")
                            .destinationAttribute("code").filter(ne("category", parent("category"))))
                    .build())
            .build();

    SharedKeyParentFilterTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts");
    }

    @Test
    void aLoadStartingFromASharedAttributeThatComparesWithTheParentIsRefusedNamingTheFix() {
        Row first = ashlar.create("post", Map.of("category", "a", "code", "a0"));
        for (int i = 1; i < 4; i++) {
            ashlar.create("post", Map.of("category", "a", "code", "a" + i));
        }

        assertThatThrownBy(() -> ashlar.read("post").where(eq("id", first.get("id"))).load("same_category").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'same_category' of post starts from its 'category', which several records may "
                        + "share, so its filter cannot compare with parent(...) in a load")
                .hasMessageContaining("exists(\"same_category\", ...)");
        assertThat(ashlar.read("post").where(exists("same_category")).count()).isEqualTo(4L);
    }

    @Test
    void aLoadStartingFromAnAttributeWithAnIdentityOfItsOwnLoadsEachParentsRows() {
        Row first = ashlar.create("post", Map.of("category", "a", "code", "x"));

        Row read = ashlar.read("post").where(eq("id", first.get("id"))).load("same_code").one().orElseThrow();

        assertThat(read.related("same_code")).isEmpty();
    }
}
