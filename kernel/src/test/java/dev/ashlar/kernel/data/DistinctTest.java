package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.ne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reads that keep the first row of each group of values ({@code distinct}): posts 1 and 2 are titled "foo", 3 and 4
 * "title", so the newest post is in the group that sorts last by title.
 */
class DistinctTest extends BlogDatabaseTest {

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        for (String[] post : new String[][]{{"foo", "2"}, {"foo", "2"}, {"title", "1"}, {"title", "1"}}) {
            ashlar.create("post", Map.of("title", post[0], "rating", Integer.parseInt(post[1])));
        }
    }

    private static List<String> idsAndTitles(List<Row> rows) {
        return rows.stream().map(row -> row.get("id") + ":" + row.getString("title")).toList();
    }

    @Test
    void distinctSortedByItsFieldReturnsOneRowPerValueInThatOrder() {
        assertThat(ashlar.read("post").distinct("title").sort(Sort.asc("title")).list())
                .extracting(row -> row.getString("title")).containsExactly("foo", "title");
        assertThat(ashlar.read("post").distinct("title").sort(Sort.desc("title")).list())
                .extracting(row -> row.getString("title")).containsExactly("title", "foo");
        assertThat(ashlar.read("post").distinct("title").list()).hasSize(2);
    }

    @Test
    void distinctWithAnotherSortKeepsEachGroupsFirstRowAndReturnsThemInTheReadsOrder() {
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").sort(Sort.desc("id")).list()))
                .containsExactly("4:title", "2:foo");
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").sort(Sort.asc("id")).list()))
                .containsExactly("1:foo", "3:title");
    }

    @Test
    void aLimitTakesTheFirstRowsInTheReadsSortNotInTheDistinctFieldsOrder() {
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").sort(Sort.desc("id")).limit(1).list()))
                .as("the newest post, whose title sorts last").containsExactly("4:title");
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").sort(Sort.desc("id")).limit(3).list()))
                .containsExactly("4:title", "2:foo");
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").sort(Sort.desc("id")).offset(1).list()))
                .containsExactly("2:foo");
    }

    @Test
    void aDistinctSortChoosesEachGroupsRowApartFromTheOrderOfTheRowsKept() {
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").distinctSort(Sort.asc("id"))
                .sort(Sort.desc("id")).list())).containsExactly("3:title", "1:foo");
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").distinctSort(Sort.desc("id"))
                .sort(Sort.asc("title")).list())).containsExactly("2:foo", "4:title");
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").distinctSort(Sort.desc("id")).list()))
                .containsExactly("2:foo", "4:title");
    }

    @Test
    void aFilterChoosesTheRowsBeforeTheyAreGroupedAndACursorPagesTheRowsKept() {
        assertThat(idsAndTitles(ashlar.read("post").where(ne("id", 4)).distinct("title").sort(Sort.desc("id"))
                .list())).containsExactly("3:title", "2:foo");
        assertThat(idsAndTitles(ashlar.read("post").distinct("title").sort(Sort.desc("id")).after(4).list()))
                .containsExactly("2:foo");
    }

    @Test
    void countsAndAggregatesOfADistinctReadCoverTheRowsItKeeps() {
        assertThat(ashlar.read("post").distinct("title").sort(Sort.desc("id")).count()).isEqualTo(2);
        assertThat(ashlar.read("post").distinct("title").sort(Sort.desc("id")).limit(1).sum("rating")).isEqualTo(1L);
    }

    @Test
    void aBulkUpdateOrDestroyOfADistinctReadActsOnlyOnTheRowsItKeeps() {
        ashlar.read("post").distinct("title").sort(Sort.desc("id")).updateAll(Map.of("body", "kept"));
        assertThat(db.query("SELECT id FROM posts WHERE body = 'kept' ORDER BY id")).extracting(r -> r.get("id"))
                .containsExactly(2, 4);

        assertThat(ashlar.read("post").distinct("title").destroyAll()).isEqualTo(2);
        assertThat(db.query("SELECT title FROM posts ORDER BY title")).extracting(r -> r.get("title"))
                .containsExactly("foo", "title");
    }

    @Test
    void aDistinctReadLocksTheRowsItKeepsAndADestroyOfItReturnsThem() {
        List<Row> locked = ashlar.transaction(tx -> {
            List<Row> rows = tx.read("post").distinct("title").sort(Sort.asc("title")).lock(Lock.FOR_UPDATE).list();
            assertThat(db.query("SELECT id FROM posts ORDER BY id FOR UPDATE SKIP LOCKED"))
                    .as("the rows another connection can lock")
                    .extracting(r -> r.get("id")).containsExactly(2, 4);
            return rows;
        });
        assertThat(idsAndTitles(locked)).containsExactly("1:foo", "3:title");

        List<Row> removed = ashlar.read("post").distinct("title").sort(Sort.desc("id")).destroyAll(Returning.ROWS);

        assertThat(idsAndTitles(removed)).containsExactlyInAnyOrder("4:title", "2:foo");
        assertThat(db.query("SELECT id FROM posts ORDER BY id")).extracting(r -> r.get("id")).containsExactly(1, 3);
    }

    @Test
    void aDistinctReadSortedByAComputedFieldAloneIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.read("post").compute("shout", String.class, "upper(title)").distinct("title")
                .sort(Sort.asc("shout")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'shout'").hasMessageContaining("calculation");
    }
}
