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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history in steps and by hand: migrate --to, rollback --to, a dry run that refuses what the real run would refuse, and repair
 * of an applied file edited or deleted on purpose.
 */
@ExtendWith(PostgresExtension.class)
class CliHistoryTest {
    @TempDir
    Path project;
    TestDatabase db;
    ThreeMigrations files;
    Path migrations;

    /** The three files, whose down sections undo nothing (SELECT 1;), as the rollback tests below expect. */
    @BeforeEach
    void threeFiles(TestDatabase db) throws IOException {
        this.db = db;
        files = ThreeMigrations.in(project, db, "SELECT 1;");
        migrations = files.folder();
    }

    @Test
    void migrateToAVersionAppliesUpToItAndLeavesTheRestPending() {
        CliRun dry = ashlar("migrate", "--to", "20260102000000", "--dry-run");
        assertThat(dry.out()).contains("2 file(s) would run").doesNotContain("create_notes");

        CliRun run = ashlar("migrate", "--to", "20260102000000");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Applied 2 migration(s)");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(ashlar("status").out()).contains("pending   20260103000000_create_notes");
    }

    @Test
    void migrateWithGroupWhoseThirdFileFailsLeavesNothingOfTheFirstTwoAndWithoutItTheyStay() throws IOException {
        files.file("20260103000000_create_notes.sql", "CREATE TABLE notes (id bigint REFERENCES nowhere);");

        CliRun grouped = ashlar("migrate", "--group");

        assertThat(grouped.code()).isEqualTo(1);
        assertThat(grouped.err()).contains("20260103000000_create_notes.sql")
                .contains("in one transaction (group), which was rolled back: none of them stays applied");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(ashlar("migrate").code()).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void migrateWithCherryPickAppliesOnlyTheNamedVersionAndStatusShowsTheOthersPending() {
        CliRun unknown = ashlar("migrate", "--cherry-pick", "20260102000000,20269999000000");
        CliRun both = ashlar("migrate", "--cherry-pick", "20260102000000", "--steps", "1");

        CliRun picked = ashlar("migrate", "--cherry-pick", "20260102000000");

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("version 20269999000000 to cherry-pick")
                .contains("The versions there are: 20260101000000, 20260102000000, 20260103000000.");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("Give either --cherry-pick or --steps, not both");
        assertThat(picked.code()).as(picked.err()).isZero();
        assertThat(picked.out()).contains("Applied 1 migration(s)").contains("2 migration(s) stay pending");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('posts') IS NULL "
                + "AND to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(ashlar("status").out()).containsPattern("pending +20260101000000_create_posts")
                .containsPattern("applied +20260102000000_create_tags")
                .containsPattern("pending +20260103000000_create_notes");
    }

    @Test
    void migrateToAnAppliedVersionSaysTheLaterFilesStayPendingRatherThanThatTheDatabaseIsUpToDate() {
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();

        CliRun again = ashlar("migrate", "--to", "20260101000000");

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).startsWith("Nothing to migrate up to 20260101000000 in ")
                .contains("1 migration(s) stay pending: 'ashlar status' lists them.").doesNotContain("up to date");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
        assertThat(ashlar("migrate", "--to", "20260103000000").out()).contains("Applied 1 migration(s)")
                .contains("Nothing is pending: the main schema is up to date.");
    }

    @Test
    void migrateToCurrentAppliesALateFileButNoVersionNewerThanTheHistory() throws IOException {
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        CliRun nothing = ashlar("migrate", "--to", "current");
        files.file("20260101120000_create_authors.sql", "CREATE TABLE authors (id bigint PRIMARY KEY);");

        CliRun late = ashlar("migrate", "--to", "CURRENT");

        assertThat(nothing.out()).startsWith("Nothing to migrate up to current in ")
                .contains("1 migration(s) stay pending");
        assertThat(late.code()).as(late.err()).isZero();
        assertThat(late.out()).contains("Applied 1 migration(s)").contains("1 migration(s) stay pending");
        assertThat(db.value("SELECT to_regclass('authors') IS NOT NULL AND to_regclass('notes') IS NULL"))
                .isEqualTo(true);
    }

