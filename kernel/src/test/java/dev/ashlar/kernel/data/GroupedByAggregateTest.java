package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Grouped reads by and over declared aggregates, from reads that also load relationships and pick distinct rows. */
class GroupedByAggregateTest extends DomainDatabaseTest {

    GroupedByAggregateTest() {
        super(DeclaredAggregatesTest.DOMAIN);
    }

    @BeforeAll
    void posts() {
        int[][] ratings = {{}, {3}, {3, 5}, {5}, {}};
        String[] titles = {"a", "a", "b", "b", "b"};
        for (int i = 0; i < ratings.length; i++) {
            Row post = ashlar.create("post", Map.of("title", titles[i]));
            for (int rating : ratings[i]) {
                Map<String, Object> comment = new HashMap<>();
                comment.put("rating", rating);
                comment.put("post_id", post.get("id"));
                ashlar.create("comment", comment);
            }
        }
    }

    private static List<String> lines(List<Row> rows) {
        return rows.stream().map(row -> String.join(" ", row.fields().stream()
                .map(field -> field + "=" + row.get(field)).toList())).toList();
    }

    @Test
    void postsGroupByTheirCountOfCommentsAndSumTheirBestRatingsWithNullGroupsSortedLast() {
        assertThat(lines(ashlar.read("post").load("comments").groupBy("count_of_comments").count("posts")
                .sum("best_rating", "best").sort(Sort.desc("best").nullsLast()).list()))
                .containsExactly("count_of_comments=1 posts=2 best=8", "count_of_comments=2 posts=1 best=5",
                        "count_of_comments=0 posts=2 best=null");
        assertThat(lines(ashlar.read("post").groupBy("best_rating").count("posts")
                .sort(Sort.asc("best_rating").nullsFirst()).list()))
                .containsExactly("best_rating=null posts=2", "best_rating=3 posts=1", "best_rating=5 posts=2");
    }

    @Test
    void aDistinctReadGroupsItsDistinctRows() {
        assertThat(lines(ashlar.read("post").distinct("title").groupBy("title").count("posts")
                .sort(Sort.asc("title")).list())).containsExactly("title=a posts=1", "title=b posts=1");
    }
}
