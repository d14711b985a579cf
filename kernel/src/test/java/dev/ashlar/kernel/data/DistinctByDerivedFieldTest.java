package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Distinct reads by a declared calculation or aggregate, as AshPostgres's {@code test/distinct_test.exs} reads them
 * ("distinct can use calculations", "distinct sort is applied"): two posts titled "title" scored 1, two "foo" scored 2.
 */
class DistinctByDerivedFieldTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("distinct_derived")
            .resource(Resource.builder("author").table("authors")
                    .integerPrimaryKey("id")
                    .attribute("first_name", dev.ashlar.api.resource.Type.TEXT)
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", dev.ashlar.api.resource.Type.TEXT)
                    .attribute("score", dev.ashlar.api.resource.Type.INTEGER)
                    .belongsTo("author", "author")
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .calculate("negative_score", Integer.class, "-score")
                    .calculate("bonus", Integer.class, "score + ?", 10)
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .belongsTo("post", "post")
                    .build())
            .build();

    DistinctByDerivedFieldTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE posts, comments RESTART IDENTITY");
        post("title", 1);
        post("title", 1);
        post("foo", 2);
        post("foo", 2);
    }

    private Row post(String title, int score) {
        return ashlar.create("post", Map.of("title", title, "score", score));
    }

    private static List<String> titlesAndScores(List<Row> rows) {
        return rows.stream().map(row -> row.getString("title") + ":" + row.get("negative_score")).toList();
    }

    @Test
    void distinctByACalculationKeepsOneRowPerValueInTheReadsSort() {
        assertThat(titlesAndScores(ashlar.read("post").distinct("negative_score").sort(Sort.asc("negative_score"))
                .load("negative_score").list())).containsExactly("foo:-2", "title:-1");
        assertThat(titlesAndScores(ashlar.read("post").distinct("negative_score").sort(Sort.desc("negative_score"))
                .load("negative_score").list())).containsExactly("title:-1", "foo:-2");
        assertThat(titlesAndScores(ashlar.read("post").distinct("negative_score").sort(Sort.asc("title"))
                .load("negative_score").list())).containsExactly("foo:-2", "title:-1");
    }

    @Test
    void distinctByACalculationCombinesWithAFilterThroughARelationship() {
        post("a", 2);
        post("a", 1);

        assertThat(ashlar.read("post").distinct("negative_score").where(eq("author.first_name", "a"))
                .sort(Sort.asc("negative_score")).list()).isEmpty();
    }

    @Test
    void aDistinctSortChoosesEachGroupsRowByACalculation() {
        post("a", 2);
        post("a", 1);

        assertThat(titlesAndScores(ashlar.read("post").distinct("negative_score").distinctSort(Sort.asc("title"))
                .sort(Sort.asc("negative_score")).load("negative_score").list()))
                .containsExactly("a:-2", "a:-1");
        assertThat(titlesAndScores(ashlar.read("post").distinct("negative_score").distinctSort(Sort.desc("title"))
                .sort(Sort.asc("negative_score")).load("negative_score").list()))
                .containsExactly("foo:-2", "title:-1");
    }

    @Test
    void distinctByAnAggregateKeepsOneRowPerCountAndCountsAndDestroysOnlyTheRowsKept() {
        Row commented = ashlar.read("post").where(eq("id", 4)).first().orElseThrow();
        ashlar.create("comment", Map.of("post_id", commented.get("id")));

        assertThat(ashlar.read("post").distinct("count_of_comments").sort(Sort.desc("count_of_comments"))
                .load("count_of_comments").list()).extracting(row -> row.get("id") + ":" + row.get("count_of_comments"))
                .containsExactly("4:1", "1:0");
        assertThat(ashlar.read("post").distinct("negative_score").count()).isEqualTo(2);
        assertThat(ashlar.read("post").distinct("negative_score").sort(Sort.desc("id")).destroyAll()).isEqualTo(2);
        assertThat(db.query("SELECT id FROM posts ORDER BY id")).extracting(r -> r.get("id")).containsExactly(1, 3);
    }

    @Test
    void aDistinctSortByAnAggregateOrACalculationAloneChoosesEachGroupsRow() {
        Row commented = ashlar.read("post").where(eq("id", 4)).first().orElseThrow();
        ashlar.create("comment", Map.of("post_id", commented.get("id")));

        assertThat(ashlar.read("post").distinct("title").distinctSort(Sort.desc("count_of_comments"), Sort.asc("id"))
                .sort(Sort.asc("id")).list()).extracting(row -> row.get("id")).containsExactly(1, 4);
        assertThat(ashlar.read("post").distinct("title").distinctSort(Sort.asc("negative_score"), Sort.desc("id"))
                .sort(Sort.asc("id")).list()).extracting(row -> row.get("id")).containsExactly(2, 4);
    }

    @Test
    void distinctByACalculationThatBindsAValueKeepsOneRowPerValue() {
        assertThat(ashlar.read("post").distinct("bonus").sort(Sort.desc("bonus")).load("bonus").list())
                .extracting(row -> row.getString("title") + ":" + row.get("bonus")).containsExactly("foo:12", "title:11");
        assertThat(ashlar.read("post").distinct("bonus", "title").where(eq("bonus", 11)).count()).isEqualTo(1);
    }
}
