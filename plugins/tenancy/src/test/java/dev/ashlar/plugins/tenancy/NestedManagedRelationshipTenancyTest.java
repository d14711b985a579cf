package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
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
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Related records nested inside related records ({@code Manage.relationship("lines.details")}) from the attacker's
 * side: a tenant naming another tenant's detail by key at the inner level finds none and nothing is written, and
 * records created at every level land in the handle's tenant, with a tenant column and with a schema per tenant; and
 * bulk writes with {@link Bulk} (a failed batch written again by halves) naming another tenant's line by key at any
 * level find none, stop the write and change no row of the other tenant.
 */
@ExtendWith(PostgresExtension.class)
class NestedManagedRelationshipTenancyTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("deep_", "id")).build();
    static final Manage LINES = Manage.relationship("lines").directControl();
    static final Manage DETAILS = Manage.relationship("lines.details").directControl();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    /** An order with lines, each line with details, each scoped by the tenancy given. */
    static List<Resource> orders(String prefix, UnaryOperator<ResourceBuilder> tenancy) {
        return List.of(
                tenancy.apply(Resource.builder(prefix + "order").table(prefix + "orders").integerPrimaryKey("id")
                        .attribute("number", TEXT).identity("unique_number", "number")
                        .hasMany("lines", prefix + "line", r -> r.destinationAttribute("order_id"))).build(),
                tenancy.apply(Resource.builder(prefix + "line").table(prefix + "lines").integerPrimaryKey("id")
                        .attribute("sku", TEXT).belongsTo("order", prefix + "order")
                        .hasMany("details", prefix + "detail", r -> r.destinationAttribute("line_id"))).build(),
                tenancy.apply(Resource.builder(prefix + "detail").table(prefix + "details").integerPrimaryKey("id")
                        .attribute("qty", INTEGER, a -> a.notNull()).belongsTo("line", prefix + "line")).build());
    }

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        ashlar = migrated(db, project);
    }

    /** The orders under a tenant column ("org_") and in tenants' schemas, with tenants acme and globex. */
    static Ashlar migrated(TestDatabase db, Path project) {
        Domain.Builder domain = Domain.builder("deep").resource(TENANT);
        orders("org_", b -> b.attribute("org_id", BIGINT, a -> a.notNull()).with(Multitenancy.attribute("org_id")))
                .forEach(domain::resource);
        orders("", b -> b.with(Multitenancy.context())).forEach(domain::resource);
        Ashlar ashlar = TenancyDataTest.migrated(db, project, domain.build(), "deep_");
        ashlar.create("tenant", Map.of("id", "acme"));
        ashlar.create("tenant", Map.of("id", "globex"));
        return ashlar;
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    private static Row order(Ashlar tenant, String resource, String number, int qty) {
        return tenant.create(resource, Map.of("number", number, "lines", List.of(Map.of("sku", number + "-1",
                "details", List.of(Map.of("qty", qty))))), LINES, DETAILS);
    }

    private static Object first(Row order, String relationship) {
        Row line = order.related("lines").get(0);
        return relationship.equals("lines") ? line.get("id") : line.related("details").get(0).get("id");
    }

    @Test
    void aTenantNamingAnotherTenantsDetailInsideItsOwnLineFindsNoneAndNothingIsWritten() {
        Row secret = order(ashlar.withTenant("42"), "org_order", "secret", 5);
        Ashlar attacker = ashlar.withTenant("7");
        Row own = order(attacker, "org_order", "own", 1);
        Object ownLine = first(own, "lines");
        Object victimsDetail = first(secret, "details");
        List<Map<String, Object>> before = db.query("SELECT org_id, id, qty, line_id FROM org_details ORDER BY id");

        assertThatThrownBy(() -> attacker.update(own, Map.of("lines", List.of(Map.of("id", ownLine, "sku", "x",
                "details", List.of(Map.of("id", victimsDetail, "qty", 99))))), LINES, DETAILS))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no org_detail with key " + victimsDetail);
        assertThatThrownBy(() -> attacker.update(own, Map.of("lines", List.of(Map.of("id", ownLine,
                "details", List.of(victimsDetail)))), LINES, Manage.relationship("lines.details").append()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no org_detail with key " + victimsDetail);
        assertThatThrownBy(() -> attacker.update(own, Map.of("lines", List.of(Map.of("id", first(secret, "lines"),
                "details", List.of()))), LINES, DETAILS)).isInstanceOf(NotFoundException.class);

        assertThat(db.query("SELECT org_id, id, qty, line_id FROM org_details ORDER BY id")).isEqualTo(before);
        assertThat(db.query("SELECT org_id, sku FROM org_lines ORDER BY id")).containsExactly(
                Map.of("org_id", 42L, "sku", "secret-1"), Map.of("org_id", 7L, "sku", "own-1"));
    }

    @Test
    void recordsCreatedAtEveryLevelLandInTheHandlesTenantAndAForgedTenantColumnAtTheThirdWritesNothing() {
        Ashlar attacker = ashlar.withTenant("7");

        order(attacker, "org_order", "own", 1);
        assertThatThrownBy(() -> attacker.create("org_order", Map.of("number", "forged", "lines", List.of(
                Map.of("sku", "f", "details", List.of(Map.of("qty", 1), Map.of("qty", 2, "org_id", 42))))),
                LINES, DETAILS)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("lines[0].details[1].org_id");

        assertThat(db.value("SELECT array_agg(DISTINCT org_id) FROM (SELECT org_id FROM org_orders UNION ALL "
                + "SELECT org_id FROM org_lines UNION ALL SELECT org_id FROM org_details) o").toString())
                .isEqualTo("{7}");
        assertThat(db.value("SELECT count(*) FROM org_details")).isEqualTo(1L);
    }

    @Test
    void aTenantSchemasNestedWritesStayInItsSchemaAndAnotherSchemasDetailIsNotFound() {
        Ashlar acme = ashlar.withTenant("deep_acme");
        Ashlar globex = ashlar.withTenant("deep_globex");
        acme.create("order", Map.of("number", "a", "lines", List.of(Map.of("sku", "a1", "details", List.of(
                Map.of("qty", 1), Map.of("qty", 2), Map.of("qty", 3))))), LINES, DETAILS);
        Row own = order(globex, "order", "g", 7);

        assertThatThrownBy(() -> globex.update(own, Map.of("lines", List.of(Map.of("id", first(own, "lines"),
                "details", List.of(Map.of("id", 3, "qty", 99))))), LINES, DETAILS))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no detail with key 3");
        globex.update(own, Map.of("lines", List.of(Map.of("id", first(own, "lines"), "details", List.of(
                Map.of("qty", 8))))), LINES, DETAILS);

        assertThat(db.query("SELECT id, qty, line_id FROM deep_acme.details ORDER BY id")).containsExactly(
                Map.of("id", 1, "qty", 1, "line_id", 1), Map.of("id", 2, "qty", 2, "line_id", 1),
                Map.of("id", 3, "qty", 3, "line_id", 1));
        assertThat(db.query("SELECT qty, line_id FROM deep_globex.details ORDER BY id"))
                .containsExactly(Map.of("qty", 8, "line_id", 1));
        assertThat(db.value("SELECT to_regclass('public.details')")).as("nothing in the main schema").isNull();
    }

    @Test
    void aTenantSchemasBulkCreateAndUpsertOntoANumberAnotherSchemaHoldsWriteOnlyInItsSchema() {
        order(ashlar.withTenant("deep_acme"), "order", "same", 5);
        Ashlar globex = ashlar.withTenant("deep_globex");
        List<Map<String, Object>> acmeBefore = db.query("SELECT o.id, o.number, l.sku, d.qty FROM deep_acme.orders o "
                + "JOIN deep_acme.lines l ON l.order_id = o.id JOIN deep_acme.details d ON d.line_id = l.id");

        globex.createAll("order", List.of(Map.of("number", "b1", "lines", List.of(Map.of("sku", "x",
                "details", List.of(Map.of("qty", 1)))))), Manage.relationship("lines").create(),
                Manage.relationship("lines.details").create());
        globex.upsert("order", List.of(Map.of("number", "same", "lines", List.of(Map.of("sku", "u",
                "details", List.of(Map.of("qty", 2)))))), Upsert.on("unique_number"), LINES, DETAILS);

        assertThat(db.query("SELECT o.id, o.number, l.sku, d.qty FROM deep_acme.orders o JOIN deep_acme.lines l "
                + "ON l.order_id = o.id JOIN deep_acme.details d ON d.line_id = l.id")).isEqualTo(acmeBefore);
        assertThat(db.query("SELECT o.number, l.sku, d.qty FROM deep_globex.orders o JOIN deep_globex.lines l "
                + "ON l.order_id = o.id JOIN deep_globex.details d ON d.line_id = l.id ORDER BY d.id"))
                .containsExactly(Map.of("number", "b1", "sku", "x", "qty", 1),
                        Map.of("number", "same", "sku", "u", "qty", 2));
        assertThat(db.value("SELECT to_regclass('public.orders')")).as("nothing in the main schema").isNull();
    }

    @Test
    void aTenantsBulkCreateAndUpsertWithNestedRecordsWriteOnlyItsOwnRecords() {
        Row secret = order(ashlar.withTenant("42"), "org_order", "same", 5);
        Ashlar attacker = ashlar.withTenant("7");

        attacker.createAll("org_order", List.of(Map.of("number", "b1", "lines", List.of(Map.of("sku", "x",
                "details", List.of(Map.of("qty", 1)))))), Manage.relationship("lines").create(),
                Manage.relationship("lines.details").create());
        Row upserted = attacker.upsert("org_order", Map.of("number", "same", "lines", List.of(Map.of("sku", "u",
                "details", List.of(Map.of("qty", 2))))), Upsert.on("unique_number"), LINES, DETAILS);

        assertThat(upserted.get("id")).isNotEqualTo(secret.get("id"));
        assertThat(db.query("SELECT o.org_id, o.number, l.sku, d.qty FROM org_orders o JOIN org_lines l "
                + "ON l.order_id = o.id JOIN org_details d ON d.line_id = l.id ORDER BY d.id")).containsExactly(
                Map.of("org_id", 42L, "number", "same", "sku", "same-1", "qty", 5),
                Map.of("org_id", 7L, "number", "b1", "sku", "x", "qty", 1),
                Map.of("org_id", 7L, "number", "same", "sku", "u", "qty", 2));
        assertThat(db.value("SELECT count(*) FROM org_lines WHERE org_id <> (SELECT org_id FROM org_orders o "
                + "WHERE o.id = org_lines.order_id)")).isEqualTo(0L);
    }

    /**
     * The victim's order "same" with a line and a detail; the attacker's bulk upsert of "same" (its own), one order
     * refused for a detail, then one directly controlling the victim's line by key; and a bulk create appending the
     * victim's line after one of its own.
     */
    private void attack(Ashlar victim, Ashlar attacker, String resource, String victimsRows) {
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
