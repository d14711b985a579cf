package dev.ashlar.kernel.project;

import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.tenant.TenantReport;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Liquibase's DEPLOYMENT_ID and {@code rollback-one-update}: every history row one run writes carries the run's id,
 * and {@code rollback --deployment ID} undoes exactly that run, in the main schema and in each tenant schema alone.
 */
@ExtendWith(PostgresExtension.class)
class DeploymentIdTest {
    private static final String FIRST = "20260101000000";
    private static final String SECOND = "20260102000000";
    private static final String THIRD = "20260103000000";
    private static final String FOURTH = "20260104000000";

    @TempDir
    Path dir;
    TestDatabase db;
    Project project;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS deploy_acme CASCADE; "
                + "DROP SCHEMA IF EXISTS deploy_globex CASCADE; CREATE SCHEMA deploy_acme; CREATE SCHEMA deploy_globex");
        Files.createDirectories(dir.resolve("migrations"));
        Files.createDirectories(dir.resolve("tenant_migrations"));
        file("migrations", FIRST + "_create_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, total int);\n"
                + "INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, 500) g;", "DROP TABLE orders;");
        file("migrations", SECOND + "_create_customers.sql", "CREATE TABLE customers (id int PRIMARY KEY);\n"
                + "INSERT INTO customers SELECT generate_series(1, 50);", "DROP TABLE customers;");
        project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
    }

    @AfterEach
    void dropTenants() {
        db.execute("DROP SCHEMA IF EXISTS deploy_acme CASCADE; DROP SCHEMA IF EXISTS deploy_globex CASCADE");
    }

    private void file(String folder, String name, String up, String down) throws IOException {
        Files.writeString(dir.resolve(folder).resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down
                + "\n");
    }

    /** The second run: a column on the table with rows, and a new table with rows. */
    private void secondRelease() throws IOException {
        file("migrations", THIRD + "_add_orders_note.sql", "ALTER TABLE orders ADD COLUMN note text;\n"
                + "UPDATE orders SET note = 'n' || id;", "ALTER TABLE orders DROP COLUMN note;");
        file("migrations", FOURTH + "_create_invoices.sql", "CREATE TABLE invoices AS SELECT id FROM orders;",
                "DROP TABLE invoices;");
    }

    private Map<Object, Object> deployments(String schema) {
        Map<Object, Object> ids = new java.util.TreeMap<>();
        db.query("SELECT version, deployment_id FROM " + schema + ".ashlar_schema_migrations")
                .forEach(row -> ids.put(row.get("version"), row.get("deployment_id")));
        return ids;
    }

    private boolean column(String schema, String table, String column) {
        return (Long) db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? AND "
                + "table_name = ? AND column_name = ?", schema, table, column) == 1L;
    }

    private boolean table(String schema, String table) {
        return db.value("SELECT to_regclass(?)", schema + "." + table) != null;
    }

    @Test
    void everyRowOfOneMigrateCarriesOneShortIdAndTheNextMigrateAnother() throws IOException {
        project.migrate();
        secondRelease();
        project.migrate();

        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND "
                + "table_name = 'ashlar_schema_migrations' AND column_name = 'deployment_id'")).isEqualTo("text");
        Map<Object, Object> ids = deployments("public");
        assertThat(ids.get(FIRST)).isNotNull().isEqualTo(ids.get(SECOND));
        assertThat(ids.get(THIRD)).isNotNull().isEqualTo(ids.get(FOURTH)).isNotEqualTo(ids.get(FIRST));
        assertThat((String) ids.get(FIRST)).matches("[0-9a-z]{10,14}");
        assertThat(project.status()).extracting(status -> (Object) status.deploymentId())
                .containsExactly(ids.get(FIRST), ids.get(FIRST), ids.get(THIRD), ids.get(THIRD));
    }

    @Test
    void aBaselineRecordsItsRowsUnderOneDeploymentOfItsOwn() throws IOException {
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, total int); CREATE TABLE customers (id int PRIMARY KEY)");
        secondRelease();

        project.baseline(SECOND);
        project.migrate();

        Map<Object, Object> ids = deployments("public");
        assertThat(ids.get(FIRST)).isNotNull().isEqualTo(ids.get(SECOND));
        assertThat(ids.get(THIRD)).isNotNull().isEqualTo(ids.get(FOURTH)).isNotEqualTo(ids.get(FIRST));
    }

    @Test
    void aDeploymentThatOnlyBaselinedIsRefusedAndNoTableThatWasThereBeforeIsDropped() throws IOException {
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, total int); INSERT INTO orders VALUES (1, 10); "
                + "CREATE TABLE customers (id int PRIMARY KEY)");
        project.baseline(SECOND);
        String baseline = (String) deployments("public").get(FIRST);

        assertThatThrownBy(() -> project.rollbackDeployment(baseline)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("only baselined " + FIRST + "_create_orders, " + SECOND + "_create_customers")
                .hasMessageContaining("rollback --to VERSION").hasMessageContaining("Nothing was rolled back");
        assertThat(table("public", "orders")).isTrue();
        assertThat(table("public", "customers")).isTrue();
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(1L);
        assertThat(deployments("public")).containsOnlyKeys(FIRST, SECOND);
    }

    @Test
    void rollingBackADeploymentUndoesExactlyItsMigrationsNewestFirstAndKeepsTheRowsBefore() throws IOException {
        project.migrate();
        secondRelease();
        project.migrate();
        String second = (String) deployments("public").get(THIRD);

        List<MigrationFile> undone = project.rollbackDeployment(second);

        assertThat(undone).extracting(MigrationFile::version).containsExactly(FOURTH, THIRD);
        assertThat(table("public", "invoices")).isFalse();
        assertThat(column("public", "orders", "note")).isFalse();
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(500L);
        assertThat(db.value("SELECT sum(total) FROM orders")).isEqualTo(1_252_500L);
        assertThat(db.value("SELECT count(*) FROM customers")).isEqualTo(50L);
        assertThat(deployments("public")).containsOnlyKeys(FIRST, SECOND);
    }

    @Test
    void anEarlierDeploymentIsRefusedWhileALaterOneIsAppliedNamingItAndNothingIsUndone() throws IOException {
        project.migrate();
        secondRelease();
        project.migrate();
        Map<Object, Object> ids = deployments("public");

        assertThatThrownBy(() -> project.rollbackDeployment((String) ids.get(FIRST)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot roll back the deployment " + ids.get(FIRST))
                .hasMessageContaining(THIRD + "_add_orders_note (deployment " + ids.get(THIRD) + ")")
                .hasMessageContaining("rollback --deployment " + ids.get(THIRD))
                .hasMessageContaining("Nothing was rolled back");
        assertThat(deployments("public")).hasSize(4);
        assertThat(table("public", "invoices")).isTrue();
        assertThat(column("public", "orders", "note")).isTrue();
    }

    @Test
    void aDeploymentWithAMigrationWithoutDownSectionIsRefusedBeforeAnyOfItIsUndone() throws IOException {
        project.migrate();
        file("migrations", THIRD + "_add_orders_note.sql", "ALTER TABLE orders ADD COLUMN note text;",
                "ALTER TABLE orders DROP COLUMN note;");
        Files.writeString(dir.resolve("migrations/" + FOURTH + "_backfill.sql"), "-- migrate:up\n"
                + "UPDATE orders SET note = 'x';\n");
        project.migrate();
        String second = (String) deployments("public").get(THIRD);

        assertThatThrownBy(() -> project.rollbackDeployment(second)).isInstanceOf(MigrationException.class)
                .hasMessageContaining(FOURTH).hasMessageContaining("down");
        assertThat(column("public", "orders", "note")).isTrue();
        assertThat(db.value("SELECT count(*) FROM orders WHERE note = 'x'")).isEqualTo(500L);
        assertThat(deployments("public")).containsOnlyKeys(FIRST, SECOND, THIRD, FOURTH);
    }

    @Test
    void anUnknownOrBlankDeploymentIsRefusedNamingTheDeploymentsThereAre() {
        project.migrate();
        Object id = deployments("public").get(FIRST);

        assertThatThrownBy(() -> project.rollbackDeployment("nosuchrun")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("no applied migration of public carries it")
                .hasMessageContaining(String.valueOf(id));
        assertThatThrownBy(() -> project.rollbackDeployment(" ")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("the deployment id given is empty");
        assertThat(table("public", "orders")).isTrue();
    }

    @Test
    void aHistoryMadeBeforeDeploymentIdsGetsTheColumnInPlaceAndItsOlderRowsHaveNone() throws IOException {
        project.migrate();
        db.execute("ALTER TABLE public.ashlar_schema_migrations DROP COLUMN deployment_id");
        secondRelease();

        project.migrate();

        assertThat(column("public", "ashlar_schema_migrations", "deployment_id")).isTrue();
        assertThat(db.value("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON "
                + "a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'public.ashlar_schema_migrations'"
                + "::regclass AND a.attname = 'deployment_id'")).asString().contains("ashlar.deployment_id");
        Map<Object, Object> ids = deployments("public");
        assertThat(ids.get(FIRST)).isNull();
        assertThat(ids.get(SECOND)).isNull();
        assertThat(ids.get(THIRD)).isNotNull().isEqualTo(ids.get(FOURTH));
        assertThat(project.rollbackDeployment((String) ids.get(THIRD))).hasSize(2);
        assertThat(table("public", "orders")).isTrue();
    }

    @Test
    void twoRunsRacingToUpgradeAnOldHistoryWithRowsBothSucceedAndAddTheColumnOnce() throws Exception {
        project.migrate();
        db.execute("ALTER TABLE public.ashlar_schema_migrations DROP COLUMN deployment_id");
        secondRelease();
        Project other = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Future<?> migrating = pool.submit(() -> {
                start.await();
                return project.migrate();
            });
            java.util.concurrent.Future<?> reading = pool.submit(() -> {
                start.await();
                return other.status();
            });
            start.countDown();
            migrating.get(60, java.util.concurrent.TimeUnit.SECONDS);
            reading.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(db.value("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.ashlar_schema_migrations'"
                + "::regclass AND attname = 'deployment_id' AND NOT attisdropped")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(500L);
        assertThat(column("public", "orders", "note")).isTrue();
        project.migrate();
        Map<Object, Object> ids = deployments("public");
        assertThat(ids.get(FIRST)).isNull();
        assertThat(ids).containsOnlyKeys(FIRST, SECOND, THIRD, FOURTH);
    }

    @Test
    void aHistoryMadeBeforeInstalledByAndDeploymentIdsGetsBothColumns() throws IOException {
        db.execute("CREATE TABLE public.ashlar_schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
                + "now(), duration_ms bigint NOT NULL, baselined boolean NOT NULL DEFAULT false)");
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, total int); CREATE TABLE customers (id int PRIMARY KEY)");
        project.baseline(null);
        db.execute("ALTER TABLE public.ashlar_schema_migrations DROP COLUMN IF EXISTS installed_by, "
                + "DROP COLUMN IF EXISTS deployment_id");
        secondRelease();

        project.migrate();

        assertThat(column("public", "ashlar_schema_migrations", "installed_by")).isTrue();
        Map<Object, Object> ids = deployments("public");
        assertThat(ids.get(FIRST)).isNull();
        assertThat(ids.get(THIRD)).isNotNull().isEqualTo(ids.get(FOURTH));
    }

    @Test
    void aPoolGetsItsConnectionsBackWithoutTheRunsDeploymentId() throws SQLException {
        try (HikariDataSource pool = InitSqlTest.pool(db)) {
            Project.open(dir).dataSource(pool).progress(line -> { }).migrate();

            for (int i = 0; i < 2; i++) {
                try (Connection lent = pool.getConnection(); Statement statement = lent.createStatement();
                     ResultSet row = statement.executeQuery("SELECT coalesce(current_setting('ashlar.deployment_id', "
                             + "true), '')")) {
                    row.next();
                    assertThat(row.getString(1)).isEmpty();
                }
            }
        }
        assertThat(deployments("public").get(FIRST)).isNotNull();
    }

    @Test
    void aRunThatFailsMidwayGivesThePoolItsConnectionsBackWithoutTheRunsDeploymentId() throws IOException,
            SQLException {
        secondRelease();
        Files.writeString(dir.resolve("migrations/20260105000000_broken.sql"), "-- migrate:up\n"
                + "UPDATE orders SET total = total / 0;\n-- migrate:down\nSELECT 1;\n");
        try (HikariDataSource pool = InitSqlTest.pool(db)) {
            Project failing = Project.open(dir).dataSource(pool).progress(line -> { });
            assertThatThrownBy(failing::migrate).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("20260105000000_broken");

            for (int i = 0; i < 2; i++) {
                try (Connection lent = pool.getConnection(); Statement statement = lent.createStatement();
                     ResultSet row = statement.executeQuery("SELECT coalesce(current_setting('ashlar.deployment_id', "
                             + "true), '')")) {
                    row.next();
                    assertThat(row.getString(1)).isEmpty();
                }
            }
        }
        Map<Object, Object> ids = deployments("public");
        assertThat(ids).containsOnlyKeys(FIRST, SECOND, THIRD, FOURTH);
        assertThat(ids.get(FOURTH)).isNotNull().isEqualTo(ids.get(FIRST));
    }

    @Test
    void aScriptRunByHandRecordsItsRowsUnderADeploymentOfItsOwnWhichRollsBackAlone() throws IOException,
            SQLException {
        project.migrate();
        secondRelease();

        InstalledByTest.runAsPsqlWould(db, project.script(project.dryRun(),
                dev.ashlar.kernel.migrate.FileRunner.Direction.UP));

        Map<Object, Object> ids = deployments("public");
        assertThat(ids.get(THIRD)).isNotNull().isEqualTo(ids.get(FOURTH)).isNotEqualTo(ids.get(FIRST));
        assertThat(db.value("SELECT count(*) FROM orders WHERE note IS NOT NULL")).isEqualTo(500L);
        project.rollbackDeployment((String) ids.get(THIRD));
        assertThat(column("public", "orders", "note")).isFalse();
        assertThat(table("public", "invoices")).isFalse();
        assertThat(db.value("SELECT sum(total) FROM orders")).isEqualTo(1252500L);
        assertThat(deployments("public")).containsOnlyKeys(FIRST, SECOND);
    }

    @Test
    void aTenantRunHasOneDeploymentForEverySchemaAndItsRollbackInOneTenantLeavesTheOtherAlone() throws IOException {
        file("tenant_migrations", FIRST + "_create_notes.sql", "CREATE TABLE notes (id int, body text);\n"
                + "INSERT INTO notes SELECT g, 'b' || g FROM generate_series(1, 200) g;", "DROP TABLE notes;");
        TenantSelection both = TenantSelection.named(List.of("deploy_acme", "deploy_globex"));
        project.migrateTenants(both);
        file("tenant_migrations", SECOND + "_add_notes_pinned.sql", "ALTER TABLE notes ADD COLUMN pinned boolean "
                + "NOT NULL DEFAULT false;", "ALTER TABLE notes DROP COLUMN pinned;");
        Files.writeString(dir.resolve("tenant_migrations/" + THIRD + "_index_notes_body.sql"), "-- migrate:up "
                + "transaction:false\nCREATE INDEX CONCURRENTLY notes_body_idx ON notes (body);\n-- migrate:down "
                + "transaction:false\nDROP INDEX CONCURRENTLY notes_body_idx;\n");
        project.migrateTenants(both);
        Map<Object, Object> acme = deployments("deploy_acme");
        Map<Object, Object> globex = deployments("deploy_globex");
        assertThat(acme).isEqualTo(globex);
        assertThat(acme.get(SECOND)).isNotNull().isNotEqualTo(acme.get(FIRST)).isEqualTo(acme.get(THIRD));

        TenantReport report = project.rollbackTenantsDeployment(TenantSelection.named(List.of("deploy_acme")),
                (String) acme.get(SECOND));

        assertThat(report.failures()).isEmpty();
        assertThat(column("deploy_acme", "notes", "pinned")).isFalse();
        assertThat(db.value("SELECT to_regclass('deploy_acme.notes_body_idx')")).isNull();
        assertThat(db.value("SELECT to_regclass('deploy_globex.notes_body_idx')")).isNotNull();
        assertThat(deployments("deploy_acme")).containsOnlyKeys(FIRST);
        assertThat(db.value("SELECT count(*) FROM deploy_acme.notes")).isEqualTo(200L);
        assertThat(column("deploy_globex", "notes", "pinned")).isTrue();
        assertThat(deployments("deploy_globex")).isEqualTo(globex);
    }

    @Test
    void aTenantHistoryMadeBeforeDeploymentIdsGetsTheColumnAtTheNextTenantRunItsOlderRowsWithoutOne()
            throws IOException {
        file("tenant_migrations", FIRST + "_create_notes.sql", "CREATE TABLE notes (id int);\n"
                + "INSERT INTO notes SELECT generate_series(1, 20);", "DROP TABLE notes;");
        TenantSelection acme = TenantSelection.named(List.of("deploy_acme"));
        project.migrateTenants(acme);
        db.execute("ALTER TABLE deploy_acme.ashlar_schema_migrations DROP COLUMN deployment_id");
        file("tenant_migrations", SECOND + "_add_notes_body.sql", "ALTER TABLE notes ADD COLUMN body text;",
                "ALTER TABLE notes DROP COLUMN body;");

        project.migrateTenants(acme);

        assertThat(column("deploy_acme", "ashlar_schema_migrations", "deployment_id")).isTrue();
        Map<Object, Object> ids = deployments("deploy_acme");
        assertThat(ids.get(FIRST)).isNull();
        assertThat(ids.get(SECOND)).isNotNull();
        assertThat(project.rollbackTenantsDeployment(acme, (String) ids.get(SECOND)).failures()).isEmpty();
        assertThat(column("deploy_acme", "notes", "body")).isFalse();
        assertThat(db.value("SELECT count(*) FROM deploy_acme.notes")).isEqualTo(20L);
    }

    @Test
    void aDeploymentOfAnotherTenantIsNotFoundFromThisTenantsSideAndTouchesNeither() throws IOException {
        file("tenant_migrations", FIRST + "_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        project.migrateTenants(TenantSelection.named(List.of("deploy_acme")));
        project.migrateTenants(TenantSelection.named(List.of("deploy_globex")));
        String globexRun = (String) deployments("deploy_globex").get(FIRST);
        assertThat(globexRun).isNotEqualTo(deployments("deploy_acme").get(FIRST));

        TenantReport report = project.rollbackTenantsDeployment(TenantSelection.named(List.of("deploy_acme")),
                globexRun);

        assertThat(report.failures()).isEmpty();
        assertThat(table("deploy_acme", "notes")).isTrue();
        assertThat(table("deploy_globex", "notes")).isTrue();
        assertThat(deployments("deploy_acme")).hasSize(1);
        assertThat(deployments("deploy_globex")).hasSize(1);
    }
}
