package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Read;
import dev.ashlar.kernel.TypedRead;
import dev.ashlar.kernel.data.TaskBoard.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.kernel.data.TaskBoard.Task.PRIORITY;
import static dev.ashlar.kernel.data.TaskBoard.Task.TASKS;
import static dev.ashlar.kernel.data.TaskBoard.Task.TITLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyset cursors over expression sorts from the other tenant's side: a cursor is values, compared in the reading
 * tenant's scope only, and the value of a row's expression is read in that scope and under the base filter; typed too.
 */
class ExpressionKeysetTenancyTest extends DomainDatabaseTest {

    ExpressionKeysetTenancyTest() {
        super(TaskBoard.DOMAIN, TaskBoard.tenancy());
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE board_tasks");
        for (int i = 1; i <= 9; i++) {
            TaskBoard.task(ashlar, "acme", "acme " + i % 4, i % 3 == 0 ? null : i);
            TaskBoard.task(ashlar, "globex", "globex " + i % 4, i % 4 == 0 ? null : i);
        }
        db.execute("UPDATE board_tasks SET deleted_at = now() WHERE tenant = 'acme' AND priority = 8");
    }

    private static Read byParity(Read read) {
        return read.sort(Sort.descBy(sql("priority % 2")).nullsLast()).limit(2);
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(row -> row.get("id")).toList();
    }

    @Test
    void anotherTenantsCursorPagesOnlyThroughTheReadersOwnRows() {
        Read acme = byParity(ashlar.withTenant("acme").read("task"));
        Object[] acmeCursor = acme.cursor(acme.list().get(1));
        Read globex = byParity(ashlar.withTenant("globex").read("task"));

        List<Row> page = globex.limit(100).after(acmeCursor).list();

        assertThat(page).isNotEmpty().extracting(row -> row.get("tenant")).containsOnly("globex");
        assertThat(ashlar.withTenant("globex").read("task").after(acmeCursor)
                .sort(Sort.descBy(sql("priority % 2")).nullsLast()).count()).isEqualTo(page.size());
    }

    @Test
    void aCursorOfAnotherTenantsRowIsRefusedAndAForgedOneFindsNothingOfIt() {
        Row acmeRow = ashlar.withTenant("acme").read("task").list().get(0);
        Row forged = Row.of("task", Map.of("id", acmeRow.get("id"), "title", "mine"));
        Read globex = byParity(ashlar.withTenant("globex").read("task"));

        assertThatThrownBy(() -> globex.cursor(acmeRow)).isInstanceOf(QueryException.class)
                .hasMessageContaining("belongs to tenant");
        assertThatThrownBy(() -> globex.cursor(forged)).isInstanceOf(NotFoundException.class)
                .hasMessageNotContaining("acme");
    }

    @Test
    void aCursorOfARowTheBaseFilterHidesIsNotFound() {
        Row hidden = ashlar.withTenant("acme").read("task").ignoreBaseFilter().list().stream()
                .filter(row -> row.get("deleted_at") != null).findFirst().orElseThrow();

        assertThatThrownBy(() -> byParity(ashlar.withTenant("acme").read("task")).cursor(hidden))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aTypedReadPagesByAConditionKeyFromItsRecords() {
        TypedRead<Task> read = ashlar.withTenant("globex").read(TASKS).sort(PRIORITY.isNil().asc(), TITLE.desc())
                .limit(2);
        List<Task> expected = ashlar.withTenant("globex").read(TASKS).sort(PRIORITY.isNil().asc(), TITLE.desc())
                .sort(Task.ID.asc()).list();

        List<Task> seen = new ArrayList<>();
        for (List<Task> page = read.list(); !page.isEmpty() && seen.size() < 100;
                page = read.after(page.get(page.size() - 1)).list()) {
            seen.addAll(page);
        }

        assertThat(expected).hasSize(9);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void pagesWalkEveryVisibleRowOfTheTenantOnceWithNullsLast() {
        Read acme = byParity(ashlar.withTenant("acme").read("task"));
        List<Object> seen = new ArrayList<>();
        for (List<Row> page = acme.list(); !page.isEmpty() && seen.size() < 100;
                page = acme.after(acme.cursor(page.get(page.size() - 1))).list()) {
            seen.addAll(ids(page));
        }

        assertThat(seen).hasSize(8).isEqualTo(ids(acme.limit(100).sort(Sort.asc("id")).list()));
    }
}
