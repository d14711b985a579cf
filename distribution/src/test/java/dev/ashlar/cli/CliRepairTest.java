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

/** An applied file edited on purpose and another deleted on purpose: repair makes the history agree, runs nothing. */
@ExtendWith(PostgresExtension.class)
class CliRepairTest {
    @TempDir
    Path project;
    TestDatabase db;
    Path migrations;

    @BeforeEach
    void twoFilesApplied(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        migrations = Files.createDirectories(project.resolve("migrations"));
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id bigint PRIMARY KEY);");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id bigint PRIMARY KEY);");
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id bigint PRIMARY KEY);");
        assertThat(ashlar("migrate").code()).isZero();
    }

    @Test
    void repairRecordsAnEditedFileForgetsADeletedOneAndRunsNothing() throws IOException {
        file("20260101000000_create_posts.sql", "-- posts of the blog\nCREATE TABLE posts (id bigint PRIMARY KEY);");
        Files.delete(migrations.resolve("20260102000000_create_tags.sql"));
        CliRun refused = ashlar("migrate");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("'ashlar repair' records the new text without running it");

        CliRun repair = ashlar("repair");

        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("recorded the new text of 20260101000000_create_posts.sql")
                .contains("forgot 20260102000000_create_tags").contains("Repaired 2 history row(s)");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).as("nothing was run or undone").isEqualTo(true);
        assertThat(ashlar("status").code()).isZero();
        assertThat(ashlar("migrate").out()).contains("Nothing to migrate");
        assertThat(ashlar("repair").out()).contains("Nothing to repair");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(migrations.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }
}
