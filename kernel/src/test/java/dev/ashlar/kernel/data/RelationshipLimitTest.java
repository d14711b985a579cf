package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.Operator.EQ;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Relationships with a limit (Ash's {@code limit}): a comment's top ratings are its two best, a post's first tag the
 * first by name. "rated" has ratings 1 to 5, "unrated" none; "tagged" has tags b, a and c.
 */
class RelationshipLimitTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("limits")
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .hasMany("ratings", "rating")
                    .hasMany("top_ratings", "rating", r -> r.sort(Sort.desc("score")).limit(2))
                    .count("count_of_top_ratings", "top_ratings")
                    .sum("sum_of_top_ratings", "top_ratings", "score")
                    .build())
            .resource(Resource.builder("rating").table("ratings")
                    .integerPrimaryKey("id")
                    .attribute("score", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .manyToMany("first_tags", "tag", r -> r.through("post_tag").sort(Sort.asc("name")).limit(1))
                    .build())
            .resource(Resource.builder("tag").table("tags")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .build())
            .resource(Resource.builder("post_tag").table("post_tags")
                    .belongsTo("post", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("tag", "tag", r -> r.primaryKey().allowNil(false))
                    .build())
            .build();

    RelationshipLimitTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void seed() {
        Row rated = ashlar.create("comment", Map.of("title", "rated"));
        ashlar.create("comment", Map.of("title", "unrated"));
        for (int score : new int[]{3, 1, 5, 2, 4}) {
            ashlar.create("rating", Map.of("score", score, "comment_id", rated.get("id")));
        }
        Row post = ashlar.create("post", Map.of("title", "tagged"));
        for (String name : new String[]{"b", "a", "c"}) {
            Row tag = ashlar.create("tag", Map.of("name", name));
            ashlar.create("post_tag", Map.of("post_id", post.get("id"), "tag_id", tag.get("id")));
        }
    }

    private List<String> comments(Filter filter) {
        return ashlar.read("comment").where(filter).sort(Sort.asc("id")).list().stream()
                .map(row -> row.getString("title")).toList();
    }

    @Test
    void existsCountAndPathsSeeOnlyTheFirstRelatedRecordsInTheSort() {
        assertThat(comments(exists("top_ratings", eq("score", 5)))).containsExactly("rated");
        assertThat(comments(exists("top_ratings", eq("score", 4)))).containsExactly("rated");
        assertThat(comments(exists("top_ratings", eq("score", 3)))).isEmpty();
        assertThat(comments(exists("ratings", eq("score", 3)))).containsExactly("rated");
        assertThat(comments(eq("top_ratings.score", 1))).isEmpty();
        assertThat(comments(count("top_ratings", EQ, 2))).containsExactly("rated");
        assertThat(ashlar.read("post").where(exists("first_tags", eq("name", "a"))).count()).isEqualTo(1);
        assertThat(ashlar.read("post").where(exists("first_tags", eq("name", "b"))).count()).isZero();
    }

    @Test
    void aggregatesCoverOnlyTheFirstRelatedRecords() {
        Row rated = ashlar.read("comment").where(eq("title", "rated")).load("count_of_top_ratings")
                .load("sum_of_top_ratings").first().orElseThrow();

        assertThat(rated.get("count_of_top_ratings")).isEqualTo(2L);
        assertThat(rated.get("sum_of_top_ratings")).isEqualTo(9L);
    }

    @Test
    void aLoadReadsAtMostTheLimitOfEachParentsRecords() {
        List<Row> loaded = ashlar.read("comment").load("top_ratings").sort(Sort.asc("id")).list();
        Row fewer = ashlar.read("comment").where(eq("title", "rated")).load("top_ratings", r -> r.limit(1))
                .first().orElseThrow();
        Row post = ashlar.read("post").load("first_tags").first().orElseThrow();

        assertThat(loaded.get(0).related("top_ratings")).extracting(r -> r.get("score")).containsExactly(5, 4);
        assertThat(loaded.get(1).related("top_ratings")).isEmpty();
        assertThat(fewer.related("top_ratings")).extracting(r -> r.get("score")).containsExactly(5);
        assertThat(post.related("first_tags")).extracting(t -> t.getString("name")).containsExactly("a");
    }

    @Test
    void aLimitBelowOneOrOnARelationshipToOneRecordIsRefusedNamingIt() {
        assertThatThrownBy(() -> Resource.builder("comment").integerPrimaryKey("id")
                .hasMany("top_ratings", "rating", r -> r.limit(0)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("top_ratings")
                .hasMessageContaining("give 1 or more");
        assertThatThrownBy(() -> Resource.builder("rating").integerPrimaryKey("id")
                .belongsTo("comment", "comment", r -> r.limit(2)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("comment")
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> Resource.builder("comment").integerPrimaryKey("id")
                .hasOne("best_rating", "rating", r -> r.sort(Sort.desc("score")).limit(2)).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("best_rating")
                .hasMessageContaining("limit");
    }
}
