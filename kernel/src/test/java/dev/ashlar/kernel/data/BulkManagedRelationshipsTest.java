package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Many records written with related records in one call: {@code createAll} of orders with their customer, lines,
 * the lines' labels and details (Hibernate's cascading {@code persist} of many graphs, Ash's bulk create with
 * {@code manage_relationship}), level by level in few statements; and upserts whose related records are written once
 * the upserted record's key is known (Ash's {@code bulk_upsert_managed_relationship}).
 */
class BulkManagedRelationshipsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("bulk_managed")
            .resource(Resource.builder("customer").table("customers").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).build())
            .resource(Resource.builder("order").table("orders").integerPrimaryKey("id")
                    .attribute("number", TEXT, a -> a.notNull()).identity("unique_number", "number")
                    .belongsTo("customer", "customer")
                    .hasMany("lines", "line", r -> r.orderColumn("position")).build())
            .resource(Resource.builder("line").table("lines").integerPrimaryKey("id")
                    .attribute("sku", TEXT, a -> a.notNull()).attribute("position", INTEGER)
                    .belongsTo("order", "order").hasMany("details", "detail")
                    .manyToMany("labels", "label", r -> r.through("line_label")).build())
            .resource(Resource.builder("detail").table("details").integerPrimaryKey("id")
                    .attribute("qty", INTEGER, a -> a.notNull()).belongsTo("line", "line").build())
            .resource(Resource.builder("label").table("labels").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).build())
            .resource(Resource.builder("line_label").table("line_labels").integerPrimaryKey("id")
                    .belongsTo("line", "line").belongsTo("label", "label").build())
            .build();
    static final Manage LINES = Manage.relationship("lines").create();
    static final Manage DETAILS = Manage.relationship("lines.details").create();

    BulkManagedRelationshipsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void emptied() {
        populate(db);
    }

    /** Order A-1 with lines old-1 (detail 1) and old-2. */
    static void populate(TestDatabase db) {
        db.execute("TRUNCATE customers, orders, lines, details, labels, line_labels RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO orders (number) VALUES ('A-1')");
        db.execute("INSERT INTO lines (sku, order_id, position) VALUES ('old-1', 1, 0), ('old-2', 1, 1)");
        db.execute("INSERT INTO details (qty, line_id) VALUES (1, 1)");
    }

    private List<Map<String, Object>> rows(String sql) {
        return db.query(sql);
    }

    private static List<Map<String, Object>> orders(int count, int lines) {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < count; o++) {
            List<Map<String, Object>> given = new ArrayList<>();
            for (int l = 0; l < lines; l++) {
                given.add(Map.of("sku", "o" + o + "l" + l, "details", List.of(Map.of("qty", o * 10 + l))));
            }
            orders.add(Map.of("number", "N-" + o, "lines", given));
        }
        return orders;
    }

    @Test
    void manyOrdersAreCreatedWithTheirLinesAndDetailsOneStatementPerLevel() {
        AtomicInteger statements = new AtomicInteger();
        try (Ashlar counted = Ashlar.builder().dataSource(counting(db.dataSource(), statements)).domain(DOMAIN)
                .build()) {
            statements.set(0);
            List<Row> created = counted.createAll("order", orders(300, 3), LINES, DETAILS);

            assertThat(created).hasSize(300);
            assertThat(created.get(299).related("lines")).extracting(l -> l.get("sku") + ":"
                    + l.related("details").get(0).get("qty")).containsExactly("o299l0:2990", "o299l1:2991",
                    "o299l2:2992");
            assertThat(statements.get()).as("an insert per level and a load per level, not per record")
                    .isLessThan(12);
        }
        assertThat(rows("SELECT count(*) AS n, count(DISTINCT o.id) AS orders FROM orders o JOIN lines l "
                + "ON l.order_id = o.id JOIN details d ON d.line_id = l.id WHERE o.number LIKE 'N-%' "
                + "AND l.sku = 'o' || substr(o.number, 3) || 'l' || l.position AND d.qty = substr(o.number, 3)::int "
                + "* 10 + l.position")).containsExactly(Map.of("n", 900L, "orders", 300L));
    }

    @Test
    void aCustomerGivenWithEachOrderIsCreatedFirstAndLabelsAreLinkedThroughJoinRecords() {
        List<Row> created = ashlar.createAll("order", List.of(
                        Map.of("number", "C-1", "customer", Map.of("name", "Ada"),
                                "lines", List.of(Map.of("sku", "x", "labels", List.of(Map.of("name", "cold"))))),
                        Map.of("number", "C-2", "customer", Map.of("name", "Bob"), "lines", List.of())),
                Manage.relationship("customer").create(), LINES, Manage.relationship("lines.labels").create());

        assertThat(rows("SELECT o.number, c.name FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY 1"))
                .containsExactly(Map.of("number", "C-1", "name", "Ada"), Map.of("number", "C-2", "name", "Bob"));
        assertThat(rows("SELECT l.sku, b.name FROM lines l JOIN line_labels j ON j.line_id = l.id "
                + "JOIN labels b ON b.id = j.label_id")).containsExactly(Map.of("sku", "x", "name", "cold"));
        assertThat(created.get(0).relatedOne("customer")).map(c -> c.get("name")).contains("Ada");
    }

    @Test
    void aFailureOfOneNestedRecordNamesItsPlaceAndItsRecordAndWritesNothing() {
        List<Map<String, Object>> orders = new ArrayList<>(orders(5, 2));
        orders.set(3, Map.of("number", "bad", "lines", List.of(Map.of("sku", "a"),
                Map.of("sku", "b", "details", List.of(Map.of("qty", 1), Map.of())))));

        assertThatThrownBy(() -> ashlar.createAll("order", orders, LINES, DETAILS))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.errors()).extracting(error -> error.field()).containsExactly("lines[1].details[1].qty");
                    assertThat(e.getMessage()).contains("(record 4 of 5)");
                });

        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM details")).isEqualTo(1L);
    }

    @Test
    void managementsThatReadRelatedRecordsAreWrittenRecordByRecordAndAKeyNotFoundNamesItsRecord() {
        ashlar.createAll("order", List.of(Map.of("number", "D-1", "lines", List.of(1)),
                Map.of("number", "D-2", "lines", List.of(Map.of("id", 2)))), Manage.relationship("lines").append());

        assertThat(rows("SELECT l.sku, o.number FROM lines l JOIN orders o ON o.id = l.order_id ORDER BY l.id"))
                .containsExactly(Map.of("sku", "old-1", "number", "D-1"), Map.of("sku", "old-2", "number", "D-2"));
        assertThatThrownBy(() -> ashlar.createAll("order", List.of(Map.of("number", "D-3", "lines", List.of(1)),
                        Map.of("number", "D-4", "lines", List.of(99))), Manage.relationship("lines").append()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("order.lines[0]")
                .hasMessageContaining("no line with key 99").hasMessageContaining("(record 2 of 2)");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(3L);
        assertThat(db.value("SELECT order_id FROM lines WHERE id = 1")).isEqualTo(2);
    }

    @Test
    void anUpsertWritesEachRecordsLinesOnceItsKeyIsKnownUpdatedOrInserted() {
        List<Row> upserted = ashlar.upsert("order", List.of(
                        Map.of("number", "A-1", "lines", List.of(Map.of("id", 2, "sku", "kept"),
                                Map.of("sku", "new", "details", List.of(Map.of("qty", 5))))),
                        Map.of("number", "B-1", "lines", List.of(Map.of("sku", "b", "details",
                                List.of(Map.of("qty", 6)))))),
                Upsert.on("unique_number"), Manage.relationship("lines").directControl(),
                Manage.relationship("lines.details").create());

        assertThat(upserted).extracting(o -> o.get("number")).containsExactly("A-1", "B-1");
        assertThat(upserted.get(0).get("id")).isEqualTo(1);
        assertThat(rows("SELECT o.number, l.sku, l.position FROM orders o JOIN lines l ON l.order_id = o.id "
                + "ORDER BY o.id, l.position")).containsExactly(
                Map.of("number", "A-1", "sku", "kept", "position", 0),
                Map.of("number", "A-1", "sku", "new", "position", 1),
                Map.of("number", "B-1", "sku", "b", "position", 0));
        assertThat(rows("SELECT l.sku, d.qty FROM details d JOIN lines l ON l.id = d.line_id ORDER BY d.id"))
                .as("line 1, left out, destroyed with its detail").containsExactly(Map.of("sku", "new", "qty", 5),
                        Map.of("sku", "b", "qty", 6));
        assertThat(upserted.get(0).related("lines")).extracting(l -> l.get("sku")).containsExactly("kept", "new");
    }

    @Test
    void anUpsertOfOneRecordWithItsLinesUpdatesTheStoredOne() {
        Row order = ashlar.upsert("order", Map.of("number", "A-1", "lines", List.of(Map.of("sku", "more"))),
                Upsert.on("unique_number"), Manage.relationship("lines").create());

        assertThat(order.get("id")).isEqualTo(1);
        assertThat(rows("SELECT sku, position FROM lines WHERE order_id = 1 ORDER BY position")).containsExactly(
                Map.of("sku", "old-1", "position", 0), Map.of("sku", "old-2", "position", 1),
                Map.of("sku", "more", "position", 2));
    }

    @Test
    void anUpsertThatLeavesStoredRecordsOutIsRefusedUnlessItReturnsThem() {
        Map<String, Object> order = Map.of("number", "A-1", "lines", List.of(Map.of("sku", "more")));

        assertThatThrownBy(() -> ashlar.upsert("order", order, Upsert.on("unique_number").doNothing(), LINES))
                .isInstanceOf(QueryException.class).hasMessageContaining("returnSkipped()");
        ashlar.upsert("order", order, Upsert.on("unique_number").doNothing().returnSkipped(), LINES);

        assertThat(db.value("SELECT count(*) FROM lines WHERE order_id = 1")).isEqualTo(3L);
    }

    @Test
    void anUpsertKeepingAStoredRecordBeforeANewOneGivesEachRecordsLinesToItsOwnOrderInInputOrder() {
        List<Row> upserted = ashlar.upsert("order", List.of(
                        Map.of("number", "A-1", "lines", List.of(Map.of("sku", "for-a"))),
                        Map.of("number", "B-1", "lines", List.of(Map.of("sku", "for-b")))),
                Upsert.on("unique_number").doNothing().returnSkipped(), LINES);

        assertThat(upserted).extracting(o -> o.get("number")).containsExactly("A-1", "B-1");
        assertThat(upserted.get(1).related("lines")).extracting(l -> l.get("sku")).containsExactly("for-b");
        assertThat(rows("SELECT o.number, l.sku FROM orders o JOIN lines l ON l.order_id = o.id "
                + "WHERE l.sku LIKE 'for-%' ORDER BY l.id")).containsExactly(
                Map.of("number", "A-1", "sku", "for-a"), Map.of("number", "B-1", "sku", "for-b"));
    }

    @Test
    void anUpsertMeetingAnOrderTheActorMayNotUpdateIsRefusedAndNeitherItsLinesNorTheOthersAreWritten() {
        Policy orders = Policy.on("order").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW)
                .update(actor -> Filter.eq("customer_id", actor.id())).destroy(Policy.EVERY_ROW);
        List<Map<String, Object>> lines = rows("SELECT id, sku, order_id FROM lines ORDER BY id");
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).policies(orders).build()) {
            Ashlar attacker = policed.withUser(2L);

            assertThatThrownBy(() -> attacker.upsert("order", List.of(
                            Map.of("number", "A-1", "lines", List.of(Map.of("sku", "planted"))),
                            Map.of("number", "B-1", "lines", List.of(Map.of("sku", "b")))),
                    Upsert.on("unique_number"), Manage.relationship("lines").directControl()))
                    .isInstanceOf(AshlarException.class).hasMessageContaining("number=A-1");
        }

        assertThat(rows("SELECT id, sku, order_id FROM lines ORDER BY id")).as("order 1's lines untouched")
                .isEqualTo(lines);
        assertThat(rows("SELECT number FROM orders")).containsExactly(Map.of("number", "A-1"));
    }

    @Test
    void anUpsertRefusesADirectControlOfItsBelongsToWhoseStoredParentItCannotKnowAndWritesNothing() {
        db.execute("INSERT INTO customers (name) VALUES ('old')");
        db.execute("UPDATE orders SET customer_id = 1");

        assertThatThrownBy(() -> ashlar.upsert("order", Map.of("number", "A-1", "customer", Map.of("name", "new")),
                Upsert.on("unique_number"), Manage.relationship("customer").directControl()))
                .isInstanceOf(QueryException.class).hasMessageContaining("belongs-to 'customer'")
                .hasMessageContaining("create(), append() or appendAndRemove()");

        assertThat(rows("SELECT o.number, c.name FROM orders o JOIN customers c ON c.id = o.customer_id"))
                .containsExactly(Map.of("number", "A-1", "name", "old"));
        assertThat(db.value("SELECT count(*) FROM customers")).isEqualTo(1L);
    }

    /** A data source whose statements count each execution. */
    static DataSource counting(DataSource delegate, AtomicInteger statements) {
        return proxy(DataSource.class, delegate, statements);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object delegate, AtomicInteger statements) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            if (method.getName().startsWith("execute") && delegate instanceof Statement) {
                statements.incrementAndGet();
            }
            Object result;
            try {
                result = method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection c && !method.getName().equals("unwrap")) {
                return proxy(Connection.class, c, statements);
            }
            if (result instanceof Statement s && method.getReturnType().isInterface()) {
                return proxy((Class<Statement>) method.getReturnType(), s, statements);
            }
            return result;
        });
    }
}
