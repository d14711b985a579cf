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

/**
 * {@code ashlar migrate} prints the rows a file's SELECT returns, as Flyway's {@code outputQueryResults} does by
 * default; {@code --no-output-query-results} and {@code migrate.output-query-results = false} print none.
 */
@ExtendWith(PostgresExtension.class)
class CliOutputQueryResultsTest {
    private static final String TABLE = """
            Query result of statement 3 (line 4) of 20260101000000_create_posts.sql on public:
            +-------+
            | posts |
            +-------+
            | 3     |
            +-------+
            (1 row)""";

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void aFileThatCountsItsRows(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id bigint PRIMARY KEY);\nINSERT INTO posts VALUES (1), (2), (3);\n"
                + "SELECT count(*) AS posts FROM posts;\n-- migrate:down\nDROP TABLE posts;\n");
    }

    @Test
    void migratePrintsTheRowsOfAFilesSelectByDefault() {
        CliRun migrate = CliRun.of(project, db, "migrate");

        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains(TABLE).contains("Applied 1 migration(s)");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void noOutputQueryResultsAndTheSettingsFileKeyPrintNone() throws IOException {
        CliRun quiet = CliRun.of(project, db, "migrate", "--no-output-query-results");

        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.out()).doesNotContain("Query result");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(3L);

        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.writeString(project.resolve("ashlar.properties"), "migrate.output-query-results = false\n");
        CliRun bySettings = CliRun.of(project, db, "migrate");
        assertThat(bySettings.out()).doesNotContain("Query result");

        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        CliRun overridden = CliRun.of(project, db, "migrate", "--output-query-results");
        assertThat(overridden.out()).contains(TABLE);
    }

    @Test
    void aTenantRunPrintsNoTableWhileItsFileRunsInEachTenant() throws IOException {
        aTenantWhoseFileCountsItsNotes();

        CliRun tenants = CliRun.of(project, db, "migrate", "--tenant", "tenant_a");

        assertThat(tenants.code()).as(tenants.err()).isZero();
        assertThat(tenants.out()).doesNotContain("Query result").doesNotContain("| notes |");
        assertThat(db.value("SELECT count(*) FROM tenant_a.notes")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM tenant_a.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void theOptionWithTenantsIsAcceptedAndTheTenantRunStillPrintsNone() throws IOException {
        aTenantWhoseFileCountsItsNotes();

        CliRun tenants = CliRun.of(project, db, "migrate", "--tenant", "tenant_a", "--output-query-results");

        assertThat(tenants.code()).as(tenants.err()).isZero();
        assertThat(tenants.out()).doesNotContain("Query result");
        assertThat(db.value("SELECT count(*) FROM tenant_a.notes")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).as("a tenant run migrates tenants only")
                .isEqualTo(true);
    }

    private void aTenantWhoseFileCountsItsNotes() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS tenant_a CASCADE; CREATE SCHEMA tenant_a");
        Path tenantMigrations = Files.createDirectories(project.resolve("tenant_migrations"));
        Files.writeString(tenantMigrations.resolve("20260101000000_notes.sql"), "-- migrate:up\n"
                + "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
                + "INSERT INTO notes VALUES (1, 'hello'), (2, 'there');\n"
                + "SELECT count(*) AS notes FROM notes;\n-- migrate:down\nDROP TABLE notes;\n");
    }
}
