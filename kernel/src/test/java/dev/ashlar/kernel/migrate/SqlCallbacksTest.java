package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway's SQL callbacks: beforeMigrate.sql, afterMigrate.sql and the others, run at every migrate, never recorded. */
@ExtendWith(PostgresExtension.class)
class SqlCallbacksTest {
    private static final String READER = "callbacks_test_reader";

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void oneFile(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP ROLE IF EXISTS " + READER + "; CREATE ROLE "
                + READER + " NOLOGIN; CREATE TABLE audit (id serial, line text)");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
    }

    @AfterEach
    void dropRole() {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP ROLE IF EXISTS " + READER);
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private void callback(String name, String sql) throws IOException {
        Files.writeString(folder.resolve(name), sql);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).placeholders(Placeholders.of(Map.of("reader", READER)));
    }

    private boolean canRead(String table) {
        return (Boolean) db.value("SELECT has_table_privilege(?, ?, 'SELECT')", READER, "public." + table);
    }

    private List<Object> audit() {
        return db.query("SELECT line FROM audit ORDER BY id").stream().map(row -> row.get("line")).toList();
    }

    @Test
    void afterMigrateGrantsSelectOnNewTablesToAReadOnlyRoleAtEveryRunEvenWithNothingPending() throws IOException {
        callback("afterMigrate.sql", "-- the reporting role reads every table\n"
                + "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader};\n");

        migrator().migrate();
        assertThat(canRead("posts")).isTrue();
        assertThat(db.value("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = ? "
                + "AND table_name = 'posts' AND privilege_type = 'SELECT'", READER)).isEqualTo(1L);

        db.execute("REVOKE SELECT ON posts FROM " + READER + "; CREATE TABLE made_by_hand (id int)");
        assertThat(migrator().migrate()).isEmpty();

        assertThat(canRead("posts")).isTrue();
        assertThat(canRead("made_by_hand")).isTrue();
        assertThat(db.query("SELECT version FROM ashlar_schema_migrations")).extracting(row -> row.get("version"))
                .containsExactly("20260101000000");
    }

    @Test
    void eachCallbackRunsAtItsPointOfTheRunAndEachMigrateCallbackInsideTheFilesTransaction() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        callback("beforeMigrate.sql", "INSERT INTO audit (line) VALUES ('before run');");
        callback("beforeEachMigrate.sql", "INSERT INTO audit (line) SELECT 'before a file, '"
                + " || (SELECT count(*) FROM ashlar_schema_migrations) || ' applied';");
        callback("afterEachMigrate.sql", "INSERT INTO audit (line) SELECT 'after a file, in its transaction: '"
                + " || (now() = statement_timestamp())::text;");
        callback("afterMigrate.sql", "INSERT INTO audit (line) VALUES ('after run');");

        migrator().migrate();

        assertThat(audit()).containsExactly("before run", "before a file, 0 applied",
                "after a file, in its transaction: false", "before a file, 1 applied",
                "after a file, in its transaction: false", "after run");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void afterMigrateErrorRunsAfterAFailedFileIsRolledBackWithItsEachMigrateCallbacks() throws IOException {
        file("20260102000000_broken.sql", "CREATE TABLE tags (id int);\nSELECT 1/0;", "DROP TABLE tags;");
        callback("afterEachMigrate.sql", "INSERT INTO audit (line) VALUES ('after a file');");
        callback("afterMigrateError.sql", "INSERT INTO audit (line) VALUES ('the run failed');");
        callback("afterMigrate.sql", "INSERT INTO audit (line) VALUES ('after run');");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_broken.sql");

        assertThat(audit()).containsExactly("after a file", "the run failed");
        assertThat(db.value("SELECT to_regclass('public.tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFailingCallbackStopsTheRunNamingItsFileAndLineAndTheAppliedFilesStay() throws IOException {
        callback("afterMigrate.sql", "-- grants\nGRANT SELECT ON posts TO " + READER + ";\n"
                + "GRANT SELECT ON no_such_table TO " + READER + ";\n");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Callback afterMigrate.sql")
                .hasMessageContaining("line 3")
                .hasMessageContaining("no_such_table")
                .hasMessageContaining("stay applied");

        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(canRead("posts")).isFalse();
    }

    @Test
    void aRollbackRunsNoCallback() throws IOException {
        migrator().migrate();
        callback("beforeMigrate.sql", "INSERT INTO audit (line) VALUES ('before');");
        callback("afterMigrate.sql", "INSERT INTO audit (line) VALUES ('after');");

        migrator().rollback(1);

        assertThat(audit()).isEmpty();
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aCallbackNameInAnotherCaseIsRefusedAsAnyUnknownSqlFile() throws IOException {
        callback("aftermigrate.sql", "SELECT 1;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("aftermigrate.sql");
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aCallbackWithASectionLineIsRefusedNamingTheLine() throws IOException {
        callback("afterMigrate.sql", "-- migrate:up\nSELECT 1;\n");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("afterMigrate.sql has a section line at line 1");
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }
    @Test
    void aCallbackStatementThatCannotRunInATransactionIsRefusedBeforeAnyFileIsAppliedSayingWhereItGoes()
            throws IOException {
        callback("afterMigrate.sql", "GRANT SELECT ON posts TO " + READER + ";\n"
                + "CREATE INDEX CONCURRENTLY posts_id ON posts (id);\n");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Callback afterMigrate.sql")
                .hasMessageContaining("statement 2 of its up section (line 2)")
                .hasMessageContaining("but a callback runs in one")
                .hasMessageContaining("Move it into a migration file whose up line is "
                        + "'-- migrate:up transaction:false'")
                .hasMessageNotContaining("Move it into a file of its own");

        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aCallbackWithAPlaceholderWithoutAValueIsRefusedBeforeAnyFileIsApplied() throws IOException {
        callback("afterMigrate.sql", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${auditor};\n");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("afterMigrate.sql")
                .hasMessageContaining("auditor");

        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }
    @Test
    void aDryRunShowsEachCallbackWhereTheRunRunsItWithPlaceholdersReplacedAndRunsAndRecordsNothing()
            throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        callback("beforeMigrate.sql", "INSERT INTO audit (line) VALUES ('before run');");
        callback("beforeEachMigrate.sql", "INSERT INTO audit (line) VALUES ('before a file');");
        callback("afterEachMigrate.sql", "INSERT INTO audit (line) VALUES ('after a file');");
        callback("afterMigrate.sql", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader};\n"
                + "INSERT INTO audit (line) VALUES ('after run');");
        callback("afterMigrateError.sql", "INSERT INTO audit (line) VALUES ('the run failed');");

        List<DryRun> dry = migrator().dryRun();

        assertThat(dry).extracting(run -> run.file().fileName() + (run.migration() ? "" : " " + run.when()))
                .containsExactly("beforeMigrate.sql before the run",
                        "beforeEachMigrate.sql before 20260101000000_create_posts.sql, in its transaction",
                        "20260101000000_create_posts.sql",
                        "afterEachMigrate.sql after 20260101000000_create_posts.sql, in its transaction",
                        "beforeEachMigrate.sql before 20260102000000_create_tags.sql, in its transaction",
                        "20260102000000_create_tags.sql",
                        "afterEachMigrate.sql after 20260102000000_create_tags.sql, in its transaction",
                        "afterMigrate.sql after the run");
        assertThat(dry.get(dry.size() - 1).statements()).extracting(DryRun.Statement::sql).containsExactly(
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READER + ";",
                "INSERT INTO audit (line) VALUES ('after run');");
        assertThat(dry).filteredOn(DryRun::migration).hasSize(2);
        assertThat(audit()).isEmpty();
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL AND to_regclass('public.tags') IS NULL "
                + "AND to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = ?", READER))
                .isEqualTo(0L);

        migrator().migrate();

        assertThat(audit()).containsExactly("before run", "before a file", "after a file", "before a file",
                "after a file", "after run");
        assertThat(canRead("tags")).isTrue();
    }

    @Test
    void aDryRunWithNothingPendingShowsTheRunsCallbacksAndAnEmptyCallbackFileNot() throws IOException {
        migrator().migrate();
        callback("beforeMigrate.sql", "");
        callback("beforeEachMigrate.sql", "INSERT INTO audit (line) VALUES ('before a file');");
        callback("afterMigrate.sql", "GRANT SELECT ON posts TO ${reader};");

        List<DryRun> dry = migrator().dryRun();

        assertThat(dry).extracting(run -> run.file().fileName() + ": " + run.statements().get(0).sql())
                .containsExactly("afterMigrate.sql: GRANT SELECT ON posts TO " + READER + ";");
        assertThat(dry).noneMatch(DryRun::migration);
        assertThat(canRead("posts")).isFalse();
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aDryRunRefusesACallbackThatTheRunWouldRefuseBeforeAnythingRuns() throws IOException {
        callback("beforeMigrate.sql", "INSERT INTO audit (line) VALUES ('${auditor}');");

        assertThatThrownBy(() -> migrator().dryRun()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Callback beforeMigrate.sql")
                .hasMessageContaining("auditor");
        assertThat(audit()).isEmpty();
    }
}
