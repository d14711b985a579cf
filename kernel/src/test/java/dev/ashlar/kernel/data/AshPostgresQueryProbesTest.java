package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Probes of AshPostgres's query tests: distinct, sort, select and the expression tests. */
class AshPostgresQueryProbesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ash_query_probes")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .attribute("price", decimal(10, 5))
                    .attribute("tags", arrayOf(TEXT))
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .hasOne("latest_comment", "comment", r -> r.sort(Sort.desc("created_at")))
                    .count("count_of_comments", "comments")
                    .sum("sum_of_likes", "comments", "likes")
                    .first("first_comment_nils_first", "comments", "title", Sort.asc("title").nullsFirst())
                    .first("latest_comment_title_agg", "latest_comment", "title", Sort.asc("id"))
                    .list("comment_titles", "comments", "title", Sort.asc("title"))
                    .calculate("negative_score", Integer.class, "-score")
                    .count("count_of_liked_comments", "comments", gt("top_like", 5))
                    .count("count_of_comments_that_have_a_post", "comments", exists("post"))
                    .sum("sum_of_likes_or_zero", "comments", "likes")
                    .aggregate("sum_of_likes_or_zero", a -> a.withDefault(0))
                    .avg("avg_likes", "comments", "likes")
                    .first("first_stuff", "comments", "title", Sort.asc("title").nullsFirst())
                    .aggregate("first_stuff", a -> a.withFilter(eq("title", "stuff")))
                    .first("author_count_of_posts_agg", "author", "count_of_posts", Sort.asc("id"))
                    .sum("sum_of_author_count_of_posts", "author", "count_of_posts")
                    .calculate("author_posts_times_two", Long.class, "author_count_of_posts_agg * 2")
                    .sum("sum_of_double_likes", "comments", "double_likes")
                    .max("most_liked_likes", "comments", "top_like")
                    .list("top_likes", "comments", "top_like", Sort.desc("top_like"))
                    .aggregate("top_likes", a -> a.withUniq())
                    .first("best_top_like", "comments", "top_like", Sort.desc("top_like").nullsFirst())
                    .calculate("likes_per_comment", BigDecimal.class,
                            "sum_of_likes_or_zero::numeric / nullif(count_of_comments, 0)")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("likes", INTEGER)
                    .attribute("created_at", TIMESTAMPTZ)
                    .belongsTo("post", "post")
                    .hasMany("likes_of", "comment_like")
                    .max("top_like", "likes_of", "amount")
                    .calculate("double_likes", Integer.class, "likes * 2")
                    .build())
            .resource(Resource.builder("comment_like").table("comment_likes")
                    .integerPrimaryKey("id")
                    .attribute("amount", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", TEXT)
                    .hasMany("posts", "post")
                    .first("latest_comment_title_across_posts", "posts.latest_comment", "title", Sort.asc("id"))
                    .count("count_of_posts", "posts")
                    .build())
            .resource(Resource.builder("customer").table("customers")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("orders", "order")
                    .hasMany("purchased_products", "product",
                            r -> r.noAttributes().filter(eq("orders.customer_id", parent("id"))))
                    .build())
            .resource(Resource.builder("product").table("products")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("orders", "order")
                    .build())
            .resource(Resource.builder("order").table("orders")
                    .integerPrimaryKey("id")
                    .belongsTo("customer", "customer")
                    .belongsTo("product", "product")
                    .build())
            .build();

    AshPostgresQueryProbesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE comment_likes, orders, products, customers, comments, posts, authors RESTART IDENTITY CASCADE");
    }

    private Row post(String title, Integer score) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("score", score);
        return ashlar.create("post", values);
    }

    private Row comment(Row post, String title, Integer likes, Instant createdAt) {
        Map<String, Object> values = new HashMap<>();
        values.put("post_id", post.get("id"));
        values.put("title", title);
        values.put("likes", likes);
        values.put("created_at", createdAt);
        return ashlar.create("comment", values);
    }

    private List<Object> titles(List<Row> rows) {
        List<Object> titles = new ArrayList<>();
        rows.forEach(row -> titles.add(row.get("title")));
        return titles;
    }

    @Test
    void aFirstSortedNullsFirstSkipsTheNullsAndGivesTheFirstValue() {
        Row post = post("title", 1);
        comment(post, null, 1, null);
        comment(post, "match", 1, null);
        Row read = ashlar.read("post").load("first_comment_nils_first").one().orElseThrow();
        assertThat(read.get("first_comment_nils_first")).isEqualTo("match");
    }

    @Test
    void aggregatesOverNoRelatedRecordsAreZeroNullAndEmpty() {
        post("title", 1);
        Row read = ashlar.read("post").load("count_of_comments").load("sum_of_likes").load("comment_titles")
                .load("first_comment_nils_first").one().orElseThrow();
        assertThat(read.get("count_of_comments")).isEqualTo(0L);
        assertThat(read.get("sum_of_likes")).isNull();
        assertThat((List<?>) read.get("comment_titles")).isEmpty();
        assertThat(read.get("first_comment_nils_first")).isNull();
    }

    @Test
    void aSortBySumDescendingPutsThePostWithoutCommentsWherePostgresPutsNulls() {
        Row none = post("none", 1);
        Row some = post("some", 1);
        comment(some, "a", 3, null);
        List<Row> desc = ashlar.read("post").sort(Sort.desc("sum_of_likes")).list();
        assertThat(titles(desc)).containsExactly("none", "some");
        List<Row> descNullsLast = ashlar.read("post").sort(Sort.desc("sum_of_likes").nullsLast()).list();
        assertThat(titles(descNullsLast)).containsExactly("some", "none");
        assertThat(none.get("id")).isNotNull();
    }

    @Test
    void aFirstThroughASortedHasOneReadsItsFirstRecord() {
        Row author = ashlar.create("author", Map.of("first_name", "a"));
        Row post = ashlar.create("post", Map.of("title", "post", "author_id", author.get("id")));
        comment(post, "oldest", 1, Instant.parse("2024-01-01T00:00:00Z"));
        comment(post, "newest", 1, Instant.parse("2024-06-01T00:00:00Z"));
        Row read = ashlar.read("post").load("latest_comment").load("latest_comment_title_agg").one().orElseThrow();
        assertThat(read.get("latest_comment_title_agg")).isEqualTo("newest");
        assertThat(read.relatedOne("latest_comment").orElseThrow().get("title")).isEqualTo("newest");
        Row readAuthor = ashlar.read("author").load("latest_comment_title_across_posts").one().orElseThrow();
        assertThat(readAuthor.get("latest_comment_title_across_posts")).isEqualTo("newest");
    }

    @Test
    void aRelationshipWithNoAttributesWhoseFilterFollowsAToManyPathLoadsEachRecordOnce() {
        Row customer = ashlar.create("customer", Map.of("name", "c"));
        Row product = ashlar.create("product", Map.of("name", "p"));
        ashlar.create("order", Map.of("customer_id", customer.get("id"), "product_id", product.get("id")));
        ashlar.create("order", Map.of("customer_id", customer.get("id"), "product_id", product.get("id")));
        Row read = ashlar.read("customer").load("purchased_products", p -> p.sort(Sort.asc("id"))).one().orElseThrow();
        assertThat(read.related("purchased_products")).hasSize(1);
    }

    @Test
    void distinctWithADistinctSortAndASortByACalculation() {
        post("title", 1);
        post("title", 1);
        post("foo", 2);
        post("foo", 2);
        post("a", 2);
        post("a", 1);
        List<Row> rows = ashlar.read("post").distinct("negative_score").distinctSort(Sort.desc("title"))
                .sort(Sort.asc("negative_score")).load("negative_score").list();
        assertThat(titles(rows)).containsExactly("foo", "title");
        List<Row> limited = ashlar.read("post").distinct("title").sort(Sort.desc("id")).limit(1).list();
        assertThat(limited).hasSize(1);
    }

    @Test
    void aQueryLevelSumOfACountAddsEachRecordsCountUnderALimitAndSort() {
        Row a = post("a", 1);
        Row b = post("b", 1);
        post("c", 1);
        comment(a, "x", 1, null);
        comment(a, "y", 1, null);
        comment(b, "z", 1, null);
        Number sum = ashlar.read("post").sort(Sort.desc("count_of_comments")).limit(2).sum("count_of_comments");
        assertThat(new BigDecimal(sum.toString())).isEqualByComparingTo("3");
    }

    @Test
    void theExpressionCasesReadThroughCalculationsAndSqlFilters() {
        Row p = ashlar.create("post", Map.of("title", "a", "price", new BigDecimal("-2.50"), "tags", List.of()));
        Row rounded = ashlar.read("post").where(eq("id", p.get("id")))
                .calculate("rounded", BigDecimal.class, "round(price)")
                .calculate("rounded2", BigDecimal.class, "round(price, 2)")
                .calculate("len", Integer.class, "cardinality(tags)")
                .one().orElseThrow();
        assertThat((BigDecimal) rounded.get("rounded")).isEqualByComparingTo("-3");
        assertThat(rounded.get("len")).isEqualTo(0);
        assertThat(ashlar.read("post").where(sql("cardinality(tags) = ?", 0)).count()).isEqualTo(1);
    }

    @Test
    void aFilterAgainstNowLessADurationBindsTheDuration() {
        ashlar.create("post", Map.of("title", "old", "created_at", Instant.now().minus(Duration.ofDays(60))));
        ashlar.create("post", Map.of("title", "recent", "created_at", Instant.now()));
        List<Row> rows = ashlar.read("post").where(sql("created_at > now() - ?", Duration.ofDays(30))).list();
        assertThat(titles(rows)).containsExactly("recent");
        List<Row> months = ashlar.read("post")
                .where(sql("created_at > now() - ?::interval", "1 month 2 days")).list();
        assertThat(titles(months)).containsExactly("recent");
    }

    @Test
    void aSelectLeavesTheOtherFieldsNull() {
        post("title", 1);
        Row row = ashlar.read("post").select("id").one().orElseThrow();
        assertThat(row.fields()).containsExactly("id");
    }

    @Test
    void aLoadOfCommentsWithSortSelectAndLimitBesideACount() {
        Row a = post("aaa", 0);
        post("aaa", 1);
        post("bbb", 0);
        comment(a, "bbb", 1, null);
        comment(a, "aaa", 2, null);
        comment(a, "aaa", 1, null);
        List<Row> rows = ashlar.read("post").load("count_of_comments")
                .load("comments", c -> c.sort(Sort.asc("title"), Sort.asc("likes")).select("title", "likes").limit(1))
                .sort(Sort.asc("title"), Sort.asc("score")).list();
        assertThat(titles(rows)).containsExactly("aaa", "aaa", "bbb");
        assertThat(rows.get(0).related("comments")).hasSize(1);
        assertThat(rows.get(0).related("comments").get(0).get("likes")).isEqualTo(1);
    }

    @Test
    void anAggregateFilterNamingTheDestinationsOwnAggregateCountsTheMatchingRecords() {
        Row post = post("p", 1);
        Row high = comment(post, "high", 1, null);
        Row low = comment(post, "low", 1, null);
        comment(post, "none", 1, null);
        ashlar.create("comment_like", Map.of("comment_id", high.get("id"), "amount", 10));
        ashlar.create("comment_like", Map.of("comment_id", low.get("id"), "amount", 2));
        Row read = ashlar.read("post").load("count_of_liked_comments").load("count_of_comments_that_have_a_post")
                .one().orElseThrow();
        assertThat(read.get("count_of_liked_comments")).isEqualTo(1L);
        assertThat(read.get("count_of_comments_that_have_a_post")).isEqualTo(3L);
        assertThat(ashlar.read("post").where(eq("count_of_liked_comments", 1L)).count()).isEqualTo(1);
        assertThat(ashlar.read("post").sort(Sort.desc("count_of_liked_comments")).limit(1).list()).hasSize(1);
    }

    @Test
    void defaultsAveragesFilteredFirstsAndCalculationsOverThemWithAndWithoutComments() {
        Row empty = post("empty", 1);
        Row busy = post("busy", 1);
        comment(busy, null, 5, null);
        comment(busy, "stuff", 10, null);
        Row emptyRead = ashlar.read("post").where(eq("id", empty.get("id"))).load("sum_of_likes_or_zero")
                .load("avg_likes").load("first_stuff").load("likes_per_comment").one().orElseThrow();
        assertThat(emptyRead.get("sum_of_likes_or_zero")).isEqualTo(0L);
        assertThat(emptyRead.get("avg_likes")).isNull();
        assertThat(emptyRead.get("first_stuff")).isNull();
        assertThat(emptyRead.get("likes_per_comment")).isNull();
        Row busyRead = ashlar.read("post").where(eq("id", busy.get("id"))).load("sum_of_likes_or_zero")
                .load("avg_likes").load("first_stuff").load("likes_per_comment").one().orElseThrow();
        assertThat((BigDecimal) busyRead.get("avg_likes")).isEqualByComparingTo("7.5");
        assertThat(busyRead.get("first_stuff")).isEqualTo("stuff");
        assertThat((BigDecimal) busyRead.get("likes_per_comment")).isEqualByComparingTo("7.5");
        assertThat(titles(ashlar.read("post").where(eq("sum_of_likes_or_zero", 0)).list())).containsExactly("empty");
        assertThat(titles(ashlar.read("post").where(isNil("avg_likes")).list())).containsExactly("empty");
        assertThat(titles(ashlar.read("post").sort(Sort.asc("likes_per_comment").nullsFirst()).list()))
                .containsExactly("empty", "busy");
        assertThat(titles(ashlar.read("post").sort(Sort.asc("likes_per_comment")).list()))
                .containsExactly("busy", "empty");
    }

    @Test
    void distinctWithAFilterThroughAToOnePathAndASortByACalculationFindsNothingWithoutAuthors() {
        post("a", 2);
        post("a", 1);
        assertThat(ashlar.read("post").distinct("negative_score").where(eq("author.first_name", "a"))
                .sort(Sort.asc("negative_score")).list()).isEmpty();
    }

    /** combination_test, "combination with filters not included in the field set": a filter over the combined rows. */
    @Test
    void aFilterOnACombinationKeepsTheCombinedRowsThatMatchByAttributeAggregateRelationshipAndCalculation() {
        Row first = post("post1", 10);
        post("post2", 10);
        post("post3", 20);
        comment(first, "x", 1, null);
        var combined = ashlar.read("post").where(eq("score", 10)).unionAll(ashlar.read("post").where(eq("score", 20)));

        assertThat(titles(combined.where(eq("title", "post1")).list())).containsExactly("post1");
        assertThat(titles(combined.where(gt("count_of_comments", 0L)).list())).containsExactly("post1");
        assertThat(titles(combined.where(exists("comments")).list())).containsExactly("post1");
        assertThat(titles(combined.where(eq("negative_score", -20)).list())).containsExactly("post3");
        assertThat(titles(combined.where(gt("score", 5)).where(lt("score", 15)).sort(Sort.desc("title")).limit(1)
                .list())).containsExactly("post2");
    }

    /** complex_calculations_test: aggregates and calculations over an aggregate of a belongsTo destination. */
    @Test
    void aggregatesAndCalculationsOverTheAuthorsCountOfPostsLoadFilterAndSort() {
        Row author = ashlar.create("author", Map.of("first_name", "is"));
        ashlar.create("post", Map.of("title", "match", "author_id", author.get("id")));
        post("orphan", 1);
        List<Row> rows = ashlar.read("post").load("author_count_of_posts_agg").load("sum_of_author_count_of_posts")
                .load("author_posts_times_two").sort(Sort.asc("title")).list();
        assertThat(rows.get(0).get("author_count_of_posts_agg")).isEqualTo(1L);
        assertThat((BigDecimal) rows.get(0).get("sum_of_author_count_of_posts")).isEqualByComparingTo("1");
        assertThat(rows.get(0).get("author_posts_times_two")).isEqualTo(2L);
        assertThat(rows.get(1).get("author_count_of_posts_agg")).isNull();
        assertThat(rows.get(1).get("sum_of_author_count_of_posts")).isNull();
        assertThat(titles(ashlar.read("post").where(eq("author_count_of_posts_agg", 1L)).list()))
                .containsExactly("match");
        assertThat(titles(ashlar.read("post").where(eq("sum_of_author_count_of_posts", 1)).list()))
                .containsExactly("match");
        assertThat(titles(ashlar.read("post").sort(Sort.desc("author_posts_times_two").nullsLast()).list()))
                .containsExactly("match", "orphan");
    }

    /** aggregate_test, "nested sum aggregates": sums, maxima, lists and firsts of the comments' own derived fields. */
    @Test
    void aggregatesOverTheCommentsCalculationAndAggregateSkipNullsAndKeepTheirOrder() {
        Row post = post("p", 1);
        Row high = comment(post, "high", 3, null);
        Row low = comment(post, "low", 4, null);
        comment(post, "none", null, null);
        ashlar.create("comment_like", Map.of("comment_id", high.get("id"), "amount", 10));
        ashlar.create("comment_like", Map.of("comment_id", low.get("id"), "amount", 2));
        ashlar.create("comment_like", Map.of("comment_id", low.get("id"), "amount", 10));
        post("empty", 1);
        List<Row> rows = ashlar.read("post").load("sum_of_double_likes").load("most_liked_likes").load("top_likes")
                .load("best_top_like").sort(Sort.asc("title")).list();
        assertThat(titles(rows)).containsExactly("empty", "p");
        assertThat(rows.get(1).get("sum_of_double_likes")).isEqualTo(14L);
        assertThat(rows.get(1).get("most_liked_likes")).isEqualTo(10);
        assertThat(rows.get(1).get("top_likes")).isEqualTo(List.of(10));
        assertThat(rows.get(1).get("best_top_like")).isEqualTo(10);
        assertThat(rows.get(0).get("sum_of_double_likes")).isNull();
        assertThat((List<?>) rows.get(0).get("top_likes")).isEmpty();
        assertThat(titles(ashlar.read("post").where(gt("sum_of_double_likes", 10)).list())).containsExactly("p");
        assertThat(titles(ashlar.read("post").sort(Sort.desc("most_liked_likes").nullsLast()).list()))
                .containsExactly("p", "empty");
    }

    @Test
    void anAggregateOverAggregatesThatLeadBackToItOrOverAMissingFieldIsRefusedNamingIt() {
        var circle = Domain.builder("circle")
                .resource(Resource.builder("post").integerPrimaryKey("id").belongsTo("author", "author")
                        .first("authors_total", "author", "total", Sort.asc("id")).build())
                .resource(Resource.builder("author").integerPrimaryKey("id").hasMany("posts", "post")
                        .sum("total", "posts", "authors_total").build());
        assertThatThrownBy(circle::build).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'authors_total': the first aggregate takes author's aggregate 'total', which "
                        + "aggregates over aggregates that lead back to it");
        var missing = Domain.builder("missing")
                .resource(Resource.builder("post").integerPrimaryKey("id").belongsTo("author", "author")
                        .sum("nope", "author", "no_such_field").build())
                .resource(Resource.builder("author").integerPrimaryKey("id").build());
        assertThatThrownBy(missing::build).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'nope': the sum aggregate takes attribute 'no_such_field', which author does "
                        + "not have; name one of [id], or one of its aggregates or calculations");
    }
}
