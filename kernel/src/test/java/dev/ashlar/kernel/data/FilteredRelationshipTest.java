package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.FilteredRelationships.Comment;
import dev.ashlar.kernel.data.FilteredRelationships.Post;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.query.Filter.Operator.EQ;
import static dev.ashlar.api.query.Filter.Operator.GTE;
import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.count;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Relationships defined with a filter and a sort of their own ({@link FilteredRelationships}): "busy" has popular
 * comments and a newer unpopular one, "quiet" only an unpopular comment, "empty" none.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilteredRelationshipTest {
    private TestDatabase db;
    private Ashlar ashlar;
    private List<Object> posts;
    private Row shared;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        ashlar = Fixtures.ashlar(db, FilteredRelationships.DOMAIN, RelationshipFilterTest.commentTenancy());
        Row ada = ashlar.create("user", Map.of("name", "Ada", "active", true));
        Row bob = ashlar.create("user", Map.of("name", "Bob", "active", false));
        Row busy = post("busy", ada);
        Row quiet = post("quiet", bob);
        Row empty = post("empty", ada);
        posts = List.of(busy.get("id"), quiet.get("id"), empty.get("id"));
        comment(busy, "old hit", 50, 1, null);
        comment(busy, "mid hit", 11, 2, null);
        comment(busy, "new hit", 20, 3, null);
        comment(busy, "dud", 2, 4, null);
        comment(quiet, "lonely dud", 1, 1, null);
        for (String[] tag : new String[][]{{"sql", "true"}, {"draft", "false"}, {"java", "true"}}) {
            Row created = ashlar.create("tag", Map.of("name", tag[0], "featured", Boolean.parseBoolean(tag[1])));
            ashlar.create("post_tag", Map.of("post_id", busy.get("id"), "tag_id", created.get("id")));
        }
        shared = post("shared", ada);
        comment(shared, "acme hit", 99, 1, "acme");
        comment(shared, "globex hit", 99, 2, "globex");
        comment(shared, "acme dud", 1, 3, "acme");
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private Row post(String title, Row author) {
        return ashlar.create("post", Map.of("title", title, "author_id", author.get("id")));
    }

    private void comment(Row post, String body, int likes, int day, String tenant) {
        Map<String, Object> comment = new HashMap<>(Map.of("body", body, "likes", likes,
                "inserted_at", Instant.parse("2026-01-0" + day + "T12:00:00Z"), "post_id", post.get("id")));
        if (tenant != null) {
            comment.put("tenant", tenant);
        }
        ashlar.create("comment", comment);
    }

    /** Busy, quiet and empty, in that order, read with the given loads. */
    private List<Row> read(UnaryOperator<dev.ashlar.kernel.Read> shape) {
        return shape.apply(ashlar.read("post").where(in("id", posts)).sort(Sort.asc("id"))).list();
    }

    /** The titles of busy, quiet and empty that match, in that order unless sorted otherwise. */
    private List<String> titles(Filter filter, Sort... sorts) {
        Filter these = in("id", posts);
        return ashlar.read("post").where(filter == null ? these : and(these, filter)).sort(sorts).sort(Sort.asc("id"))
                .list().stream().map(p -> p.getString("title")).toList();
    }

    private static List<String> bodies(Row post, String relationship) {
        return post.related(relationship).stream().map(c -> c.getString("body")).toList();
    }

    @Test
    void aFilteredHasManyLoadsOnlyTheMatchingRecordsInTheDefinitionsOrder() {
        List<Row> read = read(r -> r.load("popular_comments"));

        assertThat(bodies(read.get(0), "popular_comments")).containsExactly("new hit", "mid hit", "old hit");
        assertThat(bodies(read.get(1), "popular_comments")).isEmpty();
        assertThat(bodies(read(r -> r.load("comments")).get(1), "comments")).containsExactly("lonely dud");
    }

    @Test
    void aLoadsOwnFilterNarrowsTheDefinitionsFilter() {
        List<Row> read = read(r -> r.load("popular_comments", c -> c.where(lt("likes", 30))));

        assertThat(bodies(read.get(0), "popular_comments")).containsExactly("new hit", "mid hit");
    }

    @Test
    void aLoadsOwnSortReplacesTheDefinitionsSort() {
        List<Row> read = read(r -> r.load("popular_comments", c -> c.sort(Sort.asc("likes"))));

        assertThat(bodies(read.get(0), "popular_comments")).containsExactly("mid hit", "new hit", "old hit");
    }

    @Test
    void aLoadsLimitTakesTheFirstRecordsTheDefinitionsFilterKeeps() {
        List<Row> read = read(r -> r.load("popular_comments", c -> c.limit(2)));

        assertThat(bodies(read.get(0), "popular_comments")).containsExactly("new hit", "mid hit");
    }

    @Test
    void aSortedHasOneLoadsTheNewestRelatedRecordOfEachParent() {
        List<Row> read = read(r -> r.load("latest_comment").load("latest_popular_comment"));

        assertThat(read).extracting(p -> p.relatedOne("latest_comment").map(c -> c.getString("body")).orElse(null))
                .containsExactly("dud", "lonely dud", null);
        assertThat(read).extracting(p -> p.relatedOne("latest_popular_comment").map(c -> c.getString("body"))
                .orElse(null)).containsExactly("new hit", null, null);
    }

    @Test
    void pathsExistsCountsAndSortsThroughASortedHasOneSeeOnlyItsFirstRecord() {
        assertThat(titles(eq("latest_comment.body", "dud"))).containsExactly("busy");
        assertThat(titles(eq("latest_comment.body", "new hit"))).as("busy has it, but not as its latest").isEmpty();
        assertThat(titles(exists("latest_comment", eq("body", "old hit")))).isEmpty();
        assertThat(titles(count("latest_comment", null, GTE, 2))).isEmpty();
        assertThat(titles(count("latest_comment", null, EQ, 1))).containsExactly("busy", "quiet");
        assertThat(titles(eq("latest_popular_comment.body", "new hit"))).containsExactly("busy");
        assertThat(titles(null, Sort.desc("latest_comment.body").nullsLast())).containsExactly("quiet", "busy", "empty");
    }

    @Test
    void aFilteredManyToManyLoadsOnlyTheMatchingRecordsInTheDefinitionsOrder() {
        assertThat(read(r -> r.load("featured_tags")).get(0).related("featured_tags"))
                .extracting(t -> t.getString("name")).containsExactly("java", "sql");
        assertThat(titles(eq("featured_tags.name", "java"))).containsExactly("busy");
        assertThat(titles(eq("featured_tags.name", "draft"))).isEmpty();
    }

    @Test
    void aFilteredBelongsToIsEmptyAndNotFoundWhereTheRecordFailsTheFilter() {
        assertThat(read(r -> r.load("active_author"))).extracting(p -> p.relatedOne("active_author").isPresent())
                .containsExactly(true, false, true);
        assertThat(titles(exists("active_author"))).containsExactly("busy", "empty");
    }

    @Test
    void existsAndPathsThroughAFilteredRelationshipSeeOnlyTheMatchingRecords() {
        assertThat(titles(exists("comments"))).containsExactly("busy", "quiet");
        assertThat(titles(exists("popular_comments"))).containsExactly("busy");
        assertThat(titles(exists("popular_comments", lt("likes", 5)))).isEmpty();
        assertThat(titles(lt("comments.likes", 5))).containsExactly("busy", "quiet");
        assertThat(titles(lt("popular_comments.likes", 5))).isEmpty();
    }

    @Test
    void countsAndSortsByCountThroughAFilteredRelationshipCountOnlyTheMatchingRecords() {
        assertThat(titles(count("popular_comments", GTE, 3))).containsExactly("busy");
        assertThat(titles(count("popular_comments", EQ, 0))).containsExactly("quiet", "empty");
        assertThat(titles(null, Sort.asc("popular_comments").byCount())).containsExactly("quiet", "empty", "busy");
        assertThat(titles(null, Sort.asc("comments").byCount())).containsExactly("empty", "quiet", "busy");
        assertThat(ashlar.read("post").where(and(in("id", posts), exists("popular_comments"))).count()).isEqualTo(1);
    }

    @Test
    void theTypedApiFollowsTheDefinitionsFilterToo() {
        List<Post> popular = ashlar.read(Post.POSTS).where(Post.POPULAR_COMMENTS.any()).sort(Post.ID.asc()).list();
        List<Row> loaded = ashlar.read(Post.POSTS).where(Post.TITLE.eq("busy"))
                .load(Post.POPULAR_COMMENTS, c -> c.where(Comment.LIKES.gt(15))).rows();

        assertThat(popular).extracting(Post::title).containsExactly("busy", "shared");
        assertThat(ashlar.read(Post.POSTS).where(Post.POPULAR_COMMENTS.count(GTE, 3)).list())
                .extracting(Post::title).containsExactly("busy");
        assertThat(bodies(loaded.get(0), "popular_comments")).containsExactly("new hit", "old hit");
    }

    @Test
    void aTenantsReadThroughAFilteredRelationshipSeesOnlyItsOwnMatchingRecords() {
        Row acme = ashlar.read("post").tenant("acme").where(eq("id", shared.get("id")))
                .load("popular_comments").load("comments").list().get(0);

        assertThat(bodies(acme, "popular_comments")).containsExactly("acme hit");
        assertThat(bodies(acme, "comments")).containsExactlyInAnyOrder("acme hit", "acme dud");
        assertThat(ashlar.read("post").tenant("globex").where(and(eq("id", shared.get("id")),
                exists("popular_comments", eq("body", "acme hit")))).exists()).isFalse();
    }

    @Test
    void refusesAtStartAFilterOrSortOnAFieldTheDestinationLacks() {
        Domain bad = Domain.builder("bad").resources(
                Resource.builder("post").integerPrimaryKey("id")
                        .hasMany("popular_comments", "comment", r -> r.filter(gt("likez", 10)))
                        .hasMany("newest_comments", "comment", r -> r.sort(Sort.desc("posted_at")))
                        .build(),
                Resource.builder("comment").integerPrimaryKey("id").attribute("likes", INTEGER)
                        .attribute("body", TEXT).belongsTo("post", "post").build()).build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(bad).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'popular_comments': its own filter or sort does not fit "
                        + "'comment': Resource 'comment' has no attribute 'likez' (did you mean 'likes'?); its "
                        + "attributes are [id, likes, body, post_id]")
                .hasMessageContaining("resource 'post', 'newest_comments'")
                .hasMessageContaining("no attribute 'posted_at'");
    }

    @Test
    void refusesAtStartAFilterThatReachesItsOwnRelationshipAgain() {
        Domain bad = Domain.builder("bad").resources(
                Resource.builder("post").integerPrimaryKey("id")
                        .hasMany("answered", "comment", r -> r.filter(exists("post.answered")))
                        .build(),
                Resource.builder("comment").integerPrimaryKey("id").belongsTo("post", "post").build()).build();

        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource()).domain(bad).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'answered'")
                .hasMessageContaining("goes through 'answered' again");
    }

    @Test
    void refusesASortOnABelongsToNamingTheResourceTheRelationshipAndTheFix() {
        assertThatThrownBy(() -> Resource.builder("comment").belongsTo("post", "post", r -> r.sort(Sort.asc("id"))))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("resource 'comment', 'post': the option sort (remove it: a belongsTo points at one "
                        + "record, so there is nothing to order) does not apply to belongsTo");
    }
}
