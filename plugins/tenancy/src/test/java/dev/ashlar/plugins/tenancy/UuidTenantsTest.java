package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.pgEnum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's usual tenant: a UUID key named by the template {@code ["org_", :id]}. Its schema name holds
 * hyphens, which AshPostgres allows ({@code ^[a-zA-Z0-9_-]+$}) and every statement must quote.
 */
class UuidTenantsTest extends MigratedDomainTest {
    static final Resource ORG = Resource.builder("org").table("orgs").uuidPrimaryKey("id")
            .attribute("name", TEXT)
            .with(ManageTenant.template("org_", "id").dropSchemaOnDestroy(true))
            .build();
    static final Resource TASK = Resource.builder("task").table("tasks").integerPrimaryKey("id")
            .attribute("title", TEXT).attribute("state", pgEnum("task_state", "todo", "done"))
            .identity("unique_title", "title")
            .hasMany("steps", "step")
            .with(Multitenancy.context())
            .build();
    static final Resource STEP = Resource.builder("step").table("steps").integerPrimaryKey("id")
            .attribute("body", TEXT).belongsTo("task", "task")
            .with(Multitenancy.context())
            .build();
    static final Domain DOMAIN = Domain.builder("orgs").resources(ORG, TASK, STEP).build();

    UuidTenantsTest() {
        super(DOMAIN, "org_");
    }

    private static String schemaOf(Row org) {
        return "org_" + org.get("id");
    }

    @Test
    void aTenantKeyedByAUuidGetsItsSchemaAndReadsAndWritesOnlyThere() {
        Row acme = ashlar.create("org", Map.of("name", "acme"));
        Row globex = ashlar.create("org", Map.of("name", "globex"));
        Ashlar a = ashlar.withTenant(schemaOf(acme));
        Ashlar g = ashlar.withTenant(schemaOf(globex));

        assertThat(schemaOf(acme)).contains("-");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                + "AND table_name IN ('tasks', 'steps')", schemaOf(acme))).isEqualTo(2L);
        Row task = a.create("task", Map.of("title", "ship", "state", "todo"));
        a.createAll("step", List.of(Map.of("body", "build", "task_id", task.get("id")),
                Map.of("body", "test", "task_id", task.get("id"))));
        a.upsert("task", Map.of("title", "ship", "state", "done"), Upsert.on("unique_title").update("state"));
        g.create("task", Map.of("title", "other", "state", "todo"));

        assertThat(a.read("task").where(Filter.eq("state", "done")).load("steps").list())
                .flatExtracting(r -> r.related("steps")).extracting(r -> r.getString("body"))
                .containsExactlyInAnyOrder("build", "test");
        assertThat(a.read("task").where(Filter.sql("EXISTS (SELECT 1 FROM steps s WHERE s.task_id = tasks.id)"))
                .count()).isEqualTo(1);
        assertThat(a.updateAll(Query.of("step"), Map.of("body", "done"))).hasSize(2);
        assertThat(g.read("task").list()).extracting(r -> r.getString("title")).containsExactly("other");
        assertThat(db.value("SELECT string_agg(title || ':' || state, ',') FROM \"" + schemaOf(acme) + "\".tasks"))
                .isEqualTo("ship:done");
        assertThat(g.destroyAll(Query.of("task"))).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM \"" + schemaOf(acme) + "\".steps WHERE body = 'done'"))
                .isEqualTo(2L);
    }

    @Test
    void migratingAndDroppingAUuidTenantQuotesItsSchema() {
        Row acme = ashlar.create("org", Map.of("name", "acme"));
        Resource grown = Resource.builder("task").table("tasks").integerPrimaryKey("id")
                .attribute("title", TEXT).attribute("state", pgEnum("task_state", "todo", "done"))
                .attribute("due", TEXT)
                .identity("unique_title", "title").hasMany("steps", "step")
                .with(Multitenancy.context()).build();
        new Codegen(project, Domain.builder("orgs").resources(ORG, grown, STEP).build(),
                Plugins.none().with(new TenancyPlugin()), Renames.none(), Clock.systemUTC()).generate("add_due");

        TenantReport report = new TenantMigrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT))
                .migrate(List.of(schemaOf(acme)).iterator(), 1);

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.migrated()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? "
                + "AND table_name = 'tasks' AND column_name = 'due'", schemaOf(acme))).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = ?", schemaOf(acme)))
                .isEqualTo(2L);

        ashlar.destroy(acme);

        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'org\\_%'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations")).isEqualTo(0L);
    }

    @Test
    void theDriftCheckReadsAUuidTenantsSchemaAndNamesWhatChangedThere() {
        Row acme = ashlar.create("org", Map.of("name", "acme"));
        dev.ashlar.kernel.drift.DriftCheck drift = new dev.ashlar.kernel.drift.DriftCheck(db.dataSource(),
                new dev.ashlar.kernel.snapshot.SnapshotStore(project).latest());
        assertThat(drift.compare(List.of(schemaOf(acme)))).isEmpty();

        db.execute("ALTER TABLE \"" + schemaOf(acme) + "\".tasks DROP COLUMN state");

        assertThat(drift.compare(List.of(schemaOf(acme)))).extracting(Object::toString).singleElement().asString()
                .contains(schemaOf(acme), "tasks.state");
    }
}
