package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.spi.schema.Scope;
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
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Java migrations of the tenant schemas: run once in each schema, with the tenant files, on a search path of that
 * schema alone; recorded, shown, rolled back and given to new tenants there.
 */
@ExtendWith(PostgresExtension.class)
class TenantJavaMigrationsTest {
    private static final List<String> TENANTS = List.of("tj_a", "tj_b", "tj_c");
    private static final String JAVA_VERSION = "20260102000000";

    @TempDir
    Path dir;
    TestDatabase db;

    /** Writes, by the unqualified name notes, a row naming the schema it ran in; its down deletes it. */
    static class V20260102000000__note_schema extends BaseJavaMigration {
        @Override
        public Scope scope() {
            return Scope.TENANT;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            execute(connection, "INSERT INTO notes (body) VALUES (current_schema())");
        }

        @Override
        public void down(Connection connection) throws SQLException {
            execute(connection, "DELETE FROM notes WHERE body = current_schema()");
        }
    }

    /**
     * Reaches for what another tenant holds by unqualified names: counts the notes it sees, looks for a table only
     * tenant tj_a has, and writes its findings after making a temporary table called notes to catch them.
     */
    static class V20260102000000__peek extends BaseJavaMigration {
        @Override
        public Scope scope() {
            return Scope.TENANT;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            execute(connection, "CREATE TEMP TABLE notes (body text) ON COMMIT DROP;\n"
                    + "INSERT INTO notes (body) SELECT 'sees ' || count(*) FROM notes;\n"
                    + "INSERT INTO notes (body) VALUES (coalesce(to_regclass('secrets')::text, 'no secrets'))");
        }
    }

    /** Writes its row, then fails in schema tj_b only. */
    static class V20260102000000__fails_in_b extends BaseJavaMigration {
        @Override
        public Scope scope() {
            return Scope.TENANT;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            execute(connection, "INSERT INTO notes (body) VALUES (current_schema())");
            if (connection.getSchema().equals("tj_b")) {
                throw new IllegalStateException("cannot convert the notes of tj_b");
            }
        }
    }

    /** Commits the runner's connection, which it may not. */
    static class V20260102000000__commits extends BaseJavaMigration {
        @Override
        public Scope scope() {
            return Scope.TENANT;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            execute(connection, "INSERT INTO notes (body) VALUES ('committed')");
            connection.commit();
        }
    }

    /** A main-schema migration, the default scope. */
    static class V20260102000000__main_only extends BaseJavaMigration {
        @Override
        public void up(Connection connection) {
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @BeforeEach
    void threeTenants(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tj_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations; CREATE SCHEMA tj_a; CREATE SCHEMA tj_b; "
                + "CREATE SCHEMA tj_c");
        Files.createDirectories(dir.resolve("tenant_migrations"));
        Files.writeString(dir.resolve("tenant_migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (body text);\n-- migrate:down\nDROP TABLE notes;\n");
        Files.writeString(dir.resolve("tenant_migrations/20260103000000_index_notes.sql"),
                "-- migrate:up\nCREATE INDEX notes_body ON notes (body);\n-- migrate:down\nDROP INDEX notes_body;\n");
    }

    private Project project(JavaMigration... migrations) {
        return Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).javaMigrations(migrations);
    }

    private TenantMigrator migrator(JavaMigration... migrations) {
        return new TenantMigrator(db.dataSource(), dir.resolve("tenant_migrations")).jobs(1)
                .javaMigrations(List.of(migrations));
    }

    private TenantReport migrate(TenantMigrator migrator) {
        return migrator.migrate(TENANTS.iterator(), TENANTS.size());
    }

    private List<Object> notes(String schema) {
        return db.query("SELECT body FROM " + schema + ".notes ORDER BY body").stream()
                .map(row -> row.get("body")).toList();
    }

    /** The history of a schema, a "version algorithm" line a row. */
    private List<String> history(String schema) {
        return db.query("SELECT version || ' ' || checksum_algorithm AS line FROM " + schema
                + ".ashlar_schema_migrations ORDER BY version").stream().map(row -> (String) row.get("line")).toList();
    }

