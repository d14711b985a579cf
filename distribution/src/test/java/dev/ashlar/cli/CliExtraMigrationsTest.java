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

/** --extra-migrations: main-schema migrations read from more folders than the project's migrations/. */
@ExtendWith(PostgresExtension.class)
class CliExtraMigrationsTest {
    @TempDir
    Path work;
    TestDatabase db;
    Path project;
    Path shared;

    @BeforeEach
    void twoFolders(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        project = work.resolve("project");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        shared = Files.createDirectories(work.resolve("shared"));
        file(migrations, "20260101000000_create_posts.sql", "CREATE TABLE posts (id bigint PRIMARY KEY);");
        file(shared, "20260102000000_create_tags.sql", "CREATE TABLE tags (id bigint PRIMARY KEY, "
                + "post_id bigint REFERENCES posts);");
        file(migrations, "20260103000000_index_tags.sql", "CREATE INDEX tags_post_index ON tags (post_id);");
    }

    private static void file(Path folder, String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }

    @Test
    void migrateAndStatusReadEveryExtraMigrationsFolderMergedByVersion() {
        CliRun run = CliRun.of(project, db, "migrate", "--extra-migrations", shared.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Applied 3 migration(s)");
        assertThat(db.query("SELECT version FROM ashlar_schema_migrations ORDER BY applied_at, version"))
                .extracting(row -> row.get("version"))
                .containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(db.value("SELECT to_regclass('tags_post_index') IS NOT NULL")).isEqualTo(true);
        assertThat(CliRun.of(project, db, "status", "--extra-migrations", shared.toString()).out())
                .contains("applied   20260102000000_create_tags");
    }

    @Test
    void anExtraMigrationsFolderThatIsNotThereIsRefusedNamingIt() {
        Path missing = work.resolve("nowhere");

        CliRun run = CliRun.of(project, db, "migrate", "--extra-migrations", missing.toString());

        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("The extra migrations folder " + missing + " is no folder");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }
}
