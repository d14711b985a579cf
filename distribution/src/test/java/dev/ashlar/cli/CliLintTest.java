package dev.ashlar.cli;

import dev.ashlar.cli.MigrationDomains.PostsWithHeadline;
import dev.ashlar.cli.MigrationDomains.PostsWithTitle;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class CliLintTest {
    @TempDir
    Path project;

    private CliRun ashlar(TestDatabase db, String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void codegenWarnsAboutARenameInItsOutputAndItsFileAndCheckStrictFailsUntilTheRuleIsAllowed(TestDatabase db)
            throws IOException {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        settings("lint.allow = prefer-bigint-over-int\n");
        assertThat(ashlar(db, "codegen", "create_posts", "--domain", PostsWithTitle.class.getName(), "--no-input")
                .code()).isZero();
        assertThat(ashlar(db, "migrate").code()).isZero();
        db.execute("INSERT INTO posts (title) VALUES ('kept')");
        assertThat(ashlar(db, "codegen", "--check", "--strict", "--domain", PostsWithTitle.class.getName()).code())
                .isZero();

        CliRun rename = ashlar(db, "codegen", "retitle", "--rename", "posts.title=headline", "--domain",
                PostsWithHeadline.class.getName(), "--no-input");

        Path file = migration("retitle");
        List<String> lines = Files.readAllLines(file);
        int statement = lines.indexOf("ALTER TABLE \"public\".\"posts\" RENAME COLUMN \"title\" TO \"headline\";");
        assertThat(rename.out()).contains("warning[renaming-column] migrations/" + file.getFileName() + ":"
                + (statement + 1) + ": running instances of the old application will fail on the old name");
        assertThat(lines.get(statement - 1)).startsWith("-- lint: renaming-column: running instances of the old "
                + "application will fail on the old name");
        CliRun strict = ashlar(db, "codegen", "--check", "--strict", "--domain", PostsWithHeadline.class.getName());
        assertThat(strict.code()).isEqualTo(1);
        assertThat(strict.out()).contains("Migrations are up to date.", "warning[renaming-column]",
                "1 lint finding(s) not allowed");
        assertThat(ashlar(db, "codegen", "--check", "--domain", PostsWithHeadline.class.getName()).code()).isZero();

        settings("lint.allow = prefer-bigint-over-int, renaming-column@" + file.getFileName().toString().substring(0, 14)
                + "\n");
        CliRun allowed = ashlar(db, "codegen", "--check", "--strict", "--domain", PostsWithHeadline.class.getName());
        assertThat(allowed.code()).as(allowed.out()).isZero();
        assertThat(allowed.out()).contains("warning[renaming-column]", "(allowed)");

        // The annotated file is the one that runs: the comments change nothing, the row keeps its value.
        assertThat(ashlar(db, "migrate").code()).isZero();
        assertThat(db.value("SELECT headline FROM posts")).isEqualTo("kept");
    }

    @Test
    void lintExitsZeroOnFindingsWithoutStrictAndOneWithStrictUntilTheStatementIsAllowedInline(TestDatabase db)
            throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.createDirectories(project.resolve("tenant_migrations"));
        Path main = Files.writeString(project.resolve("migrations/20260101000000_drop_legacy.sql"),
                "-- migrate:up\nDROP TABLE legacy;\n-- migrate:down\n");
        Files.writeString(project.resolve("tenant_migrations/20260102000000_rename.sql"),
                "-- lock-timeout: 5000ms\n-- migrate:up\n-- lint: allow renaming-column\n"
                        + "ALTER TABLE notes RENAME COLUMN body TO text;\n-- migrate:down\n");

        CliRun plain = ashlar(db, "lint");
        CliRun strict = ashlar(db, "lint", "--strict");

        assertThat(plain.code()).isZero();
        assertThat(plain.out()).contains(
                "warning[require-timeout-settings] migrations/20260101000000_drop_legacy.sql:2: ",
                "warning[ban-drop-table] migrations/20260101000000_drop_legacy.sql:2: loses the table's rows",
                "warning[renaming-column] tenant_migrations/20260102000000_rename.sql:4: ",
                "2 lint finding(s) not allowed, 1 allowed, in 2 migration file(s).");
        assertThat(strict.code()).isEqualTo(1);

        Files.writeString(main, "-- lock-timeout: 5000ms\n-- migrate:up\n-- lint: allow ban-drop-table\n"
                + "DROP TABLE legacy;\n-- migrate:down\n");
        CliRun fixed = ashlar(db, "lint", "--strict");
        assertThat(fixed.code()).as(fixed.out()).isZero();
        assertThat(fixed.out()).contains("0 lint finding(s) not allowed, 2 allowed, in 2 migration file(s).");
    }

    @Test
    void lintNamesTheLineAndTheFixOfAnExclusionConstraintASetLoggedAPlainRefreshAndAWholeTableUpdateWrittenByHand(
            TestDatabase db) throws IOException {
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_live.sql"), "-- lock-timeout: 5000ms\n"
                + "-- migrate:up\nALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);\n"
                + "ALTER TABLE events SET LOGGED;\nREFRESH MATERIALIZED VIEW totals;\n"
                + "REFRESH MATERIALIZED VIEW CONCURRENTLY totals;\nUPDATE events SET note = lower(note);\n"
                + "-- migrate:down\n");

        CliRun strict = ashlar(db, "lint", "--strict");

        assertThat(strict.code()).isEqualTo(1);
        assertThat(strict.out()).contains(
                "warning[adding-exclusion-constraint] migrations/20260101000000_live.sql:3: an exclusion constraint "
                        + "builds its index and checks every row while reads and writes wait",
                "declare it when the table is created, or add it in a window without traffic",
                "warning[rewrites-table] migrations/20260101000000_live.sql:4: SET LOGGED",
                "copy the rows into a new table and switch to it",
                "warning[require-concurrent-refresh] migrations/20260101000000_live.sql:5: REFRESH MATERIALIZED VIEW "
                        + "blocks every read of the view until it ends; use REFRESH MATERIALIZED VIEW CONCURRENTLY",
                "warning[backfill-in-transaction] migrations/20260101000000_live.sql:7: an UPDATE or DELETE of every "
                        + "row of a table that has rows, in the file's transaction, keeps each row it changed locked",
                "backfill in batches that each commit, in a transaction:false file",
                "4 lint finding(s) not allowed, 0 allowed, in 1 migration file(s).");
    }

    @Test
    void lintOfAProjectWithoutMigrationsIsCleanAndItsHelpNamesTheExitCodes(TestDatabase db) {
        StringWriter out = new StringWriter();
        int clean = Main.run(new String[] {"lint", "--strict", "--project", project.toString()}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        CliRun help = ashlar(db, "lint", "--help");

        assertThat(clean).isZero();
        assertThat(out).hasToString("No lint findings in 0 migration file(s).\n");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: ashlar lint", "--strict", "Exits 0", "1 with --strict");
        assertThat(ashlar(db, "lint", "--stricter").code()).isEqualTo(2);
        assertThat(ashlar(db, "codegen", "add_x", "--strict").code()).isEqualTo(2);
    }

    @Test
    void aMisnamedFileOrAnUnknownAllowedRuleFailsNamingIt(TestDatabase db) throws IOException {
        settings("lint.allow = no-such-rule\n");
        CliRun unknown = ashlar(db, "lint");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("ashlar.properties", "'no-such-rule'", "renaming-column");

        settings("");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/AddPosts.sql"), "-- migrate:up\n");
        CliRun misnamed = ashlar(db, "lint");
        assertThat(misnamed.code()).isEqualTo(1);
        assertThat(misnamed.err()).contains("AddPosts.sql", "rename it");
    }

    private void settings(String text) throws IOException {
        Files.writeString(project.resolve("ashlar.properties"), text);
    }

    private Path migration(String name) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("migrations"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("_" + name + ".sql")).findFirst().orElseThrow();
        }
    }
}
