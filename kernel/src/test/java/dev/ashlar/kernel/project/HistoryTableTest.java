package dev.ashlar.kernel.project;

import dev.ashlar.kernel.drift.DriftCheck;
import dev.ashlar.kernel.inspect.DatabaseInspector;
import dev.ashlar.kernel.inspect.InspectedTable;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The migration history kept in a table of the user's choosing (Flyway's table), main and tenant schemas. */
@ExtendWith(PostgresExtension.class)
class HistoryTableTest {
    /** Upper case, a space and quotes: a name that works only quoted. */
    private static final String ODD = "My \"odd\" History";

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS histtable_a CASCADE; "
                + "DROP SCHEMA IF EXISTS histtable_b CASCADE; DROP SCHEMA IF EXISTS histtable_c CASCADE; "
                + "CREATE SCHEMA histtable_a; CREATE SCHEMA histtable_b");
        file(dir, "migrations/20260101000000_create_settings.sql", "CREATE TABLE settings (key text, history text);\n"
                + "INSERT INTO settings VALUES ('table', '${ashlar:table}');", "DROP TABLE settings;");
        file(dir, "migrations/20260102000000_create_notes.sql", "CREATE TABLE notes (body text);",
                "DROP TABLE notes;");
        file(dir, "tenant_migrations/20260101000000_create_items.sql", "CREATE TABLE items (name text);",
                "DROP TABLE items;");
    }

    private static void file(Path root, String path, String up, String down) throws IOException {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
    }

    private boolean exists(String schema, String table) {
        return (Boolean) db.value("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'r')",
                schema, table);
    }

    /** The versions a history table holds, read through the catalog's exact name. */
    private List<Object> versions(String schema, String table) {
        return db.query("SELECT version FROM " + quoted(schema) + "." + quoted(table) + " ORDER BY version").stream()
                .map(row -> row.get("version")).toList();
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Test
    void migrateWithAHistoryTableNameRecordsInThatTableAndMakesNoDefaultOne() {
        project().historyTable(ODD).migrate();

        assertThat(exists("public", ODD)).isTrue();
        assertThat(exists("public", "ashlar_schema_migrations")).isFalse();
        assertThat(versions("public", ODD)).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT history FROM settings")).isEqualTo(ODD);
        assertThat(project().historyTable(ODD).status()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.APPLIED);
        // The default history knows nothing of it: another project would start from nothing.
        assertThat(project().status()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.PENDING);
    }

    @Test
    void theDriftCheckAndTheInspectorLeaveOutTheNamedHistoryButNotAUserTableWithItsColumns() {
        project().historyTable(ODD).migrate();
        db.execute("CREATE TABLE releases (version text PRIMARY KEY, checksum text, checksum_algorithm text, "
                + "duration_ms bigint); INSERT INTO releases VALUES ('1.0', 'abc', 'sha256', 12)");

        assertThat(DriftCheck.read(db.dataSource(), List.of("public"), ODD).get("public").tables().keySet())
                .containsExactlyInAnyOrder("settings", "notes", "releases");
        assertThat(new DatabaseInspector(db.dataSource(), "public", ODD).tables()).extracting(InspectedTable::name)
                .containsExactlyInAnyOrder("settings", "notes", "releases");
    }

    @Test
    void theSettingsFileNamesTheHistoryTableAndTheProjectsOwnSettingWinsOverIt() throws IOException {
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.history-table = from_file_history\n");

        project().migrateTo("20260101000000");

        assertThat(versions("public", "from_file_history")).containsExactly("20260101000000");
        assertThat(exists("public", "ashlar_schema_migrations")).isFalse();
        assertThat(project().status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED, MigrationStatus.State.PENDING);
        assertThat(project().historyTable("own_history").status()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.PENDING);
    }

    @Test
    void rollbackBaselineRepairTagAndValidateReadTheNamedHistory() throws IOException {
        Project named = project().historyTable("App_History");
        named.migrate();

        named.rollback(1);
        assertThat(versions("public", "App_History")).containsExactly("20260101000000");
        assertThat(exists("public", "notes")).isFalse();

        db.execute("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')");
        named.baseline("20260102000000");
        assertThat(db.value("SELECT baselined FROM public.\"App_History\" WHERE version = '20260102000000'"))
                .isEqualTo(true);

        named.tag("release-1");
        assertThat(named.tags()).containsEntry("release-1", "20260102000000");

        file(dir, "migrations/20260102000000_create_notes.sql", "CREATE TABLE notes (body text); -- edited",
                "DROP TABLE notes;");
        assertThatThrownBy(named::validate).isInstanceOf(MigrationException.class);
        assertThat(named.repair()).isNotEmpty();
        assertThat(named.validate()).extracting(MigrationStatus::state).doesNotContain(MigrationStatus.State.PENDING);
        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(1L);
        assertThat(exists("public", "ashlar_schema_migrations")).isFalse();
    }

    @Test
    void twoProjectsWithTheirOwnHistoryTablesInOneSchemaMigrateIndependentlyEvenAtOnce(@TempDir Path other)
            throws IOException {
        // The same version in both projects: each history holds only its own project's file.
        file(other, "migrations/20260101000000_create_orders.sql", "CREATE TABLE orders (id int);\n"
                + "INSERT INTO orders SELECT generate_series(1, 1000);", "DROP TABLE orders;");
        Project first = project().historyTable("first_history");
        Project second = Project.open(other).dataSource(db.dataSource()).progress(line -> { })
                .historyTable("second_history");

        CompletableFuture<?> one = CompletableFuture.runAsync(first::migrate);
        CompletableFuture<?> two = CompletableFuture.runAsync(second::migrate);
        CompletableFuture.allOf(one, two).join();

        assertThat(versions("public", "first_history")).containsExactly("20260101000000", "20260102000000");
        assertThat(versions("public", "second_history")).containsExactly("20260101000000");
        assertThat(db.value("SELECT name FROM second_history")).isEqualTo("create_orders");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(1000L);
        // Neither sees the other's files as applied-but-missing.
        assertThat(first.validate()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.APPLIED);
        assertThat(second.validate()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.APPLIED);
        // The drift check of one leaves out its own history only: the other's is a table of the schema to it.
        assertThat(DriftCheck.read(db.dataSource(), List.of("public"), "first_history").get("public").tables()
                .keySet()).containsExactlyInAnyOrder("settings", "notes", "orders", "second_history");

        second.rollback(1);
        assertThat(versions("public", "second_history")).isEmpty();
        assertThat(versions("public", "first_history")).hasSize(2);
        assertThat(exists("public", "settings")).isTrue();
    }

    @Test
    void oneProjectsRepairKeepsWhereAnotherProjectsFileOutsideATransactionStoppedInTheSameSchema(@TempDir Path other)
            throws IOException {
        // The same version as the first project's second file, run statement by statement, failing at its third.
        Path stopping = other.resolve("migrations/20260102000000_b1.sql");
        Files.createDirectories(stopping.getParent());
        Files.writeString(stopping, "-- migrate:up transaction:false\nCREATE TABLE b1 (id int);\n"
                + "INSERT INTO b1 VALUES (1);\nINSERT INTO b1 VALUES (1 / 0);\n-- migrate:down\nDROP TABLE b1;\n");
        Project first = project().historyTable("a_history");
        Project second = Project.open(other).dataSource(db.dataSource()).progress(line -> { })
                .historyTable("b_history");
        first.migrate();
        assertThatThrownBy(second::migrate).isInstanceOf(MigrationException.class);
        assertThat(db.value("SELECT count(*) FROM b1")).isEqualTo(1L);

        first.repair();
        first.migrate();

        Files.writeString(stopping, Files.readString(stopping).replace("1 / 0", "2"));
        second.migrate();
        assertThat(db.query("SELECT id FROM b1 ORDER BY id")).extracting(row -> row.get("id")).containsExactly(1, 2);
        assertThat(versions("public", "b_history")).containsExactly("20260102000000");
        assertThat(versions("public", "a_history")).containsExactly("20260101000000", "20260102000000");
    }

    @Test
    void tenantSchemasKeepTheirHistoryInTheNamedTableAndANewTenantGetsItToo() throws Exception {
        Project named = project().historyTable(ODD);
        TenantSelection both = TenantSelection.named(List.of("histtable_a", "histtable_b"));

        assertThat(named.migrateTenants(both).failed()).isZero();

        for (String schema : List.of("histtable_a", "histtable_b")) {
            assertThat(exists(schema, ODD)).isTrue();
            assertThat(exists(schema, "ashlar_schema_migrations")).isFalse();
            assertThat(versions(schema, ODD)).containsExactly("20260101000000");
        }
        assertThat(exists("public", "ashlar_tenant_migrations")).isTrue();
        assertThat(named.tenantStatus(both).pending()).isEmpty();
        assertThat(named.tenantStatus(TenantSelection.named(List.of("histtable_a"))).strays())
                .containsExactly("histtable_b");

        assertThat(named.rollbackTenants(both, 1).failed()).isZero();
        assertThat(versions("histtable_a", ODD)).isEmpty();
        assertThat(exists("histtable_a", "items")).isFalse();

        try (Connection connection = db.dataSource().getConnection()) {
            new TenantSchemas(dir.resolve("tenant_migrations")).historyTable(ODD).create(connection, "histtable_c");
        }
        assertThat(versions("histtable_c", ODD)).containsExactly("20260101000000");
        assertThat(exists("histtable_c", "ashlar_schema_migrations")).isFalse();
        db.execute("DROP SCHEMA histtable_a CASCADE; DROP SCHEMA histtable_b CASCADE; DROP SCHEMA histtable_c CASCADE");
    }

    @Test
    void aTenantWhoseHistoryIsNotUnderARenamedHistoryTableFailsNamingTheTenantTheTableAndTheFixWhileAnotherProjectRuns(
            @TempDir Path other) throws IOException {
        // Two projects keep their own histories in the same tenant schemas.
        file(other, "tenant_migrations/20260201000000_create_tags.sql", "CREATE TABLE tags (name text);",
                "DROP TABLE tags;");
        Project first = project().historyTable("first_history");
        Project second = Project.open(other).dataSource(db.dataSource()).progress(line -> { })
                .historyTable("second_history");
        TenantSelection both = TenantSelection.named(List.of("histtable_a", "histtable_b"));
        assertThat(first.migrateTenants(both).failed()).isZero();
        assertThat(second.migrateTenants(both).failed()).isZero();
        db.execute("INSERT INTO histtable_a.items VALUES ('a1'), ('a2'); INSERT INTO histtable_b.items VALUES ('b1')");

        // The first project's history table is renamed in its settings, and by hand in one schema only.
        db.execute("ALTER TABLE histtable_a.first_history RENAME TO first_renamed");
        Project renamed = project().historyTable("first_renamed");
        TenantReport report = renamed.migrateTenants(both);

        assertThat(report.upToDate()).isEqualTo(1);
        assertThat(report.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.schema()).isEqualTo("histtable_b");
            assertThat(failure.message()).contains("histtable_b", "\"histtable_b\".\"first_renamed\"",
                    "1 of these tenant", "ALTER TABLE \"histtable_b\".<old name> RENAME TO \"first_renamed\"", "--history-table",
                    "Nothing was applied");
        });
        assertThat(renamed.tenantStatus(both).pending()).containsExactly("histtable_b");
        assertThat(exists("histtable_b", "first_renamed")).isFalse();
        assertThat(versions("histtable_b", "first_history")).containsExactly("20260101000000");
        assertThat(db.value("SELECT count(*) FROM histtable_b.items")).isEqualTo(1L);
        // The other project's history is where it was: its run is not disturbed.
        assertThat(second.migrateTenants(both).upToDate()).isEqualTo(2);

        db.execute("ALTER TABLE histtable_b.first_history RENAME TO first_renamed");
        TenantReport again = renamed.migrateTenants(both);

        assertThat(again.upToDate()).isEqualTo(2);
        assertThat(again.failed()).isZero();
        assertThat(versions("histtable_b", "first_renamed")).containsExactly("20260101000000");
        assertThat(db.query("SELECT name FROM histtable_a.items ORDER BY name")).extracting(row -> row.get("name"))
                .containsExactly("a1", "a2");
        db.execute("DROP SCHEMA histtable_a CASCADE; DROP SCHEMA histtable_b CASCADE");
    }

    @Test
    void cleanDropsTheTenantSchemasButNotAnotherApplicationsSchemaWhoseTableMerelyHasTheHistorysName() {
        db.execute("DROP SCHEMA IF EXISTS other_app CASCADE; CREATE SCHEMA other_app; "
                + "CREATE TABLE other_app.migrations (id serial PRIMARY KEY, name text); "
                + "INSERT INTO other_app.migrations (name) VALUES ('v1'), ('v2'); "
                + "CREATE TABLE other_app.customers (id int); INSERT INTO other_app.customers VALUES (1), (2)");
        Project named = project().historyTable("migrations").cleanEnabled(true);
        named.migrate();
        assertThat(named.migrateTenants(TenantSelection.named(List.of("histtable_a"))).failed()).isZero();
        assertThat(named.tenantStatus(TenantSelection.named(List.of("histtable_a"))).strays()).isEmpty();

        named.clean();

        assertThat((Boolean) db.value("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'histtable_a')"))
                .isFalse();
        assertThat(exists("public", "migrations")).isFalse();
        assertThat(db.value("SELECT count(*) FROM other_app.customers")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM other_app.migrations")).isEqualTo(2L);
        db.execute("DROP SCHEMA other_app CASCADE");
    }

    @Test
    void anEmptyATooLongAnAshlarTableOrAPgNameIsRefusedNamingTheLimitAndTheSetting() {
        assertThatThrownBy(() -> project().historyTable(""))
                .isInstanceOf(MigrationException.class).hasMessageContaining("is empty")
                .hasMessageContaining("--history-table");
        String long64 = "h".repeat(64);
        assertThatThrownBy(() -> project().historyTable(long64))
                .isInstanceOf(MigrationException.class).hasMessageContaining("64 bytes")
                .hasMessageContaining("only 63").hasMessageContaining("migrate.history-table");
        assertThatThrownBy(() -> project().historyTable("ashlar_tenant_migrations"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("another of Ashlar's tables");
        assertThatThrownBy(() -> project().historyTable("pg_tables"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("starts with pg_")
                .hasMessageContaining("--history-table");
        assertThat(exists("public", "settings")).isFalse();
    }

    @Test
    void aBadNameInTheSettingsFileIsRefusedBeforeAnythingIsApplied() throws IOException {
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.history-table = " + "é".repeat(32) + "\n");

        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("64 bytes").hasMessageContaining("migrate.history-table");
        assertThat(exists("public", "settings")).isFalse();
    }

    @Test
    void aNameTakenByATableThatIsNoHistoryOrByAnIndexFailsNamingTheTableAndTheFixAndKeepsItsRows() {
        db.execute("CREATE TABLE audit_log (id int PRIMARY KEY, payload text); "
                + "INSERT INTO audit_log SELECT i, 'row ' || i FROM generate_series(1, 50) i");

        assertThatThrownBy(() -> project().historyTable("audit_log_pkey").migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("public.audit_log_pkey is not an Ashlar migration history")
                .hasMessageContaining("--history-table");

        assertThatThrownBy(() -> project().historyTable("audit_log").migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("public.audit_log is not an Ashlar migration history")
                .hasMessageContaining("--history-table");

        assertThat(db.value("SELECT count(*) FROM audit_log")).isEqualTo(50L);
        assertThat(exists("public", "settings")).isFalse();
        assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = 'audit_log'")).hasSize(2);
    }
}
