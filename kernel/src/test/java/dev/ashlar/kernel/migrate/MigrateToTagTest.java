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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Liquibase's {@code update-to-tag} and {@code tagDatabase} changeset, restated: a file's {@code -- tag: NAME} header
 * tags its history row when it is applied, and a run bounded by that tag applies the pending files up to that file,
 * that one included.
 */
@ExtendWith(PostgresExtension.class)
class MigrateToTagTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void threeFilesTheSecondTagged(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260102000000_create_notes.sql", "-- tag: release-1\n", "CREATE TABLE notes (id int);",
                "DROP TABLE notes;");
        file("20260103000000_create_users.sql", "", "CREATE TABLE users (id int);", "DROP TABLE users;");
    }

    @Test
    void migratingToATagAppliesThePendingFilesUpToTheTaggedOneAndTagsItsRow() {
        assertThat(migrator().migrate(MigrateRun.all().upToTag("release-1"))).extracting(MigrationFile::name)
                .containsExactly("create_posts", "create_notes");

        assertThat(tables()).isEqualTo("notes,posts");
        assertThat(db.value("SELECT array_to_string(tags, ',') FROM ashlar_schema_migrations "
                + "WHERE version = '20260102000000'")).isEqualTo("release-1");
        assertThat(migrator().migrate(MigrateRun.all().upToTag("release-1"))).as("nothing left up to it").isEmpty();
    }

    @Test
    void aTaggedFileAppliedByAPlainMigrateIsTheOneRollbackToTagComesBackTo() {
        migrator().migrate();
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000"));

        assertThat(migrator().rollbackToTag("release-1")).extracting(MigrationFile::name)
                .containsExactly("create_users");
        assertThat(tables()).isEqualTo("notes,posts");
    }

    @Test
    void aDryRunToATagListsTheFilesTheRunWouldApply() {
        assertThat(migrator().dryRun(MigrateRun.all().upToTag("release-1"))).extracting(d -> d.file().name())
                .containsExactly("create_posts", "create_notes");
        assertThat(tables()).isEmpty();
    }

    @Test
    void aTagNoFileCarriesIsRefusedNamingTheTagsTheFilesCarryAndNothingIsApplied() {
        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().upToTag("release-9")))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("No migration in " + folder + " has the header '-- tag: release-9' to migrate "
                        + "to. The tags the files carry: release-1 (");
        assertThat(tables()).isEmpty();
        assertThatThrownBy(() -> MigrateRun.all().upToTag("release-1").steps(1))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Give either a tag to migrate to (release-1) or a number of steps (1), not both. Nothing "
                        + "was applied.");
    }

    @Test
    void anEmptyTagToMigrateToIsRefusedAsABoundNotAsTagging() {
        assertThatThrownBy(() -> MigrateRun.all().upToTag(" ")).isInstanceOf(MigrationException.class)
                .hasMessage("Cannot migrate to a tag: the tag given is empty (an unset variable?). Give the name in a "
                        + "file's '-- tag:' header, such as --to-tag release-1. Nothing was applied.");
        assertThat(tables()).isEmpty();
    }

    @Test
    void aTagHeaderThatTheHistoryGivesAnotherMigrationRefusesTheRunBeforeAnythingRuns() {
        migrator().migrateTo("20260101000000");
        migrator().tag("release-1");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessage("Migration 20260102000000_create_notes.sql has the header '-- tag: release-1', but that "
                        + "tag already marks 20260101000000 on public. Give the file another tag. Nothing was applied.");
        assertThat(tables()).isEqualTo("posts");
    }

    @Test
    void aGroupRunTagsTheTaggedFileInItsTransaction() throws IOException {
        file("20260103000000_create_users.sql", "", "CREATE TABLE users (id int); SELECT 1 / 0;", "DROP TABLE users;");
        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().group(true)))
                .isInstanceOf(MigrationException.class).hasMessageContaining("division by zero");
        assertThat(migrator().tags()).as("the tag rolled back with the group").isEmpty();
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(tables()).isEmpty();

        file("20260103000000_create_users.sql", "", "CREATE TABLE users (id int);", "DROP TABLE users;");
        migrator().migrate(MigrateRun.all().group(true));
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000"));
        assertThat(tables()).isEqualTo("notes,posts,users");
    }

    @Test
    void aTaggedFileWhoseTagCannotBeWrittenIsNotRecordedOrAppliedEither() {
        migrator().migrateTo("20260101000000");
        // Fails the write of the tag, wherever it happens: the file's row and its tag are written together or not at all.
        db.execute("ALTER TABLE ashlar_schema_migrations ADD COLUMN IF NOT EXISTS tags text[] NOT NULL DEFAULT '{}';"
                + "CREATE FUNCTION refuse_tag() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF 'release-1' = ANY (NEW.tags) THEN RAISE EXCEPTION 'no tag here'; END IF; RETURN NEW; END $$;"
                + "CREATE TRIGGER refuse_tag BEFORE INSERT OR UPDATE ON ashlar_schema_migrations "
                + "FOR EACH ROW EXECUTE FUNCTION refuse_tag()");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("no tag here");
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(tables()).isEqualTo("posts");
    }

    @Test
    void aTaggedFileIsAppliedWhileAnotherSessionReadsTheHistory() throws Exception {
        migrator().migrateTo("20260101000000");
        try (Connection reader = db.dataSource().getConnection()) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM ashlar_schema_migrations").close();
            }
            // An ALTER TABLE per tagged file would wait for the reader's transaction to end: no exclusive lock here.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> migrator().migrate());
            try (Statement statement = reader.createStatement();
                 ResultSet locks = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE granted "
                         + "AND relation = 'ashlar_schema_migrations'::regclass AND pid = pg_backend_pid()")) {
                locks.next();
                assertThat(locks.getInt(1)).as("the reader still holds its lock").isEqualTo(1);
            }
            reader.rollback();
        }
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000"));
        assertThat(tables()).isEqualTo("notes,posts,users");
    }

    @Test
    void aHistoryMadeBeforeTagsGetsItsColumnOnceOrTheRunIsRefusedBeforeAnythingRuns() throws Exception {
        migrator().migrateTo("20260101000000");
        db.execute("ALTER TABLE ashlar_schema_migrations DROP COLUMN IF EXISTS tags");
        try (Connection reader = db.dataSource().getConnection()) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM ashlar_schema_migrations").close();
            }
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> migrator().migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("was made before tags and has no tags column, and it could not be added")
                    .hasMessageContaining("Nothing was applied."));
            reader.rollback();
        }
        assertThat(tables()).isEqualTo("posts");

        migrator().migrate();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                + "'ashlar_schema_migrations' AND column_name = 'tags'")).isEqualTo(1L);
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000"));
    }

    @Test
    void aBaselineRecordsTheTagOfATaggedFile() {
        assertThat(migrator().baseline("20260102000000")).extracting(MigrationFile::name)
                .containsExactly("create_posts", "create_notes");
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000"));
        assertThat(tables()).as("a baseline runs nothing").isEmpty();
    }

    @Test
    void skippingExecutionRecordsTheTagOfATaggedFile() {
        migrator().migrate(MigrateRun.all().skipExecutingMigrations(true));
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000"));
        assertThat(tables()).isEmpty();
    }

    @Test
    void aMistypedRepeatedOrRepeatableTagHeaderIsRefusedNamingTheFile() throws IOException {
        file("20260104000000_bad.sql", "-- Tags: release-2\n", "SELECT 1;", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 1 of migration").hasMessageContaining("looks like a header but is not one")
                .hasMessageContaining("'-- tag: release-1.4'");

        file("20260104000000_bad.sql", "-- tag: a\n-- tag: b\n", "SELECT 1;", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 2 of migration").hasMessageContaining("repeats a header");

        Files.delete(folder.resolve("20260104000000_bad.sql"));
        file("R__views.sql", "-- tag: release-2\n", "SELECT 1;", "");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("has a '-- tag:' header, but a tag marks a versioned migration");
        assertThat(tables()).isEmpty();
    }

    @Test
    void twoFilesWithTheSameTagAreRefusedWhenTheFolderIsReadNamingBothWhateverTheRunChooses() throws IOException {
        file("20260104000000_create_tags.sql", "-- tag: release-1\n", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        String both = "Migrations 20260102000000_create_notes.sql and 20260104000000_create_tags.sql in " + folder
                + " both have the header '-- tag: release-1', but a tag marks one migration";

        assertThatThrownBy(() -> migrator().migrateTo("20260101000000")).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith(both).hasMessageContaining("Keep the header on 20260102000000_create_notes.sql and "
                        + "give 20260104000000_create_tags.sql another tag");
        assertThatThrownBy(() -> migrator().status()).hasMessageStartingWith(both);
        assertThat(tables()).isEmpty();
    }

    @Test
    void aSecondFileWithTheTagOfAnAppliedOneIsToldToTakeAnotherTagWhichLetsTheRunGoOnWithTheAppliedRowKept()
            throws IOException {
        migrator().migrate();
        file("20260104000000_create_tags.sql", "-- tag: release-1\n", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        assertThatThrownBy(() -> migrator().status()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Keep the header on 20260102000000_create_notes.sql and give "
                        + "20260104000000_create_tags.sql another tag")
                .hasMessageContaining("editing an applied file changes its checksum");
        file("20260104000000_create_tags.sql", "-- tag: release-2\n", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        assertThat(migrator().migrate()).extracting(MigrationFile::name).containsExactly("create_tags");
        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000", "release-2", "20260104000000"));
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aTaggedFileTheRunsContextsOrLabelsExcludeRefusesTheRunToItsTagNamingFileTagAndFilter() throws IOException {
        file("20260102000000_create_notes.sql", "-- tag: release-1\n-- context: test\n-- labels: eu\n",
                "CREATE TABLE notes (id int);", "DROP TABLE notes;");

        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().upToTag("release-1").contexts(List.of("prod"))))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Migration 20260102000000_create_notes.sql carries the tag release-1 to migrate to, but "
                        + "the run's contexts prod exclude it (its header '-- context: test'), so the run would stop "
                        + "short of the tag. Migrate with contexts and labels that select it, or to another tag. "
                        + "Nothing was applied.");
        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().upToTag("release-1").labels("!eu")))
                .hasMessageContaining("the run's labels !eu exclude it (its header '-- labels: eu')");
        assertThat(tables()).isEmpty();

        assertThat(migrator().migrate(MigrateRun.all().upToTag("release-1").contexts(List.of("test"))))
                .extracting(MigrationFile::name).containsExactly("create_posts", "create_notes");
        assertThat(migrator().migrate(MigrateRun.all().upToTag("release-1").contexts(List.of("prod"))))
                .as("applied already: nothing is skipped").isEmpty();
        assertThat(tables()).isEqualTo("notes,posts");
    }

    @Test
    void aRunToATagItsContextsExcludeIsRefusedBeforeItsBaselineOnMigrateRecordsAnythingAndTheDryRunAgrees()
            throws IOException {
        file("20260102000000_create_notes.sql", "-- tag: release-1\n-- context: test\n", "CREATE TABLE notes (id int);",
                "DROP TABLE notes;");
        db.execute("CREATE TABLE legacy (id int)");
        MigrateRun past = MigrateRun.all().upToTag("release-1").contexts(List.of("prod"));

        assertThatThrownBy(() -> migrator().migrate(past.baselineOnMigrate("20260101000000")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("carries the tag release-1 to migrate to, "
                        + "but the run's contexts prod exclude it");
        assertThatThrownBy(() -> migrator().dryRun(past.baselineOnMigrate("20260101000000")))
                .hasMessageContaining("the run's contexts prod exclude it");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'ashlar_schema_migrations'"))
                .as("no baseline recorded by the refused run").isEqualTo(0L);

        MigrateRun baselinedPast = past.baselineOnMigrate("20260102000000");
        assertThat(migrator().dryRun(baselinedPast)).as("the baseline records the tagged file").isEmpty();
        assertThat(migrator().migrate(baselinedPast)).isEmpty();
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations "
                + "WHERE baselined")).isEqualTo("20260101000000,20260102000000");
        assertThat(tables()).isEmpty();
    }

    private String tables() {
        Object tables = db.value("SELECT string_agg(relname::text, ',' ORDER BY relname) FROM pg_class "
                + "WHERE relname IN ('posts', 'notes', 'users')");
        return tables == null ? "" : tables.toString();
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(line -> { });
    }

    private void file(String name, String headers, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }
}
