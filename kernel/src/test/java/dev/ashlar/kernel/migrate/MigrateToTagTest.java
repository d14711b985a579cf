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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aTagHeaderThatTheHistoryGivesAnotherMigrationRefusesTheRunBeforeAnythingRuns() {
        migrator().migrateTo("20260101000000");
        migrator().tag("release-1");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessage("Migration 20260102000000_create_notes.sql has the header '-- tag: release-1', but that "
                        + "tag already marks 20260101000000 on public. Give the file another tag. Nothing was applied.");
        assertThat(tables()).isEqualTo("posts");
    }

    @Test
    void aGroupRunTagsTheTaggedFileInItsTransaction() {
        migrator().migrate(MigrateRun.all().group(true));

        assertThat(migrator().tags()).isEqualTo(Map.of("release-1", "20260102000000"));
        assertThat(tables()).isEqualTo("notes,posts,users");
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
