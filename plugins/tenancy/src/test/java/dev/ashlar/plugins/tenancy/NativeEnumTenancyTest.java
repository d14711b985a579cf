package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.pgEnum;
import static org.assertj.core.api.Assertions.assertThat;

/** A native enum type of a tenant resource lives in every tenant's schema, and the data layer finds it there. */
@ExtendWith(PostgresExtension.class)
class NativeEnumTenancyTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("enum_tenant_", "id")).build();
    static final Resource TASK = Resource.builder("task").table("tasks").primaryKey("id")
            .attribute("state", pgEnum("task_state", "todo", "doing", "done"), a -> a.notNull())
            .with(Multitenancy.context()).build();

    @TempDir
    Path project;

    @Test
    void eachTenantSchemaGetsTheTypeAndWritesReadsAndFiltersThroughIt(TestDatabase db) throws IOException {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("tasks").resources(TENANT, TASK)
                .build(), "enum_tenant_")) {
            try (Stream<Path> files = Files.list(Codegen.migrations(project, Scope.TENANT))) {
                assertThat(Files.readString(files.findFirst().orElseThrow()))
                        .contains("CREATE TYPE \"task_state\" AS ENUM ('todo', 'doing', 'done');");
            }
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar acme = ashlar.withTenant("enum_tenant_acme");

            acme.createAll("task", List.of(Map.of("id", 1, "state", "done"), Map.of("id", 2, "state", "todo"),
                    Map.of("id", 3, "state", "doing")));
            acme.create("task", Map.of("id", 4, "state", "todo"));

            assertThat(acme.read("task").where(Filter.in("state", List.of("todo", "doing")))
                    .sort(Sort.asc("state"), Sort.asc("id")).list()).extracting(r -> r.get("id"))
                    .containsExactly(2L, 4L, 3L);
            assertThat(acme.read("task").where(Filter.eq("state", "done")).count()).isEqualTo(1);
            assertThat(db.query("SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                    + "WHERE t.typname = 'task_state' ORDER BY 1")).extracting(r -> r.get("nspname"))
                    .containsExactly("enum_tenant_acme", "enum_tenant_globex");
        }
    }

    @Test
    void aLabelAddedToATenantTypeReachesEveryTenantSchemaAndItsRowsStay(TestDatabase db) {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("tasks").resources(TENANT, TASK)
                .build(), "enum_tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            ashlar.withTenant("enum_tenant_acme").create("task", Map.of("id", 1, "state", "doing"));
            Resource grown = Resource.builder("task").table("tasks").primaryKey("id")
                    .attribute("state", pgEnum("task_state", "todo", "doing", "blocked", "done"), a -> a.notNull())
                    .with(Multitenancy.context()).build();
            new Codegen(project, Domain.builder("tasks").resources(TENANT, grown).build(),
                    Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC()).generate("blocked");

            TenantReport report = new TenantMigrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT))
                    .migrate(List.of("enum_tenant_acme", "enum_tenant_globex").iterator(), 2);

            assertThat(report.succeeded()).as(report.toString()).isTrue();
            assertThat(db.query("SELECT n.nspname || ':' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
                    + "AS labels FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n "
                    + "ON n.oid = t.typnamespace WHERE t.typname = 'task_state' GROUP BY n.nspname ORDER BY 1"))
                    .extracting(r -> r.get("labels")).containsExactly("enum_tenant_acme:todo,doing,blocked,done",
                            "enum_tenant_globex:todo,doing,blocked,done");
            assertThat(db.value("SELECT state::text FROM enum_tenant_acme.tasks WHERE id = 1")).isEqualTo("doing");
        }
    }
}
