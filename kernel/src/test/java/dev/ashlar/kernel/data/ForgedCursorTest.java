package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cursors that no row of the read could give, forged or taken from another read, are refused naming the read. */
class ForgedCursorTest extends BlogDatabaseTest {
    private void assertRefused(Object[] cursor, String message) {
        Read byRating = ashlar.read("post").sort(Sort.asc("rating")).limit(10);
        assertThatThrownBy(() -> byRating.after(cursor).list()).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.resource()).hasValue("post")).hasMessageContaining(message);
        assertThatThrownBy(() -> byRating.before(cursor).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aCursorOfAnotherShapeTypeOrResourceOrWithANullKeyIsAQueryExceptionNamingTheRead() {
        Row post = ashlar.create("post", Map.of("title", "first", "rating", 1));
        Row author = ashlar.create("author", Map.of("email", "ann@example.com"));
        Read byTitleAndRating = ashlar.read("post").sort(Sort.asc("title"), Sort.asc("rating"));
        Read authorsByEmail = ashlar.read("author").sort(Sort.asc("email"));

        assertRefused(byTitleAndRating.cursor(post), "the read sorts by 1 key(s) but was given 3 value(s)");
        assertRefused(new Object[]{"Zmlyc3Q6MQ=="}, "at its sort key 'rating': the value must be an integer, "
                + "got the String Zmlyc3Q6MQ==");
        assertRefused(authorsByEmail.cursor(author), "at its sort key 'rating': the value must be an integer, got "
                + "the String ann@example.com");
        assertRefused(new Object[]{1, null}, "at its sort key 'id' is null, which no row holds");
        assertRefused(new Object[]{null, null}, "at its sort key 'id' is null, which no row holds");
    }
}
