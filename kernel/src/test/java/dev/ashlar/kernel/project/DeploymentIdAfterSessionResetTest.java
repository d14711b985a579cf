package dev.ashlar.kernel.project;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file that resets its session ({@code RESET ALL}, {@code DISCARD ALL}, inside a transaction or outside one) between
 * two others of a run: the run's deployment id is given back after it, so every row of the run carries the id and
 * {@code rollback --deployment} undoes all three files, in the main schema and in tenant schemas.
 */
@ExtendWith(PostgresExtension.class)
class DeploymentIdAfterSessionResetTest {
    private static final String FIRST = "20260101000000";
    private static final String SECOND = "20260102000000";
    private static final String THIRD = "20260103000000";

    @TempDir
    Path dir;
    TestDatabase db;
    Project project;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS reset_acme CASCADE; "
                + "CREATE SCHEMA reset_acme");
        for (String folder : List.of("migrations", "tenant_migrations")) {
            Files.createDirectories(dir.resolve(folder));
        }
        project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });
    }

    @AfterEach
    void dropTenant() {
        db.execute("DROP SCHEMA IF EXISTS reset_acme CASCADE");
    }

    /**
     * Three files: a table with rows, the middle file resetting its session ({@code reset}: its statement, then
     * "outside" when it runs outside a transaction), a column after it.
     */
    private void threeFiles(String folder, String reset) throws IOException {
        String header = reset.endsWith("outside") ? " transaction:false" : "";
        write(folder, FIRST + "_create_orders.sql", "-- migrate:up\nCREATE TABLE orders (id int PRIMARY KEY, total int);\n"
                + "INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, 300) g;\n-- migrate:down\n"
                + "DROP TABLE orders;\n");
        write(folder, SECOND + "_reset_session.sql", "-- migrate:up" + header + "\nCREATE TABLE audits (id int);\n"
                + "INSERT INTO audits SELECT generate_series(1, 40);\n" + reset.replace(" outside", "") + ";\n"
                + "-- migrate:down\n"
                + "DROP TABLE audits;\n");
        write(folder, THIRD + "_add_orders_note.sql", "-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\n"
                + "UPDATE orders SET note = 'n' || id;\n-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n");
    }

    private void write(String folder, String name, String text) throws IOException {
        Files.writeString(dir.resolve(folder).resolve(name), text);
    }

    private Map<Object, Object> deployments(String schema) {
        Map<Object, Object> ids = new TreeMap<>();
        db.query("SELECT version, deployment_id FROM " + schema + ".ashlar_schema_migrations")
                .forEach(row -> ids.put(row.get("version"), row.get("deployment_id")));
        return ids;
    }

    private boolean table(String schema, String table) {
        return db.value("SELECT to_regclass(?)", schema + "." + table) != null;
    }

    /** DISCARD ALL runs outside a transaction only. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RESET ALL outside", "DISCARD ALL outside", "RESET ALL",
            "SET SESSION ashlar.deployment_id TO 'other'"})
    void everyFileOfAMainSchemaRunCarriesItsIdAfterAFileResetsTheSession(String reset) throws IOException {
        threeFiles("migrations", reset);

        project.migrate();

        Map<Object, Object> ids = deployments("public");
        assertThat(ids).containsOnlyKeys(FIRST, SECOND, THIRD);
        assertThat(ids.get(FIRST)).isNotNull();
        assertThat(ids.values()).containsOnly(ids.get(FIRST));
        assertThat(project.rollbackDeployment((String) ids.get(FIRST))).hasSize(3);
        assertThat(deployments("public")).isEmpty();
        assertThat(table("public", "orders")).isFalse();
        assertThat(table("public", "audits")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RESET ALL outside", "DISCARD ALL outside", "RESET ALL"})
    void everyFileOfATenantRunCarriesItsIdAfterAFileResetsTheSession(String reset) throws IOException {
        threeFiles("tenant_migrations", reset);
        TenantSelection acme = TenantSelection.named(List.of("reset_acme"));

        assertThat(project.migrateTenants(acme).failures()).isEmpty();

        Map<Object, Object> ids = deployments("reset_acme");
        assertThat(ids).containsOnlyKeys(FIRST, SECOND, THIRD);
        assertThat(ids.get(FIRST)).isNotNull();
        assertThat(ids.values()).containsOnly(ids.get(FIRST));
        assertThat(db.value("SELECT count(*) FROM reset_acme.orders WHERE note IS NOT NULL")).isEqualTo(300L);
        assertThat(project.rollbackTenantsDeployment(acme, (String) ids.get(FIRST)).failures()).isEmpty();
        assertThat(deployments("reset_acme")).isEmpty();
        assertThat(table("reset_acme", "orders")).isFalse();
    }
}
