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
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Liquibase's rollback-to-date: the files applied after a moment are undone, newest version first. */
@ExtendWith(PostgresExtension.class)
class RollbackToDateTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void threeFilesAppliedOnThreeDays(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        migrator().migrate();
        // The late file (tags) was applied last, after notes: a date rolls back by time, not by version.
        db.execute("UPDATE ashlar_schema_migrations SET applied_at = CASE version "
                + "WHEN '20260101000000' THEN '2026-11-30T10:00:00Z'::timestamptz "
                + "WHEN '20260103000000' THEN '2026-12-01T09:00:00Z' ELSE '2026-12-02T09:00:00Z' END");
    }

    @Test
    void undoesTheFilesAppliedAfterTheMomentNewestVersionFirstAndKeepsOneAppliedAtIt() {
        assertThat(migrator().rollbackDryRun(Instant.parse("2026-12-01T09:00:00Z"))).extracting(d -> d.file().name())
                .containsExactly("create_tags");
        assertThat(migrator().rollbackAfter(Instant.parse("2026-11-30T12:00:00Z"))).extracting(MigrationFile::name)
                .containsExactly("create_notes", "create_tags");

        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname IN ('posts', 'tags', 'notes')")).isEqualTo(1L);
        assertThat(migrator().rollbackAfter(Instant.parse("2026-11-30T10:00:00Z"))).as("applied at it: stays")
                .isEmpty();
    }

    @Test
    void aFileAppliedAfterTheMomentWithoutItsFileIsRefusedBeforeAnythingIsRolledBack() throws IOException {
        Files.delete(folder.resolve("20260102000000_create_tags.sql"));

        assertThatThrownBy(() -> migrator().rollbackAfter(Instant.parse("2026-11-30T12:00:00Z")))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Cannot roll back 20260102000000: its file is not in " + folder);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aDateIsMidnightUtcADateAndTimeWithoutAnOffsetIsUtcAndAnythingElseIsRefusedNamingTheOption() {
        assertThat(RollbackDate.parse("2026-12-01", "--to-date")).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(RollbackDate.parse(" 2026-12-01T14:30:00 ", "--to-date"))
                .isEqualTo(Instant.parse("2026-12-01T14:30:00Z"));
        assertThat(RollbackDate.parse("2026-12-01T14:30:00+01:00", "--to-date"))
                .isEqualTo(Instant.parse("2026-12-01T13:30:00Z"));
        assertThatThrownBy(() -> RollbackDate.parse("12/01/2026", "--to-date")).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("12/01/2026 is no date or time for --to-date: write 2026-12-01, ");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(line -> { });
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }
}
