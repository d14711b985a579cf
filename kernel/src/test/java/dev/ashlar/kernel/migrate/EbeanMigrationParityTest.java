package dev.ashlar.kernel.migrate;

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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tests of Ebean's migration runner ({@code ebean-migration}: {@code MigrationRunnerTest},
 * {@code MigrationRunner_emptyTest}, {@code MigrationRunner_PatchResetTest}) restated for Ashlar's runner, on a
 * populated table, asserting the catalog and the history rows.
 */
@ExtendWith(PostgresExtension.class)
class EbeanMigrationParityTest {
    @TempDir
    Path root;
    Path folder;
    TestDatabase db;

    @BeforeEach
    void populatedTable(TestDatabase db) throws IOException {
        this.db = db;
        folder = Files.createDirectory(root.resolve("migrations"));
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_initial.sql", "CREATE TABLE m1 (id int PRIMARY KEY, acol text);\n"
                + "INSERT INTO m1 SELECT g, 'row ' || g FROM generate_series(1, 40) g;", "DROP TABLE m1;");
        file("20260102000000_add_m3.sql", "CREATE TABLE m3 (id int PRIMARY KEY, acol text);", "DROP TABLE m3;");
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

    private boolean exists(String relation) {
        return (Boolean) db.value("SELECT to_regclass(?) IS NOT NULL", relation);
    }

