package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sums, averages, least and greatest values over the rows a read selects, computed by the server. */
class AggregatesTest extends BlogDatabaseTest {

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        ashlar.create("post", Map.of("title", "a", "rating", 2, "score", 1.5, "published_at",
                Instant.parse("2026-01-01T00:00:00Z")));
        ashlar.create("post", Map.of("title", "b", "rating", 4, "score", 2.5, "published_at",
                Instant.parse("2026-03-01T00:00:00Z")));
        ashlar.create("post", Map.of("title", "c", "rating", 9));
        ashlar.create("post", Map.of("title", "d"));
    }

    @Test
    void aggregatesCoverTheRowsTheReadSelectsAndSkipNulls() {
        assertThat(ashlar.read("post").sum("rating")).isEqualTo(15L);
        assertThat(ashlar.read("post").where(gt("rating", 3)).sum("rating")).isEqualTo(13L);
        assertThat(ashlar.read("post").avg("rating")).isEqualTo(new BigDecimal("5.0000000000000000"));
        assertThat(ashlar.read("post").sum("score")).isEqualTo(4.0);
        assertThat(ashlar.read("post").min("rating")).isEqualTo(2);
        assertThat(ashlar.read("post").max("title")).isEqualTo("d");
        assertThat(ashlar.read("post").max("published_at"))
                .isEqualTo(ashlar.read("post").where(eq("title", "b")).first().orElseThrow().get("published_at"));
    }

    @Test
    void anAggregateOfAPageCoversOnlyThePageAndOfNothingIsNull() {
        assertThat(ashlar.read("post").sort(dev.ashlar.api.query.Sort.asc("id")).limit(2).sum("rating"))
                .isEqualTo(6L);
        assertThat(ashlar.read("post").where(eq("title", "none")).sum("rating")).isNull();
        assertThat(ashlar.read("post").where(eq("title", "none")).max("title")).isNull();
    }

    @Test
    void aSumOfAnAttributeThatIsNoNumberIsRefused() {
        assertThatThrownBy(() -> ashlar.read("post").sum("title")).isInstanceOf(QueryException.class)
                .hasMessageContaining("sum(\"title\") of post needs a number attribute");
        assertThatThrownBy(() -> ashlar.read("post").max("nope")).isInstanceOf(QueryException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void distinctKeepsTheFirstRowOfEachGroupByTheSortsAndReturnsThemInThatOrder() {
        ashlar.create("post", Map.of("title", "e", "rating", 4));

        assertThat(ashlar.read("post").distinct("rating").sort(dev.ashlar.api.query.Sort.desc("title"))
                .where(dev.ashlar.api.query.Filter.notNil("rating")).list())
                .extracting(r -> r.getInteger("rating") + r.getString("title")).containsExactly("4e", "9c", "2a");
        assertThat(ashlar.read("post").distinct("rating").where(dev.ashlar.api.query.Filter.notNil("rating"))
                .count()).isEqualTo(3);
        assertThat(ashlar.read("post").distinct("rating").where(dev.ashlar.api.query.Filter.notNil("rating"))
                .sum("rating")).isEqualTo(15L);
    }
}
