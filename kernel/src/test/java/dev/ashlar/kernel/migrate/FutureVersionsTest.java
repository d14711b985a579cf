package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.migrate.MigrationStatus.State;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database migrated by a newer release (the application rolled back, an old instance starting during a rolling
 * deploy) holds versions newer than every file of this release: they are left alone, not refused. A file missing
 * between applied ones is still refused.
 */
@ExtendWith(PostgresExtension.class)
class FutureVersionsTest {
    @TempDir
    Path folder;

    @BeforeEach
    void twoFilesApplied(TestDatabase db) throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);");
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int);");
        new Migrator(db.dataSource(), folder).migrate();
    }

    @Test
    void versionsNewerThanEveryFileAreLeftAloneAndOlderPendingFilesStillRun(TestDatabase db) throws IOException {
        Files.delete(folder.resolve("20260103000000_create_tags.sql"));
        file("20260102000000_create_notes.sql", "CREATE TABLE notes (id int);");
        Migrator older = new Migrator(db.dataSource(), folder);

        assertThat(older.status()).extracting(MigrationStatus::version, MigrationStatus::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("20260101000000", State.APPLIED),
                org.assertj.core.groups.Tuple.tuple("20260102000000", State.PENDING),
                org.assertj.core.groups.Tuple.tuple("20260103000000", State.FUTURE));
        assertThat(older.migrate()).extracting(MigrationFile::name).containsExactly("create_notes");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NOT NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }

    @Test
    void aRollbackReachingAVersionOfANewerReleaseSaysSoAndUndoesNothing(TestDatabase db) throws IOException {
        Files.delete(folder.resolve("20260103000000_create_tags.sql"));

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).rollback(2))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot roll back 20260103000000: its file is not in ")
                .hasMessageEndingWith(", as it is newer than every file there: a newer release applied it. Roll it "
                        + "back with that release's files, or restore the file from version control. Nothing was "
                        + "rolled back.");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aFileMissingBeforeTheNewestIsStillRefused(TestDatabase db) throws IOException {
        Files.delete(folder.resolve("20260101000000_create_posts.sql"));

        assertThat(new Migrator(db.dataSource(), folder).status()).extracting(MigrationStatus::state)
                .containsExactly(State.MISSING, State.APPLIED);
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate()).isInstanceOf(AshlarException.class)
                .hasMessageContaining("is applied to public but missing from");
    }

    @Test
    void withNoFileAtAllEveryAppliedVersionIsMissingNotFuture(TestDatabase db) throws IOException {
        Files.delete(folder.resolve("20260101000000_create_posts.sql"));
        Files.delete(folder.resolve("20260103000000_create_tags.sql"));

        assertThat(new Migrator(db.dataSource(), folder).status()).extracting(MigrationStatus::state)
                .containsOnly(State.MISSING);
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }
}
