package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.data.TaskBoard.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.kernel.data.TaskBoard.Task.PRIORITY;
import static dev.ashlar.kernel.data.TaskBoard.Task.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A page of rows with the count of every row the read selects (Ebean's {@code findPagedList}, Spring Data's
 * {@code Page}), by name and typed, over the handle's tenant's visible rows only.
 */
class PagedReadTest extends DomainDatabaseTest {

    PagedReadTest() {
        super(TaskBoard.DOMAIN, TaskBoard.tenancy());
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE board_tasks");
        for (int i = 1; i <= 7; i++) {
            TaskBoard.task(ashlar, "acme", "acme " + i, i);
        }
        db.execute("UPDATE board_tasks SET deleted_at = now() WHERE title = 'acme 7'");
        for (int i = 1; i <= 3; i++) {
            TaskBoard.task(ashlar, "globex", "globex " + i, i);
        }
    }

    private static List<String> titles(List<Row> rows) {
        return rows.stream().map(row -> row.getString("title")).toList();
    }

    @Test
    void aPageHoldsItsRowsAndTheCountOfEveryRowTheReadSelects() {
        Page<Row> second = ashlar.withTenant("acme").read("task").sort(Sort.asc("priority")).offset(2).limit(2).page();

        assertThat(titles(second.rows())).containsExactly("acme 3", "acme 4");
        assertThat(second.total()).isEqualTo(6);
        assertThat(second.hasNext()).isTrue();

        Page<Task> last = ashlar.withTenant("acme").read(TASKS).sort(PRIORITY.asc()).offset(4).limit(2).page();
        assertThat(last.rows()).extracting(Task::title).containsExactly("acme 5", "acme 6");
        assertThat(last.total()).isEqualTo(6);
        assertThat(last.hasNext()).isFalse();
    }

    @Test
    void theCountFollowsTheFilterAndAPagePastTheEndIsEmpty() {
        Page<Task> filtered = ashlar.withTenant("acme").read(TASKS).where(PRIORITY.gt(4)).sort(PRIORITY.desc())
                .limit(10).page();
        assertThat(filtered.rows()).extracting(Task::priority).containsExactly(6, 5);
        assertThat(filtered.total()).isEqualTo(2);

        Page<Row> beyond = ashlar.withTenant("acme").read("task").where(gt("priority", 1)).sort(Sort.asc("id"))
                .offset(50).limit(10).page();
        assertThat(beyond.rows()).isEmpty();
        assertThat(beyond.total()).isEqualTo(5);
        assertThat(beyond.hasNext()).isFalse();
    }

    @Test
    void aKeysetPageCountsEveryRowAndSaysWhetherMoreFollow() {
        var read = ashlar.withTenant("acme").read("task").sort(Sort.asc("priority")).limit(4);
        Page<Row> first = read.page();
        Page<Row> next = read.after(read.cursor(first.rows().get(3))).page();

        assertThat(first.hasNext()).isTrue();
        assertThat(titles(next.rows())).containsExactly("acme 5", "acme 6");
        assertThat(next.total()).isEqualTo(6);
        assertThat(next.hasNext()).isFalse();
    }

    @Test
    void pagesAsRecordsOfAnotherClass() {
        record Title(String title) {
        }
        Page<Title> page = ashlar.withTenant("globex").read("task").sort(Sort.desc("priority")).limit(1).page(Title.class);

        assertThat(page.rows()).containsExactly(new Title("globex 3"));
        assertThat(page.total()).isEqualTo(3);
    }

    @Test
    void aTenantsPageNeverHoldsNorCountsAnotherTenantsRows() {
        Page<Task> globex = ashlar.withTenant("globex").read(TASKS).sort(PRIORITY.asc()).limit(100).page();

        assertThat(globex.rows()).extracting(Task::tenant).containsOnly("globex");
        assertThat(globex.total()).isEqualTo(3);
        assertThat(ashlar.read("task").sort(Sort.asc("id")).limit(1).page().total()).isEqualTo(9);
    }

    @Test
    void aReadWithoutALimitHasNoPagesAndIsRefusedNamingTheResource() {
        assertThatThrownBy(() -> ashlar.withTenant("acme").read("task").page())
                .isInstanceOf(QueryException.class).hasMessageContaining("task").hasMessageContaining("limit(");
        assertThatThrownBy(() -> ashlar.withTenant("acme").read(TASKS).page())
                .isInstanceOf(QueryException.class).hasMessageContaining("task");
    }

    @Test
    void aPageBeforeACursorHoldsTheRowsJustBeforeItAndSaysWhetherMoreLieBefore() {
        var read = ashlar.withTenant("acme").read("task").sort(Sort.asc("priority")).limit(3);
        List<Row> all = read.limit(10).list();

        Page<Row> before6 = read.before(read.cursor(all.get(5))).page();
        assertThat(titles(before6.rows())).containsExactly("acme 3", "acme 4", "acme 5");
        assertThat(before6.hasNext()).isTrue();
        assertThat(before6.total()).isEqualTo(6);

        Page<Row> first = read.before(read.cursor(before6.rows().get(0))).page();
        assertThat(titles(first.rows())).containsExactly("acme 1", "acme 2");
        assertThat(first.hasNext()).isFalse();

        List<Task> tasks = ashlar.withTenant("acme").read(TASKS).sort(PRIORITY.asc()).list();
        Page<Task> typed = ashlar.withTenant("acme").read(TASKS).sort(PRIORITY.asc()).limit(2).before(tasks.get(3))
                .page();
        assertThat(typed.rows()).extracting(Task::title).containsExactly("acme 2", "acme 3");
        assertThat(typed.hasNext()).isTrue();
    }
}
