package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyset pages over sort keys no row holds (AshPostgres's keyset pages over expression sorts, jOOQ's {@code seek} over
 * any ordered field): a condition, an expression in SQL, a count of related records, and an aggregate or a computed
 * field the read gives, with repeated values and nulls, forwards and backwards, while rows are inserted between pages.
 */
class ExpressionKeysetTest extends DomainDatabaseTest {

    ExpressionKeysetTest() {
        super(ExpressionSortTest.DOMAIN);
    }

    record Titled(Integer id, String title) {
    }

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE comments, posts, organizations RESTART IDENTITY CASCADE");
        // scores repeat modulo 3 and are null every fifth post; titles repeat and are null every seventh
        for (int i = 0; i < 23; i++) {
            post(i % 7 == 6 ? null : i % 4 == 0 ? "pinned" : "post " + (i % 5), i % 5 == 4 ? null : i, i % 4);
        }
    }

    private Object post(String title, Integer score, int comments) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("score", score);
        Object id = ashlar.create("post", values).get("id");
        for (int c = 0; c < comments; c++) {
            ashlar.create("comment", Map.of("body", "c" + c, "post_id", id));
        }
        return id;
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(row -> row.get("id")).toList();
    }

    private static List<List<Sort>> inlineSorts() {
        return List.of(
                List.of(Sort.ascBy(sql("score % 3")).nullsFirst()),
                List.of(Sort.descBy(sql("score % 3")).nullsLast()),
                List.of(Sort.descBy(sql("score % 3"))),
                List.of(Sort.ascBy(sql("score % 3"))),
                List.of(Sort.ascBy(sql("length(title)")), Sort.desc("score").nullsLast()),
                List.of(Sort.descBy(eq("title", "pinned")), Sort.ascBy(sql("lower(title)")).nullsFirst()),
                List.of(Sort.ascBy(gt("score", 10)), Sort.descBy(isNil("title"))),
                List.of(Sort.desc("comments").byCount(), Sort.ascBy(sql("score % 2")).nullsLast()),
                List.of(Sort.asc("comments").byCount(), Sort.desc("title")),
                List.of(Sort.ascBy(sql("score % ?", 4)), Sort.descBy(sql("upper(title) || ?", "!"))));
    }

    /** Every row of the read, each page read after the last one's cursor, as many a page as the read's limit. */
    private static List<Object> forwards(Read read) {
        List<Object> seen = new ArrayList<>();
        for (List<Row> page = read.list(); !page.isEmpty() && seen.size() < 1_000;
                page = read.after(read.cursor(page.get(page.size() - 1))).list()) {
            seen.addAll(ids(page));
        }
        return seen;
    }

    @Test
    void everyInlineSortPagesForwardsAndBackwardsThroughEachRowOnceInOrder() {
        for (List<Sort> sort : inlineSorts()) {
            Read whole = ashlar.read("post").sort(sort.toArray(Sort[]::new));
            // Pages break ties by the primary key, ascending.
            List<Object> expected = ids(whole.sort(Sort.asc("id")).list());
            Read read = whole.limit(4);

            List<Object> seen = forwards(read);
            Row from = read.limit(100).list().get(22);
            List<Row> pastTheLast = read.after(read.cursor(from)).list();
            List<Object> backwards = new ArrayList<>();
            backwards.add(from.get("id"));
            for (List<Row> page = read.before(read.cursor(from)).list(); !page.isEmpty() && backwards.size() < 1_000;
                    page = read.before(read.cursor(page.get(0))).list()) {
                List<Object> reversed = new ArrayList<>(ids(page));
                Collections.reverse(reversed);
                backwards.addAll(reversed);
            }
            Collections.reverse(backwards);

            assertThat(expected).as(sort.toString()).hasSize(23).doesNotHaveDuplicates();
            assertThat(seen).as(sort.toString()).isEqualTo(expected);
            assertThat(backwards).as(sort.toString()).isEqualTo(expected);
            assertThat(pastTheLast).as(sort.toString()).isEmpty();
        }
    }

    @Test
    void aRealExpressionPagesThroughEachRowOnceWhateverTheDriversTransferFormat() {
        // 0.1 as a real is 0.100000001490116... as a double: a cursor must hold what the server compares.
        Read read = ashlar.read("post").sort(Sort.ascBy(sql("(score % 3)::real / 10")).nullsLast()).limit(4);
        List<Object> expected = ids(read.sort(Sort.asc("id")).limit(100).list());

        for (int walk = 0; walk < 7; walk++) {
            assertThat(forwards(read)).as("walk %d", walk).hasSize(23).isEqualTo(expected);
        }
    }

    @Test
    void aCursorHoldsTheExpressionsValueForTheRowThenItsKey() {
        Read read = ashlar.read("post").sort(Sort.ascBy(sql("score % 3")).nullsLast(),
                Sort.descBy(eq("title", "pinned")), Sort.desc("comments").byCount()).limit(5);
        Row row = ashlar.read("post").where(eq("score", 3)).list().get(0);   // "post 3", three comments

        assertThat(read.cursor(row)).containsExactly(0, false, 3L, row.get("id"));
        assertThat(ids(read.after(0, false, 3L, row.get("id")).list())).isEqualTo(ids(read.after(read.cursor(row))
                .list())).hasSize(5);
    }

    @Test
    void rowsInsertedBetweenPagesAreNeitherRepeatedNorSkippedWhenTheyFallAfterTheCursor() {
        Read read = ashlar.read("post").sort(Sort.descBy(sql("score % 3")).nullsFirst(),
                Sort.asc("comments").byCount()).limit(3);
        List<Object> before = ids(ashlar.read("post").list());
        List<Object> seen = new ArrayList<>();
        List<Object> inserted = new ArrayList<>();
        int round = 0;
        for (List<Row> page = read.list(); !page.isEmpty() && round < 100; round++) {
            seen.addAll(ids(page));
            Object[] cursor = read.cursor(page.get(page.size() - 1));
            if (round < 4) {
                // one row sorting first (before every cursor: never read), one sorting last (ahead: read once)
                post("early " + round, null, 0);
                inserted.add(post("late " + round, 30 + 3 * round, 5));
            }
            page = read.after(cursor).list();
        }
        List<Object> finalOrder = ids(ashlar.read("post").sort(Sort.descBy(sql("score % 3")).nullsFirst(),
                Sort.asc("comments").byCount(), Sort.asc("id")).list());

        assertThat(seen).doesNotHaveDuplicates().containsAll(before).containsAll(inserted)
                .hasSize(before.size() + inserted.size());
        assertThat(seen).isEqualTo(finalOrder.stream().filter(new HashSet<>(seen)::contains).toList());
    }

    @Test
    void anAggregateACalculationAndAComputedFieldTheReadGivesPageByCursor() {
        Read byAggregate = ashlar.read("post").aggregate(Aggregate.of("comment_count", Aggregate.Kind.COUNT, "comments"))
                .sort(Sort.desc("comment_count"), Sort.ascBy(sql("score % 2")).nullsFirst()).limit(4);
        Read byComputed = ashlar.read("post").compute("half", Integer.class, "score / 2")
                .sort(Sort.asc("half").nullsFirst()).limit(4);

        Read byCalculation = ashlar.read("post").calculate("doubled", Integer.class, "score * ?", 2)
                .sort(Sort.desc("doubled").nullsFirst(), Sort.ascBy(sql("length(title)"))).limit(4);

        assertThat(forwards(byCalculation)).isEqualTo(ids(byCalculation.sort(Sort.asc("id")).limit(100).list()));
        assertThat(forwards(byAggregate)).isEqualTo(ids(byAggregate.sort(Sort.asc("id")).limit(100).list()));
        assertThat(forwards(byComputed)).isEqualTo(ids(byComputed.sort(Sort.asc("id")).limit(100).list()));
    }

    @Test
    void aTamperedCursorIsRefusedNamingTheKeyAndRunsNoSql() {
        Read byCondition = ashlar.read("post").sort(Sort.descBy(eq("title", "pinned"))).limit(3);
        Read byCount = ashlar.read("post").sort(Sort.desc("comments").byCount()).limit(3);
        Read byExpression = ashlar.read("post").sort(Sort.ascBy(sql("score % 3"))).limit(3);

        assertThatThrownBy(() -> byCondition.after("yes", 1).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("post").hasMessageContaining("true or false");
        assertThatThrownBy(() -> byCondition.after(null, 1).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("holds null");
        assertThatThrownBy(() -> byCount.after(-1L, 1).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("a whole number of 0 or more");
        assertThatThrownBy(() -> byExpression.after(Map.of("a", 1), 1).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("score % 3").hasMessageContaining("Map");
        assertThatThrownBy(() -> byExpression.after(1, "1 OR TRUE").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("id");
    }

    @Test
    void aCursorValueOfAnotherTypeThanTheExpressionIsAQueryErrorNotAServerOne() {
        Read byExpression = ashlar.read("post").sort(Sort.ascBy(sql("score % 3"))).limit(3);

        assertThatThrownBy(() -> byExpression.after("1; DROP TABLE posts; --", 1).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("score % 3")
                .hasMessageContaining("cursor(row)");
        assertThatThrownBy(() -> byExpression.after("x", 1).list(Titled.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining("score % 3");
        assertThatThrownBy(() -> byExpression.after("x", 1).forEach(row -> { })).isInstanceOf(QueryException.class)
                .hasMessageContaining("score % 3");
        assertThatThrownBy(() -> {
            try (Stream<Row> rows = byExpression.after("x", 1).stream()) {
                rows.forEach(row -> { });
            }
        }).isInstanceOf(QueryException.class).hasMessageContaining("score % 3");
        assertThat(ashlar.read("post").count()).isEqualTo(23);
    }

    @Test
    void aCursorOverAComputedWindowFunctionIsRefusedSayingToPageByOffset() {
        Read byPlace = ashlar.read("post").compute("place", Long.class, "rank() OVER (ORDER BY score DESC)")
                .sort(Sort.asc("place")).limit(3);
        Row third = byPlace.list().get(2);

        assertThatThrownBy(() -> byPlace.after(byPlace.cursor(third)).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("window function").hasMessageContaining("offset(...)");
    }

    @Test
    void aCursorOfAListedRowGoneSinceIsTheValuesItsPageSawAndOfABuiltRowIsNotFound() {
        Read read = ashlar.read("post").sort(Sort.ascBy(sql("score % 3"))).limit(3);
        Row row = read.list().get(0);
        List<Object> next = ids(read.after(read.cursor(row)).list());
        Row built = Row.of("post", Map.of("id", row.get("id"), "title", "built"));
        db.execute("DELETE FROM comments WHERE post_id = " + row.get("id") + "; DELETE FROM posts WHERE id = "
                + row.get("id"));

        assertThat(read.cursor(row)).containsExactly(0, row.get("id"));
        assertThat(ids(read.after(read.cursor(row)).list())).isEqualTo(next).hasSize(3);
        assertThatThrownBy(() -> read.cursor(built)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("post").hasMessageContaining(String.valueOf(row.get("id")));
    }
}