    @Test
    void aTenantJavaMigrationRunsOnceInEachTenantSchemaBetweenTheFilesWritingItsRowsThere() {
        Project project = project(new V20260102000000__note_schema());
        TenantSelection tenants = TenantSelection.named(TENANTS).jobs(2);

        assertThat(project.tenantStatus(tenants).pending()).containsExactlyInAnyOrderElementsOf(TENANTS);
        TenantReport first = project.migrateTenants(tenants);
        TenantReport again = project.migrateTenants(tenants);

        assertThat(first.migrated()).isEqualTo(3);
        for (String schema : TENANTS) {
            assertThat(notes(schema)).containsExactly(schema);
            assertThat(history(schema)).containsExactly("20260101000000 sha256", JAVA_VERSION + " java",
                    "20260103000000 sha256");
        }
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'notes_body' AND schemaname LIKE "
                + "'tj_%'")).isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = ? AND checksum = 'java'",
                JAVA_VERSION)).isEqualTo(3L);
        assertThat(again.migrated()).isZero();
        assertThat(again.failed()).isZero();
        assertThat(project.tenantStatus(tenants).pending()).isEmpty();
        assertThat(TENANTS).allSatisfy(schema -> assertThat(notes(schema)).containsExactly(schema));
    }

    @Test
    void aTenantJavaMigrationAddedLaterRunsThroughTheRegistrysExpectedHistoryAndIsShownPendingUntilThen()
            throws IOException {
        Files.delete(dir.resolve("tenant_migrations/20260103000000_index_notes.sql"));
        assertThat(migrate(migrator()).migrated()).isEqualTo(3);
        Project project = project(new V20260102000000__note_schema());

        assertThat(project.tenantStatus(TenantSelection.named(TENANTS)).pending())
                .containsExactlyInAnyOrderElementsOf(TENANTS);
        TenantReport report = project.migrateTenants(TenantSelection.named(TENANTS));

        assertThat(report.migrated()).isEqualTo(3);
        for (String schema : TENANTS) {
            assertThat(notes(schema)).containsExactly(schema);
            assertThat(history(schema)).containsExactly("20260101000000 sha256", JAVA_VERSION + " java");
        }
    }

    @Test
    void aTenantRollbackRunsTheJavaMigrationsDownInEachSchemaAndForgetsItsRows() {
        Project project = project(new V20260102000000__note_schema());
        TenantSelection tenants = TenantSelection.named(TENANTS);
        project.migrateTenants(tenants);

        TenantReport report = project.rollbackTenants(tenants, 2);

        assertThat(report.failed()).isZero();
        for (String schema : TENANTS) {
            assertThat(notes(schema)).isEmpty();
            assertThat(history(schema)).containsExactly("20260101000000 sha256");
        }
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = ?", JAVA_VERSION))
                .isEqualTo(0L);
        assertThat(project.tenantStatus(tenants).pending()).containsExactlyInAnyOrderElementsOf(TENANTS);
    }

    @Test
    void aTenantCreatedLaterGetsTheJavaMigrationInItsOwnSchemaAndTheCallerKeepsItsSearchPath() throws SQLException {
        TenantSchemas schemas = new TenantSchemas(dir.resolve("tenant_migrations"))
                .javaMigrations(List.of(new V20260102000000__note_schema()));
        String before;
        try (Connection connection = db.dataSource().getConnection()) {
            before = searchPath(connection);
            connection.setAutoCommit(false);
            schemas.create(connection, "tj_new");
            assertThat(searchPath(connection)).isEqualTo(before);
            connection.commit();
            assertThat(searchPath(connection)).isEqualTo(before);
            connection.setAutoCommit(true);
        }

        assertThat(notes("tj_new")).containsExactly("tj_new");
        assertThat(history("tj_new")).containsExactly("20260101000000 sha256", JAVA_VERSION + " java",
                "20260103000000 sha256");
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name = 'tj_new'"))
                .isEqualTo(3L);
        TenantReport again = migrator(new V20260102000000__note_schema()).migrate(List.of("tj_new").iterator(), 1);
        assertThat(again.failed()).isZero();
        assertThat(again.migrated()).isZero();
        assertThat(notes("tj_new")).containsExactly("tj_new");
    }

    private static String searchPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var row = statement.executeQuery("SHOW search_path")) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void aTenantJavaMigrationSeesOnlyItsOwnSchemaByUnqualifiedNamesEvenBehindATemporaryTable() {
        assertThat(migrate(migrator()).migrated()).isEqualTo(3);
        db.execute("INSERT INTO tj_a.notes (body) VALUES ('a1'), ('a2'); CREATE TABLE tj_a.secrets (id int)");

        TenantReport report = migrate(migrator(new V20260102000000__peek()));

        assertThat(report.failed()).isZero();
        assertThat(notes("tj_a")).containsExactly("a1", "a2", "secrets", "sees 2");
        assertThat(notes("tj_b")).containsExactly("no secrets", "sees 0");
        assertThat(notes("tj_c")).containsExactly("no secrets", "sees 0");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'notes' AND relpersistence = 't'"))
                .isEqualTo(0L);
    }

    @Test
    void aTenantJavaMigrationFailingInOneSchemaNamesItAndLeavesTheOthersCommittedWork() {
        TenantReport report = migrate(migrator(new V20260102000000__fails_in_b()));

        assertThat(report.migrated()).isEqualTo(2);
        assertThat(report.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.schema()).isEqualTo("tj_b");
            assertThat(failure.message()).contains("Java migration").contains("fails_in_b").contains("on tj_b")
                    .contains("cannot convert the notes of tj_b").contains("Nothing of it was applied");
        });
        assertThat(notes("tj_a")).containsExactly("tj_a");
        assertThat(notes("tj_c")).containsExactly("tj_c");
        assertThat(notes("tj_b")).isEmpty();
        assertThat(history("tj_a")).contains(JAVA_VERSION + " java");
        assertThat(history("tj_b")).containsExactly("20260101000000 sha256");
    }

    @Test
    void aTenantJavaMigrationThatCommitsTheRunnersConnectionIsRefusedAndRolledBackInThatSchema() {
        TenantReport report = migrator(new V20260102000000__commits()).migrate(List.of("tj_a").iterator(), 1);

        assertThat(report.failures()).singleElement().satisfies(failure -> assertThat(failure.message())
                .contains("called commit() on the migration's connection"));
        assertThat(notes("tj_a")).isEmpty();
        assertThat(history("tj_a")).containsExactly("20260101000000 sha256");
    }

    @Test
    void aJavaMigrationGivenToTheRunsOfTheOtherScopeIsRefusedNamingWhereItBelongs() {
        assertThatThrownBy(() -> migrator(new V20260102000000__main_only()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining(V20260102000000__main_only.class.getName() + " is for the main schema")
                .hasMessageContaining("Project.javaMigrations");
        assertThatThrownBy(() -> new Migrator(db.dataSource(), dir.resolve("migrations"))
                .javaMigrations(List.of(new V20260102000000__note_schema())))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("is for the tenant schemas (scope() TENANT)");
        assertThat(project(new V20260102000000__main_only(), new V20260102000000__note_schema())
                .javaMigrationsFor(Scope.TENANT)).singleElement()
                .isInstanceOf(V20260102000000__note_schema.class);
    }
}
