package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relationships, aggregates and calculations loaded onto the rows of a combination (Ash loads onto combined rows as
 * onto any read's), with the combination's own filter and sort naming what it loads.
 */
class CombinationLoadTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("combination_load")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .calculate("loud_title", String.class, "upper(title)")
                    .build())
            .resource(Resource.builder("comment").table("comments")
                    .integerPrimaryKey("id")
                    .attribute("body", TEXT)
                    .attribute("likes", INTEGER)
                    .belongsTo("post", "post")
                    .build())
            .build();

    CombinationLoadTest() {
        super(DOMAIN);
    }

    record PostView(String title, long countOfComments, String loudTitle, List<Row> comments) {}

    /** Posts a (score 1, two comments), b (2, none), c (3, one), d (4, three). */
    @BeforeEach
    void posts() {
        db.execute("TRUNCATE comments, posts RESTART IDENTITY CASCADE");
        int[] comments = {2, 0, 1, 3};
        for (int i = 0; i < comments.length; i++) {
            Object id = ashlar.create("post", Map.of("title", String.valueOf((char) ('a' + i)), "score", i + 1))
                    .get("id");
            for (int c = 0; c < comments[i]; c++) {
                ashlar.create("comment", Map.of("body", "c" + c, "likes", c, "post_id", id));
            }
        }
    }

    @Test
    void aCombinationLoadsRelationshipsAggregatesAndCalculationsOnItsRows() {
        List<Row> rows = ashlar.read("post").where(lt("score", 2))
                .union(ashlar.read("post").where(gte("score", 3)))
                .load("comments").load("count_of_comments").load("loud_title")
                .sort(Sort.asc("title")).list();

        assertThat(rows).extracting(row -> row.get("title")).containsExactly("a", "c", "d");
        assertThat(rows).extracting(row -> row.get("count_of_comments")).containsExactly(2L, 1L, 3L);
        assertThat(rows).extracting(row -> row.get("loud_title")).containsExactly("A", "C", "D");
        assertThat(rows).extracting(row -> row.related("comments").size()).containsExactly(2, 1, 3);
    }

    @Test
    void aCombinationsFilterAndSortNameTheAggregateItLoads() {
        List<PostView> posts = ashlar.read("post").where(lt("score", 3))
                .unionAll(ashlar.read("post").where(gt("score", 2)))
                .load("count_of_comments").load("loud_title")
                .load("comments", c -> c.where(gt("likes", 0)).sort(Sort.desc("likes")))
                .where(gt("count_of_comments", 0)).sort(Sort.desc("count_of_comments")).list(PostView.class);

        assertThat(posts).extracting(PostView::title).containsExactly("d", "a", "c");
        assertThat(posts).extracting(PostView::countOfComments).containsExactly(3L, 2L, 1L);
        assertThat(posts.get(0).comments()).extracting(row -> row.get("likes")).containsExactly(2, 1);
        assertThat(posts.get(2).comments()).isEmpty();
    }
}
