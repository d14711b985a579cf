package dev.ashlar.cli;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.CitusTest;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema-per-tenant on a real Citus cluster as a user meets it: the data API of one tenant never reaching another's
 * rows (reads by key, bulk writes, upserts, updates, deletes, aggregates, relationship loads); a tenant migration
 * (a column and a unique index) reaching every tenant's shard on the workers and rolled back there; a Java tenant
 * migration; and a tenant file Citus cannot run, failing in each schema by name with nothing of it left.
 */
@CitusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CitusTenantProbesTest {
    private static final Plugins PLUGINS = Plugins.none().with(new TenancyPlugin());
    private static final List<String> TENANTS = List.of("org_acme", "org_globex");

    private Path folder;
    private TestDatabase db;
    private Ashlar ashlar;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    static Domain domain(boolean withCode) {
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        var note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("body", TEXT, a -> a.notNull()).attribute("rating", INTEGER)
                .with(Multitenancy.context());
        if (withCode) {
            note.attribute("code", TEXT).identity("unique_code", "code");
        }
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("body", TEXT).belongsTo("note", "note").with(Multitenancy.context()).build();
        return Domain.builder("workspace").resources(organization, note.build(), comment).build();
    }

    /** Writes a row naming the schema it ran in, by the unqualified name notes; its down deletes it. */
    static class V20300101000000__note_schema extends BaseJavaMigration {
        @Override
        public Scope scope() {
            return Scope.TENANT;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO notes (body) VALUES (current_schema())");
            }
        }

        @Override
        public void down(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM notes WHERE body = current_schema()");
            }
        }
    }

    @BeforeAll
    void mainSchema(TestDatabase database) throws IOException {
        db = database;
        folder = Files.createTempDirectory("ashlar-citus");
        project(false).generate("create_workspace", Renames.none());
        project(false).migrate();
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain(false)).install(new TenancyPlugin())
                .discoverPlugins(false).tenantMigrations(project(false).layout().migrations(Scope.TENANT)).build();
        for (String org : List.of("acme", "globex")) {
            ashlar.create("organization", Map.of("id", org));
        }
    }

    @AfterAll
    void close() {
        ashlar.close();
    }

    private Project project(boolean withCode) {
        now = now.plus(Duration.ofMinutes(1));
        return Project.open(folder).domain(domain(withCode), PLUGINS).dataSource(db.dataSource())
                .progress(line -> { }).clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    @Order(1)
    void aTenantsDataApiNeverReachesAnotherTenantsRows() {
        Ashlar globex = ashlar.withTenant("org_globex");
        Ashlar acme = ashlar.withTenant("org_acme");
        List<Row> secrets = globex.createAll("note", List.of(Map.of("body", "secret 1", "rating", 5),
                Map.of("body", "secret 2", "rating", 5), Map.of("body", "secret 3", "rating", 5)));
        long secret = secrets.get(2).getLong("id");
        acme.create("note", Map.of("body", "acme's", "rating", 1));

        assertThat(acme.read("note").where(eq("id", secret)).list()).as("by another tenant's key").isEmpty();
        assertThat(acme.read("note").count()).isEqualTo(1);
        assertThat(acme.read("note").sum("rating").longValue()).isEqualTo(1);
        assertThat(acme.read("note").where(eq("body", "secret 1")).updateAll(Map.of("body", "pwned"))).isEmpty();
        assertThat(acme.upsert("note", List.of(Map.of("id", secret, "body", "pwned")), Upsert.onPrimaryKey()))
                .hasSize(1);
        assertThat(acme.createAll("note", List.of(Map.of("body", "bulk 1"), Map.of("body", "bulk 2")),
                Bulk.collectErrors()).errors()).isEmpty();
        long comment = acme.create("comment", Map.of("body", "on a key of globex's", "note_id", secret))
                .getLong("id");
        Row loaded = acme.read("comment").where(eq("id", comment)).load("note").one().orElseThrow();
        assertThat(loaded.relatedOne("note").orElseThrow().getString("body")).as("the upserted row of acme's own").isEqualTo("pwned");
        assertThat(acme.read("note").where(eq("body", "secret 2")).destroyAll()).isZero();

        assertThat(db.query("SELECT body FROM org_globex.notes ORDER BY id")).extracting(r -> r.get("body"))
                .containsExactly("secret 1", "secret 2", "secret 3");
        assertThat(db.query("SELECT body FROM org_acme.notes ORDER BY body")).extracting(r -> r.get("body"))
                .containsExactly("acme's", "bulk 1", "bulk 2", "pwned");
        assertThat(globex.read("note").count()).isEqualTo(3);
        assertThat(globex.read("comment").count()).isZero();
    }

    @Test
    @Order(2)
    void aTenantMigrationReachesEveryTenantsShardOnTheWorkersAndIsRolledBackThere() {
        Project withCode = project(true);
        withCode.generate("add_code", Renames.none());

        TenantReport report = withCode.migrateTenants(TenantSelection.all());

        assertThat(report.failures()).isEmpty();
        assertThat(report.migrated()).isEqualTo(TENANTS.size());
        for (String tenant : TENANTS) {
            assertThat(onShard(tenant, "SELECT count(*) FROM pg_attribute WHERE attrelid = '%s'::regclass "
                    + "AND attname = 'code'")).as(tenant + "'s shard has the column").isEqualTo("1");
            assertThat(onShard(tenant, "SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = "
                    + "i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = '%s'::regclass AND i.indisunique "
                    + "AND a.attname = 'code'")).as(tenant + "'s shard has the unique index").isEqualTo("1");
        }

        // Codegen writes the column and the concurrent index in two files: two steps undo both.
        TenantReport undone = withCode.rollbackTenants(TenantSelection.all(), 2);

        assertThat(undone.failures()).isEmpty();
        assertThat(undone.migrated()).isEqualTo(TENANTS.size());
        for (String tenant : TENANTS) {
            assertThat(onShard(tenant, "SELECT count(*) FROM pg_attribute WHERE attrelid = '%s'::regclass "
                    + "AND attname = 'code' AND NOT attisdropped")).as(tenant + "'s shard lost the column")
                    .isEqualTo("0");
        }
        assertThat(withCode.migrateTenants(TenantSelection.all()).migrated()).isEqualTo(TENANTS.size());
    }

    @Test
    @Order(3)
    void aJavaTenantMigrationRunsInEachTenantsSchemaOnItsWorkerAndIsRolledBack() {
        Project withJava = project(true).javaMigrations(new V20300101000000__note_schema());

        TenantReport report = withJava.migrateTenants(TenantSelection.all());

        assertThat(report.failures()).isEmpty();
        assertThat(report.migrated()).isEqualTo(TENANTS.size());
        for (String tenant : TENANTS) {
            assertThat(db.value("SELECT count(*) FROM " + tenant + ".notes WHERE body = '" + tenant + "'"))
                    .isEqualTo(1L);
            assertThat(db.value("SELECT count(*) FROM " + tenant + ".ashlar_schema_migrations "
                    + "WHERE name = 'note_schema'")).isEqualTo(1L);
        }

        TenantReport undone = withJava.rollbackTenants(TenantSelection.all(), 1);

        assertThat(undone.failures()).isEmpty();
        assertThat(db.value("SELECT count(*) FROM org_acme.notes WHERE body = 'org_acme'")).isEqualTo(0L);
        assertThat(withJava.migrateTenants(TenantSelection.all()).migrated()).isEqualTo(TENANTS.size());
    }

    @Test
    @Order(5)
    void aTenantCreatedLaterIsGivenTheJavaTenantMigrationOnItsWorker() {
        try (Ashlar withJava = Ashlar.builder().dataSource(db.dataSource()).domain(domain(true))
                .install(new TenancyPlugin()).discoverPlugins(false)
                .tenantMigrations(project(true).layout().migrations(Scope.TENANT))
                .tenantJavaMigrations(List.of(new V20300101000000__note_schema())).build()) {
            withJava.create("organization", Map.of("id", "initech"));
        }

        assertThat(db.value("SELECT count(*) FROM citus_schemas WHERE schema_name::text = 'org_initech'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM org_initech.notes WHERE body = 'org_initech'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM org_initech.ashlar_schema_migrations WHERE name = 'note_schema'"))
                .isEqualTo(1L);
    }

    @Test
    @Order(6)
    void aTriggerInATenantFileIsRefusedByCitusWithTheFixAndRunsOnceTheFileTurnsUnsafeTriggersOn() throws IOException {
        Path file = project(true).layout().migrations(Scope.TENANT).resolve("20310101000000_shout.sql");
        String trigger = """
                CREATE FUNCTION notes_shout() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.body := upper(NEW.body); RETURN NEW; END $$;
                CREATE TRIGGER notes_shout BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_shout();
                -- migrate:down
                SET LOCAL citus.enable_unsafe_triggers = on;
                DROP TRIGGER notes_shout ON notes;
                DROP FUNCTION notes_shout();
                """;
        Files.writeString(file, "-- migrate:up\n" + trigger);
        Project project = project(true).javaMigrations(new V20300101000000__note_schema());
        TenantSelection acme = TenantSelection.named(List.of("org_acme"));
        try {
            assertThat(project.migrateTenants(acme).failures()).singleElement().satisfies(failure -> assertThat(
                    failure.message()).contains("20310101000000_shout.sql failed on org_acme at statement 2")
                    .contains("triggers are not supported on distributed tables")
                    .contains("write 'SET LOCAL citus.enable_unsafe_triggers = on;' first in this section")
                    .contains("Nothing of this file was applied."));
            assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'notes_shout'")).isEqualTo(0L);

            Files.writeString(file, "-- migrate:up\nSET LOCAL citus.enable_unsafe_triggers = on;\n" + trigger);

            assertThat(project.migrateTenants(acme).failures()).isEmpty();
            ashlar.withTenant("org_acme").create("note", Map.of("body", "quiet"));
            assertThat(db.value("SELECT count(*) FROM org_acme.notes WHERE body = 'QUIET'")).isEqualTo(1L);
            assertThat(project.rollbackTenants(acme, 1).failures()).isEmpty();
            assertThat(db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'notes_shout'")).isEqualTo(0L);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    @Order(4)
    void aTenantFileCitusCannotRunFailsInEachSchemaByNameWithNothingOfItLeft() throws IOException {
        Path file = project(true).layout().migrations(Scope.TENANT).resolve("20310101000000_key_to_organizations.sql");
        Files.writeString(file, """
                -- migrate:up
                ALTER TABLE notes ADD COLUMN org_id text;
                ALTER TABLE notes ADD CONSTRAINT notes_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.organizations (id);
                -- migrate:down
                ALTER TABLE notes DROP COLUMN org_id;
                """);
        try {
            TenantReport report = project(true).javaMigrations(new V20300101000000__note_schema())
                    .migrateTenants(TenantSelection.all());

            assertThat(report.failures()).extracting(TenantReport.Failure::schema)
                    .containsExactlyInAnyOrderElementsOf(TENANTS);
            assertThat(report.failures()).allSatisfy(failure -> assertThat(failure.message())
                    .contains(failure.schema()).contains("20310101000000_key_to_organizations.sql")
                    .contains("must be a distributed table or a reference table")
                    .contains("SELECT create_reference_table('schema.table')"));
            for (String tenant : TENANTS) {
                assertThat(onShard(tenant, "SELECT count(*) FROM pg_attribute WHERE attrelid = '%s'::regclass "
                        + "AND attname = 'org_id' AND NOT attisdropped")).as(tenant).isEqualTo("0");
                assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                        + tenant + "' AND column_name = 'org_id'")).isEqualTo(0L);
            }
        } finally {
            Files.delete(file);
        }
    }

    /** A query's result on the worker shard of a tenant's notes table ({@code %s} is the shard's name). */
    private String onShard(String tenant, String sql) {
        List<Map<String, Object>> rows = db.query("SELECT success, result FROM run_command_on_shards('" + tenant
                + ".notes', $$" + sql + "$$)");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("success")).as(String.valueOf(rows.get(0).get("result"))).isEqualTo(true);
        return (String) rows.get(0).get("result");
    }
}
