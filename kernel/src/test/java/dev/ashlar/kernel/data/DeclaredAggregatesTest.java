package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Aggregates declared on a resource, used by name: loaded onto rows, filtered and sorted on, never written. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeclaredAggregatesTest {
    private static final String[] ALL = {"count_of_comments", "count_of_good_comments", "has_comments",
            "total_rating", "average_rating", "lowest_rating", "best_rating", "latest_comment_body",
            "comment_ratings", "tag_names"};

    static final Domain DOMAIN = Domain.builder("aggregates")
            .resource(Resource.builder("user").table("users")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post", r -> r.destinationAttribute("author_id"))
                    .count("post_count", "posts")
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("author", "user")
                    .hasMany("comments", "comment")
                    .manyToMany("tags", "tag", r -> r.through("post_tag"))
                    .count("count_of_comments", "comments")
                    .count("count_of_good_comments", "comments", gte("rating", 5))
                    .exists("has_comments", "comments")
                    .sum("total_rating", "comments", "rating")
                    .avg("average_rating", "comments", "rating")
                    .min("lowest_rating", "comments", "rating")
                    .max("best_rating", "comments", "rating")
                    .first("latest_comment_body", "comments", "body", Sort.desc("id"))
                    .list("comment_ratings", "comments", "rating", Sort.asc("id"))
                    .list("tag_names", "tags", "name", Sort.asc("name"))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("body", TEXT)
                    .attribute("rating", INTEGER)
                    .attribute("tenant", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .resource(Resource.builder("tag").table("tags")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .calculate("shout", String.class, "upper(name) || '!'")
                    .build())
            .resource(Resource.builder("post_tag").table("post_tags")
                    .belongsTo("post", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("tag", "tag", r -> r.primaryKey().allowNil(false))
                    .build())
            .build();

    /** A view of a post with loaded aggregates as components. */
    record PostView(Integer id, String title, Long countOfComments, List<Integer> commentRatings) {
    }

    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        ashlar = Fixtures.ashlar(db, DOMAIN, RelationshipFilterTest.commentTenancy());
        Row ada = ashlar.create("user", Map.of("name", "Ada"));
        Row bob = ashlar.create("user", Map.of("name", "Bob"));
        Row busy = post(ada, "busy");
        Row quiet = post(ada, "quiet");
        post(bob, "empty");
        comment(busy, 5, null);
        comment(busy, 5, null);
        comment(busy, 2, null);
        comment(quiet, 3, null);
        comment(quiet, 4, "acme");
        Row java = ashlar.create("tag", Map.of("name", "java"));
        Row sql = ashlar.create("tag", Map.of("name", "sql"));
        ashlar.create("post_tag", Map.of("post_id", busy.get("id"), "tag_id", sql.get("id")));
        ashlar.create("post_tag", Map.of("post_id", busy.get("id"), "tag_id", java.get("id")));
    }

    private Row post(Row author, String title) {
        return ashlar.create("post", Map.of("title", title, "author_id", author.get("id")));
    }

    private void comment(Row post, int rating, String tenant) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("body", post.get("title") + " rated " + rating,
                "rating", rating, "post_id", post.get("id")));
        values.put("tenant", tenant);
        ashlar.create("comment", values);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private Row post(String title) {
        dev.ashlar.kernel.Read read = ashlar.read("post").where(eq("title", title));
        for (String aggregate : ALL) {
            read = read.load(aggregate);
        }
        return read.first().orElseThrow();
    }

    private List<String> titles(Filter filter, Sort... sorts) {
        dev.ashlar.kernel.Read read = ashlar.read("post");
        return (filter == null ? read : read.where(filter)).sort(sorts).sort(Sort.asc("id")).list().stream()
                .map(p -> p.getString("title")).toList();
    }

    @Test
    void loadsEachDeclaredAggregateOntoTheRowsAsPostgresComputesIt() {
        Row busy = post("busy");

        assertThat(busy.get("count_of_comments")).isEqualTo(3L);
        assertThat(busy.get("count_of_good_comments")).isEqualTo(2L);
        assertThat(busy.get("has_comments")).isEqualTo(true);
        assertThat(busy.get("total_rating")).isEqualTo(12L);
        assertThat(busy.getBigDecimal("average_rating")).isEqualByComparingTo(new BigDecimal("4"));
        assertThat(busy.get("lowest_rating")).isEqualTo(2);
        assertThat(busy.get("best_rating")).isEqualTo(5);
        assertThat(busy.get("latest_comment_body")).isEqualTo("busy rated 2");
        assertThat(busy.get("comment_ratings")).isEqualTo(List.of(5, 5, 2));
        assertThat(busy.get("tag_names")).isEqualTo(List.of("java", "sql"));
        assertThat(busy.getString("title")).isEqualTo("busy");
    }

    @Test
    void aggregatesOverNoRelatedRecordsAreZeroFalseNullOrAnEmptyList() {
        Row empty = post("empty");

        assertThat(empty.get("count_of_comments")).isEqualTo(0L);
        assertThat(empty.get("has_comments")).isEqualTo(false);
        assertThat(empty.get("total_rating")).isNull();
        assertThat(empty.get("average_rating")).isNull();
        assertThat(empty.get("lowest_rating")).isNull();
        assertThat(empty.get("latest_comment_body")).isNull();
        assertThat(empty.get("comment_ratings")).isEqualTo(List.of());
        assertThat(empty.get("tag_names")).isEqualTo(List.of());
    }

    @Test
    void aLoadedAggregateMapsOntoARecordComponentOfItsName() {
        List<PostView> views = ashlar.read("post").load("count_of_comments").load("comment_ratings")
                .sort(Sort.asc("id")).list(PostView.class);

        assertThat(views).extracting(PostView::title).containsExactly("busy", "quiet", "empty");
        assertThat(views).extracting(PostView::countOfComments).containsExactly(3L, 2L, 0L);
        assertThat(views.get(1).commentRatings()).containsExactly(3, 4);
    }

    @Test
    void filtersByAnAggregateByName() {
        assertThat(titles(gt("count_of_comments", 1))).containsExactly("busy", "quiet");
        assertThat(titles(eq("count_of_comments", 2))).containsExactly("quiet");
        assertThat(titles(eq("has_comments", false))).containsExactly("empty");
        assertThat(titles(isNil("latest_comment_body"))).containsExactly("empty");
        assertThat(titles(Filter.in("best_rating", List.of(4, 5)))).containsExactly("busy", "quiet");
        assertThat(titles(Filter.contains("tag_names", "java"))).containsExactly("busy");
        assertThat(titles(eq("count_of_good_comments", 0))).containsExactly("quiet", "empty");
    }

    @Test
    void sortsByAnAggregateByNameWithItsNullsWhereAsked() {
        assertThat(titles(null, Sort.desc("count_of_comments"))).containsExactly("busy", "quiet", "empty");
        assertThat(titles(null, Sort.asc("best_rating").nullsFirst())).containsExactly("empty", "quiet", "busy");
        assertThat(titles(null, Sort.asc("best_rating").nullsLast())).containsExactly("quiet", "busy", "empty");
    }

    @Test
    void filtersAndSortsByAnAggregateOfAToOneDestinationAndInsideExists() {
        assertThat(titles(eq("author.post_count", 2))).containsExactly("busy", "quiet");
        assertThat(titles(null, Sort.asc("author.post_count"))).containsExactly("empty", "busy", "quiet");
        assertThat(ashlar.read("user").where(exists("posts", gt("count_of_comments", 2))).list())
                .extracting(u -> u.getString("name")).containsExactly("Ada");
    }

    @Test
    void aRelationshipLoadFiltersItsRecordsByTheirAggregates() {
        Row ada = ashlar.read("user").where(eq("name", "Ada"))
                .load("posts", p -> p.where(gt("count_of_comments", 2))).first().orElseThrow();

        assertThat(ada.related("posts")).extracting(p -> p.getString("title")).containsExactly("busy");
    }

    @Test
    void anAggregateCountsOnlyTheRelatedRecordsOfTheReadsTenant() {
        List<Row> posts = ashlar.read("post").tenant("acme").load("count_of_comments").load("comment_ratings")
                .sort(Sort.asc("id")).list();

        assertThat(posts).extracting(p -> p.get("count_of_comments")).containsExactly(0L, 1L, 0L);
        assertThat(posts.get(1).get("comment_ratings")).isEqualTo(List.of(4));
        assertThat(ashlar.read("post").tenant("acme").where(gt("count_of_comments", 0)).list())
                .extracting(p -> p.getString("title")).containsExactly("quiet");
    }

    @Test
    void writingAnAggregateIsRefusedNamingIt() {
        Row busy = post("busy");

        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "x", "count_of_comments", 1)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'count_of_comments' is an aggregate of post").hasMessageContaining("written");
        assertThatThrownBy(() -> ashlar.update(busy, Map.of("count_of_comments", 9L)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'count_of_comments' is an aggregate");
        assertThat(ashlar.read("post").where(eq("title", "x")).exists()).isFalse();
    }

    @Test
    void aKeysetCursorPagesThroughASortByAnAggregateInTheOrderOfTheWholeRead() {
        for (Sort sort : List.of(Sort.desc("count_of_comments"), Sort.asc("count_of_comments"),
                Sort.asc("best_rating").nullsFirst(), Sort.desc("best_rating"))) {
            dev.ashlar.kernel.Read read = ashlar.read("post").sort(sort).load(sort.field()).limit(1);
            List<String> paged = new java.util.ArrayList<>();
            for (List<Row> page = read.list(); !page.isEmpty(); page = read.after(read.cursor(page.get(0))).list()) {
                paged.add(page.get(0).getString("title"));
            }

            assertThat(paged).as(sort.toString()).containsExactlyElementsOf(titles(null, sort));
        }
    }

    @Test
    void aCursorFromARowWithoutTheAggregateItSortsByAsksToLoadIt() {
        dev.ashlar.kernel.Read read = ashlar.read("post").sort(Sort.desc("count_of_comments"));
        Row first = read.first().orElseThrow();

        assertThatThrownBy(() -> read.cursor(first)).isInstanceOf(QueryException.class)
                .hasMessageContaining("this row has no 'count_of_comments': load(\"count_of_comments\")");
    }

    @Test
    void loadingANameThatIsNeitherRelationshipNorAggregateIsRefusedNamingWhatExists() {
        assertThatThrownBy(() -> ashlar.read("post").load("nope").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("Resource 'post' has no relationship, "
                        + "aggregate or calculation 'nope' to load; its relationships are [author, comments, tags]");
        assertThatThrownBy(() -> ashlar.read("user").load("posts", p -> p.load("count_of_comments").load("nope"))
                .list())
                .isInstanceOf(QueryException.class).hasMessageContaining("Resource 'post' has no relationship, "
                        + "aggregate or calculation 'nope' to load")
                .hasMessageContaining("its aggregates and calculations [average_rating, best_rating");
        assertThatThrownBy(() -> ashlar.read("user").load("posts", p -> p.load("count_of_comments",
                        c -> c.limit(1))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("load it by its name alone");
    }

    /** A post with its count of comments, loaded on the user's posts. */
    record PostCount(Integer id, String title, Long countOfComments) {
    }

    /** A user with the posts loaded on it. */
    record UserView(Integer id, String name, List<PostCount> posts) {
    }

    @Test
    void aRelationshipLoadLoadsTheAggregatesOfItsRecordsOntoEach() {
        Row ada = ashlar.read("user").where(eq("name", "Ada"))
                .load("posts", p -> p.sort(Sort.asc("id")).load("count_of_comments").load("comment_ratings"))
                .first().orElseThrow();

        assertThat(ada.related("posts")).extracting(p -> p.getString("title"), p -> p.get("count_of_comments"),
                p -> p.get("comment_ratings"))
                .containsExactly(tuple("busy", 3L, List.of(5, 5, 2)), tuple("quiet", 2L, List.of(3, 4)));
        assertThat(ashlar.read("user").sort(Sort.asc("id")).load("posts.count_of_comments").list(UserView.class))
                .as("a path ending in an aggregate, mapped onto nested records")
                .extracting(UserView::name, user -> user.posts().stream().map(PostCount::countOfComments).toList())
                .containsExactly(tuple("Ada", List.of(3L, 2L)), tuple("Bob", List.of(0L)));
    }

    @Test
    void aggregatesLoadInsideALoadWithItsOwnFilterSortAndLimit() {
        Row ada = ashlar.read("user").where(eq("name", "Ada"))
                .load("posts", p -> p.where(gt("count_of_comments", 0)).sort(Sort.asc("count_of_comments")).limit(1)
                        .load("count_of_comments").load("tag_names"))
                .first().orElseThrow();

        assertThat(ada.related("posts")).extracting(p -> p.getString("title"), p -> p.get("count_of_comments"),
                p -> p.get("tag_names")).containsExactly(tuple("quiet", 2L, List.of()));
    }

    @Test
    void aManyToManyLoadLoadsTheCalculationsOfItsRecordsAlsoWithALimitPerParent() {
        Row busy = ashlar.read("post").where(eq("title", "busy"))
                .load("tags", t -> t.sort(Sort.asc("name")).load("shout")).first().orElseThrow();
        assertThat(busy.related("tags")).extracting(t -> t.get("shout")).containsExactly("JAVA!", "SQL!");

        Row limited = ashlar.read("post").where(eq("title", "busy"))
                .load("tags", t -> t.sort(Sort.desc("name")).limit(1).load("shout")).first().orElseThrow();
        assertThat(limited.related("tags")).extracting(t -> t.getString("name"), t -> t.get("shout"))
                .containsExactly(tuple("sql", "SQL!"));
    }

    @Test
    void aBelongsToLoadLoadsTheAggregatesOfTheRecordItReaches() {
        List<Row> comments = ashlar.read("comment").where(eq("rating", 3))
                .load("post", p -> p.load("count_of_comments").load("total_rating")).list();

        assertThat(comments).hasSize(1);
        assertThat(comments.get(0).relatedOne("post")).get()
                .extracting(p -> p.getString("title"), p -> p.get("count_of_comments"), p -> p.get("total_rating"))
                .containsExactly("quiet", 2L, 7L);
    }

    @Test
    void anAggregateInsideALoadCountsOnlyTheRelatedRecordsOfTheReadsTenant() {
        // Four of the five comments are not acme's: its read must count only its own one, on quiet.
        Row ada = ashlar.read("user").tenant("acme").where(eq("name", "Ada"))
                .load("posts", p -> p.sort(Sort.asc("id")).load("count_of_comments").load("comment_ratings"))
                .first().orElseThrow();

        assertThat(ada.related("posts")).extracting(p -> p.getString("title"), p -> p.get("count_of_comments"),
                p -> p.get("comment_ratings"))
                .containsExactly(tuple("busy", 0L, List.of()), tuple("quiet", 1L, List.of(4)));
    }

    @Test
    void theDomainRefusesAggregatesThatNameNoRelationshipOrAttributeOrClash() {
        assertThatThrownBy(() -> Domain.builder("bad")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .hasMany("comments", "comment")
                        .count("title", "comments")
                        .count("by_path", "comments.replies")
                        .count("by_nothing", "remarks")
                        .sum("sum_of_body", "comments", "body")
                        .max("max_of_nothing", "comments", "nope")
                        .first("first_without_order", "comments", "body")
                        .exists("x".repeat(64), "comments")
                        .build())
                .resource(Resource.builder("comment").table("comments").integerPrimaryKey("id")
                        .attribute("body", TEXT)
                        .belongsTo("post", "post")
                        .build())
                .build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("title").hasMessageContaining("share one namespace")
                .hasMessageContaining("relationship 'replies' of comment (in path 'comments.replies'), which comment "
                        + "does not have")
                .hasMessageContaining("relationship 'remarks', which post does not have")
                .hasMessageContaining("sum needs a number attribute")
                .hasMessageContaining("attribute 'nope', which comment does not have")
                .hasMessageContaining("needs an order")
                .hasMessageContaining("64 bytes long");
    }
}
