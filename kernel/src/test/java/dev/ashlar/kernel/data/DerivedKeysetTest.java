package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyset pages over sorts by declared aggregates, with ties and nulls, forwards and backwards. */
class DerivedKeysetTest extends DomainDatabaseTest {

    DerivedKeysetTest() {
        super(DeclaredAggregatesTest.DOMAIN);
    }

    @BeforeAll
    void posts() {
        // ratings per post: none (null best, count 0), ties on best and on count, repeated titles
        int[][] ratings = {{}, {3}, {3, 5}, {5}, {}, {5, 1}, {3}, {}, {2, 2, 2}, {5}};
        for (int i = 0; i < ratings.length; i++) {
            Row post = ashlar.create("post", Map.of("title", i % 3 == 0 ? "same" : "post " + i));
            for (int rating : ratings[i]) {
                Map<String, Object> comment = new HashMap<>();
                comment.put("rating", rating);
                comment.put("post_id", post.get("id"));
                ashlar.create("comment", comment);
            }
        }
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(row -> row.get("id")).toList();
    }

    @Test
    void everySortOfAggregatesAndAttributesPagesForwardsAndBackwardsThroughTheWholeOrder() {
        List<List<Sort>> sorts = List.of(
                List.of(Sort.asc("best_rating").nullsLast(), Sort.desc("title")),
                List.of(Sort.desc("best_rating").nullsFirst(), Sort.asc("count_of_comments")),
                List.of(Sort.desc("best_rating").nullsLast(), Sort.desc("count_of_comments")),
                List.of(Sort.asc("best_rating").nullsFirst()),
                List.of(Sort.asc("title"), Sort.desc("count_of_comments"), Sort.asc("total_rating").nullsFirst()));
        for (List<Sort> sort : sorts) {
            Read whole = ashlar.read("post").sort(sort.toArray(Sort[]::new));
            for (Sort key : sort) {
                whole = whole.load(key.field().equals("title") ? "count_of_comments" : key.field());
            }
            // Pages break ties by the primary key, ascending.
            List<Object> expected = ids(whole.sort(Sort.asc("id")).list());
            Read read = whole.limit(3);

            List<Object> forwards = new ArrayList<>();
            List<Row> page = read.list();
            Row last = null;
            while (!page.isEmpty()) {
                forwards.addAll(ids(page));
                last = page.get(page.size() - 1);
                page = read.after(read.cursor(last)).list();
            }
            List<Object> backwards = new ArrayList<>();
            backwards.add(last.get("id"));
            for (page = read.before(read.cursor(last)).list(); !page.isEmpty();
                    page = read.before(read.cursor(page.get(0))).list()) {
                List<Object> reversed = new ArrayList<>(ids(page));
                Collections.reverse(reversed);
                backwards.addAll(reversed);
            }
            Collections.reverse(backwards);

            assertThat(expected).as(sort.toString()).hasSize(10);
            assertThat(forwards).as(sort.toString()).isEqualTo(expected);
            assertThat(backwards).as(sort.toString()).isEqualTo(expected);
        }
    }
}
