package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of AshPostgres's {@code aggregate_test} that no other test of this project restates (see the README's
 * "AshPostgres mapping" for those that do).
 */
class AshPostgresSuiteAggregateTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_suite_aggregates")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post")
                    .count("count_of_posts_with_better_comment", "posts.comments", gt("likes", ref("post.score")))
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("score", INTEGER)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("likes", INTEGER)
                    .belongsTo("post", "post")
                    .build())
            .build();

    AshPostgresSuiteAggregateTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comments, posts, authors RESTART IDENTITY CASCADE");
    }

    /** "join filters": with no data, and a comment compared with the post of the path's middle hop. */
    @Test
    void aCountThroughTwoHopsComparesEachCommentWithItsOwnPost() {
        ashlar.create("author", Map.of("name", "lonely"));
        Row author = ashlar.create("author", Map.of("name", "writer"));
        Row matching = ashlar.create("post", Map.of("score", 10, "author_id", author.get("id")));
        Row other = ashlar.create("post", Map.of("score", 100, "author_id", author.get("id")));
        Row better = ashlar.create("comment", Map.of("likes", 100, "post_id", matching.get("id")));
        ashlar.create("comment", Map.of("likes", 0, "post_id", other.get("id")));

        assertThat(ashlar.read("author").load("count_of_posts_with_better_comment").sort(Sort.asc("id")).list())
                .extracting(r -> r.get("count_of_posts_with_better_comment")).containsExactly(0L, 1L);
        assertThat(ashlar.read("author").where(exists("posts.comments", gt("likes", ref("post.score")))).list())
                .extracting(r -> r.get("name")).containsExactly("writer");
        ashlar.update(better, Map.of("likes", 5));
        assertThat(ashlar.read("author").where(exists("posts.comments", gt("likes", ref("post.score")))).list())
                .isEmpty();
    }
}
