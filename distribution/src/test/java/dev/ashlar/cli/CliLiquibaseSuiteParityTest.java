package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Liquibase's command tests ({@code liquibase-integration-tests/.../command}) that {@link CliLiquibaseParityTest} does
 * not restate: tags with slashes written by the files, changelog-sync-to-tag and contexts a file requires.
 */
@ExtendWith(PostgresExtension.class)
class CliLiquibaseSuiteParityTest {
    @TempDir
    Path project;
    TestDatabase db;
    ThreeMigrations files;

    @BeforeEach
    void threeFiles(TestDatabase db) throws IOException {
        this.db = db;
        files = ThreeMigrations.in(project, db);
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private Object tags() {
        return db.value("SELECT string_agg(version || ':' || array_to_string(tags, '+'), ',' ORDER BY version) "
                + "FROM ashlar_schema_migrations WHERE cardinality(tags) > 0");
    }

    /**
     * Liquibase's {@code TagIntegrationTest} "validate update command with duplicated tag changes is successfully
     * executed with only one tag applied": each file's tag on its own row, a slash in a tag kept, and a rollback to it.
     */
    @Test
    void tagsWithSlashesThatTheFilesCarryMarkOneRowEachAndARollbackToOneKeepsItsFile() throws IOException {
        files.table("20260101000000_create_posts.sql", "-- tag: release/0.1\n", "posts", "");
        files.table("20260103000000_create_notes.sql", "-- tag: release/1.0\n", "notes", "");

        CliRun migrated = ashlar("migrate");
        CliRun exists = ashlar("tag", "release/1.0", "--exists");
        CliRun rolledBack = ashlar("rollback", "--to-tag", "release/0.1");

        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(exists.out()).startsWith("The tag release/1.0 marks 20260103000000 in ");
        assertThat(rolledBack.code()).as(rolledBack.err()).isZero();
        assertThat(files.history()).isEqualTo("20260101000000");
        assertThat(tags()).isEqualTo("20260101000000:release/0.1");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
    }

    /**
     * Liquibase's {@code changelog-sync-to-tag} (its {@code ChangelogSyncToTagCommandStep}, and the command tests'
     * "changelog sync to tag" cases): the files up to the tagged one recorded, not run, the row tagged; the rest
     * applied by the next migrate.
     */
    @Test
    void baselineToATagRecordsTheFilesUpToTheTaggedOneWithoutRunningThemAndMigrateAppliesTheRest()
            throws IOException {
        files.table("20260102000000_create_tags.sql", "-- tag: release-1\n", "tags", "");
        db.execute("CREATE TABLE posts (id bigint PRIMARY KEY); CREATE TABLE tags (id bigint PRIMARY KEY)");

        CliRun unknown = ashlar("baseline", "--to-tag", "release-9");
        CliRun both = ashlar("baseline", "--to-tag", "release-1", "--to", "20260101000000");
        CliRun baselined = ashlar("baseline", "--to-tag", "release-1");
        CliRun status = ashlar("status");
        CliRun migrated = ashlar("migrate");

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("'-- tag: release-9'").contains("The tags the files carry: release-1");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("Give --to-tag without --to");
        assertThat(baselined.code()).as(baselined.err()).isZero();
        assertThat(baselined.out()).contains("Baselined 2 migration(s)");
        assertThat(status.out()).contains("baselined 20260102000000_create_tags (tag: release-1)",
                "pending   20260103000000_create_notes");
        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations "
                + "WHERE baselined")).isEqualTo("20260101000000,20260102000000");
        assertThat(tags()).isEqualTo("20260102000000:release-1");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
    }

    /**
     * Liquibase's {@code ExpressionMatcherTest} rows with the required operator {@code @}, through the command line: a
     * seed file with {@code -- context: @seed} stays pending in every run without contexts, and the run that gives
     * the context applies it.
     */
    @Test
    void aFileWhoseContextRequiresANameStaysPendingWithoutContextsAndTheRunThatGivesItAppliesIt() throws IOException {
        files.write("20260104000000_seed_posts.sql", "-- context: @seed\n-- migrate:up\nINSERT INTO posts VALUES (1);\n"
                + "-- migrate:down\nDELETE FROM posts WHERE id = 1;\n");

        CliRun dryRun = ashlar("migrate", "--dry-run");
        CliRun migrated = ashlar("migrate");
        CliRun status = ashlar("status");
        CliRun seeded = ashlar("migrate", "--contexts", "seed");

        assertThat(dryRun.out()).contains("20260103000000_create_notes.sql").doesNotContain("seed_posts");
        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("Applied 3 migration(s)").contains("1 migration(s) stay pending")
                .doesNotContain("up to date");
        assertThat(status.code()).isEqualTo(StatusCommand.PENDING);
        assertThat(status.out()).contains("pending   20260104000000_seed_posts");
        assertThat(seeded.code()).as(seeded.err()).isZero();
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000,20260103000000,20260104000000");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }
}
