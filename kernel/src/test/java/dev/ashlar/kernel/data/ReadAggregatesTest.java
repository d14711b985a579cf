package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Aggregate.Kind;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Aggregates a read gives rather than the resource declares (Ash's {@code Ash.Query.aggregate}, AshPostgres's
 * {@code aggregate_test.exs} "with data and a custom aggregate, it returns the count").
 */
class ReadAggregatesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("read_aggregates")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .aggregate(Aggregate.of("count_of_titles", Kind.COUNT, "comments", "title"))
                    .first("first_comment_nils_first", "comments", "title", Sort.asc("title").nullsFirst())
                    .first("first_called_stuff", "comments", "title", Sort.asc("title").nullsFirst())
                    .aggregate("first_called_stuff", a -> a.withFilter(eq("title", "stuff")))
                    .first("first_or_nil", "comments", "title", Sort.asc("title").nullsFirst())
                    .aggregate("first_or_nil", a -> a.withIncludeNil())
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("likes", INTEGER)
                    .belongsTo("post", "post")
                    .hasMany("ratings", "rating")
                    .build())
            .resource(Resource.builder("rating").table("ratings")
                    .integerPrimaryKey("id")
                    .attribute("score", INTEGER)
                    .belongsTo("comment", "comment")
                    .build())
            .build();

    static final Aggregate TITLED = Aggregate.of("custom_count_of_comments", Kind.COUNT, "comments")
            .withFilter(notNil("title"));

    ReadAggregatesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        ashlar.sql("TRUNCATE ratings, comments, posts RESTART IDENTITY").execute();
    }

    private Row post(String title) {
        return ashlar.create("post", Map.of("title", title));
    }

    private Row comment(Row post, String title, Integer likes) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("likes", likes);
        values.put("post_id", post.get("id"));
        return ashlar.create("comment", values);
    }

    @Test
    void aCountGivenByTheReadCountsTheRelatedRecordsItsFilterKeeps() {
        Row post = post("title");
        comment(post, "match", null);
        comment(post, null, null);

        assertThat(ashlar.read("post").where(eq("id", post.get("id"))).aggregate(TITLED).one().orElseThrow()
                .get("custom_count_of_comments")).isEqualTo(1L);

        comment(post, "match", null);
        assertThat(ashlar.read("post").where(eq("id", post.get("id"))).aggregate(TITLED).one().orElseThrow()
                .get("custom_count_of_comments")).isEqualTo(2L);
    }

    @Test
    void theReadsFilterAndSortNameItsOwnAggregate() {
        Row one = post("one");
        Row two = post("two");
        post("none");
        comment(one, "a", 1);
        comment(two, "b", 2);
        comment(two, "c", 3);
        Aggregate likes = Aggregate.of("total_likes", Kind.SUM, "comments", "likes");

        List<Row> rows = ashlar.read("post").aggregate(likes).where(gt("total_likes", 0))
                .sort(Sort.desc("total_likes")).list();

        assertThat(rows).extracting(row -> row.get("title")).containsExactly("two", "one");
        assertThat(rows).extracting(row -> row.get("total_likes")).containsExactly(5L, 1L);
    }

    @Test
    void aFirstAndAListGivenByTheReadKeepTheirOrderAndFilter() {
        Row post = post("title");
        comment(post, "stuff", 1);
        comment(post, null, 2);
        comment(post, "other", 3);
        comment(post, "stuff", 4);

        Row row = ashlar.read("post")
                .aggregate(Aggregate.of("best_stuff", Kind.FIRST, "comments", "likes", Sort.desc("likes"))
                        .withFilter(eq("title", "stuff")))
                .aggregate(Aggregate.of("liked_titles", Kind.LIST, "comments", "title", Sort.asc("likes"))
                        .withFilter(gte("likes", 2)))
                .aggregate(Aggregate.of("titles_once", Kind.LIST, "comments", "title", Sort.asc("title"))
                        .withUniq())
                .load("count_of_comments")
                .one().orElseThrow();

        assertThat(row.get("best_stuff")).isEqualTo(4);
        assertThat(row.get("liked_titles")).isEqualTo(List.of("other", "stuff"));
        assertThat(row.get("titles_once")).isEqualTo(List.of("other", "stuff"));
        assertThat(row.get("count_of_comments")).isEqualTo(4L);
    }

    @Test
    void aReadsAggregateGoesOverAPathWithAFilterOfItsOwn() {
        Row post = post("title");
        Row first = comment(post, "a", null);
        Row second = comment(post, "b", null);
        ashlar.create("rating", Map.of("score", 20, "comment_id", first.get("id")));
        ashlar.create("rating", Map.of("score", 1, "comment_id", second.get("id")));

        Row row = ashlar.read("post")
                .aggregate(Aggregate.of("popular_ratings", Kind.COUNT, "comments.ratings").withFilter(gt("score", 10)))
                .one().orElseThrow();

        assertThat(row.get("popular_ratings")).isEqualTo(1L);
    }

    @Test
    void aCountGivenAnAttributeCountsTheRelatedRecordsThatHaveAValue() {
        Row post = post("title");
        comment(post, "aaa", 1);
        comment(post, "aaa", null);
        comment(post, null, 2);

        Row row = ashlar.read("post").load("count_of_titles").load("count_of_comments")
                .aggregate(Aggregate.of("count_of_likes", Kind.COUNT, "comments", "likes")).one().orElseThrow();

        assertThat(row.get("count_of_titles")).isEqualTo(2L);
        assertThat(row.get("count_of_likes")).isEqualTo(2L);
        assertThat(row.get("count_of_comments")).isEqualTo(3L);
        assertThat(ashlar.read("post").where(eq("count_of_titles", 2L)).count()).isEqualTo(1);
    }

    @Test
    void aDeclaredFirstSkipsNilsKeepsToItsFilterAndTakesThemWhenItIncludesNil() {
        Row post = post("title");
        comment(post, null, null);
        comment(post, "match", null);
        comment(post, "stuff", null);

        Row row = ashlar.read("post").load("first_comment_nils_first").load("first_called_stuff")
                .load("first_or_nil").one().orElseThrow();

        assertThat(row.get("first_comment_nils_first")).isEqualTo("match");
        assertThat(row.get("first_called_stuff")).isEqualTo("stuff");
        assertThat(row.get("first_or_nil")).isNull();
        assertThat(ashlar.read("post").where(eq("first_called_stuff", "stuff")).count()).isEqualTo(1);
    }

    @Test
    void aReadsAggregateSelectsTheRowsACountAndABulkUpdateOrDeleteActOn() {
        Row titled = post("titled");
        post("bare");
        comment(titled, "match", null);

        assertThat(ashlar.read("post").aggregate(TITLED).where(eq("custom_count_of_comments", 0L)).count())
                .isEqualTo(1);
        assertThat(ashlar.read("post").aggregate(TITLED).where(gt("custom_count_of_comments", 0L))
                .updateAll(Map.of("title", "has titled comments"))).extracting(row -> row.get("id"))
                .containsExactly(titled.get("id"));
        assertThat(ashlar.read("post").aggregate(TITLED).where(eq("custom_count_of_comments", 0L)).destroyAll())
                .isEqualTo(1);
        assertThat(ashlar.read("post").list()).extracting(row -> row.get("title"))
                .containsExactly("has titled comments");
    }

    @Test
    void anotherReadOfTheResourceDoesNotKnowAReadsAggregate() {
        post("title");
        ashlar.read("post").aggregate(TITLED).list();

        assertThatThrownBy(() -> ashlar.read("post").where(gt("custom_count_of_comments", 0)).list())
                .isInstanceOf(QueryException.class);
        assertThat(ashlar.read("post").load("count_of_comments").list()).hasSize(1);
    }

    @Test
    void aReadsAggregateNamedLikeAFieldOfTheResourceIsRefused() {
        assertThatThrownBy(() -> ashlar.read("post").aggregate(Aggregate.of("title", Kind.COUNT, "comments")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'title'").hasMessageContaining("rename the aggregate");
        assertThatThrownBy(() -> ashlar.read("post")
                .aggregate(Aggregate.of("count_of_comments", Kind.COUNT, "comments")))
                .isInstanceOf(QueryException.class).hasMessageContaining("rename the aggregate");
    }

    @Test
    void aReadsAggregateTheDomainWouldRefuseIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> ashlar.read("post").aggregate(Aggregate.of("n", Kind.COUNT, "remarks")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'n'").hasMessageContaining("remarks").hasMessageContaining("[comments]");
        assertThatThrownBy(() -> ashlar.read("post")
                .aggregate(Aggregate.of("n", Kind.SUM, "comments", "title")))
                .isInstanceOf(QueryException.class).hasMessageContaining("needs a number attribute");
        assertThatThrownBy(() -> ashlar.read("post")
                .aggregate(Aggregate.of("n", Kind.COUNT, "comments").withUniq()))
                .isInstanceOf(QueryException.class).hasMessageContaining("countDistinct");
        assertThatThrownBy(() -> ashlar.read("post")
                .aggregate(Aggregate.of("n", Kind.EXISTS, "comments", "title")))
                .isInstanceOf(QueryException.class).hasMessageContaining("takes no attribute");
        assertThatThrownBy(() -> ashlar.read("post")
                .aggregate(Aggregate.of("n", Kind.COUNT, "comments", "body")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'body'");
    }
}
