package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rollback --pending} (Liquibase's future-rollback-sql and future-rollback-count-sql): the down sections of
 * the migrations not yet applied, newest first, printed before they are applied so that a reviewer holds the way back.
 */
@ExtendWith(PostgresExtension.class)
class CliPendingRollbackTest {
    @TempDir
    Path project;
    TestDatabase db;
    Path migrations;

    @BeforeEach
    void threeFilesAndAView(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY, title text);\n-- migrate:down\nDROP TABLE posts;\n");
        Files.writeString(migrations.resolve("20260102000000_add_body.sql"), "-- migrate:up\n"
                + "ALTER TABLE posts ADD COLUMN body text;\n-- migrate:down\nALTER TABLE posts DROP COLUMN body;\n");
        Files.writeString(migrations.resolve("20260103000000_index_titles.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\n"
                + "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY posts_title;\n");
        Files.writeString(migrations.resolve("R__titles.sql"), "-- migrate:up\nCREATE OR REPLACE VIEW titles AS "
                + "SELECT title FROM posts;\n-- migrate:down\nDROP VIEW titles;\n");
    }

    @Test
    void theRollbackScriptOfThePendingFilesRunByHandOnceTheyAreAppliedUndoesThemAndLeavesTheAppliedOnes()
            throws SQLException {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();

        CliRun script = ashlar("rollback", "--pending", "--script");

        assertThat(script.code()).as(script.err()).isZero();
        String sql = script.out();
        assertThat(sql).contains("DROP INDEX CONCURRENTLY posts_title;", "ALTER TABLE posts DROP COLUMN body;")
                .doesNotContain("DROP TABLE posts").doesNotContain("DROP VIEW titles");
        assertThat(sql.indexOf("DROP INDEX CONCURRENTLY")).isLessThan(sql.indexOf("DROP COLUMN body"));
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,R__titles");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(0L);

        assertThat(ashlar("migrate").code()).isZero();
        CliScriptTest.runAsPsqlWould(db, sql);

        assertThat(db.value("SELECT to_regclass('posts_title') IS NULL AND to_regclass('posts') IS NOT NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(0L);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,R__titles");
        assertThat(ashlar("status").out()).contains("pending   20260102000000_add_body",
                "pending   20260103000000_index_titles");
    }

    @Test
    void withStepsOnlyTheNextPendingFilesAreRolledBackInThePreviewAndNothingChanges() {
        assertThat(ashlar("migrate", "--to", "20260101000000").code()).isZero();

        CliRun dryRun = ashlar("rollback", "--pending", "--steps", "1", "--dry-run");
        Project fromJava = Project.open(project).dataSource(db.dataSource());

        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("20260102000000_add_body", "DROP COLUMN body")
                .doesNotContain("index_titles").doesNotContain("DROP TABLE posts");
        assertThat(fromJava.pendingRollbackDryRun(MigrateRun.all().upTo("20260102000000")))
                .extracting(dry -> dry.file().version()).containsExactly("20260102000000");
        assertThat(fromJava.pendingRollbackDryRun(MigrateRun.all()))
                .extracting(dry -> dry.file().version()).containsExactly("20260103000000", "20260102000000");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,R__titles");
    }

    @Test
    void aPendingFileWithoutADownSectionIsRefusedNamingItAndWithoutAPreviewTheOptionIsBadUsage() throws IOException {
        Files.writeString(migrations.resolve("20260104000000_seed.sql"), "-- migrate:up\n"
                + "INSERT INTO posts VALUES (1, 'first');\n");

        CliRun blank = ashlar("rollback", "--pending", "--script");
        CliRun notPreviewed = ashlar("rollback", "--pending");
        CliRun withTag = ashlar("rollback", "--pending", "--dry-run", "--to-tag", "release-1");

        assertThat(blank.code()).isEqualTo(1);
        assertThat(blank.err()).contains("20260104000000_seed.sql");
        assertThat(notPreviewed.code()).isEqualTo(2);
        assertThat(notPreviewed.err()).contains("--pending", "--dry-run or --script");
        assertThat(withTag.code()).isEqualTo(2);
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }
}
