package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Aggregate.Kind;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.enumOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * AshPostgres's {@code aggregate_test}, case by case, over resources shaped as its test resources are (the README's
 * "AshPostgres mapping" names the tests elsewhere that restate the others). Each test names the cases it follows.
 */
class AshPostgresSuiteAggregateTest extends DomainDatabaseTest {
    /** Ash's {@code ago(10, :day)}: read at each statement, as Ash's expression is, not bound when declared. */
    private static final Filter RECENT = Filter.sql("created_at > now() - interval '10 days'");

    static final Domain DOMAIN = Domain.builder("ash_suite_aggregates")
            .resource(Resource.builder("organization").table("organizations")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post")
                    .count("no_cast_open_posts_count", "posts", eq("status_enum", "open"))
                    .build())
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post")
                    .count("count_of_posts_with_better_comment", "posts.comments", gt("likes", ref("post.score")))
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .attribute("category", TEXT)
                    .attribute("status_enum", enumOf("open", "closed"))
                    .belongsTo("author", "author")
                    .belongsTo("organization", "organization")
                    .hasMany("comments", "comment")
                    .hasMany("popular_comments", "comment", r -> r.filter(gt("likes", 10)))
                    .hasMany("posts_with_matching_title", "post", r -> r.noAttributes()
                            .filter(and(eq("title", parent("title")), ne("id", parent("id")))))
                    .manyToMany("linked_posts", "post", r -> r.through("post_link")
                            .sourceAttributeOnJoin("source_id").destinationAttributeOnJoin("dest_id"))
                    .count("count_of_comments", "comments")
                    .count("count_of_linked_posts", "linked_posts")
                    .count("count_of_comments_called_match", "comments", eq("title", "match"))
                    .exists("has_comment_called_match", "comments", eq("title", "match"))
                    .count("count_of_comments_matching_org_name", "posts_with_matching_title.comments",
                            eq("title", parent("organization.name")))
                    .list("comment_titles", "comments", "title", Sort.asc("title"))
                    .list("uniq_comment_titles", "comments", "title", Sort.asc("title"))
                    .aggregate("uniq_comment_titles", Aggregate::withUniq)
                    .aggregate(Aggregate.of("count_comment_titles", Kind.COUNT, "comments", "title"))
                    .countDistinct("count_uniq_comment_titles", "comments", "title")
                    .first("first_comment", "comments", "title", Sort.asc("title"))
                    .first("first_comment_nils_first", "comments", "title", Sort.asc("title").nullsFirst())
                    .first("first_comment_nils_first_called_stuff", "comments", "title",
                            Sort.asc("title").nullsFirst())
                    .aggregate("first_comment_nils_first_called_stuff", a -> a.withFilter(eq("title", "stuff")))
                    .first("first_comment_nils_first_include_nil", "comments", "title",
                            Sort.asc("title").nullsFirst())
                    .aggregate("first_comment_nils_first_include_nil", Aggregate::withIncludeNil)
                    .first("last_comment", "comments", "title", Sort.desc("title"))
                    .first("author_first_name", "author", "name")
                    .calculate("author_first_name_calc", String.class, "author_first_name")
                    .sum("sum_of_comment_likes", "comments", "likes")
                    .sum("sum_of_comment_likes_with_default", "comments", "likes")
                    .aggregate("sum_of_comment_likes_with_default", a -> a.withDefault(0))
                    .sum("sum_of_comment_likes_called_match", "comments", "likes", eq("title", "match"))
                    .count("count_of_comment_ratings", "comments.ratings")
                    .count("count_of_popular_comment_ratings", "comments.ratings", gt("score", 10))
                    .max("highest_comment_rating", "comments.ratings", "score")
                    .min("lowest_comment_rating", "comments.ratings", "score")
                    .avg("avg_comment_rating", "comments.ratings", "score")
                    .first("highest_rating", "comments.ratings", "score", Sort.desc("score"))
                    .sum("sum_of_popular_comment_rating_scores", "comments.ratings", "score", gt("score", 5))
                    .sum("sum_of_popular_comment_rating_scores_2", "comments.popular_ratings", "score")
                    .sum("sum_of_odd_comment_rating_scores", "comments.ratings", "score",
                            Filter.sql("score % 2 = 1"))
                    .sum("sum_of_recent_popular_comment_likes", "popular_comments", "likes",
                            and(RECENT, notNil("post_category")))
                    .count("count_of_recent_popular_comments", "popular_comments", and(RECENT, notNil("post_category")))
                    .count("count_of_comments_that_have_a_post_with_exists", "comments", exists("post", notNil("id")))
                    .count("count_of_popular_comments", "comments", notNil("popular_ratings.id"))
                    .count("count_of_comments_with_ratings", "comments", notNil("latest_rating_score"))
                    .count("count_of_comments_with_high_ratings", "comments", gt("latest_rating_score", 5))
                    .build())
            .resource(Resource.builder("post_link").table("post_links")
                    .belongsTo("source", "post", r -> r.primaryKey().allowNil(false))
                    .belongsTo("dest", "post", r -> r.primaryKey().allowNil(false))
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("likes", INTEGER)
                    .attribute("created_at", TIMESTAMPTZ, a -> a.defaultSql("now()"))
                    .belongsTo("post", "post")
                    .hasMany("ratings", "rating")
                    .hasMany("popular_ratings", "rating", r -> r.filter(gt("score", 5)))
                    .first("post_category", "post", "category")
                    .first("latest_rating_score", "ratings", "score", Sort.desc("score"))
                    .build())
            .resource(Resource.builder("rating").table("ratings")
                    .integerPrimaryKey("id")
                    .attribute("score", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .resource(Resource.builder("club").table("standup_clubs")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("comedians", "comedian")
                    .hasMany("jokes", "joke")
                    .count("punchline_count", "jokes.punchlines")
                    .build())
            .resource(Resource.builder("comedian").table("comedians")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .belongsTo("club", "club")
                    .hasMany("jokes", "joke")
                    .count("punchline_count", "jokes.punchlines")
                    .build())
            .resource(Resource.builder("joke").table("jokes")
                    .integerPrimaryKey("id")
                    .attribute("text", TEXT)
                    .belongsTo("comedian", "comedian")
                    .belongsTo("club", "club")
                    .hasMany("punchlines", "punchline")
                    .count("punchline_count", "punchlines")
                    .build())
            .resource(Resource.builder("punchline").table("punchlines")
                    .integerPrimaryKey("id")
                    .belongsTo("joke", "joke")
                    .build())
            .build();

    AshPostgresSuiteAggregateTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE punchlines, jokes, comedians, standup_clubs, ratings, comments, post_links, posts, "
                + "authors, organizations RESTART IDENTITY CASCADE");
    }

    private Row post(String title) {
        return ashlar.create("post", Map.of("title", title));
    }

    private Row comment(Row post, String title, Integer likes) {
        Map<String, Object> values = new HashMap<>();
        values.put("post_id", post.get("id"));
        values.put("title", title);
        values.put("likes", likes);
        return ashlar.create("comment", values);
    }

    private Row comment(Row post, String title) {
        return comment(post, title, null);
    }

    private void rating(Row comment, int score) {
        ashlar.create("rating", Map.of("score", score, "comment_id", comment.get("id")));
    }

    private Object loaded(Row post, String aggregate) {
        return ashlar.read("post").where(eq("id", post.get("id"))).load(aggregate).one().orElseThrow().get(aggregate);
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

    /** count: "with no related data it returns 0", "with data and a filter, it returns the count". */
    @Test
    void aCountIsZeroWithoutCommentsAndItsFilterLeavesOutTheOthers() {
        Row post = post("title");
        assertThat(loaded(post, "count_of_comments")).isEqualTo(0L);
        assertThat(loaded(post, "count_of_comments_called_match")).isEqualTo(0L);

        comment(post, "match");
        assertThat(loaded(post, "count_of_comments_called_match")).isEqualTo(1L);
        comment(post, "not_match");
        assertThat(loaded(post, "count_of_comments_called_match")).isEqualTo(1L);
        assertThat(loaded(post, "count_of_comments")).isEqualTo(2L);
    }

    /** count: "with data for a many_to_many, it returns the count", filtered and sorted by it. */
    @Test
    void aCountOverAManyToManyFiltersAndSortsThePostsThatLinkOthers() {
        Row post = post("title");
        Row post2 = post("title2");
        Row post3 = post("title3");
        ashlar.create("post_link", Map.of("source_id", post.get("id"), "dest_id", post2.get("id")));
        ashlar.create("post_link", Map.of("source_id", post.get("id"), "dest_id", post3.get("id")));
        ashlar.create("post_link", Map.of("source_id", post2.get("id"), "dest_id", post3.get("id")));

        assertThat(ashlar.read("post").load("count_of_linked_posts").where(gte("count_of_linked_posts", 1))
                .sort(Sort.desc("count_of_linked_posts")).list())
                .extracting(r -> r.get("title"), r -> r.get("count_of_linked_posts"))
                .containsExactly(tuple("title", 2L), tuple("title2", 1L));
    }

    /** exists: "with data and a filter...", "... can be referenced in filters", "... used at the query level". */
    @Test
    void anExistsAggregateIsFalseUntilAMatchingCommentAndFiltersPosts() {
        Row post = post("title");
        post("title2");
        comment(post, "non-match");
        assertThat(loaded(post, "has_comment_called_match")).isEqualTo(false);
        assertThat(ashlar.read("post").where(eq("has_comment_called_match", true)).exists()).isFalse();

        comment(post, "match");
        comment(post, "match");
        assertThat(loaded(post, "has_comment_called_match")).isEqualTo(true);
        assertThat(ashlar.read("post").where(eq("has_comment_called_match", true)).load("has_comment_called_match")
                .list()).extracting(r -> r.get("title"), r -> r.get("has_comment_called_match"))
                .containsExactly(tuple("title", true));
        assertThat(ashlar.read("post").exists()).isTrue();
        assertThat(ashlar.read("post").where(eq("title", "non-match")).exists()).isFalse();
    }

    /** list: "with no related data it returns an empty list", "does not return nil values", "... the value". */
    @Test
    void aListIsEmptyWithoutCommentsAndHoldsTheTitlesInOrderWithoutNulls() {
        Row post = post("title");
        assertThat(loaded(post, "comment_titles")).isEqualTo(List.of());

        comment(post, "bbb");
        comment(post, null);
        comment(post, "ccc");
        assertThat(loaded(post, "comment_titles")).isEqualTo(List.of("bbb", "ccc"));
        comment(post, "aaa");
        assertThat(loaded(post, "comment_titles")).isEqualTo(List.of("aaa", "bbb", "ccc"));
    }

    /** list: "with related data, it returns the uniq", with a count of the titles and of the different ones. */
    @Test
    void aUniqListHoldsEachTitleOnceAndTheCountsOfTitlesAndOfDifferentTitles() {
        Row post = post("title");
        comment(post, "aaa");
        comment(post, "aaa");
        assertThat(loaded(post, "uniq_comment_titles")).isEqualTo(List.of("aaa"));

        comment(post, "bbb");
        comment(post, null);
        assertThat(loaded(post, "uniq_comment_titles")).isEqualTo(List.of("aaa", "bbb"));
        Row counts = ashlar.read("post").load("count_comment_titles").load("count_uniq_comment_titles").one()
                .orElseThrow();
        assertThat(counts.get("count_comment_titles")).isEqualTo(3L);
        assertThat(counts.get("count_uniq_comment_titles")).isEqualTo(2L);
    }

    /** first: "with no related data it returns nil", "with related data, it returns the value". */
    @Test
    void aFirstIsNullWithoutCommentsThenTheFirstTitleInItsOrder() {
        Row post = post("title");
        assertThat(loaded(post, "first_comment")).isNull();

        comment(post, "match");
        assertThat(loaded(post, "first_comment")).isEqualTo("match");
        comment(post, "early match");
        assertThat(loaded(post, "first_comment")).isEqualTo("early match");
    }

    /**
     * first: "it does not return nil values by default", "... when filtered", and "it returns nil values when
     * include_nil? is true" (whose asserted value, {@code "match"}, Ash reads from an order that puts the null last;
     * here nulls sort first, so the null record's value is the first).
     */
    @Test
    void aFirstSortedNullsFirstSkipsNullTitlesUnlessItIncludesThem() {
        Row post = post("title");
        comment(post, null);
        comment(post, "match");
        comment(post, "stuff");

        assertThat(loaded(post, "first_comment_nils_first")).isEqualTo("match");
        assertThat(loaded(post, "first_comment_nils_first_called_stuff")).isEqualTo("stuff");
        assertThat(loaded(post, "first_comment_nils_first_include_nil")).isNull();
    }

    /** first: "it can be sorted on", "first aggregates can be sorted on" (through a belongsTo). */
    @Test
    void postsSortByTheirFirstCommentAndByTheirAuthorsName() {
        Row post = post("title");
        comment(post, "match");
        Row post2 = post("title");
        comment(post2, "zed");
        Row author = ashlar.create("author", Map.of("name", "first name"));
        ashlar.update(post2, Map.of("author_id", author.get("id")));

        assertThat(ashlar.read("post").sort(Sort.asc("first_comment")).limit(1).one().orElseThrow().get("id"))
                .isEqualTo(post.get("id"));
        assertThat(ashlar.read("post").load("author_first_name").sort(Sort.asc("author_first_name")).list())
                .extracting(r -> r.get("id"), r -> r.get("author_first_name"))
                .containsExactly(tuple(post2.get("id"), "first name"), tuple(post.get("id"), null));
    }

    /** sum: "with no related data it returns nil", "... and a default it returns the default", "... the sum". */
    @Test
    void aSumIsNullOrItsDefaultWithoutCommentsThenTheTotalOfTheLikes() {
        Row post = post("title");
        assertThat(loaded(post, "sum_of_comment_likes")).isNull();
        assertThat(loaded(post, "sum_of_comment_likes_with_default")).isEqualTo(0L);

        comment(post, "match", 2);
        assertThat(loaded(post, "sum_of_comment_likes")).isEqualTo(2L);
        comment(post, "match", 3);
        comment(post, "no likes");
        assertThat(loaded(post, "sum_of_comment_likes")).isEqualTo(5L);
        assertThat(loaded(post, "sum_of_comment_likes_with_default")).isEqualTo(5L);
    }

    /** sum: "with data and a filter, it returns the sum", "the sum can be filtered on when paginating". */
    @Test
    void aFilteredSumAddsTheMatchingLikesAndAPageFiltersOnIt() {
        Row post = post("title");
        comment(post, "match", 2);
        assertThat(loaded(post, "sum_of_comment_likes_called_match")).isEqualTo(2L);
        comment(post, "not_match", 3);
        assertThat(loaded(post, "sum_of_comment_likes_called_match")).isEqualTo(2L);

        Page<Row> page = ashlar.read("post").where(eq("sum_of_comment_likes_called_match", 2))
                .load("sum_of_comment_likes_called_match").limit(1).offset(0).page();
        assertThat(page.rows()).extracting(r -> r.get("sum_of_comment_likes_called_match")).containsExactly(2L);
        assertThat(page.total()).isEqualTo(1L);
        Page<Row> none = ashlar.read("post").where(eq("sum_of_comment_likes_called_match", 3)).limit(1).page();
        assertThat(none.rows()).isEmpty();
        assertThat(none.total()).isZero();
    }

    /**
     * sum: "nested aggregates show the proper values", "nested first aggregate works", "loading a nested aggregate
     * works", "filtering on a nested aggregate works": aggregates of the comments' ratings.
     */
    @Test
    void aggregatesOfTheCommentsRatingsCountBoundAverageAndPickTheHighest() {
        Row post = post("title");
        Row lonely = post("lonely");
        Row comment1 = comment(post, "match", 2);
        Row comment2 = comment(post, "match", 2);
        comment(lonely, "unrated", 2);
        rating(comment1, 5);
        rating(comment2, 10);

        Row row = ashlar.read("post").where(eq("id", post.get("id"))).load("count_of_comment_ratings")
                .load("highest_comment_rating").load("lowest_comment_rating").load("avg_comment_rating")
                .load("highest_rating").one().orElseThrow();
        assertThat(row.get("count_of_comment_ratings")).isEqualTo(2L);
        assertThat(row.get("highest_comment_rating")).isEqualTo(10);
        assertThat(row.get("lowest_comment_rating")).isEqualTo(5);
        assertThat((BigDecimal) row.get("avg_comment_rating")).isEqualByComparingTo("7.5");
        assertThat(row.get("highest_rating")).isEqualTo(10);

        Row unrated = ashlar.read("post").where(eq("id", lonely.get("id"))).load("count_of_comment_ratings")
                .load("avg_comment_rating").load("highest_rating").one().orElseThrow();
        assertThat(unrated.get("count_of_comment_ratings")).isEqualTo(0L);
        assertThat(unrated.get("avg_comment_rating")).isNull();
        assertThat(unrated.get("highest_rating")).isNull();
        assertThat(ashlar.read("post").where(eq("count_of_comment_ratings", 0)).list())
                .extracting(r -> r.get("title")).containsExactly("lonely");
    }

    /** sum: "nested filtered aggregates show the proper values", loaded together and apart. */
    @Test
    void aFilteredCountOfRatingsBesideTheUnfilteredOneCountsEachItsOwn() {
        Row post = post("title");
        rating(comment(post, "match", 2), 20);
        rating(comment(post, "match", 2), 1);

        Row both = ashlar.read("post").load("count_of_comment_ratings").load("count_of_popular_comment_ratings")
                .one().orElseThrow();
        assertThat(both.get("count_of_comment_ratings")).isEqualTo(2L);
        assertThat(both.get("count_of_popular_comment_ratings")).isEqualTo(1L);
        assertThat(loaded(post, "count_of_popular_comment_ratings")).isEqualTo(1L);
    }

    /**
     * "sum aggregates show the same value with filters on the sum vs filters on relationships": five comments rated
     * 3, 5, 7 and 9 each; the ratings above 5 add to 80 whether the sum or the relationship filters them.
     */
    @Test
    void aSumFilteredItselfEqualsASumOverAFilteredRelationship() {
        Row post = post("title");
        for (int i = 1; i <= 5; i++) {
            Row comment = comment(post, "title" + i);
            for (int score : new int[] {3, 5, 7, 9}) {
                rating(comment, score);
            }
        }

        assertThat(loaded(post, "sum_of_popular_comment_rating_scores")).isEqualTo(80L);
        assertThat(loaded(post, "sum_of_popular_comment_rating_scores_2")).isEqualTo(80L);
        assertThat(loaded(post, "sum_of_odd_comment_rating_scores")).isEqualTo(120L);
    }

    /**
     * "an aggregate on relationships with a filter returns the proper value", "a count aggregate on relationships
     * with a filter...": the relationship keeps comments above 10 likes, the aggregate the recent ones of a post
     * with a category (a first of the comment's post, in the aggregate's filter).
     */
    @Test
    void aggregatesOverAFilteredRelationshipAddItsRecentRecordsOnly() {
        Row post = ashlar.create("post", Map.of("title", "title", "category", "foo"));
        comment(post, "match", 20);
        comment(post, "match", 17);
        comment(post, "match", 5);
        Row old = comment(post, "match", 50);
        ashlar.update(old, Map.of("created_at", Instant.now().minus(20, ChronoUnit.DAYS)));

        assertThat(loaded(post, "sum_of_recent_popular_comment_likes")).isEqualTo(37L);
        assertThat(loaded(post, "count_of_recent_popular_comments")).isEqualTo(2L);
        db.execute("UPDATE posts SET category = NULL");
        assertThat(loaded(post, "sum_of_recent_popular_comment_likes")).isNull();
        assertThat(loaded(post, "count_of_recent_popular_comments")).isEqualTo(0L);
    }

    /**
     * "a count aggregate with a related filter that uses exists...", "a count with a filter that references a
     * relationship that also has a filter" and "... combined with another".
     */
    @Test
    void countsWhoseFiltersFollowTheCommentsPostAndTheirFilteredRatings() {
        Row post = ashlar.create("post", Map.of("title", "title", "category", "foo"));
        rating(comment(post, "match"), 10);
        rating(comment(post, "match"), 1);
        comment(post, "match");

        Row row = ashlar.read("post").load("count_of_comments").load("count_of_popular_comments")
                .load("count_of_comments_that_have_a_post_with_exists").one().orElseThrow();
        assertThat(row.get("count_of_comments")).isEqualTo(3L);
        assertThat(row.get("count_of_popular_comments")).isEqualTo(1L);
        assertThat(row.get("count_of_comments_that_have_a_post_with_exists")).isEqualTo(3L);
    }

    /** "multiple aggregates filtering on nested first aggregate": the comments' own first, in two counts' filters. */
    @Test
    void twoCountsFilteredByTheCommentsHighestRatingCountTheirOwn() {
        Row post = post("test");
        rating(comment(post, "comment"), 10);
        rating(comment(post, "low"), 3);
        comment(post, "unrated");
        post("empty");

        assertThat(ashlar.read("post").load("count_of_comments_with_ratings")
                .load("count_of_comments_with_high_ratings").sort(Sort.asc("id")).list())
                .extracting(r -> r.get("count_of_comments_with_ratings"), r -> r.get("count_of_comments_with_high_ratings"))
                .containsExactly(tuple(2L, 1L), tuple(0L, 0L));
    }

    /**
     * Query-level aggregates: "a count with a filter that references a to many relationship can be aggregated at
     * the query level", "a list with a filter...", "a count can filter independently of the query", "multiple
     * aggregates will be grouped up if possible".
     */
    @Test
    void readLevelCountsAndValuesFilterThroughTheCommentsAndTheAuthor() {
        assertThat(ashlar.read("post").where(gt("comments.likes", 10)).count()).isZero();
        assertThat(ashlar.read("post").where(gt("comments.likes", 10)).values("title", String.class)).isEmpty();
        assertThat(ashlar.read("post").where(eq("author.name", "fred")).count()).isZero();

        Row liked = post("liked");
        comment(liked, "a", 20);
        comment(liked, "b", 30);
        comment(post("unliked"), "c", 1);
        Row fred = ashlar.create("author", Map.of("name", "fred"));
        ashlar.update(liked, Map.of("author_id", fred.get("id")));

        assertThat(ashlar.read("post").where(gt("comments.likes", 10)).count()).isEqualTo(1L);
        assertThat(ashlar.read("post").where(lt("comments.likes", 10)).count()).isEqualTo(1L);
        assertThat(ashlar.read("post").where(gt("comments.likes", 10)).values("title", String.class))
                .containsExactly("liked");
        assertThat(ashlar.read("post").where(eq("author.name", "fred")).count()).isEqualTo(1L);
        assertThat(ashlar.read("post").where(eq("author.name", "george")).count()).isZero();
    }

    /** "nested filters on aggregates works": a count over a path whose filter names the post's organization. */
    @Test
    void aCountThroughPostsOfTheSameTitleComparesTheirCommentsWithThePostsOrganization() {
        Row org = ashlar.create("organization", Map.of("name", "match"));
        Row post = ashlar.create("post", Map.of("title", "match", "organization_id", org.get("id")));
        Row post2 = post("match");
        comment(post2, "match");
        comment(post2, "other");

        assertThat(loaded(post, "count_of_comments_matching_org_name")).isEqualTo(1L);
        assertThat(loaded(post2, "count_of_comments_matching_org_name")).isEqualTo(0L);
    }

    /**
     * "loading optimizable first aggregate with relationship filter does not cause binding errors": a filter
     * through the author, a limit, a first through the author and a count through two hops in one read.
     */
    @Test
    void aFirstThroughTheAuthorAndACountOfRatingsLoadUnderAFilterOnTheAuthorAndALimit() {
        Row author = ashlar.create("author", Map.of("name", "John"));
        Row post = ashlar.create("post", Map.of("title", "Test Post", "author_id", author.get("id")));
        rating(comment(post, "Test Comment"), 5);
        post("no author");

        List<Row> rows = ashlar.read("post").where(and(eq("id", post.get("id")), eq("author.name", "John")))
                .limit(1).load("author_first_name").load("count_of_comment_ratings").list();

        assertThat(rows).extracting(r -> r.get("author_first_name"), r -> r.get("count_of_comment_ratings"))
                .containsExactly(tuple("John", 1L));
    }

    /** "aggregate with sort and limit is accurate": the count of each post of the page, sorted by title. */
    @Test
    void aCountOfEachPostOfAPageSortedByTitleIsItsOwn() {
        Row post1 = post("A First Post");
        Row post2 = post("Z Last Post");
        Row post3 = post("M Middle Post");
        comment(post1, "Comment 1");
        comment(post1, "Comment 2");
        comment(post2, "Comment 3");
        comment(post3, "Comment 4");

        assertThat(ashlar.read("post").load("count_of_comments").sort(Sort.asc("title")).limit(2).list())
                .extracting(r -> r.get("title"), r -> r.get("count_of_comments"))
                .containsExactly(tuple("A First Post", 2L), tuple("M Middle Post", 1L));
    }

    /**
     * "page with count and aggregates with relationship-based calculations": a count and a calculation over the
     * author's name load onto a page that also counts every row.
     */
    @Test
    void aPageWithItsTotalLoadsACountAndACalculationThroughTheAuthor() {
        Row author = ashlar.create("author", Map.of("name", "John"));
        Row post = ashlar.create("post", Map.of("title", "Test Post", "author_id", author.get("id")));
        comment(post, "Test Comment");
        post("other");

        Page<Row> page = ashlar.read("post").where(eq("id", post.get("id"))).load("count_of_comments")
                .load("author_first_name_calc").limit(50).offset(0).page();

        assertThat(page.total()).isEqualTo(1L);
        assertThat(page.rows()).extracting(r -> r.get("count_of_comments"), r -> r.get("author_first_name_calc"))
                .containsExactly(tuple(1L, "John"));
    }

    /**
     * "filter and aggregate names do not collide with the same names": clubs whose comedians have a joke with a
     * punchline, each club loading its own count of the same name, over the jokes told at the club.
     */
    @Test
    void clubsFilteredByTheirComediansJokesPunchlineCountLoadTheirOwnCountOfThatName() {
        Row club = ashlar.create("club", Map.of("name", "Studio 54"));
        Row quiet = ashlar.create("club", Map.of("name", "Quiet"));
        Row comedian = ashlar.create("comedian", Map.of("name", "Bill Burr-1", "club_id", club.get("id")));
        ashlar.create("comedian", Map.of("name", "Mute", "club_id", quiet.get("id")));
        Row joke = ashlar.create("joke", Map.of("text", "joke 1", "comedian_id", comedian.get("id")));
        Row clubJoke = ashlar.create("joke", Map.of("text", "club joke", "club_id", club.get("id")));
        for (Row j : List.of(joke, joke, clubJoke, clubJoke, clubJoke)) {
            ashlar.create("punchline", Map.of("joke_id", j.get("id")));
        }

        assertThat(ashlar.read("club").where(exists("comedians.jokes", gt("punchline_count", 0)))
                .load("punchline_count").list())
                .extracting(r -> r.get("name"), r -> r.get("punchline_count"))
                .containsExactly(tuple("Studio 54", 3L));
        assertThat(ashlar.read("comedian").load("punchline_count").sort(Sort.asc("name")).list())
                .extracting(r -> r.get("punchline_count")).containsExactly(2L, 0L);
    }

    /** "count aggregate on no cast enum field": the open posts of each organization, by an enum attribute. */
    @Test
    void aCountFilteredByAnEnumValueCountsEachOrganizationsOpenPosts() {
        Row org = ashlar.create("organization", Map.of("name", "The Org"));
        ashlar.create("organization", Map.of("name", "Empty"));
        for (String status : List.of("open", "open", "closed")) {
            ashlar.create("post", Map.of("title", status, "status_enum", status, "organization_id", org.get("id")));
        }

        assertThat(ashlar.read("organization").load("no_cast_open_posts_count").sort(Sort.asc("id")).list())
                .extracting(r -> r.get("no_cast_open_posts_count")).containsExactly(2L, 0L);
    }
}
