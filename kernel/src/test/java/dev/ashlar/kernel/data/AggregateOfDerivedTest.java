package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sums, averages, least and greatest values of a declared aggregate over the rows a read selects (Ash's
 * {@code Ash.sum!(Post, :count_of_comments)}): "two" has comments rated 1 and 5, "one" a comment rated 3 of tenant
 * acme, "none" no comment.
 */
class AggregateOfDerivedTest extends DomainDatabaseTest {

    AggregateOfDerivedTest() {
        super(DeclaredAggregatesTest.DOMAIN);
    }

    @BeforeAll
    void seed() {
        Row two = ashlar.create("post", Map.of("title", "two"));
        Row one = ashlar.create("post", Map.of("title", "one"));
        ashlar.create("post", Map.of("title", "none"));
        comment(two, 1, null);
        comment(two, 5, null);
        comment(one, 3, "acme");
    }

    private void comment(Row post, int rating, String tenant) {
        Map<String, Object> values = new HashMap<>(Map.of("body", "b", "rating", rating, "post_id", post.get("id")));
        values.put("tenant", tenant);
        ashlar.create("comment", values);
    }

    @Test
    void aReadSumsAveragesAndBoundsADeclaredAggregateOfItsRows() {
        assertThat(ashlar.read("post").sum("count_of_comments")).isEqualTo(new java.math.BigDecimal(3));
        assertThat(ashlar.read("post").max("count_of_comments")).isEqualTo(2L);
        assertThat(ashlar.read("post").min("best_rating")).isEqualTo(3);
        assertThat(ashlar.read("post").where(gt("count_of_comments", 0)).avg("total_rating").doubleValue())
                .isEqualTo(4.5);
        assertThat(ashlar.read("post").sort(Sort.asc("id")).limit(1).sum("total_rating")).isEqualTo(new java.math.BigDecimal(6));
        assertThat(ashlar.read("post").where(eq("title", "none")).max("best_rating")).isNull();
    }

    @Test
    void aSumOfADeclaredListIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("post").sum("comment_ratings"))
                .isInstanceOf(QueryException.class).hasMessageContaining("comment_ratings")
                .hasMessageContaining("number");
    }
}
