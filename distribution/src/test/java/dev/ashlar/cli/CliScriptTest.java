package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.AdvisoryLock;
import dev.ashlar.kernel.migrate.SqlStatements;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code migrate --script} and {@code rollback --script} (Liquibase's update-sql and rollback-sql): a script that a
 * reviewer runs by hand in the run's place, leaving the tables and the history as the run leaves them, so that Ashlar
 * then finds nothing to do; the database untouched while it is printed.
 */
@ExtendWith(PostgresExtension.class)
class CliScriptTest {
    @TempDir
    Path project;
    TestDatabase db;
    Path migrations;

    @BeforeEach
    void twoFilesAndAView(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY, title text);\nINSERT INTO posts VALUES (1, 'it''s');\n"
                + "-- migrate:down\nDROP TABLE posts;\n");
        Files.writeString(migrations.resolve("20260102000000_index_titles.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\n"
                + "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY posts_title;\n");
        Files.writeString(migrations.resolve("R__titles.sql"), "-- migrate:up\nCREATE OR REPLACE VIEW titles AS "
                + "SELECT title FROM posts;\n");
    }

    @Test
    void aMigrationScriptRunByHandLeavesTheTablesAndTheHistoryAsTheRunWouldAndChangesNothingWhilePrinted()
            throws SQLException {
        CliRun script = ashlar("migrate", "--script");

        assertThat(script.code()).as(script.err()).isZero();
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL AND to_regclass('posts') IS NULL"))
                .isEqualTo(true);
        assertThat(script.out()).contains("\\set ON_ERROR_STOP on", "BEGIN;\nCREATE TABLE posts",
                "-- 20260102000000_index_titles.sql\nCREATE INDEX CONCURRENTLY posts_title ON posts (title);\nINSERT INTO");

        runAsPsqlWould(script.out());

        assertThat(db.value("SELECT title FROM titles")).isEqualTo("it's");
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'posts_title'::regclass")).isEqualTo(true);
        CliRun migrate = ashlar("migrate");
        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("is up to date");
        assertThat(ashlar("validate").code()).isZero();
    }

    @Test
    void aScriptUpToATagRunByHandTagsTheTaggedFileAsMigrateWouldSoThatRollbackToTagComesBackToIt()
            throws IOException, SQLException {
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- tag: release-1\n-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY, title text);\n-- migrate:down\nDROP TABLE posts;\n");
        CliRun script = ashlar("migrate", "--to-tag", "release-1", "--script");
        assertThat(script.code()).as(script.err()).isZero();

        runAsPsqlWould(script.out());

        assertThat(db.value("SELECT string_agg(version || ':' || array_to_string(tags, ','), ' ') "
                + "FROM ashlar_schema_migrations WHERE cardinality(tags) > 0")).isEqualTo("20260101000000:release-1");
        assertThat(ashlar("migrate").code()).isZero();
        CliRun rollback = ashlar("rollback", "--to-tag", "release-1");
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('titles') IS NOT NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,R__titles");
    }

    @Test
    void aRollbackScriptRunByHandUndoesTheFilesAndForgetsThemSoThatTheyArePendingAgain() throws SQLException {
        assertThat(ashlar("migrate").code()).isZero();

        CliRun script = ashlar("rollback", "--steps", "2", "--script");

        assertThat(script.code()).as(script.err()).isZero();
        assertThat(script.out()).contains("DROP INDEX CONCURRENTLY posts_title;\nDELETE FROM")
                .contains("DROP TABLE posts;").doesNotContain("CREATE TABLE IF NOT EXISTS");
        db.execute("DROP VIEW titles");
        runAsPsqlWould(script.out());

        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("R__titles");
        assertThat(ashlar("status").out()).contains("pending   20260101000000_create_posts",
                "pending   20260102000000_index_titles");
    }

    @Test
    void aScriptWithNothingPendingSaysSoAndAScriptOfTenantSchemasIsRefused() {
        assertThat(ashlar("migrate").code()).isZero();

        CliRun nothing = ashlar("migrate", "--script");
        CliRun tenants = ashlar("migrate", "--script", "--tenants");

        assertThat(nothing.code()).as(nothing.err()).isZero();
        assertThat(nothing.out()).contains("-- Nothing to migrate.").doesNotContain("BEGIN;");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("without --tenants");
    }

    @Test
    void aScriptStopsRunningNothingWhileAMigratorHoldsTheLockAndHoldsTheLockWhileItRuns() throws SQLException {
        String script = ashlar("migrate", "--script").out();

        try (AdvisoryLock held = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5))) {
            assertThat(held.name()).isEqualTo("migrations:public");
            assertThatThrownBy(() -> runAsPsqlWould(script)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Another migrator (pid ")
                    .hasMessageContaining("holds the migration lock of public: run this script once it is done. "
                            + "Nothing was run.");
        }
        assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('ashlar_schema_migrations') IS NULL"))
                .isEqualTo(true);

        String lockStatement = SqlStatements.split(script.lines().filter(line -> !line.startsWith("\\set"))
                .collect(Collectors.joining("\n"))).get(0);
        try (Connection running = db.dataSource().getConnection(); Statement statement = running.createStatement()) {
            statement.execute(lockStatement);
            CliRun waiting = ashlar("migrate", "--lock-timeout", "1s");
            assertThat(waiting.code()).isEqualTo(1);
            assertThat(waiting.err()).contains("still holds the migration lock");
            assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
            // As psql would on exit: the pool keeps this session, and the lock with it.
            statement.execute("SELECT pg_advisory_unlock_all()");
        }
        try (Connection session = db.dataSource().getConnection(); Statement statement = session.createStatement()) {
            for (String each : SqlStatements.split(script.lines().filter(line -> !line.startsWith("\\set"))
                    .collect(Collectors.joining("\n")))) {
                statement.execute(each);
            }
            // The script gave the lock back at its end: its session, still open, does not hold it.
            CliRun after = ashlar("migrate", "--lock-timeout", "1s");
            assertThat(after.code()).as(after.err()).isZero();
            assertThat(after.out()).contains("is up to date");
        }
    }

    @Test
    void aRollbackScriptOfTenantSchemasIsRefused() {
        CliRun tenants = ashlar("rollback", "--script", "--tenants");

        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("without --tenants");
    }

    private void runAsPsqlWould(String script) throws SQLException {
        runAsPsqlWould(db, script);
    }

    /** Runs a script statement by statement on a connection of its own, as psql does (its one command left out). */
    static void runAsPsqlWould(TestDatabase db, String script) throws SQLException {
        String sql = script.lines().filter(line -> !line.startsWith("\\set")).collect(Collectors.joining("\n"));
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String each : SqlStatements.split(sql)) {
                statement.execute(each);
            }
        }
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }
}
