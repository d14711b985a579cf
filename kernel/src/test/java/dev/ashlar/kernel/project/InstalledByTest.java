package dev.ashlar.kernel.project;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.migrate.FileRunner;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.SqlStatements;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who applied each migration (Flyway's installedBy) is recorded in every history, main and tenant. */
@ExtendWith(PostgresExtension.class)
class InstalledByTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS installed_acme CASCADE; "
                + "CREATE SCHEMA installed_acme");
        Files.createDirectories(dir.resolve("migrations"));
        Files.createDirectories(dir.resolve("tenant_migrations"));
        file("migrations/20260101000000_create_settings.sql", "settings");
        Files.writeString(dir.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (body text);\n-- migrate:down\nDROP TABLE notes;\n");
    }

    private void file(String path, String table) throws IOException {
        Files.writeString(dir.resolve(path), "-- migrate:up\nCREATE TABLE " + table + " (key text);\n"
                + "-- migrate:down\nDROP TABLE " + table + ";\n");
    }

    private Object installedBy(String schema, String version) {
        return db.value("SELECT installed_by FROM " + schema + ".ashlar_schema_migrations WHERE version = ?", version);
    }

    @Test
    void eachHistoryRowRecordsTheDatabaseUserThatAppliedItInTheMainAndTenantSchemas() {
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });

        project.migrate();
        project.migrateTenants(TenantSelection.named(List.of("installed_acme")));

        assertThat(installedBy("public", "20260101000000")).isEqualTo(db.user())
                .isEqualTo(db.value("SELECT current_user"));
        assertThat(installedBy("installed_acme", "20260101000000")).isEqualTo(db.user());
        assertThat(project.status()).extracting(MigrationStatus::installedBy).containsExactly(db.user());
        db.execute("DROP SCHEMA installed_acme CASCADE");
    }

    @Test
    void installedByRecordsTheNameGivenAndThePoolGetsItsConnectionsBackWithoutIt() throws SQLException {
        try (HikariDataSource pool = InitSqlTest.pool(db)) {
            Project project = Project.open(dir).dataSource(pool).progress(line -> { }).installedBy("release-bot");

            project.migrate();
            project.migrateTenants(TenantSelection.named(List.of("installed_acme")));

            assertThat(installedBy("public", "20260101000000")).isEqualTo("release-bot");
            assertThat(installedBy("installed_acme", "20260101000000")).isEqualTo("release-bot");
            try (Connection lent = pool.getConnection(); Statement statement = lent.createStatement();
                 ResultSet row = statement.executeQuery("SELECT coalesce(current_setting('ashlar.installed_by', "
                         + "true), '')")) {
                row.next();
                assertThat(row.getString(1)).isEmpty();
            }
        }
        db.execute("DROP SCHEMA installed_acme CASCADE");
    }

    @Test
    void theSettingsFileNamesWhoInstallsAndTheProjectsOwnSettingWinsOverIt() throws IOException {
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.installed-by = ci\n");
        file("migrations/20260102000000_create_tags.sql", "tags");

        Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).migrateTo("20260101000000");
        Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).installedBy("alice").migrate();

        assertThat(installedBy("public", "20260101000000")).isEqualTo("ci");
        assertThat(installedBy("public", "20260102000000")).isEqualTo("alice");
    }

    @Test
    void aHistoryMadeBeforeInstalledByGetsTheColumnOnceAndItsOlderRowsNameNobody() throws IOException {
        db.execute("CREATE TABLE public.ashlar_schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
                + "now(), duration_ms bigint NOT NULL, baselined boolean NOT NULL DEFAULT false)");
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
        project.baseline(null);
        db.execute("ALTER TABLE public.ashlar_schema_migrations DROP COLUMN IF EXISTS installed_by");
        file("migrations/20260102000000_create_tags.sql", "tags");

        project.migrate();
        project.migrate();

        assertThat(db.value("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.ashlar_schema_migrations'"
                + "::regclass AND attname = 'installed_by' AND NOT attisdropped")).isEqualTo(1L);
        assertThat(installedBy("public", "20260101000000")).isNull();
        assertThat(installedBy("public", "20260102000000")).isEqualTo(db.user());
        assertThat(project.status()).extracting(MigrationStatus::installedBy).containsExactly(null, db.user());
    }

    @Test
    void anEmptyHistoryMadeBeforeInstalledByGetsTheColumnAtItsFirstMigrateAndItsRowsNameWhoAppliedThem() {
        db.execute("CREATE TABLE public.ashlar_schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
                + "now(), duration_ms bigint NOT NULL, baselined boolean NOT NULL DEFAULT false)");

        Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).installedBy("alice").migrate();

        assertThat(installedBy("public", "20260101000000")).isEqualTo("alice");
    }

    @Test
    void aRepeatableFileRunAgainRecordsWhoRanItLast() throws IOException {
        view("1 AS one");
        Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).installedBy("alice").migrate();
        view("1 AS one, 2 AS two");

        Project bob = Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).installedBy("bob");
        bob.migrate();

        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'v'")).isEqualTo(2L);
        assertThat(installedBy("public", "R__v")).isEqualTo("bob");
        assertThat(installedBy("public", "20260101000000")).isEqualTo("alice");
    }

    @Test
    void aRepeatableFileRunAgainByAScriptRecordsWhoRanTheScript() throws IOException, SQLException {
        view("1 AS one");
        Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).installedBy("alice").migrate();
        view("1 AS one, 2 AS two");
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });

        runAsPsqlWould(project.script(project.dryRun(), FileRunner.Direction.UP));

        assertThat(installedBy("public", "R__v")).isEqualTo(db.user());
        assertThat(project.dryRun()).isEmpty();
    }

    @Test
    void aRepeatableFileRunAgainInAHistoryStillWithoutTheColumnIsRecordedWithoutItByTheRunAndByAScript()
            throws IOException, SQLException {
        view("1 AS one");
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
        project.migrate();
        db.execute("ALTER TABLE public.ashlar_schema_migrations DROP COLUMN installed_by");
        view("1 AS one, 2 AS two");
        String script = project.script(project.dryRun(), FileRunner.Direction.UP);

        try (Connection reader = db.dataSource().getConnection(); Statement reading = reader.createStatement()) {
            // A session reading the history keeps the run from adding the column: the run goes on without it.
            reader.setAutoCommit(false);
            reading.executeQuery("SELECT count(*) FROM public.ashlar_schema_migrations").close();
            project.migrate();
            reader.rollback();
        }
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'v'")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                + "'ashlar_schema_migrations' AND column_name = 'installed_by'")).isEqualTo(0L);
        assertThat(project.dryRun()).isEmpty();

        db.execute("DROP VIEW v; CREATE VIEW v AS SELECT 1 AS one");
        db.execute("UPDATE public.ashlar_schema_migrations SET checksum = 'earlier' WHERE version = 'R__v'");
        runAsPsqlWould(script);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'v'")).isEqualTo(2L);
        assertThat(project.dryRun()).isEmpty();
    }

    /** Writes the repeatable file {@code R__v.sql}, a view that selects {@code columns}. */
    private void view(String columns) throws IOException {
        Files.writeString(dir.resolve("migrations/R__v.sql"), "-- migrate:up\nCREATE OR REPLACE VIEW v AS SELECT "
                + columns + ";\n");
    }

    /** Runs a script statement by statement on a connection of its own, as psql does (its one command left out). */
    private void runAsPsqlWould(String script) throws SQLException {
        runAsPsqlWould(db, script);
    }

    /** {@link #runAsPsqlWould(String)} on {@code db}. */
    static void runAsPsqlWould(TestDatabase db, String script) throws SQLException {
        String sql = script.lines().filter(line -> !line.startsWith("\\set")).collect(Collectors.joining("\n"));
        try (Connection connection = db.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String each : SqlStatements.split(sql)) {
                statement.execute(each);
            }
        }
    }

    @Test
    void aTenantHistoryMadeBeforeInstalledByGetsTheColumnWhenTheRegistryAloneSaysWhatItHolds() throws IOException {
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
        project.migrateTenants(TenantSelection.named(List.of("installed_acme")));
        db.execute("ALTER TABLE installed_acme.ashlar_schema_migrations DROP COLUMN installed_by");
        Files.writeString(dir.resolve("tenant_migrations/20260102000000_create_tags.sql"),
                "-- migrate:up\nCREATE TABLE tags (name text);\n-- migrate:down\nDROP TABLE tags;\n");

        project.migrateTenants(TenantSelection.named(List.of("installed_acme")));

        assertThat(db.value("SELECT to_regclass('installed_acme.tags') IS NOT NULL")).isEqualTo(true);
        assertThat(installedBy("installed_acme", "20260101000000")).isNull();
        assertThat(installedBy("installed_acme", "20260102000000")).isEqualTo(db.user());
        db.execute("DROP SCHEMA installed_acme CASCADE");
    }

    @Test
    void theHistoriesFoundWithoutInstalledByAreHistoriesNeverAnotherApplicationsTableOfTheSameName()
            throws SQLException {
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
        project.migrateTenants(TenantSelection.named(List.of("installed_acme")));
        db.execute("ALTER TABLE installed_acme.ashlar_schema_migrations DROP COLUMN installed_by");
        project.migrate();
        db.execute("DROP SCHEMA IF EXISTS installed_other CASCADE; CREATE SCHEMA installed_other; "
                + "CREATE TABLE installed_other.ashlar_schema_migrations (id int, version text); "
                + "INSERT INTO installed_other.ashlar_schema_migrations VALUES (1, '20260101000000')");
        try (Connection connection = db.dataSource().getConnection()) {
            assertThat(History.schemasWithoutInstalledBy(connection, History.DEFAULT_TABLE))
                    .contains("installed_acme").doesNotContain("installed_other", "public");
            assertThat(History.schemasWithHistory(connection, History.DEFAULT_TABLE))
                    .contains("installed_acme", "public").doesNotContain("installed_other");
        } finally {
            db.execute("DROP SCHEMA installed_other CASCADE; DROP SCHEMA installed_acme CASCADE");
        }
    }

    @Test
    void aMistypedSettingsKeyIsRefusedNamingTheKeyItMeant() throws IOException {
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.installedBy = ci\n");
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });

        assertThatThrownBy(project::migrate).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("'migrate.installedBy' (did you mean 'migrate.installed-by'?)");
        assertThat(db.value("SELECT to_regclass('public.settings') IS NULL")).isEqualTo(true);
    }
}
