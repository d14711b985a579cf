package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
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
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Liquibase's update-testing-rollback: apply, roll back checking the catalog after each down section, apply again. */
@ExtendWith(PostgresExtension.class)
class RollbackRehearsalTest {
    @TempDir
    Path dir;
    TestDatabase db;
    Project project;

    /** Has no down: a rollback cannot undo it. */
    static class V20260103000000__upper_titles extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("UPDATE posts SET title = upper(title)");
            }
        }
    }

    @BeforeEach
    void postsApplied(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE downs_run (file text)");
        Files.createDirectories(dir.resolve("migrations"));
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id bigint PRIMARY KEY, title text);",
                "DROP TABLE posts;");
        project = Project.open(dir).dataSource(db.dataSource());
        project.migrate();
        db.execute("INSERT INTO posts VALUES (1, 'kept')");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n"
                + down + "\nINSERT INTO downs_run VALUES ('" + name + "');\n");
    }

    private Object downsRun() {
        return db.value("SELECT coalesce(string_agg(file, ',' ORDER BY file), '') FROM downs_run");
    }

    @Test
    void aRehearsalRunsEachDownSectionFindsTheSchemaAsBeforeAndLeavesTheFilesAppliedOnce() throws IOException {
        file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text NOT NULL DEFAULT '';\n"
                + "CREATE INDEX posts_body_index ON posts (body);", "DROP INDEX posts_body_index;\n"
                + "ALTER TABLE posts DROP COLUMN body;");
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (post_id bigint REFERENCES posts, name text, "
                + "UNIQUE (post_id, name));", "DROP TABLE tags;");

        assertThat(project.migrateTestingRollback(MigrateRun.all())).extracting(MigrationFile::name)
                .containsExactly("add_body", "create_tags");

        assertThat(downsRun()).isEqualTo("20260102000000_add_body.sql,20260103000000_create_tags.sql");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_body_index'")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT title || ':' || body FROM posts")).isEqualTo("kept:");
    }

    @Test
    void aRehearsalWithCallbackFilesRehearsesOnlyTheMigrationsWhichTheDryRunShowsBetweenTheCallbacks()
            throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (name text);", "DROP TABLE tags;");
        Files.writeString(dir.resolve("migrations").resolve("afterMigrate.sql"),
                "INSERT INTO downs_run VALUES ('afterMigrate');\n");

        assertThat(project.dryRun(MigrateRun.all())).extracting(run -> run.file().fileName())
                .containsExactly("20260102000000_create_tags.sql", "afterMigrate.sql");
        assertThat(project.migrateTestingRollback(MigrateRun.all())).extracting(MigrationFile::name)
                .containsExactly("create_tags");

        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);
        assertThat(downsRun()).asString().startsWith("20260102000000_create_tags.sql,afterMigrate");
    }

    @Test
    void aDownSectionThatLeavesAnIndexBehindIsRefusedNamingTheFileAndTheIndex() throws IOException {
        file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;\n"
                + "CREATE INDEX posts_title_index ON posts (title);", "ALTER TABLE posts DROP COLUMN body;");
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (name text);", "DROP TABLE tags;");

        assertThatThrownBy(() -> project.migrateTestingRollback(MigrateRun.all()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("The down section of 20260102000000_add_body.sql does not undo its up section")
                .hasMessageContaining("public: extra index posts.posts_title_index: CREATE INDEX posts_title_index "
                        + "ON posts USING btree (title)")
                .hasMessageNotContaining("create_tags.sql does not");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(downsRun()).isEqualTo("20260102000000_add_body.sql,20260103000000_create_tags.sql");
    }

    @Test
    void aDownSectionThatDropsWhatWasThereBeforeIsRefusedNamingTheMissingColumn() throws IOException {
        file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;",
                "ALTER TABLE posts DROP COLUMN body, DROP COLUMN title;");

        assertThatThrownBy(() -> project.migrateTestingRollback(MigrateRun.all()))
                .hasMessageContaining("20260102000000_add_body.sql does not undo its up section")
                .hasMessageContaining("public: missing column posts.title: text");
    }

    @Test
    void aRehearsalTogetherWithABaselineOnMigrateIsRefusedBeforeAnythingRuns() throws IOException {
        file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;", "ALTER TABLE posts DROP COLUMN body;");

        assertThatThrownBy(() -> project.migrateTestingRollback(MigrateRun.all().baselineOnMigrate(null)))
                .hasMessageContaining("baseline first").hasMessageEndingWith("Nothing was applied.");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aRepeatableFileRunsOnceAfterTheRehearsalOfTheVersionedFilesWhoseTablesItReads() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (name text);", "DROP TABLE tags;");
        file("R__tag_names.sql", "CREATE OR REPLACE VIEW tag_names AS SELECT name FROM tags;", "");

        assertThat(project.migrateTestingRollback(MigrateRun.all())).extracting(MigrationFile::fileName)
                .containsExactly("20260102000000_create_tags.sql", "R__tag_names.sql");

        assertThat(downsRun()).isEqualTo("20260102000000_create_tags.sql");
        assertThat(db.value("SELECT count(*) FROM pg_views WHERE viewname = 'tag_names'")).isEqualTo(1L);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000,R__tag_names");
    }

    @Test
    void aDryRunOfStepsListsWhatMigrateOfThoseStepsAppliesTheRepeatableFilesCountedAfterTheVersionedOnes()
            throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (name text);", "DROP TABLE tags;");
        file("R__tag_names.sql", "CREATE OR REPLACE VIEW tag_names AS SELECT name FROM tags;", "");

        assertThat(project.dryRun(MigrateRun.all().steps(1))).extracting(dryRun -> dryRun.file().fileName())
                .containsExactly("20260102000000_create_tags.sql");
        assertThat(project.dryRun(MigrateRun.all().steps(2))).extracting(dryRun -> dryRun.file().fileName())
                .containsExactly("20260102000000_create_tags.sql", "R__tag_names.sql");
        assertThat(project.migrate(MigrateRun.all().steps(1))).extracting(MigrationFile::fileName)
                .containsExactly("20260102000000_create_tags.sql");
        assertThat(project.dryRun(MigrateRun.all().steps(5))).extracting(dryRun -> dryRun.file().fileName())
                .containsExactly("R__tag_names.sql");
        assertThat(project.migrate(MigrateRun.all().steps(5))).extracting(MigrationFile::fileName)
                .containsExactly("R__tag_names.sql");
    }

    @Test
    void aFileWithABlankDownSectionIsRefusedBeforeTheRehearsalAppliesAnything() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (name text);", "DROP TABLE tags;");
        Files.writeString(dir.resolve("migrations/20260103000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (body text);\n-- migrate:down\n");

        assertThatThrownBy(() -> project.migrateTestingRollback(MigrateRun.all()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot roll back 20260103000000_create_notes.sql on public: its "
                        + "'-- migrate:down' section is empty");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(downsRun()).isEqualTo("");
    }
    @Test
    void aJavaMigrationWithoutADownIsRefusedBeforeTheRehearsalAppliesAnything() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (name text);", "DROP TABLE tags;");
        Project withJava = project.javaMigrations(new V20260103000000__upper_titles());

        assertThatThrownBy(() -> withJava.migrateTestingRollback(MigrateRun.all()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot roll back Java migration " + V20260103000000__upper_titles.class.getName())
                .hasMessageContaining("it has no down");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("kept");
    }
}