    @Test
    void migrateToNextAppliesTheOldestPendingFileAloneAndStatusWithTargetNextShowsTheRestAboveTarget() {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();
        CliRun status = ashlar("status", "--target", "next");

        CliRun next = ashlar("migrate", "--to", "next");

        assertThat(status.code()).as(status.err()).isEqualTo(3);
        assertThat(status.out()).containsPattern("pending +20260102000000_create_tags")
                .containsPattern("above-target +20260103000000_create_notes");
        assertThat(next.code()).as(next.err()).isZero();
        assertThat(next.out()).contains("Applied 1 migration(s)").contains("1 migration(s) stay pending");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void skipExecutingMigrationsRecordsTheChosenFilesWithoutRunningThem() {
        db.execute("CREATE TABLE posts (id bigint PRIMARY KEY); INSERT INTO posts VALUES (1)");

        CliRun skip = ashlar("migrate", "--skip-executing-migrations", "--to", "20260102000000");
        CliRun dry = ashlar("migrate", "--skip-executing-migrations", "--dry-run");

        assertThat(skip.code()).as(skip.err()).isZero();
        assertThat(skip.out()).contains("Recorded 2 migration(s) without running them").contains("1 migration(s) "
                + "stay pending");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations WHERE baselined")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('tags') IS NULL AND (SELECT count(*) FROM posts) = 1")).isEqualTo(true);
        assertThat(ashlar("status").out()).containsPattern("baselined +20260102000000_create_tags")
                .containsPattern("pending +20260103000000_create_notes");
        assertThat(dry.code()).isEqualTo(2);
        assertThat(dry.err()).contains("--skip-executing-migrations").contains("--dry-run");
    }

    @Test
    void aDryRunPrintsEachStatementWholeAsItWillRunAndAppliesNothing() throws IOException {
        files.file("20260104000000_create_authors.sql", "-- the authors\nCREATE TABLE authors (\n  id bigint PRIMARY KEY,\n"
                + "  name text NOT NULL\n);\nCREATE FUNCTION author_name(bigint) RETURNS text LANGUAGE sql AS $$\n"
                + "  SELECT name FROM authors WHERE id = $1;\n$$;");

        CliRun dry = ashlar("migrate", "--dry-run");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("20260104000000_create_authors.sql\n  CREATE TABLE authors (\n    id bigint "
                        + "PRIMARY KEY,\n    name text NOT NULL\n  );\n    lock: none on existing tables")
                .contains("\n    SELECT name FROM authors WHERE id = $1;\n  $$;\n    lock:")
                .doesNotContain("the authors");
        assertThat(db.value("SELECT to_regclass('authors') IS NULL AND to_regclass('ashlar_schema_migrations') IS NULL"))
                .isEqualTo(true);
    }

    @Test
    void migrateDryRunPrintsEachCallbackFileWhereTheRunRunsItWithPlaceholdersReplacedAndRunsNothing()
            throws IOException {
        db.execute("CREATE TABLE audit (line text)");
        Files.writeString(migrations.resolve("beforeMigrate.sql"), "INSERT INTO audit VALUES ('before');\n");
        Files.writeString(migrations.resolve("afterEachMigrate.sql"), "INSERT INTO audit VALUES ('after a file');\n");
        Files.writeString(migrations.resolve("afterMigrate.sql"), "INSERT INTO audit VALUES ('${ashlar:schema}');\n");

        CliRun dry = ashlar("migrate", "--steps", "1", "--dry-run");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("1 file(s) would run:\n"
                + "beforeMigrate.sql (callback, before the run)\n  INSERT INTO audit VALUES ('before');\n"
                + "    lock: ROW EXCLUSIVE (rows written)\n"
                + "20260101000000_create_posts.sql\n  CREATE TABLE posts (id bigint PRIMARY KEY);\n"
                + "    lock: none on existing tables\n"
                + "afterEachMigrate.sql (callback, after 20260101000000_create_posts.sql, in its transaction)\n"
                + "  INSERT INTO audit VALUES ('after a file');\n    lock: ROW EXCLUSIVE (rows written)\n"
                + "afterMigrate.sql (callback, after the run)\n  INSERT INTO audit VALUES ('public');\n");
        assertThat(db.value("SELECT count(*) FROM audit")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('ashlar_schema_migrations') IS NULL"))
                .isEqualTo(true);

        assertThat(ashlar("migrate").code()).isZero();
        CliRun upToDate = ashlar("migrate", "--dry-run");

        assertThat(upToDate.code()).as(upToDate.err()).isZero();
        assertThat(upToDate.out()).startsWith("Nothing to migrate; the callback files would run:\n"
                + "beforeMigrate.sql (callback, before the run)\n").contains("afterMigrate.sql (callback, after the run)")
                .doesNotContain("afterEachMigrate.sql").doesNotContain("create_");
        assertThat(ashlar("status").out()).doesNotContain("pending").doesNotContain("Migrate.sql");
        assertThat(db.value("SELECT string_agg(line, ',' ORDER BY line) FROM audit"))
                .isEqualTo("after a file,after a file,after a file,before,public");
    }

    @Test
    void rollbackDryRunPrintsTheDownSectionsNewestFirstAndUndoesNothing() throws IOException {
        Files.writeString(migrations.resolve("20260103000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE notes "
                + "(id bigint PRIMARY KEY);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS "
                + "notes_x;\nDROP TABLE notes;\n");
        assertThat(ashlar("migrate").code()).isZero();

        CliRun dry = ashlar("rollback", "--steps", "2", "--dry-run");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("2 file(s) would be rolled back:\n20260103000000_create_notes.sql (outside a "
                        + "transaction)\n  DROP INDEX CONCURRENTLY IF EXISTS notes_x;\n    lock: SHARE UPDATE EXCLUSIVE")
                .contains("\n  DROP TABLE notes;\n    lock: ACCESS EXCLUSIVE (reads and writes wait)\n"
                        + "20260102000000_create_tags.sql\n  SELECT 1;\n");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);

        CliRun unknown = ashlar("rollback", "--to", "20990101000000", "--dry-run");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("Cannot roll back to 20990101000000");
    }

    @Test
    void migrateStepsAppliesTheNextPendingFilesAndSaysHowManyStayPending() {
        CliRun dry = ashlar("migrate", "--steps", "1", "--dry-run");
        assertThat(dry.out()).contains("1 file(s) would run").contains("20260101000000_").doesNotContain("20260102000000_");

        CliRun run = ashlar("migrate", "--steps", "2");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Applied 2 migration(s)").contains("1 migration(s) stay pending: 'ashlar status' "
                + "lists them.");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(ashlar("migrate", "--steps", "5").out()).contains("Applied 1 migration(s)")
                .contains("Nothing is pending: the main schema is up to date.");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void migrateStepsBelowOneOrWithToOrWithTenantsIsBadUsageAndAppliesNothing() {
        CliRun negative = ashlar("migrate", "--steps", "-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("Invalid value for option '--steps': Cannot migrate -1 steps")
                .contains("at least 1");

        CliRun both = ashlar("migrate", "--steps", "1", "--to", "20260102000000");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("Give either --steps or --to, not both");

        CliRun tenants = ashlar("migrate", "--steps", "1", "--tenants");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("--steps applies to the main schema");

        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void migrateTestRollbackRefusesADownSectionThatLeavesItsTableAndPassesOnceTheDownSectionsUndoTheirFiles()
            throws IOException {
        CliRun leaky = ashlar("migrate", "--test-rollback", "--steps", "2");

        assertThat(leaky.code()).isEqualTo(1);
        assertThat(leaky.err()).contains("The down section of 20260102000000_create_tags.sql does not undo its up "
                + "section").contains("public: extra table tags: id");
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");

        db.execute("DROP TABLE tags");
        for (String table : new String[] {"posts", "tags"}) {
            Path file = migrations.resolve(table.equals("posts") ? "20260101000000_create_posts.sql"
                    : "20260102000000_create_tags.sql");
            Files.writeString(file, Files.readString(file).replace("SELECT 1;", "DROP TABLE " + table + ";"));
        }
        ashlar("repair");
        CliRun run = ashlar("migrate", "--test-rollback", "--steps", "1");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("rolled back 20260102000000_create_tags.sql: the schema is as before it")
                .contains("Applied 1 migration(s) to ").contains(", after rolling each back and finding the schema as "
                        + "before it.").contains("1 migration(s) stay pending");
        assertThat(files.history())
                .isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);
        assertThat(ashlar("migrate", "--test-rollback", "--dry-run").code()).isEqualTo(2);
    }

    @Test
    void migrateToAVersionNoFileHasIsRefusedNamingIt() {
        CliRun run = ashlar("migrate", "--to", "20990101000000");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("No migration has version 20990101000000");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDryRunRefusesAChangedAppliedFileAsTheRealRunWould() throws IOException {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();
        files.file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int PRIMARY KEY);");

        CliRun dry = ashlar("migrate", "--dry-run");

        assertThat(dry.code()).isEqualTo(1);
        assertThat(dry.err()).contains("was changed after it was applied");
    }

    @Test
    void repairRecordsAnEditedFileForgetsADeletedOneAndRunsNothing() throws IOException {
        assertThat(ashlar("migrate").code()).isZero();
        files.file("20260101000000_create_posts.sql", "-- posts of the blog\nCREATE TABLE posts (id bigint PRIMARY KEY);");
        Files.delete(migrations.resolve("20260102000000_create_tags.sql"));
        CliRun refused = ashlar("migrate");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("'ashlar repair' records the new text without running it");

        CliRun repair = ashlar("repair");

        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("recorded the new text of 20260101000000_create_posts.sql")
                .contains("forgot 20260102000000_create_tags").contains("Repaired 2 history row(s)");
        assertThat(repair.out().lines().filter(line -> line.contains("forgot"))).as("each line printed once")
                .hasSize(1);
        assertThat(files.history())
                .isEqualTo("20260101000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).as("nothing was run or undone").isEqualTo(true);
        assertThat(ashlar("status").code()).isZero();
        assertThat(ashlar("migrate").out()).contains("Nothing to migrate");
        assertThat(ashlar("repair").out()).contains("Nothing to repair");
    }

    @Test
    void statusAndRepairRunFromAFolderWithoutMigrationsSayToPassDirAndRepairForgetsNothing() throws IOException {
        assertThat(ashlar("migrate").code()).isZero();
        Path elsewhere = Files.createDirectories(project.resolve("elsewhere"));

        CliRun status = CliRun.of(elsewhere, db, "status");
        CliRun repair = CliRun.of(elsewhere, db, "repair");
        CliRun tenants = CliRun.of(elsewhere, db, "repair", "--tenants");

        assertThat(status.code()).isEqualTo(4);
        assertThat(status.out()).contains("3 applied file(s) missing from migrations/")
                .contains("There is no migrations/ folder in " + elsewhere + ": run this in the project folder, or pass "
                        + "--dir");
        assertThat(repair.code()).isEqualTo(1);
        assertThat(repair.err()).contains("No migrations/ folder in " + elsewhere)
                .contains("repair would forget every migration applied to public").contains("--dir")
                .contains("Nothing was repaired");
        assertThat(tenants.code()).isEqualTo(1);
        assertThat(tenants.err()).contains("No tenant_migrations/ folder in " + elsewhere);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }

    @Test
    void rollbackToAVersionUndoesTheNewestDownToItIncludedAndNothingOlder() throws IOException {
        Files.writeString(migrations.resolve("20260102000000_create_tags.sql"), "-- migrate:up\nCREATE TABLE tags "
                + "(id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n");
        Files.writeString(migrations.resolve("20260103000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE notes "
                + "(id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE notes;\n");
        assertThat(ashlar("migrate").code()).isZero();

        CliRun both = ashlar("rollback", "--steps", "1", "--to", "20260102000000");
        CliRun unknown = ashlar("rollback", "--to", "20250101000000");
        CliRun run = ashlar("rollback", "--to", "20260102000000");

        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("Give one of --steps, --to, --to-date, --to-tag and --deployment");

        CliRun tenants = ashlar("migrate", "--steps", "1", "--tenants");
        assertThat(tenants.code()).isEqualTo(2);
        assertThat(tenants.err()).contains("--steps applies to the main schema");

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("Cannot roll back to 20250101000000: no migration of public has that version")
                .contains("Nothing was rolled back");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Rolled back 2 migration(s)");
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('tags') IS NULL "
                + "AND to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(ashlar("rollback", "--to", "20260102000000").out()).contains("Nothing to roll back");
    }

    @Test
    void aDryRunPrintsALongFunctionWholeAndCutsOnlyTheRowsOfACopy() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 60; i++) {
            body.append("  total := total + ").append(i).append(";\n");
        }
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            rows.append(i).append("\n");
        }
        files.file("20260104000000_sums.sql", "CREATE FUNCTION sum_to_sixty() RETURNS int LANGUAGE plpgsql AS $$\n"
                + "DECLARE\n  total int := 0;\nBEGIN\n" + body + "  RETURN total;\nEND\n$$;\n"
                + "CREATE TABLE numbers (n int);\nCOPY numbers (n) FROM stdin;\n" + rows + "\\.");

        CliRun dry = ashlar("migrate", "--dry-run");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("    total := total + 60;\n    RETURN total;\n  END\n  $$;\n    lock:")
                .contains("  COPY numbers (n) FROM stdin;\n  1\n").contains("\n  39\n  ... (62 more lines)\n    lock:")
                .doesNotContain("\n  40\n");
        assertThat(ashlar("migrate").out()).contains("Applied 4 migration(s)");
        assertThat(db.value("SELECT sum_to_sixty() + (SELECT sum(n) FROM numbers)")).isEqualTo(1830L + 5050L);
    }

    @Test
    void validateFailsNamingAnAppliedFileEditedSinceAndHowToFixItAndPassesOnceItIsRestored() throws IOException {
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        Path tags = migrations.resolve("20260102000000_create_tags.sql");
        String original = Files.readString(tags);
        Files.writeString(tags, original.replace("PRIMARY KEY", "PRIMARY KEY, name text"));

        CliRun changed = ashlar("validate");

        assertThat(changed.code()).isEqualTo(1);
        assertThat(changed.err()).contains("Migration 20260102000000_create_tags.sql was changed after it was applied")
                .contains("Restore the file from version control").contains("'ashlar repair'");
        Files.writeString(tags, original);
        CliRun restored = ashlar("validate");
        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("agrees with the files: 2 applied, 1 pending ('ashlar migrate' applies them).");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void validateFailsNamingBothNamesOfAFileRenamedWithItsVersionKeptWhileMigrateGoesOnUntilRepairRecordsIt()
            throws IOException {
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        Files.move(migrations.resolve("20260102000000_create_tags.sql"),
                migrations.resolve("20260102000000_create_labels.sql"));

        CliRun renamed = ashlar("validate");

        assertThat(renamed.code()).isEqualTo(1);
        assertThat(renamed.err()).contains("Migration 20260102000000 was applied to public as "
                + "20260102000000_create_tags.sql, but its file in ").contains("is now 20260102000000_create_labels.sql")
                .contains("'ashlar repair' records the new name");
        assertThat(ashlar("status").out()).containsPattern("applied +20260102000000_create_labels  \\(applied "
                + "[^)]* as create_tags; 'ashlar repair' records the new name\\)");
        CliRun migrate = ashlar("migrate");
        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("Applied 1 migration(s)");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);

        assertThat(ashlar("repair").code()).isZero();
        CliRun repaired = ashlar("validate");
        assertThat(repaired.code()).as(repaired.err()).isZero();
        assertThat(db.value("SELECT name FROM ashlar_schema_migrations WHERE version = '20260102000000'"))
                .isEqualTo("create_labels");
    }

    @Test
    void migrateWithNoOutOfOrderRefusesAFileOlderThanTheNewestAppliedAndAppliesNothing() throws IOException {
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        files.file("20260101120000_create_authors.sql", "CREATE TABLE authors (id bigint PRIMARY KEY);");

        CliRun status = ashlar("status");
        CliRun refused = ashlar("migrate", "--no-out-of-order");
        CliRun dry = ashlar("migrate", "--no-out-of-order", "--dry-run");
        CliRun rehearsal = ashlar("migrate", "--no-out-of-order", "--test-rollback");

        assertThat(status.out()).contains("pending   20260101120000_create_authors  (out of order: older than "
                + "20260102000000, applied; --no-out-of-order refuses it)")
                .containsPattern("pending +20260103000000_create_notes\n");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Migration 20260101120000_create_authors.sql of ")
                .contains("is older than 20260102000000, the newest version applied to public")
                .contains("Nothing was applied.");
        assertThat(dry.code()).isEqualTo(1);
        assertThat(dry.err()).contains("20260101120000_create_authors.sql");
        assertThat(rehearsal.code()).isEqualTo(1);
        assertThat(rehearsal.err()).contains("20260101120000_create_authors.sql");
        assertThat(db.value("SELECT to_regclass('authors') IS NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
        CliRun late = ashlar("migrate");
        assertThat(late.code()).as(late.err()).isZero();
        assertThat(late.out()).contains("Applied 2 migration(s)");
        assertThat(db.value("SELECT to_regclass('authors') IS NOT NULL AND to_regclass('notes') IS NOT NULL"))
                .isEqualTo(true);
    }

    @Test
    void rollbackToDateUndoesTheFilesAppliedAfterItNewestFirstAndABadTimeIsBadUsage() throws IOException {
        Files.writeString(migrations.resolve("20260103000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE notes "
                + "(id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE notes;\n");
        assertThat(ashlar("migrate").code()).isZero();
        db.execute("UPDATE ashlar_schema_migrations SET applied_at = CASE version WHEN '20260101000000' THEN "
                + "'2026-11-30T10:00:00Z'::timestamptz WHEN '20260102000000' THEN '2026-12-01T09:00:00Z' "
                + "ELSE '2026-12-02T08:00:00+02:00' END");

        CliRun dry = ashlar("rollback", "--to-date", "2026-12-01", "--dry-run");
        CliRun bad = ashlar("rollback", "--to-date", "yesterday");
        CliRun run = ashlar("rollback", "--to-date", "2026-12-01T10:00:00+01:00");

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).containsSubsequence("20260103000000_create_notes.sql", "20260102000000_create_tags.sql")
                .doesNotContain("create_posts");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid value for option '--to-date': yesterday is no date or time");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Rolled back 1 migration(s)");
        assertThat(files.history())
                .isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aTagMarksTheMigrationAppliedLastAndRollbackToTagUndoesWhatCameAfterItKeepingThatOne() throws IOException {
        for (String name : List.of("20260102000000_create_tags.sql", "20260103000000_create_notes.sql")) {
            String table = name.substring(22, name.length() - 4);
            Files.writeString(migrations.resolve(name), "-- migrate:up\nCREATE TABLE " + table + " (id bigint PRIMARY "
                    + "KEY);\n-- migrate:down\nDROP TABLE " + table + ";\n");
        }
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();

        CliRun tag = ashlar("tag", "release-1");
        assertThat(ashlar("migrate").code()).isZero();
        CliRun status = ashlar("status");
        CliRun dry = ashlar("rollback", "--to-tag", "release-1", "--dry-run");
        CliRun both = ashlar("rollback", "--to-tag", "release-1", "--steps", "1");
        CliRun unknown = ashlar("rollback", "--to-tag", "release-2");
        CliRun run = ashlar("rollback", "--to-tag", "release-1");

        assertThat(tag.code()).as(tag.err()).isZero();
        assertThat(tag.out()).startsWith("Tagged 20260101000000_create_posts as release-1 in ");
        assertThat(status.out()).contains("20260101000000_create_posts (tag: release-1)");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).containsSubsequence("20260103000000_create_notes.sql", "20260102000000_create_tags.sql")
                .doesNotContain("create_posts");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("Give one of --steps, --to, --to-date, --to-tag and --deployment");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("Cannot roll back to the tag release-2: no applied migration of public "
                + "carries it (the tags are release-1)");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Rolled back 2 migration(s)");
        assertThat(files.history())
                .isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void statusShowsEachRunsDeploymentAndRollbackDeploymentUndoesTheLastRunOnlyRefusingAnEarlierOne()
            throws IOException {
        for (String name : List.of("20260102000000_create_tags.sql", "20260103000000_create_notes.sql")) {
            String table = name.substring(22, name.length() - 4);
            Files.writeString(migrations.resolve(name), "-- migrate:up\nCREATE TABLE " + table + " (id bigint PRIMARY "
                    + "KEY);\nINSERT INTO " + table + " SELECT generate_series(1, 100);\n-- migrate:down\nDROP TABLE "
                    + table + ";\n");
        }
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();
        assertThat(ashlar("migrate").code()).isZero();
        String first = (String) db.value("SELECT deployment_id FROM ashlar_schema_migrations WHERE version = "
                + "'20260101000000'");
        String second = (String) db.value("SELECT deployment_id FROM ashlar_schema_migrations WHERE version = "
                + "'20260103000000'");

        CliRun status = ashlar("status");
        CliRun dry = ashlar("rollback", "--deployment", second, "--dry-run");
        CliRun earlier = ashlar("rollback", "--deployment", first);
        CliRun both = ashlar("rollback", "--deployment", second, "--steps", "1");
        CliRun run = ashlar("rollback", "--deployment", second);

        assertThat(status.out()).contains("20260101000000_create_posts  (applied ").contains(" in deployment " + first)
                .contains(" in deployment " + second);
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).containsSubsequence("20260103000000_create_notes.sql", "20260102000000_create_tags.sql")
                .doesNotContain("create_posts");
        assertThat(earlier.code()).isEqualTo(1);
        assertThat(earlier.err()).contains("Cannot roll back the deployment " + first + " of public alone")
                .contains("rollback --deployment " + second);
        assertThat(both.code()).isEqualTo(2);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Rolled back 2 migration(s)");
        assertThat(files.history()).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('tags') IS NULL "
                + "AND to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void cleanIsRefusedWithoutEnableCleanAndThenDropsEverySoMigrateAppliesEveryFileAgain() {
        assertThat(ashlar("migrate").code()).isZero();

        CliRun refused = ashlar("clean");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Clean is disabled").contains("--enable-clean");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
        CliRun nowhere = CliRun.of("clean", "--dir", project.toString(), "--url", "jdbc:postgresql://127.0.0.1:1/none");
        assertThat(nowhere.err()).as("refused before connecting").contains("Clean is disabled")
                .doesNotContain("Cannot connect");

        CliRun clean = ashlar("clean", "--enable-clean");
        assertThat(clean.code()).as(clean.err()).isZero();
        assertThat(clean.out()).contains("dropped table public.posts").contains("dropped table public.ashlar_schema_"
                + "migrations").contains("Cleaned ");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('ashlar_schema_migrations') IS NULL"))
                .isEqualTo(true);
        assertThat(ashlar("migrate").out()).contains("Applied 3 migration(s)");
    }

    @Test
    void aTagMarksEachTenantSchemaAndRollbackToTagUndoesWhatCameAfterInEach() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS hist_a CASCADE; DROP SCHEMA IF EXISTS hist_b CASCADE; CREATE SCHEMA hist_a; "
                + "CREATE SCHEMA hist_b; DROP TABLE IF EXISTS ashlar_tenant_migrations");
        Path tenantFiles = Files.createDirectories(project.resolve("tenant_migrations"));
        Files.writeString(tenantFiles.resolve("20260101000000_create_posts.sql"), "-- migrate:up\nCREATE TABLE posts "
                + "(id int);\n-- migrate:down\nDROP TABLE posts;\n");
        assertThat(ashlar("migrate", "--tenant", "hist_a", "--tenant", "hist_b").code()).isZero();

        CliRun tag = ashlar("tag", "release-1", "--tenant", "hist_a", "--tenant", "hist_b");
        Files.writeString(tenantFiles.resolve("20260102000000_create_tags.sql"), "-- migrate:up\nCREATE TABLE tags "
                + "(id int);\n-- migrate:down\nDROP TABLE tags;\n");
        assertThat(ashlar("migrate", "--tenant", "hist_a", "--tenant", "hist_b").code()).isZero();
        CliRun undone = ashlar("rollback", "--to-tag", "release-1", "--tenant", "hist_a", "--tenant", "hist_b");

        assertThat(tag.code()).as(tag.out() + tag.err()).isZero();
        assertThat(tag.out()).contains("Tenants: 2 tagged, 0 up to date, 0 failed");
        assertThat(undone.code()).as(undone.out() + undone.err()).isZero();
        assertThat(undone.out()).contains("Tenants: 2 rolled back, 0 up to date, 0 failed");
        assertThat(db.value("SELECT to_regclass('hist_a.tags') IS NULL AND to_regclass('hist_b.tags') IS NULL "
                + "AND to_regclass('hist_b.posts') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).as("the main schema untouched")
                .isEqualTo(true);
    }

    @Test
    void noOutOfOrderAndToDateWorkInEachTenantSchemaByItsOwnHistory() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS hist_a CASCADE; DROP SCHEMA IF EXISTS hist_b CASCADE; CREATE SCHEMA hist_a; "
                + "CREATE SCHEMA hist_b; DROP TABLE IF EXISTS ashlar_tenant_migrations");
        Path tenantFiles = Files.createDirectories(project.resolve("tenant_migrations"));
        for (String table : List.of("posts", "notes")) {
            Files.writeString(tenantFiles.resolve((table.equals("posts") ? "20260101000000" : "20260103000000")
                    + "_create_" + table + ".sql"), "-- migrate:up\nCREATE TABLE " + table + " (id int);\n"
                    + "-- migrate:down\nDROP TABLE " + table + ";\n");
        }
        assertThat(ashlar("migrate", "--tenant", "hist_a").code()).isZero();
        Files.writeString(tenantFiles.resolve("20260102000000_create_tags.sql"), "-- migrate:up\nCREATE TABLE tags "
                + "(id int);\n-- migrate:down\nDROP TABLE tags;\n");

        CliRun refused = ashlar("migrate", "--tenant", "hist_a", "--tenant", "hist_b", "--no-out-of-order");

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("Tenants: 1 migrated, 0 up to date, 1 failed")
                .contains("FAILED hist_a: Migration 20260102000000_create_tags.sql of ")
                .contains("is older than 20260103000000, the newest version applied to hist_a");
        assertThat(db.value("SELECT to_regclass('hist_a.tags') IS NULL AND to_regclass('hist_b.tags') IS NOT NULL"))
                .isEqualTo(true);
        assertThat(ashlar("migrate", "--tenant", "hist_a").code()).isZero();
        db.execute("UPDATE hist_a.ashlar_schema_migrations SET applied_at = '2026-12-02T10:00:00Z' WHERE version = "
                + "'20260102000000'; UPDATE hist_a.ashlar_schema_migrations SET applied_at = '2026-11-30T10:00:00Z' "
                + "WHERE version <> '20260102000000'; UPDATE hist_b.ashlar_schema_migrations SET applied_at = "
                + "'2026-11-30T10:00:00Z'");

        CliRun undone = ashlar("rollback", "--tenant", "hist_a", "--tenant", "hist_b", "--to-date", "2026-12-01");

        assertThat(undone.code()).as(undone.out() + undone.err()).isZero();
        assertThat(undone.out()).contains("Tenants: 2 rolled back, 0 up to date, 0 failed");
        assertThat(db.value("SELECT string_agg(table_schema || '.' || table_name, ',' ORDER BY table_schema, "
                + "table_name) FROM information_schema.tables WHERE table_schema IN ('hist_a', 'hist_b') AND "
                + "table_name <> 'ashlar_schema_migrations'")).isEqualTo("hist_a.notes,hist_a.posts,hist_b.notes,"
                + "hist_b.posts,hist_b.tags");
    }

    @Test
    void validateWithIgnoreMigrationPatternsFailsOnWhatNoPatternNamesAndLetsADeletedFilePassWhenAsked()
            throws IOException {
        assertThat(ashlar("migrate", "--to", "20260102000000").code()).isZero();
        Files.delete(migrations.resolve("20260101000000_create_posts.sql"));

        CliRun flyway = ashlar("validate", "--ignore-migration-patterns", "*:missing,*:future");
        CliRun deleted = ashlar("validate", "--ignore-migration-patterns", "*:missing,*:pending");
        CliRun bad = ashlar("validate", "--ignore-migration-patterns", "*:gone");

        assertThat(flyway.code()).isEqualTo(1);
        assertThat(flyway.err()).contains("Validation of public failed: 20260103000000_create_notes.sql (pending)")
                .contains("*:pending (--ignore-migration-patterns; ignoreMigrationPatterns)");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("agrees with the files: 1 applied, 1 pending");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid value for option '--ignore-migration-patterns': '*:gone' is no "
                + "migration pattern");
        assertThat(ashlar("validate").code()).as("a missing file fails by default").isEqualTo(1);
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void statusShowsATransactionFalseFileThatFailedPartWayAndMigrateResumesItAtTheStatementThatFailedOnceItsCauseIsFixed()
            throws IOException {
        db.execute("CREATE TABLE codes (code text)");
        Files.writeString(migrations.resolve("20260104000000_seed_codes.sql"), "-- migrate:up transaction:false\n"
                + "INSERT INTO codes VALUES ('a'), ('a');\nCREATE UNIQUE INDEX CONCURRENTLY codes_code_index ON codes "
                + "(code);\n-- migrate:down\nDROP INDEX CONCURRENTLY codes_code_index;\n");
        assertThat(ashlar("migrate").code()).isEqualTo(1);

        CliRun status = ashlar("status");
        assertThat(status.code()).as(status.err()).isEqualTo(StatusCommand.PENDING);
        assertThat(status.out()).contains("20260104000000_seed_codes  (failed at statement 2 of 2 (line 3), "
                + "statement 1 stays applied: ERROR: could not create unique index \"codes_code_index\"")
                .contains("migrate resumes it at that statement, which fails again until its cause is fixed");
        CliRun again = ashlar("migrate");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("could not create unique index \"codes_code_index\"");
        assertThat(db.value("SELECT count(*) FROM codes")).as("the rows were not written again").isEqualTo(2L);

        db.execute("DELETE FROM codes WHERE ctid = (SELECT min(ctid) FROM codes)");
        CliRun resumed = ashlar("migrate");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(db.value("SELECT count(*) FROM codes")).as("the rows were not written again").isEqualTo(1L);
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'codes_code_index'::regclass"))
                .isEqualTo(true);
        assertThat(ashlar("status").code()).isZero();
    }
}
