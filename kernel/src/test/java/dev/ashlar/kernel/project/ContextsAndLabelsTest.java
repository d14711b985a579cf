package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationStatus;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Liquibase's contexts and labels: a run applies the files its contexts and label expression choose. */
@ExtendWith(PostgresExtension.class)
class ContextsAndLabelsTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP TABLE IF EXISTS ashlar_tenant_migrations");
        Files.createDirectories(dir.resolve("migrations"));
        Files.createDirectories(dir.resolve("tenant_migrations"));
        file("20260101000000_create_accounts.sql", "", "CREATE TABLE accounts (name text);", "DROP TABLE accounts;");
        file("20260102000000_seed_test_accounts.sql", "-- context: test or dev\n",
                "INSERT INTO accounts VALUES ('seeded');", "DELETE FROM accounts WHERE name = 'seeded';");
        file("20260103000000_create_invoices.sql", "-- labels: billing, EU\n", "CREATE TABLE invoices (id int);",
                "DROP TABLE invoices;");
    }

    private void file(String name, String headers, String up, String down) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), headers + "-- migrate:up\n" + up
                + "\n-- migrate:down\n" + down + "\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
    }

    private static List<String> versions(List<MigrationFile> files) {
        return files.stream().map(MigrationFile::version).toList();
    }

    @Test
    void aRunAppliesTheFilesItsContextsAndLabelsChooseAndALaterRunTheOthers() {
        MigrateRun production = MigrateRun.all().contexts(List.of("Prod")).labels("!eu");

        assertThat(project().dryRun(production)).filteredOn(DryRun::migration).extracting(d -> d.file().version())
                .containsExactly("20260101000000");
        assertThat(versions(project().migrate(production))).containsExactly("20260101000000");

        assertThat(db.value("SELECT count(*) FROM accounts")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('public.invoices') IS NULL")).isEqualTo(true);
        assertThat(project().status()).extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.APPLIED,
                MigrationStatus.State.PENDING, MigrationStatus.State.PENDING);

        assertThat(versions(project().migrate(MigrateRun.all().contexts(List.of("dev")).labels("billing and eu"))))
                .containsExactly("20260102000000", "20260103000000");
        assertThat(db.value("SELECT count(*) FROM accounts WHERE name = 'seeded'")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('public.invoices') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aRunWithoutContextsOrLabelsAppliesEveryFileAndAFilteredRunKnowsTheFilesAppliedBefore() {
        assertThat(versions(project().migrate())).hasSize(3);

        assertThat(project().migrate(MigrateRun.all().contexts(List.of("prod")).labels("none"))).isEmpty();
        assertThat(project().rollback(3)).hasSize(3);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void malformedHeadersAndExpressionsAreRefusedNamingThemBeforeAnythingRuns() throws IOException {
        assertThatThrownBy(() -> MigrateRun.all().labels("billing and (eu")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("The label expression 'billing and (eu' holds a '(' that no ')' closes");
        assertThatThrownBy(() -> MigrateRun.all().contexts(List.of("test dev")))
                .hasMessageContaining("The context 'test dev' is no name");

        file("20260104000000_broken.sql", "-- context: test and\n", "SELECT 1;", "SELECT 1;");
        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 1 of migration").hasMessageContaining("20260104000000_broken.sql")
                .hasMessageContaining("its end, where a name belongs");
        Files.delete(dir.resolve("migrations/20260104000000_broken.sql"));

        file("20260104000000_misspelt.sql", "-- contexts: test\n", "SELECT 1;", "SELECT 1;");
        assertThatThrownBy(() -> project().migrate()).hasMessageContaining("looks like a header but is not one")
                .hasMessageContaining("'-- context: test'");
        assertThat(db.value("SELECT to_regclass('public.accounts') IS NULL")).isEqualTo(true);
    }

    @Test
    void repeatableAndTenantFilesTakeNoContextAndTenantRunsNoFilter() throws IOException {
        Files.writeString(dir.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- context: test\n-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        db.execute("DROP SCHEMA IF EXISTS cl_acme CASCADE; CREATE SCHEMA cl_acme");
        TenantSelection acme = TenantSelection.named(List.of("cl_acme"));

        assertThatThrownBy(() -> project().migrateTenants(acme, MigrateRun.all().contexts(List.of("test"))))
                .hasMessageContaining("--contexts test").hasMessageContaining("applies to the main schema only");
        assertThatThrownBy(() -> project().migrateTenants(acme)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_create_notes.sql has a '-- context:', '-- labels:', "
                        + "'-- precondition:', '-- tag:', '-- valid-checksum:' or '-- fail-on-error:' header");
        Files.writeString(dir.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- tag: release-1\n-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        assertThatThrownBy(() -> project().migrateTenants(acme)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("(tag tenant schemas with 'ashlar tag NAME --tenants')");
        assertThat(db.value("SELECT to_regclass('cl_acme.notes') IS NULL")).isEqualTo(true);

        Files.writeString(dir.resolve("migrations/R__views.sql"), "-- labels: billing\n-- migrate:up\nSELECT 1;\n");
        assertThatThrownBy(() -> project().migrate()).hasMessageContaining("R__views.sql has a '-- labels:' header");
        db.execute("DROP SCHEMA cl_acme CASCADE");
    }

    @Test
    void aTenantFileWithAPreconditionIsRefusedAsOneWithAContextIsAndNoTenantSchemaRunsIt() throws IOException {
        Files.writeString(dir.resolve("tenant_migrations/20260101000000_create_notes.sql"), "-- precondition: "
                + "SELECT true\n-- on-fail: skip\n-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\n"
                + "DROP TABLE notes;\n");
        db.execute("DROP SCHEMA IF EXISTS cl_acme CASCADE; CREATE SCHEMA cl_acme");

        assertThatThrownBy(() -> project().migrateTenants(TenantSelection.named(List.of("cl_acme"))))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_create_notes.sql has a '-- context:', '-- labels:', "
                        + "'-- precondition:'").hasMessageContaining("header, but those concern the main schema's files");
        assertThat(db.value("SELECT to_regclass('cl_acme.notes') IS NULL")).isEqualTo(true);
        db.execute("DROP SCHEMA cl_acme CASCADE");
    }
}
