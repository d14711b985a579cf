package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.kernel.data.TaskBoard.Task.ID;
import static dev.ashlar.kernel.data.TaskBoard.Task.PRIORITY;
import static dev.ashlar.kernel.data.TaskBoard.Task.TASKS;
import static dev.ashlar.kernel.data.TaskBoard.Task.TITLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One field of every row a read selects as a list of its values (Ebean's {@code findSingleAttributeList} and
 * {@code findIds}, jOOQ's {@code fetch(field)}), by name and typed, over the handle's tenant's visible rows only.
 */
class SingleFieldValuesTest extends DomainDatabaseTest {

    SingleFieldValuesTest() {
        super(TaskBoard.DOMAIN, TaskBoard.tenancy());
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE board_tasks");
        TaskBoard.task(ashlar, "acme", "write", 2);
        TaskBoard.task(ashlar, "acme", "review", null);
        TaskBoard.task(ashlar, "acme", "ship", 1);
        TaskBoard.task(ashlar, "acme", "deleted", 3);
        db.execute("UPDATE board_tasks SET deleted_at = now() WHERE title = 'deleted'");
        TaskBoard.task(ashlar, "globex", "secret", 9);
    }

    @Test
    void readsOneFieldOfEveryRowInTheReadsOrderNullsKept() {
        assertThat(ashlar.withTenant("acme").read("task").sort(Sort.asc("title")).values("title", String.class))
                .containsExactly("review", "ship", "write");
        assertThat(ashlar.withTenant("acme").read(TASKS).sort(TITLE.asc()).values(PRIORITY))
                .containsExactly(null, 1, 2);
    }

    @Test
    void theReadsFilterAndPageApply() {
        assertThat(ashlar.withTenant("acme").read("task").where(gt("priority", 1)).values("title", String.class))
                .containsExactly("write");
        assertThat(ashlar.withTenant("acme").read(TASKS).sort(PRIORITY.asc().nullsLast()).limit(2).values(TITLE))
                .containsExactly("ship", "write");
        Integer ship = ashlar.withTenant("acme").read(TASKS).where(TITLE.eq("ship")).values(ID).get(0);
        assertThat(db.value("SELECT title FROM board_tasks WHERE id = " + ship)).isEqualTo("ship");
    }

    @Test
    void aTenantsValuesNeverHoldAnotherTenantsRows() {
        assertThat(ashlar.withTenant("globex").read("task").values("title", String.class)).containsExactly("secret");
        assertThat(ashlar.withTenant("acme").read(TASKS).values(TITLE)).doesNotContain("secret", "deleted");
    }

    @Test
    void refusesAFieldTheResourceLacksAndAValueOfAnotherTypeNamingTheField() {
        assertThatThrownBy(() -> ashlar.read("task").values("titel", String.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("titel")
                .hasMessageContaining("did you mean 'title'?");
        assertThatThrownBy(() -> ashlar.read("task").values("title", Integer.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("title");
        assertThatThrownBy(() -> ashlar.read("task").values(null, String.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("field");
    }
}
