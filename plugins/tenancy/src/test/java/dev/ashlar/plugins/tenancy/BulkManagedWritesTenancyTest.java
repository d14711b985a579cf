package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;
import dev.ashlar.kernel.data.Manage;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bulk writes with related records ({@code createAll} and {@code upsert} with {@link Bulk} and {@link Manage}s,
 * a failed batch written again by halves) from the attacker's side, under a tenant column and with a schema per
 * tenant: another tenant's line named at any level is not found and stops the write, an upsert onto a number another
 * tenant holds creates one's own order, a refused record is collected, and no row of the other tenant changes.
 */
@ExtendWith(PostgresExtension.class)
class BulkManagedWritesTenancyTest {
    private static final Manage LINES = Manage.relationship("lines").directControl();
    private static final Manage DETAILS = Manage.relationship("lines.details").directControl();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        ashlar = NestedManagedRelationshipTenancyTest.migrated(db, project);
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    /**
     * The victim's order "same" with a line and a detail; the attacker's bulk upsert of "same" (its own), one order
     * refused for a detail, then one directly controlling the victim's line by key; and a bulk create appending the
     * victim's line after one of its own. Returns the victim's line's key.
     */
    private Object attack(Ashlar victim, Ashlar attacker, String resource, String victimsRows) {
        Row secret = victim.create(resource, Map.of("number", "same", "lines", List.of(Map.of("sku", "secret",
                "details", List.of(Map.of("qty", 5))))), LINES, DETAILS);
        Object line = secret.related("lines").get(0).get("id");
        Object detail = secret.related("lines").get(0).related("details").get(0).get("id");
        List<Map<String, Object>> before = db.query(victimsRows);

        assertThatThrownBy(() -> attacker.upsert(resource, List.of(
                        Map.of("number", "same", "lines", List.of(Map.of("sku", "u", "details",
                                List.of(Map.of("qty", 2))))),
                        Map.of("number", "refused", "lines", List.of(Map.of("sku", "r", "details", List.of(Map.of())))),
                        Map.of("number", "own", "lines", List.of(Map.of("id", line, "sku", "stolen", "details",
                                List.of(Map.of("id", detail, "qty", 99)))))),
                Upsert.on("unique_number"), Bulk.collectErrors().batchSize(2), LINES, DETAILS))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("stopped at record 2: ")
                .hasMessageContaining("with key " + line).hasMessageContaining("(1 stored, 1 refused");
        assertThatThrownBy(() -> attacker.createAll(resource, List.of(Map.of("number", "c1", "lines", List.of()),
                        Map.of("number", "c2", "lines", List.of(line))), Bulk.collectErrors(),
                Manage.relationship("lines").append())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("stopped at record 1: ").hasMessageContaining("with key " + line);
        BulkResult created = attacker.createAll(resource, List.of(Map.of("number", "c3", "lines",
                        List.of(Map.of("sku", "c", "details", List.of(Map.of("qty", 3))))),
                Map.of("number", "c4", "lines", List.of(Map.of("sku", "d", "details", List.of(Map.of()))))),
                Bulk.collectErrors(), Manage.relationship("lines").create(),
                Manage.relationship("lines.details").create());

        assertThat(created.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(db.query(victimsRows)).as("no row of the victim's changed").isEqualTo(before);
        return line;
    }

    @Test
    void aTenantsBulkUpsertAndCreateNamingAnotherTenantsLineFindNoneAndChangeNothingOfTheirs() {
        attack(ashlar.withTenant("42"), ashlar.withTenant("7"), "org_order", "SELECT o.*, l.id AS line, l.sku, "
                + "l.org_id AS line_org, d.id AS detail, d.qty FROM org_orders o JOIN org_lines l ON l.order_id = o.id "
                + "JOIN org_details d ON d.line_id = l.id WHERE o.org_id = 42 ORDER BY d.id");

        assertThat(db.query("SELECT o.org_id, o.number, l.sku, d.qty FROM org_orders o JOIN org_lines l "
                + "ON l.order_id = o.id JOIN org_details d ON d.line_id = l.id ORDER BY d.id")).containsExactly(
                Map.of("org_id", 42L, "number", "same", "sku", "secret", "qty", 5),
                Map.of("org_id", 7L, "number", "same", "sku", "u", "qty", 2),
                Map.of("org_id", 7L, "number", "c3", "sku", "c", "qty", 3));
        assertThat(db.query("SELECT number FROM org_orders WHERE org_id = 7 ORDER BY id")).extracting(r ->
                r.get("number")).containsExactly("same", "c1", "c3");
        assertThat(db.value("SELECT count(*) FROM org_lines WHERE org_id <> (SELECT org_id FROM org_orders o "
                + "WHERE o.id = org_lines.order_id)")).isEqualTo(0L);
    }

    @Test
    void aTenantSchemasBulkUpsertAndCreateNamingAnotherSchemasLineFindNoneAndChangeNothingOfTheirs() {
        attack(ashlar.withTenant("deep_acme"), ashlar.withTenant("deep_globex"), "order", "SELECT o.*, "
                + "l.id AS line, l.sku, d.id AS detail, d.qty FROM deep_acme.orders o JOIN deep_acme.lines l "
                + "ON l.order_id = o.id JOIN deep_acme.details d ON d.line_id = l.id ORDER BY d.id");

        assertThat(db.query("SELECT o.number, l.sku, d.qty FROM deep_globex.orders o JOIN deep_globex.lines l "
                + "ON l.order_id = o.id JOIN deep_globex.details d ON d.line_id = l.id ORDER BY d.id"))
                .containsExactly(Map.of("number", "same", "sku", "u", "qty", 2),
                        Map.of("number", "c3", "sku", "c", "qty", 3));
        assertThat(db.query("SELECT number FROM deep_globex.orders ORDER BY id")).extracting(r -> r.get("number"))
                .containsExactly("same", "c1", "c3");
        assertThat(db.value("SELECT count(*) FROM deep_acme.orders")).isEqualTo(1L);
    }
}
