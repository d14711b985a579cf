package dev.ashlar.kernel.tenant;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant run takes what each schema holds from the registry instead of reading the schema's history, and writes a
 * file's history row only if the history is what the registry said: a schema whose history differs is rolled back
 * and migrated from its real history, never skipped ahead or migrated twice.
 */
@ExtendWith(PostgresExtension.class)
class TenantHistoryGuardTest {
    @TempDir
    Path folder;
    TestDatabase db;
    final List<String> schemas = List.of("guard_a", "guard_b", "guard_c");

    @BeforeEach
    void threeMigratedTenants(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'guard_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations; DROP SEQUENCE IF EXISTS guard_attempts; "
                + "CREATE SCHEMA guard_a; CREATE SCHEMA guard_b; CREATE SCHEMA guard_c");
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int PRIMARY KEY, body text);");
        assertThat(migrate().migrated()).isEqualTo(3);
        schemas.forEach(schema -> db.execute("INSERT INTO " + schema + ".notes SELECT n, 'note ' || n "
                + "FROM generate_series(1, 1000) n"));
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }

    private TenantReport migrate() {
        return new TenantMigrator(db.dataSource(), folder).jobs(2).migrate(schemas.iterator(), schemas.size());
    }

    private List<Object> versions(String schema) {
        return db.query("SELECT version FROM " + schema + ".ashlar_schema_migrations ORDER BY applied_at, version")
                .stream().map(row -> row.get("version")).toList();
    }

    @Test
    void aSchemaRestoredBehindTheRegistryGetsItsOlderFileBeforeTheNewOne() throws IOException {
        // guard_b comes back from a dump taken before its first file: the registry still says it has that file.
        db.execute("DROP TABLE guard_b.notes; DELETE FROM guard_b.ashlar_schema_migrations");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int PRIMARY KEY);");

        TenantReport report = migrate();

        assertThat(report.failures()).isEmpty();
        assertThat(versions("guard_b")).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'guard_b' "
                + "AND table_name IN ('notes', 'tags')")).isEqualTo(2L);
        assertThat(versions("guard_a")).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT count(*) FROM guard_a.notes")).as("its rows stay").isEqualTo(1000L);
    }

    @Test
    void aSchemaAheadOfTheRegistryDoesNotRunAFileTwice() throws IOException {
        file("20260102000000_welcome.sql", "CREATE TABLE IF NOT EXISTS log (line text);\n"
                + "INSERT INTO log VALUES ('welcome');");
        assertThat(migrate().migrated()).isEqualTo(3);
        // The registry lost guard_c's row of the second file: the schema has it, the registry says it does not.
        db.execute("DELETE FROM ashlar_tenant_migrations WHERE schema_name = 'guard_c' AND version = '20260102000000'");

        TenantReport report = migrate();

        assertThat(report.failures()).isEmpty();
        assertThat(db.value("SELECT count(*) FROM guard_c.log")).as("the file's insert ran once").isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM guard_c.notes")).as("its rows stay").isEqualTo(1000L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'guard_c'"))
                .as("the registry learns what the schema holds").isEqualTo(2L);
    }

    @Test
    void aRegistryWriteThatFailsLeavesTheSchemasMigratedAndTheNextRunRepairsItWithoutApplyingAgain()
            throws IOException {
        file("20260102000000_welcome.sql", "CREATE TABLE IF NOT EXISTS log (line text);\n"
                + "INSERT INTO log VALUES ('welcome');");
        // The registry refuses new rows while the run writes them (a full disk, a lost connection, say).
        db.execute("CREATE FUNCTION public.guard_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'registry unavailable'; END $$; "
                + "CREATE TRIGGER guard_refuse BEFORE INSERT ON ashlar_tenant_migrations "
                + "FOR EACH ROW EXECUTE FUNCTION public.guard_refuse()");
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        TenantReport report;
        try {
            report = new TenantMigrator(db.dataSource(), folder).jobs(2).messages(messages::add)
                    .migrate(schemas.iterator(), schemas.size());
        } finally {
            db.execute("DROP TRIGGER guard_refuse ON ashlar_tenant_migrations; DROP FUNCTION public.guard_refuse()");
        }

        assertThat(report.failures()).as("the schemas are migrated").isEmpty();
        assertThat(report.migrated()).isEqualTo(3);
        assertThat(messages).singleElement().satisfies(line -> assertThat(line)
                .contains("Could not write 3 rows of the tenant registry").contains("registry unavailable")
                .contains("the next tenant run reads their histories"));
        schemas.forEach(schema -> assertThat(versions(schema)).as(schema)
                .containsExactly("20260101000000", "20260102000000"));
        assertThat(new TenantMigrator(db.dataSource(), folder).status(schemas.iterator()).pending())
                .as("the registry is behind the schemas").hasSize(3);

        TenantReport again = migrate();

        assertThat(again.failures()).isEmpty();
        schemas.forEach(schema -> assertThat(db.value("SELECT count(*) FROM " + schema + ".log"))
                .as(schema + ": the file's insert stays applied once").isEqualTo(1L));
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '20260102000000'"))
                .as("the registry learns what each schema holds").isEqualTo(3L);
        assertThat(new TenantMigrator(db.dataSource(), folder).status(schemas.iterator()).pending()).isEmpty();
    }

    @Test
    void aFileThatFailsOnTheExpectedHistoryRunsOnceAndIsReportedByName() throws IOException {
        db.execute("CREATE SEQUENCE guard_attempts");
        file("20260102000000_broken.sql", "DO $$ BEGIN PERFORM nextval('public.guard_attempts'); END $$;\n"
                + "ALTER TABLE missing_table ADD COLUMN x int;");

        TenantReport report = new TenantMigrator(db.dataSource(), folder).migrate(List.of("guard_a").iterator(), 1);

        assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("20260102000000_broken.sql failed on guard_a at statement 2")
                .contains("relation \"missing_table\" does not exist"));
        assertThat(db.query("SELECT last_value, is_called FROM guard_attempts")).as("the file ran once")
                .containsExactly(java.util.Map.of("last_value", 1L, "is_called", true));
        assertThat(versions("guard_a")).containsExactly("20260101000000");
    }

    @Test
    void aRegistryMissingAnOlderRowDoesNotRunThatFileAgainAndIsRepaired() throws IOException {
        db.execute("CREATE SEQUENCE guard_attempts");
        file("20260102000000_count.sql", "DO $$ BEGIN PERFORM nextval('public.guard_attempts'); END $$;");
        migrate();
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int PRIMARY KEY);");
        migrate();
        db.execute("DELETE FROM ashlar_tenant_migrations WHERE schema_name = 'guard_a' AND version = '20260102000000'");
        file("20260104000000_create_labels.sql", "CREATE TABLE labels (id int PRIMARY KEY);");

        TenantReport report = migrate();

        assertThat(report.failures()).isEmpty();
        assertThat(db.value("SELECT last_value FROM guard_attempts")).as("the counting file ran once a schema")
                .isEqualTo(3L);
        assertThat(versions("guard_a")).hasSize(4);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'guard_a'"))
                .as("the registry holds the schema's whole history again").isEqualTo(4L);
    }

    @Test
    void aSchemaWhoseHistoryTableIsGoneIsMigratedFromItsRealHistory() throws IOException {
        db.execute("DROP TABLE guard_a.ashlar_schema_migrations; DROP TABLE guard_a.notes");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int PRIMARY KEY);");

        TenantReport report = migrate();

        assertThat(report.failures()).isEmpty();
        assertThat(versions("guard_a")).containsExactly("20260101000000", "20260102000000");
    }

    @Test
    void aFileThatMovesTheSearchPathOrShadowsTheHistoryStillRecordsInItsSchema() throws IOException {
        db.execute("CREATE SCHEMA guard_decoy; CREATE TABLE guard_decoy.ashlar_schema_migrations "
                + "(LIKE guard_a.ashlar_schema_migrations INCLUDING ALL)");
        file("20260102000000_wander.sql", "CREATE TABLE tags (id int PRIMARY KEY);\n"
                + "SELECT set_config('search_path', 'guard_decoy', true);\n"
                + "CREATE TEMP TABLE ashlar_schema_migrations (LIKE guard_decoy.ashlar_schema_migrations) ON COMMIT DROP;");

        TenantReport report = migrate();

        assertThat(report.failures()).isEmpty();
        schemas.forEach(schema -> assertThat(versions(schema)).as(schema)
                .containsExactly("20260101000000", "20260102000000"));
        assertThat(db.value("SELECT count(*) FROM guard_decoy.ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '20260102000000'"))
                .isEqualTo(3L);
    }

    @Test
    void aRunThatLosesItsLockRecordsNothingItDidNotApplyAndTheNextRunAppliesEachFileOnce() throws Exception {
        db.execute("CREATE SEQUENCE guard_attempts");
        file("20260102000000_slow.sql", "DO $$ BEGIN PERFORM nextval('public.guard_attempts'); END $$;\n"
                + "CREATE TABLE tags (id int PRIMARY KEY);\nSELECT pg_sleep(1);");
        java.util.concurrent.CompletableFuture<TenantReport> run = java.util.concurrent.CompletableFuture.supplyAsync(
                this::migrate);
        for (int i = 0; i < 100 && db.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1)%' "
                + "AND pid <> pg_backend_pid()").isEmpty(); i++) {
            Thread.sleep(50);
        }
        // The run's lock session holds its keys exclusively; its workers take theirs only when they record a file.
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND mode = 'ExclusiveLock'");

        Throwable lost = org.assertj.core.api.Assertions.catchThrowable(
                () -> run.get(30, java.util.concurrent.TimeUnit.SECONDS));

        assertThat(lost).cause().isInstanceOf(dev.ashlar.kernel.migrate.MigrationException.class)
                .hasMessageContaining("the tenant migration lock was lost").hasMessageContaining("20260102000000_slow.sql")
                .hasMessageContaining("Run migrate --tenants again");
        for (String schema : schemas) {
            boolean recorded = versions(schema).contains("20260102000000");
            assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                    + "AND table_name = 'tags'", schema)).as(schema + ": the table exists iff its file is recorded")
                    .isEqualTo(recorded ? 1L : 0L);
            assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = ? "
                    + "AND version = '20260102000000'", schema)).as(schema + ": the registry agrees with the history")
                    .isEqualTo(recorded ? 1L : 0L);
        }

        TenantReport again = migrate();

        assertThat(again.failures()).isEmpty();
        schemas.forEach(schema -> assertThat(versions(schema)).as(schema)
                .containsExactly("20260101000000", "20260102000000"));
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '20260102000000'"))
                .isEqualTo(3L);
    }
}
