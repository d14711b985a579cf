package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A has-one relationship chosen from many by its sort (Ash's {@code from_many?}) decides which record an aggregate
 * through it reads (AshPostgres's {@code from_many_aggregate_sort_test.exs}). Each case has two related records in
 * the order that matters, the newest written last and first, so that an unordered pick cannot pass.
 */
class FromManyAggregateSortTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("from_many_aggregate_sort")
            .resource(Resource.builder("author").table("authors").uuidPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .hasMany("posts", "post")
                    .first("latest_comment_title_across_posts", "posts.latest_comment", "title")
                    .build())
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .hasOne("latest_comment", "comment", r -> r.sort(Sort.desc("created_at")))
                    .first("latest_comment_title_agg", "latest_comment", "title")
                    .build())
            .resource(Resource.builder("comment").table("comments").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .build())
            .build();

    FromManyAggregateSortTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE authors, posts, comments CASCADE");
    }

    private Row post(Object authorId) {
        return authorId == null ? ashlar.create("post", Map.of("title", "post"))
                : ashlar.create("post", Map.of("title", "post", "author_id", authorId));
    }

    private void comment(Row post, String title, String createdAt) {
        ashlar.create("comment", Map.of("title", title, "post_id", post.get("id"),
                "created_at", Instant.parse(createdAt)));
    }

    private Row readPost(Row post, String... loads) {
        var read = ashlar.read("post").where(eq("id", post.get("id")));
        for (String load : loads) {
            read = read.load(load);
        }
        return read.one().orElseThrow();
    }

    private void oldestAndNewestEachWay(Row post, Row other) {
        comment(post, "oldest", "2024-01-01T00:00:00Z");
        comment(post, "newest", "2024-06-01T00:00:00Z");
        comment(other, "newest", "2024-06-01T00:00:00Z");
        comment(other, "oldest", "2024-01-01T00:00:00Z");
    }

    @Test
    void anAggregateThroughASortedHasOneReadsTheRecordItsSortPutsFirst() {
        Row post = post(null);
        Row other = post(null);
        oldestAndNewestEachWay(post, other);

        assertThat(readPost(post, "latest_comment_title_agg").get("latest_comment_title_agg")).isEqualTo("newest");
        assertThat(readPost(other, "latest_comment_title_agg").get("latest_comment_title_agg")).isEqualTo("newest");
    }

    @Test
    void theSortHoldsWhenTheHasOneIsNotFirstInThePath() {
        Row author = ashlar.create("author", Map.of("first_name", "author"));
        Row post = post(author.get("id"));
        comment(post, "oldest", "2024-01-01T00:00:00Z");
        comment(post, "newest", "2024-06-01T00:00:00Z");
        Row other = ashlar.create("author", Map.of("first_name", "other"));
        Row otherPost = post(other.get("id"));
        comment(otherPost, "newest", "2024-06-01T00:00:00Z");
        comment(otherPost, "oldest", "2024-01-01T00:00:00Z");

        for (Row each : new Row[] {author, other}) {
            Row read = ashlar.read("author").where(eq("id", each.get("id")))
                    .load("latest_comment_title_across_posts").one().orElseThrow();
            assertThat(read.get("latest_comment_title_across_posts")).isEqualTo("newest");
        }
    }

    @Test
    void loadingTheHasOneAndAggregatingThroughItAgree() {
        Row post = post(null);
        Row other = post(null);
        oldestAndNewestEachWay(post, other);

        for (Row read : List.of(readPost(post, "latest_comment", "latest_comment_title_agg"),
                readPost(other, "latest_comment", "latest_comment_title_agg"))) {
            assertThat(read.relatedOne("latest_comment").orElseThrow().get("title"))
                    .isEqualTo(read.get("latest_comment_title_agg")).isEqualTo("newest");
        }
    }
}
