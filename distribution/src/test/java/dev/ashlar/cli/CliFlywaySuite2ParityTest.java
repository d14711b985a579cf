package dev.ashlar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Flyway's command-line tests that the kernel's {@code FlywaySuite2ParityTest} cannot express: the machine-readable
 * {@code info -outputType=json}, a validate that lists every invalid migration as the command prints it, and a
 * history table name holding a schema, each proved on the history and the catalog.
 */
@ExtendWith(PostgresExtension.class)
class CliFlywaySuite2ParityTest {
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

    /**
     * Flyway's {@code info -outputType=json}: each migration's version, name and state for a script, the tag and
     * installer of an applied one, the pending count; the exit code stays that of the text listing (3: pending).
     */
    @Test
    void statusAsJsonGivesEachMigrationsStateTagAndInstallerAndThePendingCountWithTheSameExitCode() throws IOException {
        ashlar("migrate", "--to", "20260102000000");
        ashlar("tag", "release-1");

        CliRun status = ashlar("status", "--format", "json");

        assertThat(status.code()).as(status.err()).isEqualTo(StatusCommand.PENDING);
        JsonNode report = new ObjectMapper().readTree(status.out());
        assertThat(report.get("schema").asText()).isEqualTo("public");
        assertThat(report.get("historyTable").asText()).isEqualTo("ashlar_schema_migrations");
        assertThat(report.get("pending").asInt()).isEqualTo(1);
        JsonNode migrations = report.get("migrations");
        assertThat(migrations).hasSize(3);
        assertThat(migrations.findValuesAsText("state")).containsExactly("applied", "applied", "pending");
        assertThat(migrations.get(1).get("name").asText()).isEqualTo("create_tags");
        assertThat(migrations.get(1).get("tags").get(0).asText()).isEqualTo("release-1");
        assertThat(migrations.get(0).get("installedBy").asText()).isEqualTo(db.value("SELECT current_user"));
        assertThat(migrations.get(2).get("appliedAt").isNull()).isTrue();
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000");
    }

    /**
     * Every text a user or the history gives (a tag, the installer a role name makes, the name an applied file was
     * recorded with) is escaped: quotes, a backslash, a newline and non-ASCII letters come back as they were written
     * (a tag refuses control characters, so the newline is the installer's).
     */
    @Test
    void statusAsJsonEscapesQuotesBackslashesNewlinesAndUnicodeInEveryField() throws IOException {
        String odd = "rel\"1\\ é—✓\n\t</x>";
        String tag = "rel\"1\\é—✓</x>";
        ashlar("migrate");
        CliRun tagged = ashlar("tag", tag);
        assertThat(tagged.code()).as(tagged.err()).isZero();
        db.query("UPDATE ashlar_schema_migrations SET installed_by = ? RETURNING version", odd);
        db.query("UPDATE ashlar_schema_migrations SET name = ? WHERE version = '20260102000000' RETURNING version",
                "tags\"q\\é");

        CliRun status = ashlar("status", "--format", "json");

        JsonNode migrations = new ObjectMapper().readTree(status.out()).get("migrations");
        assertThat(migrations).as(status.out() + status.err()).hasSize(3);
        assertThat(migrations.findValuesAsText("installedBy")).containsOnly(odd);
        assertThat(migrations.get(2).get("tags").get(0).asText()).isEqualTo(tag);
        assertThat(migrations.get(1).get("appliedAs").asText()).isEqualTo("tags\"q\\é");
    }

    /** JSON lists the main schema's migrations; with --tenants it is bad usage, named, and nothing is read. */
    @Test
    void statusAsJsonWithTenantsIsBadUsageNamingTheOption() {
        CliRun status = ashlar("status", "--tenants", "--format", "json");

        assertThat(status.code()).isEqualTo(2);
        assertThat(status.err()).contains("--format json lists the main schema's migrations");
        assertThat(status.out()).isEmpty();
    }

    /**
     * Flyway's command-line validate with several invalid migrations: exit 1, every one listed and numbered on
     * standard error, the history untouched.
     */
    @Test
    void validateListsEveryChangedAndMissingFileAndExitsOne() throws IOException {
        ashlar("migrate");
        files.table("20260101000000_create_posts.sql", "", "posts", ", title text");
        Files.delete(files.folder().resolve("20260102000000_create_tags.sql"));

        CliRun validate = ashlar("validate");

        assertThat(validate.code()).isEqualTo(1);
        assertThat(validate.err()).contains("Validation of public found 2 problems:")
                .contains("1. Migration 20260101000000_create_posts.sql was changed")
                .contains("2. Migration 20260102000000_create_tags.sql is applied to public but missing");
        assertThat(files.history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'posts'"))
                .isEqualTo(1);
    }

    /**
     * Flyway's {@code table} with {@code defaultSchema}'s schema written in: the history is kept in that schema, made
     * when missing, the tables in public, and {@code status} reads it there.
     */
    @Test
    void aHistoryTableNameWithASchemaKeepsTheHistoryInThatSchemaMadeWhenMissing() {
        db.execute("DROP SCHEMA IF EXISTS meta CASCADE");

        CliRun migrate = ashlar("migrate", "--history-table", "meta.history");

        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(db.value("SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'meta' "
                + "AND table_name = 'history'")).isEqualTo(1);
        assertThat(db.value("SELECT count(*)::int FROM meta.history")).isEqualTo(3);
        assertThat(db.value("SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name = 'posts'")).isEqualTo(1);
        CliRun status = ashlar("status", "--history-table", "meta.history");
        assertThat(status.code()).isZero();
        assertThat(status.out()).doesNotContain("pending");
        db.execute("DROP SCHEMA meta CASCADE");
    }
}
