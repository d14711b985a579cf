package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;

import java.time.Instant;
import java.util.Map;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;

/**
 * Tasks of two tenants in one table (a tenant column), with a base filter that hides deleted tasks: the domain of the
 * tests that check a read or write reaches the handle's tenant's visible rows and no others.
 */
final class TaskBoard {
    record Task(Integer id, String title, Integer priority, String tenant, Instant deletedAt) {
        static final Table<Task> TASKS = Table.of("task", Task.class);
        static final Field<Task, Integer> ID = TASKS.integerPrimaryKey("id");
        static final TextField<Task> TITLE = TASKS.attribute("title", TEXT);
        static final Field<Task, Integer> PRIORITY = TASKS.attribute("priority", INTEGER);
        static final TextField<Task> TENANT = TASKS.attribute("tenant", TEXT);
        static final Field<Task, Instant> DELETED_AT = TASKS.attribute("deleted_at", Kind.TIMESTAMPTZ);
        static final Resource RESOURCE = TASKS.builder().table("board_tasks")
                .add(ID, TITLE, PRIORITY, TENANT, DELETED_AT)
                .baseFilter("deleted_at IS NULL", Filter.isNil("deleted_at"))
                .build();
    }

    static final Domain DOMAIN = Domain.builder("task_board").resources(Task.RESOURCE).build();

    private TaskBoard() {
    }

    static OneResourceTenancy tenancy() {
        return OneResourceTenancy.column("task", "tenant", true);
    }

    /** A tenant's task, created through the tenant's handle. */
    static int task(Ashlar ashlar, String tenant, String title, Integer priority) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("title", title);
        values.put("priority", priority);
        return (Integer) ashlar.withTenant(tenant).create("task", values).get("id");
    }
}