    /**
     * {@code MigrationRunnerTest.run_with_dbinit} ({@code dbmig5_base} with {@code dbmig5_init}): an empty database runs
     * the init script instead of the files up to its version, then the later file and the repeatable one; a second
     * run applies nothing. Ebean records the script as one row of its own; Ashlar records the files it stands for as
     * baselined, so that status, validate and rollback go on file by file.
     */
    @Test
    void anEmptyDatabaseRunsTheInitScriptThenTheLaterFiles() throws IOException {
        file("20260103000000_m4.sql", "ALTER TABLE m3 ADD COLUMN m4 text;", "ALTER TABLE m3 DROP COLUMN m4;");
        file("R__some_r.sql", "CREATE OR REPLACE VIEW some_r AS SELECT id, m4 FROM m3;", "");
        Files.createDirectory(folder.resolve("dbinit"));
        Files.writeString(folder.resolve("dbinit/20260102000000_some_i.sql"), "-- migrate:up\n"
                + "CREATE TABLE m1 (id int PRIMARY KEY, acol text);\n"
                + "INSERT INTO m1 SELECT g, 'row ' || g FROM generate_series(1, 40) g;\n"
                + "CREATE TABLE m3 (id int PRIMARY KEY, acol text);\n");

        assertThat(migrator().migrate()).extracting(MigrationFile::fileName).containsExactly(
                "20260102000000_some_i.sql", "20260103000000_m4.sql", "R__some_r.sql");
        assertThat(migrator().migrate()).isEmpty();

        assertThat(db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(row -> row.get("version") + " " + row.get("baselined")).containsExactly(
                        "20260101000000 true", "20260102000000 true", "20260103000000 false", "R__some_r false");
        assertThat(db.value("SELECT count(*) FROM m1")).isEqualTo(40L);
        assertThat(exists("some_r")).isTrue();
    }

    /** {@code MigrationRunner_emptyTest}: a folder without files migrates nothing and fails nothing. */
    @Test
    void anEmptyFolderAppliesNothing() throws IOException {
        Path empty = Files.createDirectory(root.resolve("empty"));

        assertThat(new Migrator(db.dataSource(), empty).migrate()).isEmpty();
        assertThat(exists("m1")).isFalse();
    }

    /**
     * {@code MigrationRunnerTest.run_when_suppliedDataSource}: a second run applies nothing; a changed repeatable
     * migration ({@code dbmig3}'s {@code m2_view}) runs again, an unchanged one does not.
     */
    @Test
    void aSecondRunAppliesNothingAndAChangedRepeatableRunsAgain() throws IOException {
        file("R__m2_view.sql", "CREATE OR REPLACE VIEW m2_view AS SELECT id FROM m1;", "");
        assertThat(migrator().migrate()).hasSize(3);
        assertThat(migrator().migrate()).isEmpty();

        file("R__m2_view.sql", "CREATE OR REPLACE VIEW m2_view AS SELECT id, acol FROM m1;", "");

        assertThat(migrator().migrate()).extracting(MigrationFile::fileName).containsExactly("R__m2_view.sql");
        assertThat(db.value("SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'm2_view'"))
                .isEqualTo(2);
        assertThat(db.value("SELECT count(*)::int FROM m2_view")).isEqualTo(40);
    }

    /**
     * {@code MigrationRunnerTest.run_with_min_version}: after the first two files were squashed into one, a database
     * whose history ends before the minimum version is refused, naming both versions and the way out, rather than
     * told to restore or forget the files it lacks; brought up to it by the old folder (and repaired), it migrates;
     * an empty database migrates from the squashed file.
     */
    @Test
    void aHistoryEndingBeforeTheMinimumVersionIsRefusedAndAnEmptyOneMigrates() throws IOException {
        Path squashed = Files.createDirectory(root.resolve("squashed"));
        Files.writeString(squashed.resolve("20260102000000_squashed.sql"), "-- migrate:up\n"
                + "CREATE TABLE m1 (id int PRIMARY KEY, acol text);\nCREATE TABLE m3 (id int PRIMARY KEY, acol text);\n"
                + "-- migrate:down\nDROP TABLE m3;\nDROP TABLE m1;\n");
        Files.writeString(squashed.resolve("20260103000000_add_m4.sql"),
                "-- migrate:up\nCREATE TABLE m4 (id int);\n-- migrate:down\nDROP TABLE m4;\n");
        migrator().migrate(MigrateRun.all().upTo("20260101000000"));
        MigrateRun run = MigrateRun.all().minVersion("20260102000000");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), squashed).migrate(run))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("ends at 20260101000000, before the minimum version 20260102000000")
                .hasMessageContaining("with the release that still has them");
        assertThatThrownBy(() -> new Migrator(db.dataSource(), squashed).dryRun(run))
                .hasMessageContaining("before the minimum version 20260102000000");
        assertThat(exists("m4")).isFalse();
        assertThat(history()).containsExactly("20260101000000");

        migrator().migrate();
        new Migrator(db.dataSource(), squashed).repair();
        assertThat(new Migrator(db.dataSource(), squashed).migrate(run)).extracting(MigrationFile::fileName)
                .containsExactly("20260103000000_add_m4.sql");

        assertThat(exists("m4")).isTrue();
        assertThat(db.value("SELECT count(*)::int FROM m1")).isEqualTo(40);
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        assertThat(new Migrator(db.dataSource(), squashed).migrate(run)).hasSize(2);
        assertThat(exists("m3")).isTrue();
    }

    /**
     * A schema holding objects but no history, baselined on migrate at a version before the minimum, had no versioned
     * history to end early: the migration and its dry run both go on from the baseline, refusing nothing.
     */
    @Test
    void aBaselineOnMigrateBeforeTheMinimumVersionMigratesAsItsDryRunSays() {
        db.execute("CREATE TABLE m1 (id int PRIMARY KEY, acol text)");
        MigrateRun run = MigrateRun.all().baselineOnMigrate("20260101000000").minVersion("20260102000000");

        assertThat(migrator().dryRun(run)).extracting(dry -> dry.file().fileName())
                .containsExactly("20260102000000_add_m3.sql");
        assertThat(migrator().migrate(run)).extracting(MigrationFile::fileName)
                .containsExactly("20260102000000_add_m3.sql");
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(exists("m3")).isTrue();
    }

    /** {@code MigrateRun.minVersion} takes only a migration's 14-digit version. */
    @Test
    void aMinimumVersionThatIsNoVersionIsRefused() {
        assertThatThrownBy(() -> MigrateRun.all().minVersion("1.3")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("'1.3' is not a migration version");
    }

    /**
     * {@code MigrationRunnerTest.run_when_suppliedDataSource}'s {@code setPatchInsertOn("1.3")}: a version recorded as
     * applied without running ({@code skipMigrationRun} for one file).
     */
    @Test
    void aVersionIsRecordedAsAppliedWithoutRunningIt() {
        migrator().migrate(MigrateRun.all().cherryPick(List.of("20260101000000")));

        migrator().migrate(MigrateRun.all().cherryPick(List.of("20260102000000")).skipExecutingMigrations(true));

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(exists("m3")).isFalse();
        assertThat(db.value("SELECT count(*)::int FROM m1")).isEqualTo(40);
    }

    /** {@code MigrationRunnerTest.run_with_skipMigration}: every file recorded, none run. */
    @Test
    void skipMigrationRunRecordsEveryFileAndRunsNone() {
        migrator().migrate(MigrateRun.all().skipExecutingMigrations(true));

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(exists("m1")).isFalse();
        assertThat(exists("m3")).isFalse();
    }

    /**
     * {@code MigrationRunner_PatchResetTest} ({@code setPatchResetChecksumOn}): an applied file edited on purpose is
     * accepted once its recorded checksum is reset, and the next file runs.
     */
    @Test
    void aPatchedChecksumLetsAnEditedAppliedFilePass() throws IOException {
        migrator().migrate();
        file("20260102000000_add_m3.sql", "CREATE TABLE m3 (id int PRIMARY KEY, acol text); -- reviewed",
                "DROP TABLE m3;");
        file("20260104000000_add_m5.sql", "CREATE TABLE m5 (id int);", "DROP TABLE m5;");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_add_m3.sql");

        assertThat(migrator().repair()).isNotEmpty();
        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000", "20260104000000");
        assertThat(exists("m5")).isTrue();
    }

    /** {@code MigrationRunnerTest} with placeholders ({@code ${table}} in {@code dbmig}'s files): values replaced. */
    @Test
    void placeholdersAreReplacedBeforeTheFileRuns() throws IOException {
        file("20260103000000_add_named.sql", "CREATE TABLE ${table} (id int);", "DROP TABLE ${table};");

        new Migrator(db.dataSource(), folder).placeholders(Placeholders.of(Map.of("table", "m6"))).migrate();

        assertThat(exists("m6")).isTrue();
    }
}
