package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Acceptance tests of Flyway's and Liquibase's suites restated for Ashlar's runner, each on a populated table, asserting
 * the catalog and the history rows.
 */
@ExtendWith(PostgresExtension.class)
class FlywayParityTest {
    private static final String CREATE = "20260101000000_create_notes.sql";

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void populatedTable(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file(CREATE, "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
                + "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 50) g;", "DROP TABLE notes;");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder);
    }

    private List<Object> history() {
        return db.query("SELECT version FROM ashlar_schema_migrations ORDER BY version").stream()
                .map(row -> row.get("version")).toList();
    }

    private Object notes() {
        return db.value("SELECT count(*)::int FROM notes");
    }

    private boolean column(String name) {
        return (Boolean) db.value("SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = 'notes' AND column_name = ?)", name);
    }

    private boolean exists(String relation) {
        return (Boolean) db.value("SELECT to_regclass(?) IS NOT NULL", relation);
    }

    @Test
    void aChangedAppliedFileIsRefusedNamingItAndBothChecksumsAndRepairRecordsTheNewText() throws IOException {
        migrator().migrate();
        Object recorded = db.value("SELECT checksum FROM ashlar_schema_migrations");
        file(CREATE, "CREATE TABLE notes (id int PRIMARY KEY, body text); -- edited\n"
                + "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 50) g;", "DROP TABLE notes;");
        file("20260102000000_add_title.sql", "ALTER TABLE notes ADD COLUMN title text;",
                "ALTER TABLE notes DROP COLUMN title;");
        String now = migrator().checksum(CREATE).checksum();

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining(CREATE).hasMessageContaining("sha256:" + recorded)
                .hasMessageContaining("sha256:" + now);
        assertThatThrownBy(() -> migrator().validate()).hasMessageContaining("sha256:" + recorded)
                .hasMessageContaining("sha256:" + now);
        assertThat(history()).containsExactly("20260101000000");
        assertThat(column("title")).isFalse();

        migrator().repair();
        migrator().migrate();

        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260101000000'"))
                .isEqualTo(now);
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(notes()).isEqualTo(50);
    }

    @Test
    void aFailingFileLeavesNothingOfItNorOfTheFilesAfterItAndTheNextRunReportsItPendingAndAppliesItOnceFixed() throws IOException {
        migrator().migrate();
        file("20260102000000_backfill.sql", "CREATE TABLE archive (id int);\n"
                + "UPDATE notes SET body = 'changed';\n"
                + "INSERT INTO archive VALUES ('not a number');", "DROP TABLE archive;");
        file("20260103000000_add_title.sql", "ALTER TABLE notes ADD COLUMN title text;",
                "ALTER TABLE notes DROP COLUMN title;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_backfill.sql").hasMessageContaining("not a number");

        assertThat(exists("archive")).isFalse();
        assertThat(db.value("SELECT count(*)::int FROM notes WHERE body = 'changed'")).isEqualTo(0);
        assertThat(history()).containsExactly("20260101000000");
        assertThat(column("title")).isFalse();
        assertThat(migrator().status()).filteredOn(s -> s.version().equals("20260102000000"))
                .extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.PENDING);

        file("20260102000000_backfill.sql", "CREATE TABLE archive (id int);\n"
                + "UPDATE notes SET body = 'changed';\nINSERT INTO archive VALUES (1);", "DROP TABLE archive;");
        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(db.value("SELECT count(*)::int FROM notes WHERE body = 'changed'")).isEqualTo(50);
    }

    @Test
    void aFileOlderThanTheNewestAppliedIsRefusedWithoutOutOfOrderAndAppliedWithIt() throws IOException {
        file("20260103000000_add_title.sql", "ALTER TABLE notes ADD COLUMN title text;",
                "ALTER TABLE notes DROP COLUMN title;");
        migrator().migrate();
        file("20260102000000_add_tags.sql", "ALTER TABLE notes ADD COLUMN tags text;",
                "ALTER TABLE notes DROP COLUMN tags;");

        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().outOfOrder(false)))
                .hasMessageContaining("20260102000000_add_tags.sql").hasMessageContaining("20260103000000");
        assertThat(history()).containsExactly("20260101000000", "20260103000000");

        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(column("tags")).isTrue();
    }

    @Test
    void aTargetVersionStopsTheRunThere() throws IOException {
        file("20260102000000_add_title.sql", "ALTER TABLE notes ADD COLUMN title text;", "SELECT 1;");
        file("20260103000000_add_tags.sql", "ALTER TABLE notes ADD COLUMN tags text;", "SELECT 1;");

        migrator().migrate(MigrateRun.all().upTo("20260102000000"));

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(column("tags")).isFalse();
        assertThat(notes()).isEqualTo(50);
    }

    @Test
    void aBaselineOfAnExistingDatabaseRecordsItsFilesAndMigrateRunsOnlyTheNewOnes() throws IOException {
        db.execute("CREATE TABLE notes (id int PRIMARY KEY, body text);"
                + "INSERT INTO notes SELECT g, 'kept ' || g FROM generate_series(1, 50) g");
        file("20260102000000_add_title.sql", "ALTER TABLE notes ADD COLUMN title text;", "SELECT 1;");

        migrator().baseline("20260101000000");
        migrator().migrate();

        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(row -> row.get("version") + " " + row.get("baselined"))
                .containsExactly("20260101000000 true", "20260102000000 false");
        assertThat(db.value("SELECT count(*)::int FROM notes WHERE body LIKE 'kept %'")).isEqualTo(50);
    }

    @Test
    void aPlaceholderIsReplacedAndOneWithoutAValueRefusesTheRunBeforeAnythingRuns() throws IOException {
        migrator().migrate();
        file("20260102000000_grant.sql", "ALTER TABLE notes ADD COLUMN ${column} text DEFAULT '${value}';",
                "SELECT 1;");

        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("20260102000000_grant.sql")
                .hasMessageContaining("column");
        assertThat(history()).containsExactly("20260101000000");

        migrator().placeholders(Placeholders.of(Map.of("column", "owner", "value", "nobody"))).migrate();

        assertThat(db.value("SELECT count(*)::int FROM notes WHERE owner = 'nobody'")).isEqualTo(50);
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
    }

    @Test
    void createIndexConcurrentlyIsRefusedInATransactionAndBuiltValidOutsideOne() throws IOException {
        migrator().migrate();
        file("20260102000000_index_body.sql", "CREATE INDEX CONCURRENTLY notes_body ON notes (body);",
                "DROP INDEX CONCURRENTLY notes_body;");

        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("20260102000000_index_body.sql")
                .hasMessageContaining("transaction:false");
        assertThat(exists("notes_body")).isFalse();

        Files.writeString(folder.resolve("20260102000000_index_body.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY notes_body ON notes (body);\n"
                + "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY notes_body;\n");
        migrator().migrate();

        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_body'::regclass"))
                .isEqualTo(true);
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
    }

    @Test
    void twoRunsStartedTogetherApplyEachFileOnce() throws Exception {
        file("20260102000000_slow.sql", "SELECT pg_sleep(1);\nUPDATE notes SET id = id + 1000;", "SELECT 1;");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<MigrationFile>> first = pool.submit(() -> migrator().migrate());
            Future<List<MigrationFile>> second = pool.submit(() -> migrator().migrate());

            assertThat(first.get().size() + second.get().size()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.value("SELECT min(id) FROM notes")).isEqualTo(1001);
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
    }

    @Test
    void aFileHoldingOnlyItsMarkerOrOnlyCommentsIsRecordedAndRunsNothing() throws IOException {
        Files.writeString(folder.resolve("20260102000000_marker_only.sql"), "-- migrate:up\n");
        file("20260103000000_comments_only.sql", "-- kept for numbering\n/* nothing to do */", "-- nothing to undo");

        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(notes()).isEqualTo(50);
        migrator().rollback(2);
        assertThat(history()).containsExactly("20260101000000");
    }

    @Test
    void anEmptyFileIsRefusedNamingItBeforeAnythingRuns() throws IOException {
        Files.writeString(folder.resolve("20260102000000_empty.sql"), "");

        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("20260102000000_empty.sql")
                .hasMessageContaining("is empty");
        assertThat(exists("notes")).isFalse();
    }

    @Test
    void aFileAppliedWithLfStaysAppliedWhenCheckedOutWithCrlfAndAByteOrderMark() throws IOException {
        migrator().migrate();
        String text = Files.readString(folder.resolve(CREATE));
        Files.write(folder.resolve(CREATE), ("\uFEFF" + text.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8));
        file("20260102000000_add_title.sql", "ALTER TABLE notes ADD COLUMN title text;", "SELECT 1;");

        migrator().validate(IgnoreMigrationPatterns.DEFAULT);
        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(notes()).isEqualTo(50);
    }

    @Test
    void aFileBreakingTheNamingRuleIsRefusedNamingItAndNothingRuns() throws IOException {
        Files.writeString(folder.resolve("V2__add_title.sql"), "ALTER TABLE notes ADD COLUMN title text;");

        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("V2__add_title.sql");
        assertThat(exists("notes")).isFalse();
        assertThat(exists("ashlar_schema_migrations")).isFalse();
    }

    @Test
    void aDryRunShowsTheSqlAndChangesNothing() throws IOException {
        db.execute("CREATE TABLE kept (id int); INSERT INTO kept SELECT generate_series(1, 50)");
        List<DryRun> runs = migrator().dryRun();

        assertThat(runs).flatExtracting(DryRun::statements).extracting(DryRun.Statement::sql)
                .anySatisfy(sql -> assertThat(sql).contains("CREATE TABLE notes"));
        assertThat(exists("notes")).isFalse();
        assertThat(exists("ashlar_schema_migrations")).isFalse();
        assertThat(exists("ashlar_migration_locks")).isFalse();
        assertThat(db.value("SELECT count(*)::int FROM kept")).isEqualTo(50);
    }
}
