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
    void migrateWithBaselineOnMigrateOfAVersionBetweenTwoFilesRecordsTheFilesBeforeItAsFlywaysBaselineVersion() {
        CliRun migrate = ashlar("migrate", "--baseline-on-migrate=20260101120000");

        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(history("baselined AND version = '20260101000000'")).isEqualTo(1L);
        assertThat(history("NOT baselined AND version = '20260102000000'")).isEqualTo(1L);
    }

    @Test
    void migrateRefusingANonEmptySchemaRefusesOneMadeElsewhereWithoutHistoryNamingWhatItHoldsAndTheFixesExitingOne() {
        CliRun migrate = ashlar("migrate", "--refuse-non-empty-schema");

        assertThat(migrate.code()).isEqualTo(1);
        assertThat(migrate.err()).contains("Cannot migrate public: it holds table posts, but no migration history")
                .contains("'ashlar baseline --to VERSION', or migrate with --baseline-on-migrate=VERSION")
                .contains("Nothing was applied.");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(0L);
        CliRun dry = ashlar("migrate", "--refuse-non-empty-schema", "--dry-run");
        assertThat(dry.code()).isEqualTo(1);
        assertThat(dry.err()).contains("Cannot migrate public: it holds table posts");
        CliRun tenants = ashlar("migrate", "--refuse-non-empty-schema", "--tenants");
        assertThat(tenants.code()).isEqualTo(1);
        assertThat(tenants.err()).contains("refusing a non-empty schema without history (refuseNonEmptySchema(true), "
                + "--refuse-non-empty-schema) applies to the main schema only");
        CliRun baselined = ashlar("migrate", "--refuse-non-empty-schema", "--baseline-on-migrate");
        assertThat(baselined.code()).as(baselined.err()).isZero();
        assertThat(history("baselined AND version = '20260101000000'")).isEqualTo(1L);
        assertThat(history("NOT baselined AND version = '20260102000000'")).isEqualTo(1L);
        CliRun again = ashlar("migrate", "--refuse-non-empty-schema");
        assertThat(again.code()).as("a schema with a history is not refused: " + again.err()).isZero();
    }

    @Test
    void baselineDryRunListsTheFilesItWouldRecordAndScriptPrintsTheSqlRecordingNothing() {
        CliRun dry = ashlar("baseline", "--to", "20260101000000", "--dry-run");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("1 migration(s) would be recorded as baselined, without running them:\n"
                + "  20260101000000_create_posts.sql");
        CliRun script = ashlar("baseline", "--script");
        assertThat(script.code()).as(script.err()).isZero();
        assertThat(script.out()).contains("-- What 'ashlar baseline' would run on schema public")
                .contains("INSERT INTO ").contains("'20260101000000', 'create_posts'")
                .contains("'20260102000000', 'add_body'").doesNotContain("ALTER TABLE posts ADD COLUMN body");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        db.execute(script.out().replace("\\set ON_ERROR_STOP on\n", ""));
        assertThat(history("baselined")).isEqualTo(2L);
        assertThat(ashlar("migrate").out()).contains("Nothing to migrate");
        CliRun tenants = ashlar("baseline", "--script", "--tenants");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("Give --script without --tenants");
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
    void baselineBeforeEveryFileOrOfAVersionNotFourteenDigitsFailsAndRecordsNothing() {
        CliRun before = ashlar("baseline", "--to", "20250101000000");

        assertThat(before.code()).isEqualTo(1);
        assertThat(before.err()).contains("Cannot baseline public to 20250101000000: no migration of")
                .contains("is at or before it");
        CliRun shortVersion = ashlar("baseline", "--to", "2026");
        assertThat(shortVersion.code()).isEqualTo(1);
        assertThat(shortVersion.err()).contains("Cannot baseline to 2026: a version is 14 digits");
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
