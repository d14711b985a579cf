package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.isNil;
import static org.assertj.core.api.Assertions.assertThat;

/** First and list aggregates over related records some of which have no value, as Ash computes them. */
class AggregateNilsTest extends DomainDatabaseTest {

    AggregateNilsTest() {
        super(DeclaredAggregatesTest.DOMAIN);
    }

    private void comment(Row post, String body, Integer rating) {
        Map<String, Object> values = new HashMap<>();
        values.put("body", body);
        values.put("rating", rating);
        values.put("post_id", post.get("id"));
        ashlar.create("comment", values);
    }

    @Test
    void firstAndListSkipRelatedRecordsWithoutAValue() {
        Row post = ashlar.create("post", Map.of("title", "mixed"));
        comment(post, "rated", 3);
        comment(post, "said", null);
        comment(post, null, 4);
        Row onlyNils = ashlar.create("post", Map.of("title", "blank"));
        comment(onlyNils, null, null);

        Row mixed = ashlar.read("post").where(eq("title", "mixed")).load("latest_comment_body")
                .load("comment_ratings").first().orElseThrow();
        Row blank = ashlar.read("post").where(eq("title", "blank")).load("latest_comment_body")
                .load("comment_ratings").first().orElseThrow();

        assertThat(mixed.get("latest_comment_body")).as("the newest comment has no body").isEqualTo("said");
        assertThat(mixed.get("comment_ratings")).isEqualTo(List.of(3, 4));
        assertThat(blank.get("latest_comment_body")).isNull();
        assertThat(blank.get("comment_ratings")).isEqualTo(List.of());
        assertThat(ashlar.read("post").where(isNil("latest_comment_body")).list())
                .extracting(row -> row.getString("title")).containsExactly("blank");
    }
}
