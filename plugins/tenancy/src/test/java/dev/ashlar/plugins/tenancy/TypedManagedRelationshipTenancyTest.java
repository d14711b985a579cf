package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;
import dev.ashlar.kernel.data.Manage;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed nested and bulk managed writes ({@code Manage.graph}, {@code createGraphs}, {@code upsertGraphs}, with
 * {@link Bulk}) from the attacker's side, under a tenant column and with a schema per tenant: another tenant's line
 * or detail given by key inside one's own order is not found and nothing is written, every level of a bulk create or
 * upsert lands in the handle's tenant (an upsert onto a number another tenant holds creates one's own order), and a
 * forged tenant column in a related record is collected as refused with nothing of its order written.
 */
@ExtendWith(PostgresExtension.class)
class TypedManagedRelationshipTenancyTest {
    record Order(Integer id, String number) {
    }

    record Line(Integer id, String sku) {
    }

    record Detail(Integer id, Integer qty) {
    }

    /** A detail naming its tenant column, as an attacker would forge it. */
    record ForgedDetail(Integer id, Integer qty, Long orgId) {
    }

    /** The tables and relationships of one set of orders: under a tenant column ("org_") or in tenants' schemas. */
    record Orders(Table<Order> orders, Relation<Order, Line> lines, Relation<Line, Detail> details,
                  UniqueKey<Order> number) {
        static Orders of(String prefix) {
            Table<Order> orders = Table.of(prefix + "order", Order.class);
            Table<Line> lines = Table.of(prefix + "line", Line.class);
            Field<Order, String> number = orders.attribute("number", Kind.TEXT);
            return new Orders(orders, orders.hasMany("lines", lines),
                    lines.hasMany("details", Table.of(prefix + "detail", Detail.class)),
                    orders.identity("unique_number", number));
        }

        /** An order with one line of one detail of this quantity. */
        Manage.Graph<Order> order(String number, int qty) {
            return Manage.graph(new Order(null, number), Manage.of(lines).createGraphs(List.of(Manage.graph(
                    new Line(null, number + "-1"), Manage.of(details).create(List.of(new Detail(null, qty)))))));
        }
    }

    static final Orders BY_COLUMN = Orders.of("org_");
    static final Orders BY_SCHEMA = Orders.of("");
    static final Relation<Line, ForgedDetail> FORGED = Table.of("org_line", Line.class).hasMany("details",
            Table.of("org_detail", ForgedDetail.class));

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

    /** The order's first line and that line's first detail, by key. */
    private static List<Integer> lineAndDetail(Ashlar tenant, Orders set, Order order) {
        Row row = tenant.load(List.of(tenant.get(set.orders().name(), order.id())), "lines.details").get(0);
        Row line = row.related("lines").get(0);
        return List.of((Integer) line.get("id"), (Integer) line.related("details").get(0).get("id"));
    }

    /** A direct control of the order's lines: the line of this key, with a detail of this key changed to 99. */
    private static Order update(Ashlar tenant, Orders set, Order order, int line, int detail) {
        return tenant.update(set.orders(), order, Manage.of(set.lines()).directControlGraphs(List.of(Manage.graph(
                new Line(line, "changed"), Manage.of(set.details()).directControl(List.of(new Detail(detail, 99)))))));
    }

