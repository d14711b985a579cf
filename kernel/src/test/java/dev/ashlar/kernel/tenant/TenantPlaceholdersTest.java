package dev.ashlar.kernel.tenant;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Placeholders;
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
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tenant files get the project's placeholders, with {@code ${ashlar:schema}} the schema each runs in. */
@ExtendWith(PostgresExtension.class)
class TenantPlaceholdersTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void tenants(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tph_a CASCADE; DROP SCHEMA IF EXISTS tph_b CASCADE; "
                + "DROP SCHEMA IF EXISTS tph_new CASCADE; DROP TABLE IF EXISTS ashlar_tenant_migrations");
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), "-- migrate:up\n"
                + "CREATE TABLE ${prefix}notes (id int);\n"
                + "CREATE VIEW whoami AS SELECT '${ashlar:schema}'::text AS schema;\n"
                + "-- migrate:down\nDROP VIEW whoami;\nDROP TABLE ${prefix}notes;\n");
    }

    @Test
    void aTenantRunReplacesTheSchemaBuiltInWithEachTenantsSchema() {
        db.execute("CREATE SCHEMA tph_a; CREATE SCHEMA tph_b");
        List<String> schemas = List.of("tph_a", "tph_b");

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(2)
                .placeholders(Placeholders.of(Map.of("prefix", "app_"))).migrate(schemas.iterator(), 2);

        assertThat(report.failures()).isEmpty();
        assertThat(db.value("SELECT schema FROM tph_a.whoami")).isEqualTo("tph_a");
        assertThat(db.value("SELECT schema FROM tph_b.whoami")).isEqualTo("tph_b");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'app_notes' "
                + "AND table_schema IN ('tph_a', 'tph_b')")).isEqualTo(2L);
    }

    @Test
    void aRepeatableTenantFileRunsInEachSchemaAfterTheVersionedOnesAndAgainOnlyWhenEdited() throws IOException {
        db.execute("CREATE SCHEMA tph_a; CREATE SCHEMA tph_b");
        List<String> schemas = List.of("tph_a", "tph_b");
        Path repeatable = folder.resolve("R__notes_view.sql");
        Files.writeString(repeatable, "-- migrate:up\nCREATE OR REPLACE VIEW notes_view AS SELECT id, "
                + "'${ashlar:schema}'::text AS schema FROM app_notes;\n");
        TenantMigrator migrator = new TenantMigrator(db.dataSource(), folder).jobs(2)
                .placeholders(Placeholders.of(Map.of("prefix", "app_")));

        assertThat(migrator.migrate(schemas.iterator(), 2).failures()).isEmpty();
        assertThat(migrator.migrate(schemas.iterator(), 2).upToDate()).isEqualTo(2);
        Files.writeString(repeatable, "-- migrate:up\nCREATE OR REPLACE VIEW notes_view AS SELECT id, "
                + "'${ashlar:schema}'::text AS schema, 2 AS edition FROM app_notes;\n");
        TenantReport again = migrator.migrate(schemas.iterator(), 2);

        assertThat(again.failures()).isEmpty();
        assertThat(again.migrated()).isEqualTo(2);
        assertThat(db.value("SELECT count(*) FROM pg_views WHERE viewname = 'notes_view' AND schemaname IN "
                + "('tph_a', 'tph_b') AND definition LIKE '%edition%'")).isEqualTo(2L);
        assertThat(db.value("SELECT string_agg(DISTINCT version, ',') FROM ashlar_tenant_migrations "
                + "WHERE schema_name IN ('tph_a', 'tph_b')")).isEqualTo("20260101000000,R__notes_view");
        assertThat(db.value("SELECT count(*) FROM tph_b.ashlar_schema_migrations")).isEqualTo(2L);
        assertThat(migrator.status(schemas.iterator()).pending()).isEmpty();
    }

    @Test
    void aTenantRunWithoutAValueFailsEachSchemaNamingThePlaceholderAndAppliesNothing() {
        db.execute("CREATE SCHEMA tph_a; CREATE SCHEMA tph_b");
        List<String> schemas = List.of("tph_a", "tph_b");

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(2).migrate(schemas.iterator(), 2);

        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.failures()).allSatisfy(failure -> assertThat(failure.message())
                .contains("Line 2 of migration", "uses the placeholder ${prefix}, which has no value"));
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('tph_a', 'tph_b') "
                + "AND table_name <> 'ashlar_schema_migrations'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations")).isEqualTo(0L);
    }

    @Test
    void aTenantCreatedAtRunTimeGetsTheValuesAndItsOwnSchema() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            new TenantSchemas(folder, Placeholders.of(Map.of("prefix", "app_"))).create(connection, "tph_new");
            connection.commit();
        }

        assertThat(db.value("SELECT schema FROM tph_new.whoami")).isEqualTo("tph_new");
        assertThat(db.value("SELECT to_regclass('tph_new.app_notes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aTenantCreatedAtRunTimeWithoutTheValuesIsRefusedBeforeItsSchemaIsMade() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> new TenantSchemas(folder).create(connection, "tph_new"))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("Line 2 of migration")
                    .hasMessageContaining("${prefix}, which has no value (defined: ashlar:schema")
                    .hasMessageContaining("Ashlar.builder().placeholders");
        }

        assertThat(db.value("SELECT to_regnamespace('tph_new') IS NULL")).isEqualTo(true);
    }
}
