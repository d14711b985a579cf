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

/**
 * Flyway's info with a target ({@code status --target}), validateOnMigrate=false ({@code migrate --no-validate}) and
 * skipDefaultCallbacks ({@code migrate --skip-default-callbacks}); Ebean's minVersion ({@code migrate --min-version}).
 */
@ExtendWith(PostgresExtension.class)
class CliFlywayInfoTargetTest {
    @TempDir
    Path project;
    TestDatabase db;
    ThreeMigrations files;

    @BeforeEach
    void threeFiles(TestDatabase db) throws IOException {
        this.db = db;
        files = ThreeMigrations.in(project, db);
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void statusWithATargetShowsTheFilesAfterItAsAboveTargetAndExitsZeroOnceTheTargetIsApplied() {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();

        CliRun before = ashlar("status", "--target", "20260102000000");
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        CliRun after = ashlar("status", "--target", "20260102000000");
        CliRun plain = ashlar("status");

        assertThat(before.code()).as(before.err()).isEqualTo(StatusCommand.PENDING);
        assertThat(before.out()).contains("pending   20260102000000_create_tags",
                "above-target 20260103000000_create_notes", "1 above the target (above-target)", "1 pending");
        assertThat(after.code()).as(after.err()).isZero();
        assertThat(after.out()).contains("above-target 20260103000000_create_notes").doesNotContain("pending:");
        assertThat(plain.code()).isEqualTo(StatusCommand.PENDING);
        assertThat(plain.out()).contains("pending   20260103000000_create_notes");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aStatusTargetNoFileHasIsRefusedNamingTheNearestAndTenantsWithATargetAreBadUsage() {
        CliRun unknown = ashlar("status", "--target", "20260102120000");
        CliRun tenants = ashlar("status", "--target", "20260102000000", "--tenants");

        assertThat(unknown.code()).isNotZero().isNotEqualTo(StatusCommand.PENDING);
        assertThat(unknown.err()).contains("No migration has version 20260102120000",
                "20260102000000_create_tags.sql (before it)", "20260103000000_create_notes.sql (after it)");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("--target").contains("without --tenants");
    }

    @Test
    void migrateNoValidateAppliesThePendingFilesPastAChangedAppliedOneWithAWarning() throws IOException {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();
        files.table("20260101000000_create_posts.sql", "", "posts", ", edited text");

        CliRun refused = ashlar("migrate");
        CliRun tenants = ashlar("migrate", "--no-validate", "--tenants");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
        CliRun applied = ashlar("migrate", "--no-validate");

        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("was changed after it was applied");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("--no-validate applies to the main schema");
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("warning: ", "a changed applied file was not checked",
                "Applied 2 migration(s)");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NOT NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'edited'")).isEqualTo(0L);
    }

    @Test
    void migrateSkipDefaultCallbacksLeavesOutTheCallbackFilesAndTenantsWithItAreBadUsage() throws IOException {
        Files.writeString(files.folder().resolve("afterMigrate.sql"), "CREATE TABLE after_ran (id int);");

        CliRun tenants = ashlar("migrate", "--skip-default-callbacks", "--tenants");
        CliRun dryRun = ashlar("migrate", "--skip-default-callbacks", "--dry-run");
        CliRun skipped = ashlar("migrate", "--skip-default-callbacks");

        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("--skip-default-callbacks applies to the main schema");
        assertThat(dryRun.out()).doesNotContain("afterMigrate.sql");
        assertThat(skipped.code()).as(skipped.err()).isZero();
        assertThat(skipped.out()).contains("Applied 3 migration(s)");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL AND to_regclass('after_ran') IS NULL"))
                .isEqualTo(true);
        assertThat(ashlar("migrate").code()).isZero();
        assertThat(db.value("SELECT to_regclass('after_ran') IS NOT NULL")).isEqualTo(true);
    }

    /**
     * A populated database that stopped at the first file: migrate and its dry run with a later minimum refuse it,
     * applying nothing, and once a run without the minimum brought it there the run with it goes on.
     */
    @Test
    void migrateWithAMinVersionRefusesAHistoryEndingBeforeItAndMigratesOneThatReachesIt() {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();
        db.execute("INSERT INTO posts SELECT generate_series(1, 30)");

        CliRun refused = ashlar("migrate", "--min-version", "20260102000000");
        CliRun dry = ashlar("migrate", "--min-version", "20260102000000", "--dry-run");

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("ends at 20260101000000, before the minimum version 20260102000000")
                .contains("with the release that still has them").contains("Nothing was applied.");
        assertThat(dry.code()).isEqualTo(1);
        assertThat(dry.err()).contains("before the minimum version 20260102000000");
        assertThat(files.history()).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);

        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        CliRun dryReached = ashlar("migrate", "--min-version", "20260102000000", "--dry-run");
        CliRun migrated = ashlar("migrate", "--min-version", "20260102000000");

        assertThat(dryReached.code()).as(dryReached.err()).isZero();
        assertThat(dryReached.out()).contains("20260103000000_create_notes.sql");
        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("Applied 1 migration(s)");
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*)::int FROM posts")).isEqualTo(30);
    }

    @Test
    void aMinVersionThatIsNoVersionOrGivenWithTenantsIsBadUsageNamingTheOption() {
        CliRun malformed = ashlar("migrate", "--min-version", "1.3");
        CliRun tenants = ashlar("migrate", "--tenants", "--min-version", "20260102000000");

        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("Invalid value for option '--min-version': The minimum version '1.3' is "
                + "not a migration version: give 14 digits");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("--min-version applies to the main schema");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }
}
