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

/** Repeatable {@code R__<name>.sql} files through the command line: status, migrate, dry run and lint. */
@ExtendWith(PostgresExtension.class)
class CliRepeatablesTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_create_posts.sql"),
                "-- migrate:up\nCREATE TABLE posts (id int, title text);\n-- migrate:down\nDROP TABLE posts;\n");
        view("SELECT id FROM posts");
    }

    private void view(String query) throws IOException {
        Files.writeString(project.resolve("migrations/R__recent_posts.sql"),
                "-- migrate:up\nCREATE OR REPLACE VIEW recent_posts AS " + query + ";\n");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void statusShowsARepeatablePendingThenAppliedThenOutdatedAndMigrateRunsItAgain() throws IOException {
        CliRun fresh = ashlar("status");
        assertThat(fresh.out()).contains("pending   20260101000000_create_posts", "pending   R__recent_posts",
                "2 pending: run 'ashlar migrate'.");

        assertThat(ashlar("migrate").code()).isZero();
        CliRun applied = ashlar("status");
        assertThat(applied.code()).isZero();
        assertThat(applied.out()).contains("applied   R__recent_posts  (applied ", "Everything is applied.");

        view("SELECT id, title FROM posts");
        CliRun outdated = ashlar("status");
        CliRun dryRun = ashlar("migrate", "--dry-run");
        assertThat(outdated.code()).isNotZero();
        assertThat(outdated.out()).contains("outdated  R__recent_posts", "1 pending: run 'ashlar migrate'.");
        assertThat(dryRun.out()).contains("1 file(s) would run:", "R__recent_posts.sql",
                "CREATE OR REPLACE VIEW recent_posts AS SELECT id, title FROM posts;");
        assertThat(db.value("SELECT definition NOT LIKE '%title%' FROM pg_views WHERE viewname = 'recent_posts'"))
                .isEqualTo(true);

        assertThat(ashlar("migrate").code()).isZero();
        assertThat(db.value("SELECT definition LIKE '%title%' FROM pg_views WHERE viewname = 'recent_posts'"))
                .isEqualTo(true);
    }

    @Test
    void lintReadsARepeatableLikeAnyFile() throws IOException {
        Files.writeString(project.resolve("migrations/R__cleanup.sql"), "-- migrate:up\nDROP TABLE legacy;\n");

        CliRun lint = ashlar("lint");

        assertThat(lint.out()).contains("warning[ban-drop-table] migrations/R__cleanup.sql:2: loses the table's rows",
                "in 3 migration file(s)");
    }
}
