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

/** {@code --placeholder name=value} and {@code --no-placeholders} on the commands that read migration files. */
@ExtendWith(PostgresExtension.class)
class CliPlaceholdersTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE ${prefix}_posts (id int);\nCOMMENT ON TABLE ${prefix}_posts IS '${ashlar:schema}';\n"
                + "-- migrate:down\nDROP TABLE ${prefix}_posts;\n");
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void migrateReplacesEachPlaceholderGivenOnTheCommandLine() {
        CliRun run = ashlar("migrate", "--placeholder", "prefix=blog", "--placeholder", "unused=1");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name = 'blog_posts'")).isEqualTo(1L);
        assertThat(db.value("SELECT obj_description('public.blog_posts'::regclass)")).isEqualTo("public");
    }

    @Test
    void migrateDryRunAndLintRefuseAPlaceholderWithoutAValueNamingTheOptionAndRunNothing() {
        CliRun migrate = ashlar("migrate");
        CliRun dryRun = ashlar("migrate", "--dry-run", "--placeholder", "other=x");
        CliRun lint = ashlar("lint");

        assertThat(migrate.code()).isEqualTo(1);
        assertThat(migrate.err()).contains("Line 2 of migration").contains("20260101000000_create_posts.sql")
                .contains("${prefix}, which has no value").contains("--placeholder prefix=value");
        assertThat(dryRun.code()).isEqualTo(1);
        assertThat(dryRun.err()).contains("(defined: other, ashlar:schema, ashlar:user, ashlar:database, "
                + "ashlar:timestamp, ashlar:filename, ashlar:table)");
        assertThat(lint.code()).isEqualTo(1);
        assertThat(lint.err()).contains("${prefix}, which has no value");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name LIKE '%posts'")).isEqualTo(0L);
    }

    @Test
    void placeholderPrefixAndSuffixReplaceThePlaceholdersWrittenSoAndLeaveDollarBracesAsText() throws IOException {
        Files.writeString(project.resolve("migrations/20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE #[prefix]_posts (id int);\nCOMMENT ON TABLE #[prefix]_posts IS '${kept}';\n"
                + "-- migrate:down\nDROP TABLE #[prefix]_posts;\n");

        CliRun run = ashlar("migrate", "--placeholder", "prefix=blog", "--placeholder-prefix", "#[",
                "--placeholder-suffix", "]");
        CliRun empty = ashlar("migrate", "--placeholder-prefix", "");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(db.value("SELECT obj_description('public.blog_posts'::regclass)")).isEqualTo("${kept}");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("--placeholder-prefix").contains("placeholder prefix");
    }

    @Test
    void noPlaceholdersRunsTheFileAsWritten() throws IOException {
        Files.writeString(project.resolve("migrations/20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (body text DEFAULT 'Hello ${name}');\n-- migrate:down\nDROP TABLE posts;\n");

        CliRun run = ashlar("migrate", "--no-placeholders");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(db.value("SELECT column_default FROM information_schema.columns WHERE table_name = 'posts'"))
                .isEqualTo("'Hello ${name}'::text");
    }
}
