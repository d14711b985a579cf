package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationStatus;
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

/**
 * The main schema's migration history kept in a schema of its own ({@code --history-table meta.history}, Flyway's
 * {@code defaultSchema} with {@code table}, Liquibase's {@code liquibaseSchemaName}), checked in the catalog.
 */
@ExtendWith(PostgresExtension.class)
class HistorySchemaTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS meta CASCADE; "
                + "DROP SCHEMA IF EXISTS meta_b CASCADE; DROP SCHEMA IF EXISTS histschema_t CASCADE; "
                + "DROP SCHEMA IF EXISTS histschema_u CASCADE; DROP SCHEMA IF EXISTS \"Hist\"\"Meta\" CASCADE");
        file(dir, "migrations/20260101000000_create_settings.sql", "CREATE TABLE settings (key text, history text);\n"
                + "INSERT INTO settings VALUES ('table', '${ashlar:table}');", "DROP TABLE settings;");
        // The application's own table of the history's name, in public: neither the history nor a history left there.
        file(dir, "migrations/20260102000000_create_history.sql", "CREATE TABLE history (id int);\n"
                + "INSERT INTO history VALUES (1), (2);", "DROP TABLE history;");
    }

    private static void file(Path root, String path, String up, String down) throws IOException {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
    }

    private Project meta() {
        return project().historyTable("meta.history");
    }

    /** The tables of a schema, from information_schema, but the migration locks' table that public always holds. */
    private List<Object> tables(String schema) {
        return db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                + "AND table_name <> 'ashlar_migration_locks' ORDER BY 1", schema)
                .stream().map(row -> row.get("table_name")).toList();
    }

    private List<Object> versions(String table) {
        return db.query("SELECT version FROM " + table + " ORDER BY version").stream().map(row -> row.get("version"))
                .toList();
    }

    private boolean schemaExists(String schema) {
        return (Boolean) db.value("SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = ?)",
                schema);
    }

    @Test
    void migrateCreatesTheMissingHistorySchemaAndRecordsThereWhileTheTablesGoToPublic() {
        assertThat(schemaExists("meta")).isFalse();

        meta().migrate();

        assertThat(schemaExists("meta")).isTrue();
        assertThat(tables("meta")).containsExactly("history");
        assertThat(tables("public")).containsExactly("history", "settings");
        assertThat(versions("meta.history")).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT count(*) FROM public.history")).isEqualTo(2L);
        // ${ashlar:table} names the history where it is.
        assertThat(db.value("SELECT history FROM settings")).isEqualTo("meta.history");
        assertThat(meta().status()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.APPLIED);
        assertThat(meta().migrate()).isEmpty();
    }

    @Test
    void statusValidateChecksumTagRollbackBaselineAndRepairReadAndWriteTheHistoryInItsSchema() throws IOException {
        Project meta = meta();
        List<?> applied = meta.migrate();
        assertThat(applied).hasSize(2);
        String deployment = meta.status().get(0).deploymentId();
        assertThat(db.value("SELECT deployment_id FROM meta.history WHERE version = '20260101000000'"))
                .isEqualTo(deployment);
        assertThat(meta.checksum("20260101000000").holds()).isTrue();
        assertThat(meta.rollbackDeployment(deployment)).hasSize(2);
        assertThat(versions("meta.history")).isEmpty();
        assertThat(tables("public")).isEmpty();
        meta.migrate();

        meta.tag("release-1");
        assertThat(db.value("SELECT tags[1] FROM meta.history WHERE version = '20260102000000'")).isEqualTo("release-1");

        meta.rollback(1);
        assertThat(versions("meta.history")).containsExactly("20260101000000");
        assertThat(tables("public")).containsExactly("settings");

        db.execute("CREATE TABLE public.history (id int)");
        meta.baseline("20260102000000");
        assertThat(db.value("SELECT baselined FROM meta.history WHERE version = '20260102000000'")).isEqualTo(true);

        file(dir, "migrations/20260101000000_create_settings.sql", "CREATE TABLE settings (key text, history text);"
                + " -- edited\nINSERT INTO settings VALUES ('table', '${ashlar:table}');", "DROP TABLE settings;");
        assertThatThrownBy(meta::validate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_create_settings.sql");
        assertThat(meta.repair()).isNotEmpty();
        assertThat(meta.validate()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED, MigrationStatus.State.BASELINED);
        // Nothing of the history was ever in public.
        assertThat(tables("public")).containsExactly("history", "settings");
    }

    @Test
    void twoApplicationsSharingPublicEachKeepTheirHistoryInTheirOwnSchemaEvenMigratingAtOnce(@TempDir Path other)
            throws IOException {
        // The same version as the first application's first file: each history holds only its own.
        file(other, "migrations/20260101000000_create_orders.sql", "CREATE TABLE orders (id int);\n"
                + "INSERT INTO orders SELECT generate_series(1, 500);", "DROP TABLE orders;");
        Project first = meta();
        Project second = Project.open(other).dataSource(db.dataSource()).progress(line -> { })
                .historyTable("meta_b.history");

        CompletableFuture.allOf(CompletableFuture.runAsync(first::migrate), CompletableFuture.runAsync(second::migrate))
                .join();

        assertThat(versions("meta.history")).containsExactly("20260101000000", "20260102000000");
        assertThat(versions("meta_b.history")).containsExactly("20260101000000");
        assertThat(db.value("SELECT name FROM meta_b.history")).isEqualTo("create_orders");
        assertThat(tables("public")).containsExactly("history", "orders", "settings");
        assertThat(first.validate()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.APPLIED);
        assertThat(second.validate()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.APPLIED);

        second.rollback(1);
        assertThat(versions("meta_b.history")).isEmpty();
        assertThat(versions("meta.history")).hasSize(2);
        assertThat(tables("public")).containsExactly("history", "settings");
    }

    @Test
    void aHistoryLeftInPublicWhileTheSettingNowNamesMetaIsRefusedNamingTheMoveAndNothingIsAppliedAgain()
            throws IOException {
        project().historyTable("ashlar_history").migrate();
        db.execute("INSERT INTO settings VALUES ('kept', 'x')");
        Project moved = project().historyTable("meta.ashlar_history");

        assertThatThrownBy(moved::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("\"meta\".\"ashlar_history\", which does not exist")
                .hasMessageContaining("ALTER TABLE \"public\".\"ashlar_history\" SET SCHEMA \"meta\"")
                .hasMessageContaining("--history-table").hasMessageContaining("Nothing was read or applied");
        assertThatThrownBy(moved::status).isInstanceOf(MigrationException.class)
                .hasMessageContaining("SET SCHEMA \"meta\"");
        assertThat(db.value("SELECT count(*) FROM settings")).isEqualTo(2L);
        assertThat(tables("meta")).isEmpty();
        assertThat(versions("public.ashlar_history")).hasSize(2);

        // Moved as the message says, the history is read where it now is: nothing runs again.
        file(dir, "migrations/20260103000000_create_notes.sql", "CREATE TABLE notes (body text);", "DROP TABLE notes;");
        db.execute("ALTER TABLE public.ashlar_history SET SCHEMA meta");
        assertThat(moved.migrate()).hasSize(1);
        assertThat(versions("meta.ashlar_history")).containsExactly("20260101000000", "20260102000000",
                "20260103000000");
        assertThat(db.value("SELECT count(*) FROM settings")).isEqualTo(2L);
    }

    @Test
    void aDefaultHistoryLeftInPublicWhenTheSettingMovesAndRenamesItIsRefusedNamingItAndNothingIsAppliedAgain()
            throws IOException {
        project().migrate();
        db.execute("INSERT INTO settings VALUES ('kept', 'x')");

        assertThatThrownBy(() -> meta().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("\"meta\".\"history\", which does not exist")
                .hasMessageContaining("ALTER TABLE \"public\".\"ashlar_schema_migrations\" SET SCHEMA \"meta\"")
                .hasMessageContaining("RENAME TO \"history\"")
                .hasMessageContaining("Nothing was read or applied");
        assertThatThrownBy(() -> meta().status()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("\"public\".\"ashlar_schema_migrations\"");
        assertThat(db.value("SELECT count(*) FROM settings")).isEqualTo(2L);
        assertThat(versions("public.ashlar_schema_migrations")).hasSize(2);
        assertThat(tables("meta")).isEmpty();

        // Moved and renamed as the message says, the history is read where it now is: nothing runs again.
        file(dir, "migrations/20260103000000_create_notes.sql", "CREATE TABLE notes (body text);", "DROP TABLE notes;");
        db.execute("CREATE SCHEMA IF NOT EXISTS meta; ALTER TABLE public.ashlar_schema_migrations SET SCHEMA meta; "
                + "ALTER TABLE meta.ashlar_schema_migrations RENAME TO history");
        assertThat(meta().migrate()).hasSize(1);
        assertThat(versions("meta.history")).containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(db.value("SELECT count(*) FROM settings")).isEqualTo(2L);
    }

    @Test
    void aHistorySchemaWithAQuoteAndCapitalsIsQuotedEverywhereAndCleanKeepsItsOtherObjects() {
        Project odd = project().historyTable("Hist\"Meta.history").cleanEnabled(true);

        odd.migrate();
        assertThat(versions("\"Hist\"\"Meta\".history")).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT history FROM settings")).isEqualTo("Hist\"Meta.history");
        assertThat(odd.status()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.APPLIED);
        db.execute("CREATE TABLE \"Hist\"\"Meta\".audit (id int); INSERT INTO \"Hist\"\"Meta\".audit VALUES (7)");

        odd.clean();

        assertThat(tables("Hist\"Meta")).containsExactly("audit");
        assertThat(tables("public")).isEmpty();
        db.execute("DROP SCHEMA \"Hist\"\"Meta\" CASCADE");
    }

    @Test
    void aTooLongSchemaOrTableNameASecondDotAnEmptyPartOrAPgSchemaIsRefusedNamingTheSetting() {
        String long64 = "m".repeat(64);
        assertThatThrownBy(() -> project().historyTable(long64 + ".history")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("names a schema that").hasMessageContaining("64 bytes")
                .hasMessageContaining("--history-table");
        assertThatThrownBy(() -> project().historyTable("meta." + long64)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("names a table that").hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> project().historyTable("a.b.history")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("more than one '.'");
        assertThatThrownBy(() -> project().historyTable(".history")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> project().historyTable("pg_meta.history")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("starts with pg_");
        assertThatThrownBy(() -> project().historyTable("meta.ashlar_tenant_migrations"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("another of Ashlar's tables");
        assertThat(schemaExists("meta")).isFalse();
        assertThat(tables("public")).isEmpty();
    }

    @Test
    void aHistorySchemaThatIsPublicKeepsTheHistoryInPublicAsWithoutIt() {
        project().historyTable("public.app_history").migrate();

        assertThat(tables("public")).containsExactly("app_history", "history", "settings");
        assertThat(db.value("SELECT history FROM settings")).isEqualTo("app_history");
        assertThat(project().historyTable("app_history").status()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.APPLIED);
    }

    @Test
    void withCreateSchemasOffAMissingHistorySchemaIsRefusedAndNothingIsApplied() {
        // Read before it exists, the history is empty: every file pending, nothing made.
        assertThat(meta().status()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.PENDING);

        assertThatThrownBy(() -> meta().createSchemas(false).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("the schema meta does not exist");

        assertThat(schemaExists("meta")).isFalse();
        assertThat(tables("public")).isEmpty();
    }

    @Test
    void cleanDropsTheHistoryButLeavesItsSchemaAndTheOtherObjectsThere() {
        db.execute("CREATE SCHEMA meta; CREATE TABLE meta.audit (id int); INSERT INTO meta.audit VALUES (1), (2)");
        Project meta = meta().cleanEnabled(true);
        meta.migrate();

        meta.clean();

        assertThat(tables("public")).isEmpty();
        assertThat(tables("meta")).containsExactly("audit");
        assertThat(db.value("SELECT count(*) FROM meta.audit")).isEqualTo(2L);
        assertThat(meta.migrate()).hasSize(2);
        assertThat(versions("meta.history")).hasSize(2);
    }

    @Test
    void cleanByOneApplicationKeepsTheSchemaWhereAnotherKeepsItsHistoryApartWithItsObjects(@TempDir Path other)
            throws IOException {
        file(other, "migrations/20260101000000_create_orders.sql", "CREATE TABLE orders (id int);",
                "DROP TABLE orders;");
        Project second = Project.open(other).dataSource(db.dataSource()).progress(line -> { })
                .historyTable("meta_b.history");
        second.migrate();
        db.execute("CREATE TABLE meta_b.audit (id int); INSERT INTO meta_b.audit VALUES (1), (2)");
        Project first = meta().cleanEnabled(true);
        first.migrate();

        first.clean();

        assertThat(schemaExists("meta_b")).isTrue();
        assertThat(tables("meta_b")).containsExactly("audit", "history");
        assertThat(versions("meta_b.history")).containsExactly("20260101000000");
        assertThat(db.value("SELECT count(*) FROM meta_b.audit")).isEqualTo(2L);
        assertThat(tables("meta")).isEmpty();
    }

    @Test
    void aHistoryMovedApartByHandIsMarkedByTheNextMigrateSoAnotherApplicationsCleanKeepsItsSchema(
            @TempDir Path other) throws IOException {
        file(other, "migrations/20260101000000_create_orders.sql", "CREATE TABLE orders (id int);",
                "DROP TABLE orders;");
        Project second = Project.open(other).dataSource(db.dataSource()).progress(line -> { });
        second.migrate();
        db.execute("CREATE SCHEMA meta_b; ALTER TABLE public.ashlar_schema_migrations SET SCHEMA meta_b; "
                + "ALTER TABLE meta_b.ashlar_schema_migrations RENAME TO history; CREATE TABLE meta_b.audit (id int)");
        assertThat(second.historyTable("meta_b.history").migrate()).isEmpty();
        Project first = meta().cleanEnabled(true);
        first.migrate();

        first.clean();

        assertThat(tables("meta_b")).containsExactly("audit", "history");
        assertThat(versions("meta_b.history")).containsExactly("20260101000000");
    }

    @Test
    void aFileOutsideATransactionKeepsItsProgressBesideTheHistoryAndResumesThere() throws IOException {
        Path stopping = dir.resolve("migrations/20260103000000_fill.sql");
        Files.writeString(stopping, "-- migrate:up transaction:false\nCREATE TABLE fill (id int);\n"
                + "INSERT INTO fill VALUES (1);\nINSERT INTO fill VALUES (1 / 0);\n-- migrate:down\nDROP TABLE fill;\n");

        assertThatThrownBy(() -> meta().migrate()).isInstanceOf(MigrationException.class);
        assertThat(tables("meta")).hasSize(2).contains("history")
                .anySatisfy(table -> assertThat(table.toString()).startsWith("ashlar_migration_progress"));
        assertThat(tables("public")).containsExactly("fill", "history", "settings");

        Files.writeString(stopping, Files.readString(stopping).replace("1 / 0", "2"));
        meta().migrate();
        assertThat(db.query("SELECT id FROM fill ORDER BY id")).extracting(row -> row.get("id")).containsExactly(1, 2);
        assertThat(versions("meta.history")).hasSize(3);
    }

    @Test
    void aBaselineScriptMakesTheHistorySchemaAndRecordsThere() {
        db.execute("CREATE TABLE settings (key text, history text); CREATE TABLE history (id int)");
        Project meta = meta();
        String script = meta.baselineScript(meta.baselineDryRun("20260102000000"));

        // As psql would run it, its one psql command aside.
        db.execute(script.replace("\\set ON_ERROR_STOP on\n", ""));

        assertThat(versions("meta.history")).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT bool_and(baselined) FROM meta.history")).isEqualTo(true);
        assertThat(tables("public")).containsExactly("history", "settings");
        assertThat(meta.status()).extracting(MigrationStatus::state).containsOnly(MigrationStatus.State.BASELINED);
    }

    @Test
    void tenantSchemasKeepTheirHistoryInTheirOwnSchemaUnderTheTablesName() throws Exception {
        file(dir, "tenant_migrations/20260101000000_create_items.sql", "CREATE TABLE items (name text);",
                "DROP TABLE items;");
        db.execute("CREATE SCHEMA histschema_t");
        Project meta = meta();
        meta.migrate();
        TenantSelection tenant = TenantSelection.named(List.of("histschema_t"));

        assertThat(meta.migrateTenants(tenant).failed()).isZero();

        assertThat(tables("histschema_t")).containsExactly("history", "items");
        assertThat(versions("histschema_t.history")).containsExactly("20260101000000");
        assertThat(tables("meta")).containsExactly("history");
        // The main history's schema is no tenant schema left out of the run.
        assertThat(meta.tenantStatus(tenant).strays()).isEmpty();
        assertThat(meta.tenantStatus(tenant).pending()).isEmpty();
        // A tenant the running application creates keeps its history in its own schema too.
        try (Connection connection = db.dataSource().getConnection()) {
            // In the caller's transaction, as the tenancy plugin creates one.
            connection.setAutoCommit(false);
            new TenantSchemas(dir.resolve("tenant_migrations")).historyTable("meta.history")
                    .create(connection, "histschema_u");
            connection.commit();
        }
        assertThat(tables("histschema_u")).containsExactly("history", "items");
        assertThat(tables("meta")).containsExactly("history");
        db.execute("DROP SCHEMA histschema_t CASCADE; DROP SCHEMA histschema_u CASCADE");
    }
}
