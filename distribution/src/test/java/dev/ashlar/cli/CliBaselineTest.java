package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Adopting a database migrated until now by another tool: baseline, then migrate from there. */
@ExtendWith(PostgresExtension.class)
class CliBaselineTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void existingDatabase(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "CREATE TABLE posts (id bigint PRIMARY KEY, title text NOT NULL)");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY, title text NOT NULL);\n-- migrate:down\nDROP TABLE posts;\n");
        Files.writeString(migrations.resolve("20260102000000_add_body.sql"), "-- migrate:up\n"
                + "ALTER TABLE posts ADD COLUMN body text;\n-- migrate:down\nALTER TABLE posts DROP COLUMN body;\n");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private long history(String where) {
        return (Long) db.value("SELECT count(*) FROM ashlar_schema_migrations WHERE " + where);
    }

    @Test
    void baselineUpToAVersionRecordsWithoutRunningAndMigrateAppliesOnlyTheRest() {
        CliRun baseline = ashlar("baseline", "--to", "20260101000000");

        assertThat(baseline.code()).as(baseline.err()).isZero();
        assertThat(baseline.out()).contains("baselined 20260101000000_create_posts.sql").contains("Baselined 1 migration(s)");
        assertThat(history("baselined AND version = '20260101000000'")).isEqualTo(1L);
        assertThat(ashlar("status").out()).contains("baselined 20260101000000_create_posts")
                .contains("pending   20260102000000_add_body");

        CliRun migrate = ashlar("migrate");

        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("Applied 1 migration(s)");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(1L);
        assertThat(history("NOT baselined AND version = '20260102000000'")).isEqualTo(1L);
        String status = ashlar("status").out();
        assertThat(status).contains("baselined 20260101000000_create_posts")
                .contains("applied   20260102000000_add_body").contains("Everything is applied.");
        assertThat(status.lines().filter(line -> line.matches("  [a-z]+ +2026.*")).map(line -> line.indexOf("2026")))
                .as("the versions line up after every state").containsOnly("  baselined ".length());
    }

    @Test
    void migrateDryRunWithBaselineOnMigrateSaysWhatItWouldBaselineAndListsOnlyTheFilesThatWouldRun() {
        CliRun dry = ashlar("migrate", "--baseline-on-migrate", "--dry-run");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("public holds objects but no migration history: the run would baseline the files "
                        + "up to 20260101000000 (baseline on migrate), running none of them")
                .contains("1 file(s) would run:\n20260102000000_add_body.sql\n  ALTER TABLE posts ADD COLUMN body text;")
                .doesNotContain("20260101000000_create_posts.sql");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(0L);
    }

    @Test
    void migrateWithBaselineOnMigrateRecordsTheOldestFileOfADatabaseMadeElsewhereKeepsItsRowsAndAppliesTheRest() {
        db.execute("INSERT INTO posts VALUES (1, 'written before Ashlar')");

        CliRun migrate = ashlar("migrate", "--baseline-on-migrate");

        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("baselined 20260101000000_create_posts.sql")
                .contains("Applied 1 migration(s)");
        assertThat(history("baselined AND version = '20260101000000'")).isEqualTo(1L);
        assertThat(history("NOT baselined AND version = '20260102000000'")).isEqualTo(1L);
        assertThat(db.value("SELECT title FROM posts WHERE body IS NULL")).isEqualTo("written before Ashlar");
    }

    @Test
    void migrateWithBaselineOnMigrateOfAVersionNoFileHasFailsNamingTheNearestAndRecordsNothing() {
        CliRun migrate = ashlar("migrate", "--baseline-on-migrate=20260101120000");

        assertThat(migrate.code()).isEqualTo(1);
        assertThat(migrate.err()).contains("No migration has version 20260101120000")
                .contains("The nearest are 20260101000000_create_posts.sql (before it) and "
                        + "20260102000000_add_body.sql (after it).");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void baselineWithoutAVersionRecordsEveryFileAndRunsNone() {
        db.execute("ALTER TABLE posts ADD COLUMN body text");

        CliRun baseline = ashlar("baseline");

        assertThat(baseline.code()).as(baseline.err()).isZero();
        assertThat(history("baselined")).isEqualTo(2L);
        assertThat(ashlar("migrate").out()).contains("Nothing to migrate");
        assertThat(ashlar("baseline").out()).contains("Nothing to baseline");
    }

    @Test
    void baselineOfAVersionNoFileHasFailsNamingItAndRecordsNothing() {
        CliRun baseline = ashlar("baseline", "--to", "20250101000000");

        assertThat(baseline.code()).isEqualTo(1);
        assertThat(baseline.err()).contains("No migration has version 20250101000000").contains("ashlar status");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aHistoryMadeBeforeBaselinesGainsTheColumnAndKeepsItsEntries() {
        db.execute("CREATE TABLE ashlar_schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), "
                + "duration_ms bigint NOT NULL)");

        assertThat(ashlar("status").out()).contains("pending   20260101000000_create_posts");
        CliRun baseline = ashlar("baseline", "--to", "20260101000000");

        assertThat(baseline.code()).as(baseline.err()).isZero();
        assertThat(history("baselined")).isEqualTo(1L);
    }
}