    private void attacksFindNothing(Ashlar victim, Ashlar attacker, Orders set, String details) {
        // The victim's second order, so that its line's and detail's keys are ones the attacker's records lack
        Order secret = victim.createGraphs(set.orders(), List.of(set.order("first", 4), set.order("secret", 5)))
                .get(1);
        Order own = attacker.createGraphs(set.orders(), List.of(set.order("own", 1))).get(0);
        List<Integer> victims = lineAndDetail(victim, set, secret);
        List<Integer> owns = lineAndDetail(attacker, set, own);
        List<Map<String, Object>> before = db.query("SELECT * FROM " + details + " ORDER BY id");

        assertThatThrownBy(() -> update(attacker, set, own, owns.get(0), victims.get(1)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("with key " + victims.get(1));
        assertThatThrownBy(() -> update(attacker, set, own, victims.get(0), owns.get(1)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("with key " + victims.get(0));

        assertThat(db.query("SELECT * FROM " + details + " ORDER BY id")).isEqualTo(before);
    }

    @Test
    void aTenantsTypedNestedUpdateNamingAnotherTenantsLineOrDetailFindsNoneAndNothingIsWritten() {
        attacksFindNothing(ashlar.withTenant("42"), ashlar.withTenant("7"), BY_COLUMN, "org_details");

        assertThat(db.query("SELECT org_id, sku FROM org_lines ORDER BY id")).containsExactly(
                Map.of("org_id", 42L, "sku", "first-1"), Map.of("org_id", 42L, "sku", "secret-1"),
                Map.of("org_id", 7L, "sku", "own-1"));
    }

    @Test
    void aTenantSchemasTypedNestedUpdateNamingAnotherSchemasLineOrDetailFindsNoneAndNothingIsWritten() {
        attacksFindNothing(ashlar.withTenant("deep_acme"), ashlar.withTenant("deep_globex"), BY_SCHEMA,
                "deep_globex.details");

        assertThat(db.query("SELECT sku FROM deep_acme.lines ORDER BY id")).containsExactly(Map.of("sku", "first-1"),
                Map.of("sku", "secret-1"));
        assertThat(db.query("SELECT sku FROM deep_globex.lines")).containsExactly(Map.of("sku", "own-1"));
    }

    @Test
    void aTenantsTypedBulkWritesLandInItsTenantAndAForgedTenantColumnIsCollectedWithNothingOfItsOrderWritten() {
        Order secret = ashlar.withTenant("42").createGraphs(BY_COLUMN.orders(), List.of(BY_COLUMN.order("same", 5)))
                .get(0);
        Ashlar attacker = ashlar.withTenant("7");

        attacker.createGraphs(BY_COLUMN.orders(), List.of(BY_COLUMN.order("b1", 1)));
        Order upserted = attacker.upsertGraphs(BY_COLUMN.orders(), List.of(BY_COLUMN.order("same", 2)),
                BY_COLUMN.number().updateAll()).get(0);
        BulkResult result = attacker.createGraphs(BY_COLUMN.orders(), List.of(BY_COLUMN.order("c1", 3),
                Manage.graph(new Order(null, "forged"), Manage.of(BY_COLUMN.lines()).createGraphs(List.of(
                        Manage.graph(new Line(null, "f"), Manage.of(FORGED).create(List.of(
                                new ForgedDetail(null, 4, 42L)))))))), Bulk.collectErrors());

        assertThat(upserted.id()).isNotEqualTo(secret.id());
        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(1);
            assertThat(f.error().errors().get(0).field()).isEqualTo("lines[0].details[0].org_id");
        });
        assertThat(db.query("SELECT o.org_id, o.number, l.sku, d.qty FROM org_orders o JOIN org_lines l "
                + "ON l.order_id = o.id JOIN org_details d ON d.line_id = l.id ORDER BY d.id")).containsExactly(
                Map.of("org_id", 42L, "number", "same", "sku", "same-1", "qty", 5),
                Map.of("org_id", 7L, "number", "b1", "sku", "b1-1", "qty", 1),
                Map.of("org_id", 7L, "number", "same", "sku", "same-1", "qty", 2),
                Map.of("org_id", 7L, "number", "c1", "sku", "c1-1", "qty", 3));
        assertThat(db.value("SELECT count(*) FROM org_orders WHERE number = 'forged'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM org_lines WHERE sku = 'f'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM org_details")).isEqualTo(4L);
    }

    @Test
    void aTenantSchemasTypedBulkWritesStayInItsSchemaAndAnUpsertOntoAnotherSchemasNumberCreatesItsOwn() {
        ashlar.withTenant("deep_acme").createGraphs(BY_SCHEMA.orders(), List.of(BY_SCHEMA.order("same", 5)));
        Ashlar globex = ashlar.withTenant("deep_globex");
        List<Map<String, Object>> acmeBefore = db.query("SELECT o.id, o.number, l.sku, d.qty FROM deep_acme.orders o "
                + "JOIN deep_acme.lines l ON l.order_id = o.id JOIN deep_acme.details d ON d.line_id = l.id");

        globex.upsertGraphs(BY_SCHEMA.orders(), List.of(BY_SCHEMA.order("same", 2)), BY_SCHEMA.number().updateAll());
        BulkResult result = globex.createGraphs(BY_SCHEMA.orders(), List.of(BY_SCHEMA.order("c1", 3),
                Manage.graph(new Order(null, "bad"), Manage.of(BY_SCHEMA.lines()).createGraphs(List.of(
                        Manage.graph(new Line(null, "x"), Manage.of(BY_SCHEMA.details()).create(List.of(
                                new Detail(null, null)))))))), Bulk.collectErrors());

        assertThat(result.errors()).extracting(f -> f.error().errors().get(0).field())
                .containsExactly("lines[0].details[0].qty");
        assertThat(db.query("SELECT o.id, o.number, l.sku, d.qty FROM deep_acme.orders o JOIN deep_acme.lines l "
                + "ON l.order_id = o.id JOIN deep_acme.details d ON d.line_id = l.id")).isEqualTo(acmeBefore);
        assertThat(db.query("SELECT o.number, l.sku, d.qty FROM deep_globex.orders o JOIN deep_globex.lines l "
                + "ON l.order_id = o.id JOIN deep_globex.details d ON d.line_id = l.id ORDER BY d.id"))
                .containsExactly(Map.of("number", "same", "sku", "same-1", "qty", 2),
                        Map.of("number", "c1", "sku", "c1-1", "qty", 3));
        assertThat(db.value("SELECT count(*) FROM deep_globex.orders WHERE number = 'bad'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM deep_globex.lines WHERE sku = 'x'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM deep_globex.details")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('public.orders')")).as("nothing in the main schema").isNull();
    }

    /** Every row of the orders, lines and details of the tables given ("org_" or a tenant's schema). */
    private List<Map<String, Object>> rows(String orders, String lines, String details) {
        return db.query("SELECT 'o' AS t, id, number AS v, NULL::int AS parent FROM " + orders + " UNION ALL "
                + "SELECT 'l', id, sku, order_id FROM " + lines + " UNION ALL SELECT 'd', id, qty::text, line_id FROM "
                + details + " ORDER BY 1, 2");
    }

    /**
     * The attacker names the victim's order, line or detail at every level of its own typed graphs (the victim's
     * second order, whose keys the attacker's own records lack): the top-level update, an appended line in a bulk
     * create, an appended detail under a new line; each is not found and no row of either tenant changes.
     */
    private void graphsNamingTheVictimsRecordsFindNone(Ashlar victim, Ashlar attacker, Orders set,
                                                       Supplier<List<Map<String, Object>>> all) {
        Order secret = victim.createGraphs(set.orders(), List.of(set.order("first", 4), set.order("secret", 5)))
                .get(1);
        attacker.createGraphs(set.orders(), List.of(set.order("own", 1)));
        List<Integer> victims = lineAndDetail(victim, set, secret);
        List<Map<String, Object>> before = all.get();

        assertThatThrownBy(() -> update(attacker, set, secret, victims.get(0), victims.get(1)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.createGraphs(set.orders(), List.of(
                Manage.graph(new Order(null, "steal"), Manage.of(set.lines()).append(List.of(victims.get(0)))),
                Manage.graph(new Order(null, "b1"), Manage.of(set.lines()).append(List.of()))),
                Bulk.collectErrors())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("with key " + victims.get(0));
        assertThatThrownBy(() -> attacker.createGraphs(set.orders(), List.of(Manage.graph(new Order(null, "steal"),
                Manage.of(set.lines()).createGraphs(List.of(Manage.graph(new Line(null, "x"),
                        Manage.of(set.details()).append(List.of(victims.get(1)))))))), Bulk.collectErrors()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("with key " + victims.get(1));
        assertThatThrownBy(() -> attacker.upsertGraphs(set.orders(), List.of(Manage.graph(new Order(null, "own"),
                Manage.of(set.lines()).appendAndRemove(List.of(victims.get(0))))), set.number().updateAll()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("with key " + victims.get(0));

        assertThat(all.get()).isEqualTo(before);
    }

    @Test
    void aTenantsTypedGraphsNamingAnotherTenantsOrderLineOrDetailAtAnyLevelFindNoneAndChangeNoRow() {
        graphsNamingTheVictimsRecordsFindNone(ashlar.withTenant("42"), ashlar.withTenant("7"), BY_COLUMN,
                () -> db.query("SELECT 'o' AS t, id, org_id, number AS v, NULL::int AS parent FROM org_orders "
                        + "UNION ALL SELECT 'l', id, org_id, sku, order_id FROM org_lines UNION ALL "
                        + "SELECT 'd', id, org_id, qty::text, line_id FROM org_details ORDER BY 1, 2"));
    }

    @Test
    void aTenantSchemasTypedGraphsNamingAnotherSchemasOrderLineOrDetailAtAnyLevelFindNoneAndChangeNoRow() {
        graphsNamingTheVictimsRecordsFindNone(ashlar.withTenant("deep_acme"), ashlar.withTenant("deep_globex"),
                BY_SCHEMA, () -> {
                    List<Map<String, Object>> both = new ArrayList<>(rows("deep_acme.orders",
                            "deep_acme.lines", "deep_acme.details"));
                    both.addAll(rows("deep_globex.orders", "deep_globex.lines", "deep_globex.details"));
                    return both;
                });
    }

    @Test
    void aForgedTenantColumnAtTheThirdLevelOfABulkBatchLeavesNoOrderLineOrDetailOfItsRecord() {
        Ashlar attacker = ashlar.withTenant("7");
        List<Map<String, Object>> before = rows("org_orders", "org_lines", "org_details");

        BulkResult result = attacker.createGraphs(BY_COLUMN.orders(), List.of(BY_COLUMN.order("k1", 1),
                Manage.graph(new Order(null, "forged"), Manage.of(BY_COLUMN.lines()).createGraphs(List.of(
                        Manage.graph(new Line(null, "f-ok"), Manage.of(BY_COLUMN.details()).create(List.of(
                                new Detail(null, 8)))),
                        Manage.graph(new Line(null, "f-bad"), Manage.of(FORGED).create(List.of(
                                new ForgedDetail(null, 9, 42L)))))))), Bulk.collectErrors().batchSize(2));

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(before).isEmpty();
        assertThat(db.query("SELECT org_id, number FROM org_orders")).containsExactly(
                Map.of("org_id", 7L, "number", "k1"));
        assertThat(db.query("SELECT org_id, sku FROM org_lines")).containsExactly(
                Map.of("org_id", 7L, "sku", "k1-1"));
        assertThat(db.query("SELECT org_id, qty FROM org_details")).containsExactly(Map.of("org_id", 7L, "qty", 1));
    }
}
