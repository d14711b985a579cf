package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.TaskBoard.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.ashlar.kernel.data.TaskBoard.Task.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed read by key ({@code get(TASKS, id)}, {@code find(TASKS, id)}) maps the result straight onto the record,
 * with no row in between: the same record the string API's row maps onto, in the handle's tenant's visible rows only.
 */
class TypedReadByKeyTest extends DomainDatabaseTest {
    private int write;
    private int review;
    private int deleted;
    private int secret;

    /** A record of the task resource with a component the resource does not have. */
    record TaskWithExtra(Integer id, String title, String subtitle) {
        static final Table<TaskWithExtra> TASKS = Table.of("task", TaskWithExtra.class);
    }

    TypedReadByKeyTest() {
        super(TaskBoard.DOMAIN, TaskBoard.tenancy());
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE board_tasks");
        write = TaskBoard.task(ashlar, "acme", "write", 2);
        review = TaskBoard.task(ashlar, "acme", "review", null);
        deleted = TaskBoard.task(ashlar, "acme", "deleted", 3);
        db.execute("UPDATE board_tasks SET deleted_at = now() WHERE title = 'deleted'");
        secret = TaskBoard.task(ashlar, "globex", "secret", 9);
    }

    @Test
    void getAndFindGiveTheRecordTheStringApisRowMapsOnto() {
        Ashlar acme = ashlar.withTenant("acme");

        for (int id : new int[] {write, review}) {
            Task mapped = acme.get("task", id).as(Task.class);
            assertThat(acme.get(TASKS, id)).isEqualTo(mapped);
            assertThat(acme.find(TASKS, id)).contains(mapped);
        }
        assertThat(acme.get(TASKS, review).priority()).as("a NULL column is a null component").isNull();
        assertThat(acme.withTimeout(Duration.ofSeconds(5)).get(TASKS, write).title())
                .as("a handle with a timeout reads the same way").isEqualTo("write");
    }

    @Test
    void anotherTenantsKeyIsNotFoundAndTheBaseFilterStillHidesRows() {
        Ashlar globex = ashlar.withTenant("globex");

        assertThat(globex.find(TASKS, write)).as("acme's task, asked for by globex").isEmpty();
        assertThatThrownBy(() -> globex.get(TASKS, write)).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(globex.get(TASKS, secret).title()).isEqualTo("secret");
        assertThat(ashlar.withTenant("acme").find(TASKS, deleted)).as("hidden by the base filter").isEmpty();
        assertThat(ashlar.withTenant("acme").find(TASKS, 404)).isEmpty();
    }

    @Test
    void aRecordComponentTheRowsDoNotHoldIsRefusedNamingItAsWhenARowIsMapped() {
        Ashlar acme = ashlar.withTenant("acme");
        String fromRow = null;
        try {
            acme.get("task", write).as(TaskWithExtra.class);
        } catch (AshlarException e) {
            fromRow = e.getMessage();
        }

        assertThat(fromRow).contains("subtitle");
        assertThatThrownBy(() -> acme.get(TaskWithExtra.TASKS, write)).isInstanceOf(AshlarException.class)
                .hasMessage(fromRow);
        assertThatThrownBy(() -> acme.find(TaskWithExtra.TASKS, write)).isInstanceOf(AshlarException.class)
                .hasMessage(fromRow);
    }

    @Test
    void aNullTableIsRefusedNamingTheArgumentNotANullPointer() {
        Ashlar acme = ashlar.withTenant("acme");

        assertThatThrownBy(() -> acme.get((Table<Task>) null, write)).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessage("Ashlar.get was given null for its table; give one");
        assertThatThrownBy(() -> acme.find((Table<Task>) null, write)).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessage("Ashlar.find was given null for its table; give one");
    }
}
