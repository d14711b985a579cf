package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.gt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's sort cases that Ashlar expresses beyond {@link AshPostgresSuiteSortTest}'s restatement of its
 * {@code sort_test}, on its test domain, asserted on the rows read.
 */
class SortParityTest extends DomainDatabaseTest {

    SortParityTest() {
        super(FilterParityTest.DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE authors, posts, post_links, comments, ratings, co_author_posts CASCADE");
    }

    private Row post(String title, int score) {
        return ashlar.create("post", Map.of("title", title, "score", score));
    }

    private Row post(String title, int score, Row author) {
        return ashlar.create("post", Map.of("title", title, "score", score, "author_id", author.get("id")));
    }

    private Row author(String name) {
        return ashlar.create("author", Map.of("first_name", name));
    }

    @Test
    void nestedLoadsEachWithASortAndALimitOfTheirOwnBesideADistinctRead() {
        Row ada = author("Ada");
        Row bob = author("Bob");
        Row older = post("a1", 1, ada);
        Row newer = post("a2", 2, ada);
        post("b1", 5, bob);
        for (Row post : List.of(older, newer)) {
            ashlar.create("comment", Map.of("title", "x", "likes", 1, "post_id", post.get("id")));
            ashlar.create("comment", Map.of("title", "y", "likes", 9, "post_id", post.get("id")));
        }

        List<Row> authors = ashlar.read("author").sort(Sort.asc("first_name"))
                .load("posts", p -> p.sort(Sort.desc("score")).limit(1)
                        .load("comments", c -> c.sort(Sort.desc("likes")).limit(1)))
                .list();
        List<Row> onePerAuthor = ashlar.read("post").distinct("author_id").distinctSort(Sort.asc("score"))
                .sort(Sort.asc("title")).load("comments", c -> c.where(gt("likes", 5))).list();

        assertThat(authors.get(0).related("posts")).extracting(r -> r.get("title")).containsExactly("a2");
        assertThat(authors.get(0).related("posts").get(0).related("comments")).extracting(r -> r.get("title"))
                .containsExactly("y");
        assertThat(authors.get(1).related("posts")).extracting(r -> r.get("title")).containsExactly("b1");
        assertThat(authors.get(1).related("posts").get(0).related("comments")).isEmpty();
        assertThat(onePerAuthor).extracting(r -> r.get("title") + ":" + r.related("comments").size())
                .containsExactly("a1:1", "b1:0");
    }

    @Test
    void aReadSelectingSomeFieldsSortsByAnotherAndLoadsAnAggregateAndARelationship() {
        Row low = post("low", 1);
        post("high", 9);
        ashlar.create("comment", Map.of("title", "c", "likes", 3, "post_id", low.get("id")));

        List<Row> rows = ashlar.read("post").select("title").sort(Sort.desc("score")).load("count_of_comments")
                .load("comments").list();

        assertThat(rows).extracting(r -> r.get("title") + ":" + r.get("count_of_comments") + ":"
                + r.related("comments").size()).containsExactly("high:0:0", "low:1:1");
        assertThat(rows.get(0).has("score")).isFalse();
    }
}
