package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.TaskBoard.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.kernel.data.TaskBoard.Task.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A row or record in hand read again as stored now (Hibernate's and Ebean's {@code refresh}, jOOQ's
 * {@code record.refresh()}), in its tenant and under the base filter.
 */
class RefreshTest extends DomainDatabaseTest {
    private int acme;
    private int globex;

    RefreshTest() {
        super(TaskBoard.DOMAIN, TaskBoard.tenancy());
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE board_tasks");
        acme = TaskBoard.task(ashlar, "acme", "draft", 1);
        globex = TaskBoard.task(ashlar, "globex", "secret", 9);
    }

    @Test
    void readsTheRowAgainAsAnotherWriterLeftIt() {
        Row row = ashlar.withTenant("acme").get("task", acme);
        db.execute("UPDATE board_tasks SET title = 'final', priority = 5 WHERE id = " + acme);

        Row fresh = ashlar.withTenant("acme").refresh(row);

        assertThat(fresh.getString("title")).isEqualTo("final");
        assertThat(fresh.getInteger("priority")).isEqualTo(5);
        assertThat(row.getString("title")).isEqualTo("draft");
    }

    @Test
    void readsATypedRecordAgainWholeEvenWhenItWasReadWithSomeFields() {
        Task partial = ashlar.withTenant("acme").read(TASKS).select(Task.ID).list().get(0);
        db.execute("UPDATE board_tasks SET title = 'final' WHERE id = " + acme);

        Task fresh = ashlar.withTenant("acme").refresh(TASKS, partial);

        assertThat(fresh).isEqualTo(new Task(acme, "final", 1, "acme", null));
    }

    @Test
    void aRecordDeletedOrHiddenByTheBaseFilterSinceIsNotFoundNamingItsKey() {
        Row row = ashlar.withTenant("acme").get("task", acme);
        db.execute("UPDATE board_tasks SET deleted_at = now() WHERE id = " + acme);

        assertThatThrownBy(() -> ashlar.withTenant("acme").refresh(row))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("task").hasMessageContaining("" + acme);
        db.execute("DELETE FROM board_tasks WHERE id = " + acme);
        assertThatThrownBy(() -> ashlar.refresh(TASKS, new Task(acme, null, null, null, null)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("task");
    }

    @Test
    void aTenantCannotReadAnotherTenantsRecordByRefreshingIt() {
        Row theirs = ashlar.withTenant("globex").get("task", globex);

        assertThatThrownBy(() -> ashlar.withTenant("acme").refresh(theirs))
                .isInstanceOf(QueryException.class).hasMessageContaining("globex");
        assertThatThrownBy(() -> ashlar.withTenant("acme").refresh(TASKS, new Task(globex, null, null, null, null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ashlar.withTenant("acme").refresh(Row.of("task", Map.of("id", globex))))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRowWithoutItsKeyIsRefusedNamingTheKeyField() {
        assertThatThrownBy(() -> ashlar.refresh(Row.of("task", Map.of("title", "draft"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("task").hasMessageContaining("'id'");
        assertThatThrownBy(() -> ashlar.refresh(null))
                .isInstanceOf(QueryException.class).hasMessageContaining("refresh");
    }
}
