package dev.ashlar.kernel.tenant;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Placeholders;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
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

/** The callback files of tenant_migrations/ run in each tenant schema, in tenant runs and in tenants created at run time. */
@ExtendWith(PostgresExtension.class)
class TenantCallbacksTest {
    private static final String READER = "tenant_callbacks_reader";

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void tenants(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS tcb_a CASCADE; DROP SCHEMA IF EXISTS tcb_b CASCADE; "
                + "DROP SCHEMA IF EXISTS tcb_new CASCADE; DROP TABLE IF EXISTS ashlar_tenant_migrations; "
                + "DROP ROLE IF EXISTS " + READER + "; CREATE ROLE " + READER + " NOLOGIN");
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
        Files.writeString(folder.resolve("afterMigrate.sql"), "-- each tenant's tables, read by the reporting role\n"
                + "GRANT USAGE ON SCHEMA ${ashlar:schema} TO ${reader};\n"
                + "GRANT SELECT ON ALL TABLES IN SCHEMA ${ashlar:schema} TO ${reader};\n");
    }

    @AfterEach
    void dropRole() {
        db.execute("DROP SCHEMA IF EXISTS tcb_a CASCADE; DROP SCHEMA IF EXISTS tcb_b CASCADE; "
                + "DROP SCHEMA IF EXISTS tcb_new CASCADE; DROP ROLE IF EXISTS " + READER);
    }

    private TenantReport migrate(List<String> schemas) {
        return new TenantMigrator(db.dataSource(), folder).jobs(2)
                .placeholders(Placeholders.of(Map.of("reader", READER))).migrate(schemas.iterator(), schemas.size());
    }

    private boolean canRead(String table) {
        return (Boolean) db.value("SELECT has_table_privilege(?, ?, 'SELECT')", READER, table);
    }

    @Test
    void aTenantRunRunsAfterMigrateInEachSchemaEvenWithNothingPending() {
        db.execute("CREATE SCHEMA tcb_a; CREATE SCHEMA tcb_b");

        assertThat(migrate(List.of("tcb_a", "tcb_b")).failures()).isEmpty();
        assertThat(canRead("tcb_a.notes")).isTrue();
        assertThat(canRead("tcb_b.notes")).isTrue();

        db.execute("REVOKE SELECT ON tcb_a.notes FROM " + READER + "; CREATE TABLE tcb_b.by_hand (id int)");
        TenantReport again = migrate(List.of("tcb_a", "tcb_b"));

        assertThat(again.failures()).isEmpty();
        assertThat(canRead("tcb_a.notes")).isTrue();
        assertThat(canRead("tcb_b.by_hand")).isTrue();
        assertThat(db.value("SELECT count(*) FROM tcb_a.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aFailingTenantCallbackFailsEachSchemaNamingTheFileAndItsLine() throws IOException {
        db.execute("CREATE SCHEMA tcb_a");
        Files.writeString(folder.resolve("afterMigrate.sql"), "\nGRANT SELECT ON no_such_table TO ${reader};\n");

        TenantReport report = migrate(List.of("tcb_a"));

        assertThat(report.failures()).singleElement().satisfies(failure -> assertThat(failure.message())
                .contains("Callback afterMigrate.sql", "line 2", "no_such_table", "stay applied"));
        assertThat(db.value("SELECT count(*) FROM tcb_a.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aTenantCreatedAtRunTimeRunsItsCallbacksInTheCreatingTransaction() throws IOException, SQLException {
        Files.writeString(folder.resolve("beforeEachMigrate.sql"), "CREATE TABLE IF NOT EXISTS seen (file text);\n");
        Files.writeString(folder.resolve("afterEachMigrate.sql"), "INSERT INTO seen VALUES ('${ashlar:schema}');\n");
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            new TenantSchemas(folder, Placeholders.of(Map.of("reader", READER))).create(connection, "tcb_new");
            try (var query = connection.prepareStatement("SELECT has_table_privilege(?, 'tcb_new.notes', 'SELECT')")) {
                query.setString(1, READER);
                try (var row = query.executeQuery()) {
                    assertThat(row.next() && row.getBoolean(1)).isTrue();
                }
            }
            connection.rollback();
        }
        assertThat(db.value("SELECT to_regnamespace('tcb_new') IS NULL")).isEqualTo(true);

        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            new TenantSchemas(folder, Placeholders.of(Map.of("reader", READER))).create(connection, "tcb_new");
            connection.commit();
        }
        assertThat(canRead("tcb_new.notes")).isTrue();
        assertThat(db.value("SELECT string_agg(file, ',') FROM tcb_new.seen")).isEqualTo("tcb_new");
    }

    @Test
    void aTenantCreatedAtRunTimeWithAFailingCallbackIsRefusedNamingIt() throws IOException, SQLException {
        Files.writeString(folder.resolve("afterMigrate.sql"), "SELECT 1/0;\n");
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            assertThatThrownBy(() -> new TenantSchemas(folder).create(connection, "tcb_new"))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("Callback afterMigrate.sql")
                    .hasMessageContaining("division by zero");
            connection.rollback();
        }
        assertThat(db.value("SELECT to_regnamespace('tcb_new') IS NULL")).isEqualTo(true);
    }
}
