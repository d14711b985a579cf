package dev.ashlar.kernel.migrate;

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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code R__<name>.sql}: run after the versioned files whenever its text changed, as Flyway's repeatable files. */
@ExtendWith(PostgresExtension.class)
class RepeatableMigrationsTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int, title text);", "DROP TABLE posts;");
        file("R__a_recent_posts.sql", "CREATE OR REPLACE VIEW recent_posts AS SELECT id FROM posts;", "");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder);
    }

    private Object view() {
        return db.value("SELECT definition FROM pg_views WHERE schemaname = 'public' AND viewname = 'recent_posts'");
    }

    private Object row() {
        return db.value("SELECT count(*) || ' ' || max(applied_at) FROM ashlar_schema_migrations "
                + "WHERE version = 'R__a_recent_posts'");
    }

    @Test
    void aRepeatableViewIsCreatedAfterTheVersionedTableItSelectsFromAndRecordedUnderItsName() {
        List<MigrationFile> applied = migrator().migrate();

        assertThat(applied).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_create_posts.sql", "R__a_recent_posts.sql");
        assertThat(view()).asString().contains("FROM posts");
        assertThat(db.query("SELECT version, name FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(Object::toString).containsExactly("{version=20260101000000, name=create_posts}",
                        "{version=R__a_recent_posts, name=a_recent_posts}");
    }

    @Test
    void anEditedRepeatableRunsAgainAfterTheNewVersionedFilesAndAnUnchangedOneDoesNot() throws IOException {
        migrator().migrate();
        Object first = row();

        assertThat(migrator().migrate()).isEmpty();
        assertThat(row()).isEqualTo(first);

        file("20260102000000_add_author.sql", "ALTER TABLE posts ADD COLUMN author text;",
                "ALTER TABLE posts DROP COLUMN author;");
        file("R__a_recent_posts.sql", "CREATE OR REPLACE VIEW recent_posts AS SELECT id, author FROM posts;", "");
        assertThat(migrator().status()).extracting(MigrationStatus::label, MigrationStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("20260101000000_create_posts", State.APPLIED),
                        org.assertj.core.groups.Tuple.tuple("20260102000000_add_author", State.PENDING),
                        org.assertj.core.groups.Tuple.tuple("R__a_recent_posts", State.OUTDATED));
        assertThat(migrator().dryRun()).extracting(run -> run.file().fileName())
                .containsExactly("20260102000000_add_author.sql", "R__a_recent_posts.sql");

        assertThat(migrator().migrate()).extracting(MigrationFile::fileName)
                .containsExactly("20260102000000_add_author.sql", "R__a_recent_posts.sql");
        assertThat(view()).asString().contains("author");
        assertThat(row()).asString().startsWith("1 ").isNotEqualTo(first);
        assertThat(migrator().validate()).extracting(MigrationStatus::state).containsOnly(State.APPLIED);
    }

    @Test
    void aRepeatableRunsAgainWhenAPlaceholderValueItUsesChangesWhileAVersionedFileStaysApplied() throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);\nCOMMENT ON TABLE posts IS '${label}';",
                "DROP TABLE posts;");
        file("R__a_recent_posts.sql", "CREATE OR REPLACE VIEW recent_posts AS SELECT id FROM posts;\n"
                + "COMMENT ON VIEW recent_posts IS '${label} in ${ashlar:schema}';", "");
        migrator().placeholders(Placeholders.of(Map.of("label", "one"))).migrate();

        Migrator changed = migrator().placeholders(Placeholders.of(Map.of("label", "two")));
        assertThat(changed.status()).extracting(MigrationStatus::state).containsExactly(State.APPLIED, State.OUTDATED);
        assertThat(changed.migrate()).extracting(MigrationFile::fileName).containsExactly("R__a_recent_posts.sql");

        assertThat(db.value("SELECT obj_description('public.recent_posts'::regclass)")).isEqualTo("two in public");
        assertThat(db.value("SELECT obj_description('public.posts'::regclass)")).isEqualTo("one");
        assertThat(changed.migrate()).isEmpty();
    }

    @Test
    void migrateToAVersionRunsTheRepeatablesAfterTheFilesUpToIt() throws IOException {
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        assertThat(migrator().migrateTo("20260101000000")).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_create_posts.sql", "R__a_recent_posts.sql");

        assertThat(db.value("SELECT to_regclass('public.tags') IS NULL")).isEqualTo(true);
        assertThat(view()).isNotNull();
    }

    @Test
    void rollbackUndoesVersionedFilesOnlyAndLeavesTheRepeatablesRow() throws IOException {
        file("R__a_recent_posts.sql", "CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42';",
                "");
        migrator().migrate();

        assertThat(migrator().rollback(1)).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_create_posts.sql");

        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT answer()")).isEqualTo(42);
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations"))
                .isEqualTo("R__a_recent_posts");
    }

    @Test
    void aDeletedRepeatableIsMissingUntilRepairForgetsItsRowAndWhatItMadeStays() throws IOException {
        migrator().migrate();
        Files.delete(folder.resolve("R__a_recent_posts.sql"));

        assertThat(migrator().status()).extracting(MigrationStatus::label, MigrationStatus::state)
                .contains(org.assertj.core.groups.Tuple.tuple("R__a_recent_posts", State.MISSING));
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration R__a_recent_posts.sql is applied to public but missing")
                .hasMessageContaining("'ashlar repair' forgets it (what it made stays: drop it in a new migration)");

        assertThat(migrator().repair()).containsExactly("forgot R__a_recent_posts in public (its file is gone; its "
                + "schema changes stay)");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(view()).isNotNull();
    }

    @Test
    void baselineRecordsTheVersionedFilesOnlySoTheNextMigrateRunsTheRepeatable() {
        db.execute("CREATE TABLE posts (id int, title text)");

        assertThat(migrator().baseline(null)).extracting(MigrationFile::fileName)
                .containsExactly("20260101000000_create_posts.sql");
        assertThat(migrator().migrate()).extracting(MigrationFile::fileName).containsExactly("R__a_recent_posts.sql");

        assertThat(view()).isNotNull();
    }

    @Test
    void aHistoryMadeBeforeRepeatablesAndBaselinesTakesARepeatableKeepingItsRowsApplied() throws IOException {
        db.execute("CREATE TABLE ashlar_schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL)");
        Files.delete(folder.resolve("R__a_recent_posts.sql"));
        migrator().migrate();
        String checksum = (String) db.value("SELECT checksum FROM ashlar_schema_migrations");
        file("R__a_recent_posts.sql", "CREATE OR REPLACE VIEW recent_posts AS SELECT id FROM posts;", "");

        migrator().migrate();
        file("R__a_recent_posts.sql", "CREATE OR REPLACE VIEW recent_posts AS SELECT id, title FROM posts;", "");
        migrator().migrate();

        assertThat(migrator().status()).extracting(MigrationStatus::state).containsOnly(State.APPLIED);
        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260101000000'"))
                .isEqualTo(checksum);
        assertThat(view()).asString().contains("title");
    }

    @Test
    void aRepeatableNamedWithUppercaseIsRefusedWithTheNameToUse() throws IOException {
        Files.writeString(folder.resolve("R__Recent_Posts.sql"), "-- migrate:up\nSELECT 1;\n");

        assertThatThrownBy(() -> migrator().migrate()).hasMessageContaining("R__Recent_Posts.sql is not named")
                .hasMessageContaining("call it R__recent_posts.sql");
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFailingRepeatableIsNotRecordedNamesItsLineAndLeavesTheVersionedFilesBeforeItApplied() throws IOException {
        migrator().migrate();
        file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;",
                "ALTER TABLE posts DROP COLUMN body;");
        file("R__a_recent_posts.sql", "CREATE OR REPLACE VIEW recent_posts AS SELECT id, title FROM posts;\n\n"
                + "SELECT no_such_column FROM posts;", "");
        Object before = row();

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration R__a_recent_posts.sql failed on public at statement 2 (line 4)")
                .hasMessageContaining("no_such_column");

        assertThat(row()).isEqualTo(before);
        assertThat(view()).asString().doesNotContain("title");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(1L);
        assertThat(migrator().status()).filteredOn(s -> s.version().equals("R__a_recent_posts"))
                .extracting(MigrationStatus::state).containsExactly(State.OUTDATED);
    }
}
