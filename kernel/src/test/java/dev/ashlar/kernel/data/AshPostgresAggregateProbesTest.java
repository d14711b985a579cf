package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of AshPostgres's {@code test/aggregate_test.exs} that Ashlar can express, with the results Ash gives: each
 * test names the case it follows.
 */
class AshPostgresAggregateProbesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_aggregate_probes")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("last_seen_id", INTEGER)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .count("count_of_comments_with_same_name", "comments", eq("title", parent("title")))
                    .count("unseen_comments", "comments", gt("id", parent("last_seen_id")))
                    .first("last_comment", "comments", "title", Sort.desc("title"))
                    .list("comment_titles_with_nils", "comments", "title", Sort.asc("title"))
                    .aggregate("comment_titles_with_nils", a -> a.withIncludeNil())
                    .first("latest_comment_created_at", "comments", "created_at", Sort.desc("created_at"))
                    .customAggregate("comment_authors", "comments.author", String.class,
                            "string_agg({first_name}, ',')")
                    .count("count_of_comment_ratings", "comments.ratings")
                    .count("count_of_popular_comment_ratings", "comments.ratings", gt("score", 10))
                    .first("author_badges", "author", "badges", Sort.asc("id"))
                    .exists("has_comment_called_match", "comments", eq("title", "match"))
                    .count("count_of_comments_that_have_a_post", "comments", notNil("post.id"))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .belongsTo("author", "author")
                    .hasMany("ratings", "rating")
                    .build())
            .resource(Resource.builder("rating").table("ratings")
                    .integerPrimaryKey("id")
                    .attribute("score", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .attribute("badges", arrayOf(TEXT))
                    .build())
            .build();

    AshPostgresAggregateProbesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE ratings, comments, posts, authors RESTART IDENTITY CASCADE");
    }

    private Row post(String title) {
        return ashlar.create("post", Map.of("title", title));
    }

    private Row comment(Row post, String title) {
        Map<String, Object> values = new HashMap<>();
        values.put("post_id", post.get("id"));
        values.put("title", title);
        return ashlar.create("comment", values);
    }

    private Row loaded(Row post, String... aggregates) {
        var read = ashlar.read("post").where(eq("id", post.get("id")));
        for (String aggregate : aggregates) {
            read = read.load(aggregate);
        }
        return read.one().orElseThrow();
    }

    /** "nested aggregates show the proper values": {@code comment_authors: "ted,ted"}. */
    @Test
    void aCustomStringAggOverCommentsAuthorsHoldsAnAuthorOnceForEachComment() {
        Row ted = ashlar.create("author", Map.of("first_name", "ted"));
        Row post = post("title");
        for (int i = 0; i < 2; i++) {
            ashlar.update(comment(post, "match"), Map.of("author_id", ted.get("id")));
        }

        assertThat(loaded(post, "comment_authors").get("comment_authors")).isEqualTo("ted,ted");
        assertThat(loaded(post("none"), "comment_authors").get("comment_authors")).isNull();
    }

    /** "aggregate maintains datetime precision". */
    @Test
    void aFirstOfATimestampKeepsItsMicroseconds() {
        Row post = post("title");
        Instant created = Instant.parse("2026-01-02T03:04:05.123456Z");
        ashlar.update(comment(post, "title"), Map.of("created_at", created));

        assertThat(loaded(post, "latest_comment_created_at").get("latest_comment_created_at")).isEqualTo(created);
    }

    /** "can't define multidimensional array aggregate types": a first of an array attribute, which Ashlar reads. */
    @Test
    void aFirstOfAnArrayAttributeThroughAToOneRelationshipIsTheList() {
        Row author = ashlar.create("author", Map.of("first_name", "ann", "badges", List.of("gold", "silver")));
        Row post = post("title");
        ashlar.update(post, Map.of("author_id", author.get("id")));

        assertThat(loaded(post, "author_badges").get("author_badges")).isEqualTo(List.of("gold", "silver"));
    }

    /** "can sum count aggregates": {@code Ash.sum!(Post, :count_of_comments) == 2}. */
    @Test
    void theSumOfACountAggregateOverEveryRecordAddsEachRecordsCount() {
        comment(post("one"), "match");
        comment(post("two"), "match");
        post("none");

        // As Ash's Decimal: PostgreSQL sums a bigint as a numeric.
        assertThat(ashlar.read("post").sum("count_of_comments")).isEqualTo(new BigDecimal("2"));
    }

    /** "aggregates with parent expressions in their filters are not grouped". */
    @Test
    void anAggregateWhoseFilterNamesTheParentCountsOnlyTheMatchingRecords() {
        Row post = post("title");
        comment(post, "title");
        comment(post, "something else");

        Row read = loaded(post, "count_of_comments", "count_of_comments_with_same_name");
        assertThat(read.get("count_of_comments")).isEqualTo(2L);
        assertThat(read.get("count_of_comments_with_same_name")).isEqualTo(1L);
    }

    /** "aggregate with parent filter and limited select": the parent's column is read though not selected. */
    @Test
    void aSelectAndALimitKeepTheColumnsAnAggregatesParentFilterReads() {
        Row post = post("chat");
        Row seen = comment(post, "old");
        comment(post, "new");
        ashlar.update(post, Map.of("last_seen_id", seen.get("id")));

        List<Row> rows = ashlar.read("post").select("id").limit(10).load("unseen_comments").list();

        assertThat(rows).singleElement().satisfies(row -> assertThat(row.get("unseen_comments")).isEqualTo(1L));
    }

    /** "related aggregates can be filtered on". */
    @Test
    void aCommentIsFilteredByItsPostsAggregate() {
        comment(post("one"), "match");
        Row two = post("two");
        comment(two, "non_match");
        comment(two, "non_match2");

        assertThat(ashlar.read("comment").where(eq("post.count_of_comments", 1)).list())
                .extracting(c -> c.getString("title")).containsExactly("match");
    }

    /** "returns nil values if include_nil? is set to true". */
    @Test
    void aListWithNilsHoldsThemWhereTheOrderPutsThem() {
        Row post = post("title");
        comment(post, "bbb");
        comment(post, null);
        comment(post, "aaa");

        assertThat(loaded(post, "comment_titles_with_nils").get("comment_titles_with_nils"))
                .isEqualTo(Arrays.asList("aaa", "bbb", null));
    }

    /** "it can be sorted on and produces the appropriate order". */
    @Test
    void postsSortedByTheirLastCommentDescendingComeInThatOrder() {
        Row one = post("one");
        comment(one, "b");
        comment(one, "c");
        Row two = post("two");
        comment(two, "a");
        comment(two, "b");
        Row three = post("three");
        comment(three, "c");
        comment(three, "d");

        assertThat(ashlar.read("post").load("last_comment").sort(Sort.desc("last_comment"))
                .where(exists("comments", notNil("title"))).limit(2).list())
                .extracting(p -> p.get("last_comment")).containsExactly("d", "c");
    }

    /** "nested filtered aggregates show the proper values". */
    @Test
    void aCountOverCommentsRatingsWithAFilterCountsTheMatchingRatingsOnly() {
        Row post = post("title");
        ashlar.create("rating", Map.of("score", 20, "comment_id", comment(post, "match").get("id")));
        ashlar.create("rating", Map.of("score", 1, "comment_id", comment(post, "match").get("id")));

        Row read = loaded(post, "count_of_comment_ratings", "count_of_popular_comment_ratings");
        assertThat(read.get("count_of_comment_ratings")).isEqualTo(2L);
        assertThat(read.get("count_of_popular_comment_ratings")).isEqualTo(1L);
    }

    /** "a count with a limit and a filter can be aggregated at the query level": the count is of the page. */
    @Test
    void aCountOfAReadWithALimitCountsTheRowsTheReadGives() {
        post("foo");
        post("foo");

        assertThat(ashlar.read("post").where(eq("title", "foo")).limit(1).count()).isEqualTo(1);
    }

    /** "exists aggregates can be referenced in nested filters" and "... used at the query level". */
    @Test
    void anExistsAggregateFiltersThroughAPathAndAtTheQueryLevel() {
        Row post = post("title");
        post("title2");
        assertThat(ashlar.read("post").where(eq("has_comment_called_match", true)).exists()).isFalse();
        comment(post, "match");

        assertThat(ashlar.read("comment").where(eq("post.has_comment_called_match", true)).list()).hasSize(1);
        assertThat(ashlar.read("post").where(eq("has_comment_called_match", true)).exists()).isTrue();
        assertThat(ashlar.read("post").where(eq("title", "non-match")).exists()).isFalse();
    }

    /** "a count aggregate with a related filter returns the proper value". */
    @Test
    void aCountWhoseFilterFollowsAToOnePathCountsTheRecordsThatHaveIt() {
        Row post = post("title");
        for (int i = 0; i < 3; i++) {
            comment(post, "match");
        }

        assertThat(loaded(post, "count_of_comments_that_have_a_post").get("count_of_comments_that_have_a_post"))
                .isEqualTo(3L);
    }

    /** "aggregate with sort by aggregate value and limit is accurate". */
    @Test
    void aSortByACountWithALimitGivesTheRecordsWithTheMost() {
        Row three = post("three");
        Row one = post("one");
        Row two = post("two");
        for (Row post : List.of(three, three, three, one, two, two)) {
            comment(post, "c");
        }

        assertThat(ashlar.read("post").load("count_of_comments").sort(Sort.desc("count_of_comments")).limit(2).list())
                .extracting(p -> p.get("count_of_comments")).containsExactly(3L, 2L);
    }
}
