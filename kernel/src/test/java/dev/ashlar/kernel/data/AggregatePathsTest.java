package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Aggregates over a path of relationships (Ash's {@code count :likes, [:comments, :likes]}), as Ash computes them:
 * over every record at the path's end, once for each way it is reached.
 */
class AggregatePathsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("aggregate_paths")
            .resource(Resource.builder("user").table("users")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("age", INTEGER)
                    .hasMany("posts", "post", r -> r.destinationAttribute("author_id"))
                    .list("tags_used", "posts.tags", "name", Sort.asc("name"))
                    .aggregate("tags_used", a -> a.withUniq())
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("author", "user")
                    .hasMany("comments", "comment")
                    .manyToMany("tags", "tag", r -> r.through("post_tag"))
                    .hasMany("first_comment", "comment", r -> r.sort(Sort.asc("id")).limit(1))
                    .hasMany("replies", "comment", r -> r.filter(eq("body", "reply")))
                    .count("count_of_likes", "comments.likes")
                    .count("likes_of_first_comment", "first_comment.likes")
                    .count("likes_of_replies", "replies.likes")
                    .count("count_of_big_likes", "comments.likes", gte("weight", 2))
                    .exists("has_likes", "comments.likes")
                    .sum("commenter_age_total", "comments.commenter", "age")
                    .countDistinct("count_of_commenters", "comments.commenter", "id")
                    .list("commenter_names", "comments.commenter", "name", Sort.asc("name"))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("body", TEXT)
                    .belongsTo("post", "post")
                    .belongsTo("commenter", "user")
                    .hasMany("likes", "like")
                    .build())
            .resource(Resource.builder("like").table("likes")
                    .integerPrimaryKey("id")
                    .attribute("weight", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .resource(Resource.builder("tag").table("tags")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .build())
            .resource(Resource.builder("post_tag").table("post_tag")
                    .integerPrimaryKey("id")
                    .belongsTo("post", "post")
                    .belongsTo("tag", "tag")
                    .build())
            .build();

    private Row ada;
    private Row bob;
    private Row busy;
    private Row quiet;

    AggregatePathsTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void data() {
        ada = ashlar.create("user", Map.of("name", "Ada", "age", 36));
        bob = ashlar.create("user", Map.of("name", "Bob", "age", 40));
        busy = ashlar.create("post", Map.of("title", "busy", "author_id", ada.get("id")));
        quiet = ashlar.create("post", Map.of("title", "quiet", "author_id", ada.get("id")));
        Row first = comment(busy, ada, "hi");
        Row second = comment(busy, ada, "reply");
        comment(busy, bob, "reply");
        comment(quiet, null, "hi");
        like(first, 1);
        like(first, 2);
        like(second, 3);
        Row java = ashlar.create("tag", Map.of("name", "java"));
        Row sql = ashlar.create("tag", Map.of("name", "sql"));
        tag(busy, sql);
        tag(busy, java);
        tag(quiet, java);
    }

    private Row comment(Row post, Row commenter, String body) {
        Map<String, Object> values = new HashMap<>();
        values.put("body", body);
        values.put("post_id", post.get("id"));
        values.put("commenter_id", commenter == null ? null : commenter.get("id"));
        return ashlar.create("comment", values);
    }

    private void like(Row comment, int weight) {
        ashlar.create("like", Map.of("comment_id", comment.get("id"), "weight", weight));
    }

    private void tag(Row post, Row tag) {
        ashlar.create("post_tag", Map.of("post_id", post.get("id"), "tag_id", tag.get("id")));
    }

    private List<Row> posts(String... aggregates) {
        var read = ashlar.read("post").sort(Sort.asc("id"));
        for (String aggregate : aggregates) {
            read = read.load(aggregate);
        }
        return read.list();
    }

    @Test
    void aCountOverAPathCountsTheRecordsAtItsEndAcrossEveryIntermediateRecord() {
        List<Row> posts = posts("count_of_likes", "count_of_big_likes", "has_likes");

        assertThat(posts).extracting(p -> p.get("count_of_likes")).containsExactly(3L, 0L);
        assertThat(posts).extracting(p -> p.get("count_of_big_likes")).containsExactly(2L, 0L);
        assertThat(posts).extracting(p -> p.get("has_likes")).containsExactly(true, false);
    }

    @Test
    void aStepsOwnFilterAndLimitLeaveItsOtherRecordsOutOfThePath() {
        List<Row> posts = posts("likes_of_first_comment", "likes_of_replies");

        assertThat(posts).extracting(p -> p.get("likes_of_first_comment")).containsExactly(2L, 0L);
        assertThat(posts).extracting(p -> p.get("likes_of_replies")).containsExactly(1L, 0L);
    }

    @Test
    void anAggregateOverAPathFiltersAndSortsLikeAnAttribute() {
        assertThat(ashlar.read("post").where(gt("count_of_likes", 2)).list())
                .extracting(p -> p.getString("title")).containsExactly("busy");
        assertThat(ashlar.read("post").where(eq("has_likes", false)).list())
                .extracting(p -> p.getString("title")).containsExactly("quiet");
        assertThat(ashlar.read("post").sort(Sort.asc("count_of_likes")).list())
                .extracting(p -> p.getString("title")).containsExactly("quiet", "busy");
        assertThat(ashlar.read("user").where(eq("posts.count_of_likes", 3)).list())
                .extracting(u -> u.getString("name")).containsExactly("Ada");
    }

    @Test
    void aRecordReachedTwiceThroughAPathCountsTwiceUnlessDistinct() {
        Row post = posts("commenter_age_total", "count_of_commenters", "commenter_names").get(0);

        assertThat(post.get("commenter_age_total")).as("Ada commented twice").isEqualTo(36L + 36L + 40L);
        assertThat(post.get("count_of_commenters")).isEqualTo(2L);
        assertThat(post.get("commenter_names")).isEqualTo(List.of("Ada", "Ada", "Bob"));
    }

    @Test
    void aListThroughAManyToManyAtThePathsEndHoldsEachValueOnceWhenUniq() {
        Row author = ashlar.read("user").where(eq("id", ada.get("id"))).load("tags_used").first().orElseThrow();
        Row other = ashlar.read("user").where(eq("id", bob.get("id"))).load("tags_used").first().orElseThrow();

        assertThat(author.get("tags_used")).as("java is on both posts").isEqualTo(List.of("java", "sql"));
        assertThat(other.get("tags_used")).isEqualTo(List.of());
    }

    @Test
    void thePathsSecondStepIsRefusedWhenItsResourceLacksTheRelationshipNamingIt() {
        assertThatThrownBy(() -> Domain.builder("bad")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .hasMany("comments", "comment")
                        .count("count_of_votes", "comments.votes")
                        .count("count_of_blank", "comments..likes")
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .belongsTo("post", "post")
                        .build())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("count_of_votes")
                .hasMessageContaining("relationship 'votes' of comment (in path 'comments.votes'), which comment "
                        + "does not have; name one of [post]")
                .hasMessageContaining("'comments..likes'");
    }
}
