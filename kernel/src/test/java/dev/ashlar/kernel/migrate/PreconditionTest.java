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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file's {@code -- precondition:} header, as Liquibase's changeset preconditions ({@code sqlCheck}, {@code tableExists}
 * through {@code to_regclass}) with their {@code onFail} HALT, CONTINUE and MARK_RAN: checked when the file would run.
 */
@ExtendWith(PostgresExtension.class)
class PreconditionTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void postsAndComments(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "", "CREATE TABLE posts (id int PRIMARY KEY);",
                "DROP TABLE posts;");
        file("20260103000000_create_comments.sql", "", "CREATE TABLE comments (id int);", "DROP TABLE comments;");
    }

    private void file(String name, String headers, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator(List<String> progress) {
        return new Migrator(db.dataSource(), folder).progress(progress::add);
    }

    private Object history() {
        return db.value("SELECT string_agg(version || CASE WHEN baselined THEN ' baselined' ELSE '' END, ',' "
                + "ORDER BY version) FROM ashlar_schema_migrations");
    }

    @Test
    void aFileWhosePreconditionDoesNotHoldStopsTheRunThereNamingTheQueryAndRunsOnceItHolds() throws IOException {
        file("20260102000000_copy_legacy.sql", "-- precondition: SELECT to_regclass('legacy_posts') IS NOT NULL\n",
                "INSERT INTO posts SELECT id FROM legacy_posts;", "DELETE FROM posts;");

        assertThatThrownBy(() -> migrator(new ArrayList<>()).migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_copy_legacy.sql on public stopped the run: its precondition "
                        + "'SELECT to_regclass('legacy_posts') IS NOT NULL' does not hold (on-fail: halt")
                .hasMessageContaining("'-- on-fail: skip'");
        db.execute("ALTER TABLE ashlar_schema_migrations ADD COLUMN IF NOT EXISTS baselined boolean DEFAULT false");
        assertThat(history()).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('comments') IS NULL")).isEqualTo(true);

        db.execute("CREATE TABLE legacy_posts (id int); INSERT INTO legacy_posts VALUES (7)");
        migrator(new ArrayList<>()).migrate();

        assertThat(db.value("SELECT string_agg(id::text, ',') FROM posts")).isEqualTo("7");
        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
    }

    @Test
    void aSkippedFileStaysPendingWhileTheOthersApplyAndTheNextRunChecksItAgain() throws IOException {
        file("20260102000000_copy_legacy.sql", "-- precondition: SELECT count(*) > 0 FROM posts\n-- on-fail: skip\n",
                "CREATE TABLE post_copies AS SELECT * FROM posts;", "DROP TABLE post_copies;");
        List<String> progress = new ArrayList<>();

        List<MigrationFile> applied = migrator(progress).migrate();

        assertThat(applied).extracting(MigrationFile::version).containsExactly("20260101000000", "20260103000000");
        assertThat(progress).anyMatch(line -> line.startsWith("skipped 20260102000000_copy_legacy.sql on public: its "
                + "precondition 'SELECT count(*) > 0 FROM posts' does not hold; it stays pending"));
        assertThat(db.value("SELECT to_regclass('post_copies') IS NULL")).isEqualTo(true);
        assertThat(migrator(progress).status()).filteredOn(s -> s.version().equals("20260102000000"))
                .extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.PENDING);

        db.execute("INSERT INTO posts VALUES (1)");
        migrator(progress).migrate();

        assertThat(db.value("SELECT count(*) FROM post_copies")).isEqualTo(1L);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000,20260103000000");
    }

    @Test
    void aFileMarkedRanIsRecordedAsBaselinedWithoutRunningWhenTheDatabaseAlreadyHasWhatItMakes() throws IOException {
        db.execute("CREATE TABLE tags (name text PRIMARY KEY)");
        file("20260102000000_create_tags.sql", "-- precondition: SELECT to_regclass('tags') IS NULL\n"
                + "-- on-fail: mark-ran\n", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        migrator(new ArrayList<>()).migrate();

        assertThat(history()).isEqualTo("20260101000000,20260102000000 baselined,20260103000000");
        assertThat(db.value("SELECT string_agg(column_name, ',') FROM information_schema.columns "
                + "WHERE table_name = 'tags'")).isEqualTo("name");
        assertThat(migrator(new ArrayList<>()).status()).filteredOn(s -> s.version().equals("20260102000000"))
                .extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.BASELINED);
    }

    @Test
    void aPreconditionThatFailsOrAnswersNoBooleanIsRefusedNamingTheFileAndNothingOfItIsApplied() throws IOException {
        file("20260102000000_copy_legacy.sql", "-- precondition: SELECT count(*) FROM posts\n", "SELECT 1;",
                "SELECT 1;");

        assertThatThrownBy(() -> migrator(new ArrayList<>()).migrate())
                .hasMessageContaining("The precondition of migration 20260102000000_copy_legacy.sql on public, "
                        + "'SELECT count(*) FROM posts', answers 1 column(s) of type int8, not one boolean");
        file("20260102000000_copy_legacy.sql", "-- precondition: SELECT no_such_column FROM posts\n", "SELECT 1;",
                "SELECT 1;");
        assertThatThrownBy(() -> migrator(new ArrayList<>()).migrate())
                .hasMessageContaining("'SELECT no_such_column FROM posts', failed: ERROR: column \"no_such_column\"")
                .hasMessageContaining("Nothing of 20260102000000_copy_legacy.sql was applied");
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
    }

    @Test
    void anOnFailWithoutAPreconditionAnUnknownActionAndAPreconditionOnARepeatableFileAreRefused() throws IOException {
        file("20260102000000_a.sql", "-- on-fail: skip\n", "SELECT 1;", "SELECT 1;");
        assertThatThrownBy(() -> migrator(new ArrayList<>()).migrate())
                .hasMessageContaining("has an '-- on-fail:' header but no '-- precondition:' one");

        file("20260102000000_a.sql", "-- precondition: SELECT true\n-- on-fail: continue\n", "SELECT 1;", "SELECT 1;");
        assertThatThrownBy(() -> migrator(new ArrayList<>()).migrate())
                .hasMessageContaining("Line 2 of migration").hasMessageContaining("names no action: write one of "
                        + "halt, skip, mark-ran");

        Files.delete(folder.resolve("20260102000000_a.sql"));
        Files.writeString(folder.resolve("R__views.sql"), "-- precondition: SELECT true\n-- migrate:up\nSELECT 1;\n");
        assertThatThrownBy(() -> migrator(new ArrayList<>()).migrate())
                .hasMessageContaining("Repeatable migration").hasMessageContaining("'-- precondition:' header");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDryRunShowsThePreconditionAndAScriptForPsqlRefusesTheFile() throws IOException {
        file("20260102000000_copy_legacy.sql", "-- precondition: SELECT true\n-- on-fail: skip\n",
                "CREATE TABLE post_copies (id int);", "DROP TABLE post_copies;");
        Migrator migrator = migrator(new ArrayList<>());

        List<DryRun> dryRun = migrator.dryRun();

        assertThat(dryRun).filteredOn(d -> d.file().version().equals("20260102000000")).flatExtracting(DryRun::warnings)
                .containsExactly("precondition, checked when it runs: SELECT true (on-fail: skip)");
        History history = new History("public", History.DEFAULT_TABLE);
        assertThatThrownBy(() -> DryRunText.script(dryRun, FileRunner.Direction.UP, history))
                .hasMessageContaining("Cannot write 20260102000000_copy_legacy.sql into a SQL script: its "
                        + "precondition 'SELECT true' is checked when Ashlar runs it");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }
}
