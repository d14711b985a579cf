package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Calculations that name the resource's aggregates, as Ash's {@code expr(count_of_comments * 2)} does: the aggregate
 * is computed beside the row's columns for the expression to read.
 */
class CalculationsOfAggregatesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("calculations_of_aggregates")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("posts", "post")
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("bonus", INTEGER)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .count("count_of_good_comments", "comments", gte("rating", 4))
                    .sum("total_rating", "comments", "rating")
                    .calculate("score", Long.class, "count_of_comments * 10 + coalesce(bonus, 0)")
                    .calculate("good_share", BigDecimal.class,
                            "round(count_of_good_comments::numeric / nullif(\"count_of_comments\", 0), 2)")
                    .calculate("summary", String.class, "title || ': ' || coalesce(self.total_rating, ?)", 0)
                    .calculate("comment_text", String.class, "'count_of_comments'")
                    .calculate("rank", String.class, "CASE WHEN score > 30 THEN 'hot' ELSE 'cold' END")
                    .calculate("headline", String.class, "upper(self.\"rank\") || ' ' || summary")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("rating", INTEGER)
                    .belongsTo("post", "post")
                    .build())
            .build();

    CalculationsOfAggregatesTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void data() {
        Row ada = ashlar.create("author", Map.of("name", "Ada"));
        Row bob = ashlar.create("author", Map.of("name", "Bob"));
        Row busy = ashlar.create("post", Map.of("title", "busy", "bonus", 1, "author_id", ada.get("id")));
        ashlar.create("post", Map.of("title", "quiet", "author_id", bob.get("id")));
        for (int rating : new int[]{5, 4, 1}) {
            ashlar.create("comment", Map.of("post_id", busy.get("id"), "rating", rating));
        }
    }

    @Test
    void aCalculationReadsTheAggregatesItNamesForEachRow() {
        List<Row> posts = ashlar.read("post").load("score").load("good_share").load("summary")
                .load("comment_text").sort(Sort.asc("id")).list();

        assertThat(posts).extracting(p -> p.get("score")).containsExactly(31L, 0L);
        assertThat(posts).extracting(p -> p.get("good_share")).containsExactly(new BigDecimal("0.67"), null);
        assertThat(posts).extracting(p -> p.get("summary")).containsExactly("busy: 10", "quiet: 0");
        assertThat(posts).extracting(p -> p.get("comment_text"))
                .containsExactly("count_of_comments", "count_of_comments");
    }

    @Test
    void aCalculationReadsTheCalculationsItNamesWhichMayReadAggregates() {
        List<Row> posts = ashlar.read("post").load("headline").sort(Sort.asc("id")).list();

        assertThat(posts).extracting(p -> p.get("headline")).containsExactly("HOT busy: 10", "COLD quiet: 0");
        assertThat(ashlar.read("post").where(eq("rank", "cold")).list())
                .extracting(p -> p.getString("title")).containsExactly("quiet");
    }

    @Test
    void calculationsThatReadEachOtherInACircleAreRefusedWhenAshlarStarts() {
        Domain circle = Domain.builder("circle")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .calculate("a", String.class, "title || b")
                        .calculate("b", String.class, "upper(c)")
                        .calculate("c", String.class, "lower(a)")
                        .build())
                .build();

        assertThatThrownBy(() -> Fixtures.ashlar(db, circle).close())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'a': calculation 'a' reads itself through a -> b -> c -> a");
    }

    /**
     * The field of {@code extract(year FROM ...)}, a type after {@code AS} or {@code ::} and an alias are words SQL
     * reads as no value, so a calculation named like one of them is not read by them: {@code year} below reads no
     * calculation, while {@code next} reads {@code year}.
     */
    @Test
    void aKeywordFieldTypeOrAliasNamedLikeACalculationIsNoReferenceToIt() {
        Domain keywords = Domain.builder("keywords")
                .resource(Resource.builder("post").table("posts").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .calculate("year", Integer.class, "CAST(extract(year FROM now()) AS integer)")
                        .calculate("text", String.class, "(SELECT t.title AS text FROM posts AS t LIMIT 1)::text")
                        .calculate("next", Integer.class, "year + 1")
                        .build())
                .build();

        try (var started = Fixtures.ashlar(db, keywords)) {
            Row first = started.read("post").load("year").load("next").load("text").first().orElseThrow();
            assertThat(first.get("next")).isEqualTo((Integer) first.get("year") + 1);
            assertThat(first.get("text")).isNotNull();
        }
    }

    @Test
    void aCalculationOfAnAggregateFiltersAndSortsHereAndThroughRelationships() {
        assertThat(ashlar.read("post").where(gt("score", 30)).list())
                .extracting(p -> p.getString("title")).containsExactly("busy");
        assertThat(ashlar.read("post").sort(Sort.desc("score")).list())
                .extracting(p -> p.getString("title")).containsExactly("busy", "quiet");
        assertThat(ashlar.read("author").where(exists("posts", gt("score", 30))).list())
                .extracting(a -> a.getString("name")).containsExactly("Ada");
        assertThat(ashlar.read("comment").where(eq("post.score", 31)).count()).isEqualTo(3);
    }

    @Test
    void bulkActionsFilteredByACalculationOfAnAggregateTouchOnlyTheRowsItMatches() {
        List<Row> changed = ashlar.read("post").where(eq("score", 0)).updateAll(Map.of("bonus", 2));

        assertThat(changed).extracting(p -> p.getString("title")).containsExactly("quiet");
        assertThat(db.value("SELECT bonus FROM posts WHERE title = 'quiet'")).isEqualTo(2);
        assertThat(db.value("SELECT bonus FROM posts WHERE title = 'busy'")).isEqualTo(1);
        ashlar.read("post").where(eq("title", "quiet")).updateAll(Map.of("bonus", 0));
    }
}
