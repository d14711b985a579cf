package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Liquibase's commands that its users reach for, through the command line: tag-exists, mark-next-changeset-ran and
 * changeset preconditions, proved on the catalog and the history.
 */
@ExtendWith(PostgresExtension.class)
class CliLiquibaseParityTest {
    @TempDir
    Path project;
    TestDatabase db;
    ThreeMigrations files;

    @BeforeEach
    void threeFiles(TestDatabase db) throws IOException {
        this.db = db;
        files = ThreeMigrations.in(project, db);
    }

    @Test
    void tagExistsExitsZeroNamingTheMigrationItMarksAndOneWhenNoMigrationCarriesItTaggingNothing() {
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        assertThat(ashlar("tag", "release-1").code()).isZero();

        CliRun known = ashlar("tag", "release-1", "--exists");
        CliRun unknown = ashlar("tag", "release-2", "--exists");
        CliRun tenants = ashlar("tag", "release-1", "--exists", "--tenants");

        assertThat(known.code()).as(known.err()).isZero();
        assertThat(known.out()).startsWith("The tag release-1 marks 20260102000000 in ");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.out()).startsWith("No migration of ").contains("carries the tag release-2.");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(db.value("SELECT string_agg(version || ':' || array_to_string(tags, '+'), ',') "
                + "FROM ashlar_schema_migrations WHERE tags IS NOT NULL AND cardinality(tags) > 0"))
                .isEqualTo("20260102000000:release-1");
    }

    @Test
    void markNextChangesetRanIsABaselineToTheNextPendingVersionWhichRecordsThatFileAloneWithoutRunningIt() {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();
        db.execute("CREATE TABLE tags (id bigint PRIMARY KEY, made_by_hand text)");

        CliRun marked = ashlar("baseline", "--to", "20260102000000");
        CliRun status = ashlar("status");

        assertThat(marked.code()).as(marked.err()).isZero();
        assertThat(marked.out()).contains("Baselined 1 migration(s)");
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'tags' "
                + "AND column_name = 'made_by_hand'")).isEqualTo(1L);
        assertThat(status.out()).contains("baselined 20260102000000_create_tags", "pending   20260103000000_create_notes");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aPreconditionSkipsItsFileFromTheCommandLineShowsInTheDryRunAndKeepsItOutOfAScript() throws IOException {
        files.table("20260102000000_create_tags.sql", "-- precondition: SELECT to_regclass('legacy_tags') IS NOT NULL\n"
                + "-- on-fail: skip\n", "tags", "");

        CliRun dryRun = ashlar("migrate", "--dry-run");
        CliRun script = ashlar("migrate", "--script");
        CliRun migrate = ashlar("migrate");
        CliRun status = ashlar("status");

        assertThat(dryRun.out()).contains("warning: precondition, checked when it runs: SELECT "
                + "to_regclass('legacy_tags') IS NOT NULL (on-fail: skip)");
        assertThat(script.code()).isEqualTo(1);
        assertThat(script.err()).contains("Cannot write 20260102000000_create_tags.sql into a SQL script");
        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(files.history()).isEqualTo("20260101000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL AND to_regclass('notes') IS NOT NULL")).isEqualTo(true);
        assertThat(status.code()).isEqualTo(StatusCommand.PENDING);
        assertThat(status.out()).contains("pending   20260102000000_create_tags");
    }

    @Test
    void updateToTagAppliesThePendingFilesUpToTheFileWithThatTagHeaderWhichRollbackToTagComesBackTo()
            throws IOException {
        files.table("20260102000000_create_tags.sql", "-- tag: release-1\n", "tags", "");

        CliRun unknown = ashlar("migrate", "--to-tag", "release-9");
        CliRun withSteps = ashlar("migrate", "--to-tag", "release-1", "--steps", "1");
        CliRun migrated = ashlar("migrate", "--to-tag", "release-1");
        CliRun again = ashlar("migrate", "--to-tag", "release-1");

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("has the header '-- tag: release-9' to migrate to. The tags the files "
                + "carry: release-1");
        assertThat(withSteps.code()).isEqualTo(2);
        assertThat(withSteps.err()).contains("Invalid value for option '--to-tag'")
                .contains("not both. Nothing was applied.");
        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("Applied 2 migration(s)").contains("1 migration(s) stay pending");
        assertThat(again.out()).startsWith("Nothing to migrate up to the tag release-1 in ");
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT array_to_string(tags, ',') FROM ashlar_schema_migrations "
                + "WHERE version = '20260102000000'")).isEqualTo("release-1");

        assertThat(ashlar("migrate").code()).isZero();
        assertThat(ashlar("rollback", "--to-tag", "release-1").code()).isZero();
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL AND to_regclass('tags') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aFileThatMayFailIsRolledBackWithAWarningTheRunGoesOnAndNoRunCallsTheDatabaseUpToDateWhileItIsPending()
            throws IOException {
        files.write("20260102000000_create_tags.sql", "-- fail-on-error: false\n-- migrate:up\nCREATE TABLE tags "
                + "(id int);\nINSERT INTO nope VALUES (1);\n-- migrate:down\nDROP TABLE tags;\n");

        CliRun migrated = ashlar("migrate");
        CliRun again = ashlar("migrate");
        CliRun status = ashlar("status");

        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("warning: 20260102000000_create_tags.sql failed on public and was rolled "
                + "back; it stays pending and the run goes on (fail-on-error: false)")
                .contains("relation \"nope\" does not exist").contains("Applied 2 migration(s)");
        assertThat(files.history()).isEqualTo("20260101000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL AND to_regclass('notes') IS NOT NULL")).isEqualTo(true);
        assertThat(again.out()).contains("Nothing to migrate in ").contains("1 migration(s) stay pending")
                .doesNotContain("up to date");
        assertThat(status.code()).isEqualTo(StatusCommand.PENDING);
        assertThat(status.out()).contains("20260102000000_create_tags  (out of order: older than 20260103000000, "
                + "applied; --no-out-of-order refuses it; fail-on-error: false; a failure rolls it back and leaves it "
                + "pending)");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }
}
