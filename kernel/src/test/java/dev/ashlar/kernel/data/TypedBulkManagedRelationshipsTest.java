package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Many typed records written with their related records in one call ({@code createGraphs}, {@code upsertGraphs}):
 * the string API's bulk managed writes, level by level when every management creates, with the same statements, the
 * same errors naming the place and the record, and {@link Bulk} collecting the refused records.
 */
class TypedBulkManagedRelationshipsTest extends DomainDatabaseTest {
    record Order(Integer id, String number) {
    }

    record Line(Integer id, String sku) {
    }

    record Detail(Integer id, Integer qty) {
    }

    record Customer(Integer id, String name) {
    }

    record Label(Integer id, String name) {
    }

    static final Table<Order> ORDERS = Table.of("order", Order.class);
    static final Table<Line> LINES = Table.of("line", Line.class);
    static final Table<Detail> DETAILS = Table.of("detail", Detail.class);
    static final Field<Order, String> NUMBER = ORDERS.attribute("number", Kind.TEXT);
    static final UniqueKey<Order> UNIQUE_NUMBER = ORDERS.identity("unique_number", NUMBER);
    static final Relation<Order, Line> ORDER_LINES = ORDERS.hasMany("lines", LINES);
    static final Relation<Line, Detail> LINE_DETAILS = LINES.hasMany("details", DETAILS);
    static final Relation<Order, Customer> ORDER_CUSTOMER = ORDERS.belongsTo("customer",
            Table.of("customer", Customer.class));
    static final Relation<Line, Label> LINE_LABELS = LINES.manyToMany("labels", Table.of("label", Label.class),
            r -> r.through("line_label"));

    TypedBulkManagedRelationshipsTest() {
        super(BulkManagedRelationshipsTest.DOMAIN);
    }

    @BeforeEach
    void emptied() {
        BulkManagedRelationshipsTest.populate(db);
    }

    /** Orders numbered from {@code prefix}, each with {@code lines} lines of one detail. */
    private static List<Manage.Graph<Order>> orders(String prefix, int count, int lines) {
        List<Manage.Graph<Order>> orders = new ArrayList<>();
        for (int o = 0; o < count; o++) {
            List<Manage.Graph<Line>> given = new ArrayList<>();
            for (int l = 0; l < lines; l++) {
                given.add(Manage.graph(new Line(null, "o" + o + "l" + l),
                        Manage.of(LINE_DETAILS).create(List.of(new Detail(null, o * 10 + l)))));
            }
            orders.add(Manage.graph(new Order(null, prefix + o), Manage.of(ORDER_LINES).createGraphs(given)));
        }
        return orders;
    }

    private static List<Map<String, Object>> byName(String prefix, int count, int lines) {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < count; o++) {
            List<Map<String, Object>> given = new ArrayList<>();
            for (int l = 0; l < lines; l++) {
                given.add(Map.of("sku", "o" + o + "l" + l, "details", List.of(Map.of("qty", o * 10 + l))));
            }
            orders.add(Map.of("number", prefix + o, "lines", given));
        }
        return orders;
    }

    private Object linesAndDetails(String prefix) {
        return db.value("SELECT count(*) FROM orders o JOIN lines l ON l.order_id = o.id JOIN details d "
                + "ON d.line_id = l.id WHERE o.number LIKE '" + prefix + "%' AND l.sku = 'o' || substr(o.number, "
                + (prefix.length() + 1) + ") || 'l' || l.position AND d.qty = substr(o.number, " + (prefix.length() + 1)
                + ")::int * 10 + l.position");
    }

    @Test
    void manyTypedOrdersAreCreatedLevelByLevelWithTheSameStatementsAsTheSameOrdersByName() {
        CountingDataSource counted = new CountingDataSource(db.dataSource());
        try (Ashlar counting = Ashlar.builder().dataSource(counted).domain(BulkManagedRelationshipsTest.DOMAIN)
                .build()) {
            counted.take();
            List<Order> created = counting.createGraphs(ORDERS, orders("T-", 300, 3));
            List<String> typed = counted.take();
            counting.createAll("order", byName("S-", 300, 3), Manage.relationship("lines").create(),
                    Manage.relationship("lines.details").create());
            List<String> byName = counted.take();

            assertThat(created).hasSize(300).extracting(Order::number).startsWith("T-0", "T-1").endsWith("T-299");
            assertThat(typed).as("an insert and a load per level, not per record").hasSizeLessThan(12)
                    .isEqualTo(byName);
        }
        assertThat(linesAndDetails("T-")).isEqualTo(900L);
        assertThat(linesAndDetails("S-")).isEqualTo(900L);
    }

    @Test
    void aTypedFailureOfOneNestedRecordNamesItsPlaceAndItsRecordAndWritesNothing() {
        List<Manage.Graph<Order>> orders = new ArrayList<>(orders("N-", 5, 2));
        orders.set(3, Manage.graph(new Order(null, "bad"), Manage.of(ORDER_LINES).createGraphs(List.of(
                Manage.graph(new Line(null, "a")), Manage.graph(new Line(null, "b"),
                        Manage.of(LINE_DETAILS).create(List.of(new Detail(null, 1), new Detail(null, null))))))));

        assertThatThrownBy(() -> ashlar.createGraphs(ORDERS, orders))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.errors()).extracting(error -> error.field()).containsExactly("lines[1].details[1].qty");
                    assertThat(e.getMessage()).contains("lines[1].details[1].qty is required (record 4 of 5)");
                });

        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM lines")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM details")).isEqualTo(1L);
    }

    @Test
    void aTypedUpsertDirectlyControlsTheStoredOrdersLinesAndCreatesTheNewOnesWithTheirDetails() {
        List<Order> upserted = ashlar.upsertGraphs(ORDERS, List.of(
                Manage.graph(new Order(null, "A-1"), Manage.of(ORDER_LINES).directControlGraphs(List.of(
                        Manage.graph(new Line(2, "kept")), Manage.graph(new Line(null, "new"),
                                Manage.of(LINE_DETAILS).create(List.of(new Detail(null, 5))))))),
                Manage.graph(new Order(null, "B-1"), Manage.of(ORDER_LINES).directControlGraphs(List.of(
                        Manage.graph(new Line(null, "b"), Manage.of(LINE_DETAILS).create(List.of(
                                new Detail(null, 6)))))))), UNIQUE_NUMBER.updateAll());

        assertThat(upserted).extracting(Order::number).containsExactly("A-1", "B-1");
        assertThat(upserted.get(0).id()).as("the stored order, updated").isEqualTo(1);
        assertThat(db.query("SELECT o.number, l.sku, l.position FROM orders o JOIN lines l ON l.order_id = o.id "
                + "ORDER BY o.id, l.position")).containsExactly(
                Map.of("number", "A-1", "sku", "kept", "position", 0),
                Map.of("number", "A-1", "sku", "new", "position", 1),
                Map.of("number", "B-1", "sku", "b", "position", 0));
        assertThat(db.query("SELECT l.sku, d.qty FROM details d JOIN lines l ON l.id = d.line_id ORDER BY d.id"))
                .as("line 1, left out, destroyed with its detail").containsExactly(Map.of("sku", "new", "qty", 5),
                        Map.of("sku", "b", "qty", 6));
    }

    @Test
    void aTypedBulkUpsertCollectsTheStoredOrderRefusedForADetailLeavingItsLinesAndWritesTheNewOneWithItsLines() {
        BulkResult result = ashlar.upsertGraphs(ORDERS, List.of(
                Manage.graph(new Order(null, "A-1"), Manage.of(ORDER_LINES).directControlGraphs(List.of(
                        Manage.graph(new Line(null, "lost"), Manage.of(LINE_DETAILS).create(List.of(
                                new Detail(null, null))))))),
                Manage.graph(new Order(null, "B-1"), Manage.of(ORDER_LINES).directControlGraphs(List.of(
                        Manage.graph(new Line(null, "b"), Manage.of(LINE_DETAILS).create(List.of(
                                new Detail(null, 6)))))))), UNIQUE_NUMBER.updateAll(), Bulk.collectErrors());

        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isZero();
            assertThat(failure.error().errors().get(0).field()).isEqualTo("lines[0].details[0].qty");
        });
        assertThat(result.rows(Order.class)).extracting(Order::number).containsExactly("B-1");
        assertThat(db.query("SELECT o.number, l.sku FROM orders o JOIN lines l ON l.order_id = o.id "
                + "ORDER BY l.id")).as("A-1's lines as they were").containsExactly(
                Map.of("number", "A-1", "sku", "old-1"), Map.of("number", "A-1", "sku", "old-2"),
                Map.of("number", "B-1", "sku", "b"));
        assertThat(db.value("SELECT count(*) FROM details")).isEqualTo(2L);
    }

    @Test
    void aTypedBulkCreateCollectsTheRefusedOrdersWithTheirPlacesAndWritesTheOthersWithTheirLines() {
        List<Manage.Graph<Order>> orders = new ArrayList<>(orders("N-", 5, 2));
        orders.set(1, Manage.graph(new Order(null, null), Manage.of(ORDER_LINES).createGraphs(List.of(
                Manage.graph(new Line(null, "lost"))))));
        orders.set(3, Manage.graph(new Order(null, "N-3"), Manage.of(ORDER_LINES).createGraphs(List.of(
                Manage.graph(new Line(null, "lost")), Manage.graph(new Line(null, "lost"),
                        Manage.of(LINE_DETAILS).create(List.of(new Detail(null, null))))))));

        BulkResult result = ashlar.createGraphs(ORDERS, orders, Bulk.collectErrors().batchSize(2));

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1, 3);
        assertThat(result.errors()).extracting(f -> f.error().errors().get(0).field())
                .containsExactly("number", "lines[1].details[0].qty");
        assertThat(result.rows(Order.class)).extracting(Order::number).containsExactly("N-0", "N-2", "N-4");
        assertThat(db.query("SELECT o.number, count(l.id) AS lines FROM orders o LEFT JOIN lines l "
                + "ON l.order_id = o.id GROUP BY o.number ORDER BY 1")).containsExactly(
                Map.of("number", "A-1", "lines", 2L), Map.of("number", "N-0", "lines", 2L),
                Map.of("number", "N-2", "lines", 2L), Map.of("number", "N-4", "lines", 2L));
        assertThat(db.value("SELECT count(*) FROM lines WHERE sku = 'lost'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM details")).isEqualTo(7L);
    }

    /** Every row of every table the orders reach, for a refused record to leave no part of itself anywhere. */
    private List<Map<String, Object>> everyLevel() {
        return db.query("SELECT 'o' AS t, count(*) AS n FROM orders UNION ALL SELECT 'c', count(*) FROM customers "
                + "UNION ALL SELECT 'l', count(*) FROM lines UNION ALL SELECT 'd', count(*) FROM details UNION ALL "
                + "SELECT 'b', count(*) FROM labels UNION ALL SELECT 'j', count(*) FROM line_labels ORDER BY 1");
    }

    /** An order with a new customer and one line with a new label and a detail of this quantity. */
    private static Manage.Graph<Order> withCustomerAndLabel(String number, Integer qty) {
        return Manage.graph(new Order(null, number), Manage.of(ORDER_CUSTOMER).create(new Customer(null, "c-" + number)),
                Manage.of(ORDER_LINES).createGraphs(List.of(Manage.graph(new Line(null, "l-" + number),
                        Manage.of(LINE_LABELS).create(List.of(new Label(null, "b-" + number))),
                        Manage.of(LINE_DETAILS).create(List.of(new Detail(null, qty)))))));
    }

    @Test
    void aBulkRecordRefusedForADetailLeavesNoCustomerLineLabelJoinRowOrDetailOfItsOwnAtAnyLevelInOrOutOfATransaction() {
        List<Map<String, Object>> before = everyLevel();

        BulkResult alone = ashlar.createGraphs(ORDERS, List.of(withCustomerAndLabel("R-0", null)),
                Bulk.collectErrors());
        assertThat(alone.errors()).extracting(f -> f.error().errors().get(0).field())
                .containsExactly("lines[0].details[0].qty");
        assertThat(everyLevel()).as("a batch of the refused record alone").isEqualTo(before);

        BulkResult result = ashlar.createGraphs(ORDERS, List.of(withCustomerAndLabel("K-0", 1),
                withCustomerAndLabel("R-1", null), withCustomerAndLabel("K-2", 2)), Bulk.collectErrors().batchSize(2));

        BulkResult inTransaction = ashlar.transaction(tx -> tx.createGraphs(ORDERS, List.of(
                withCustomerAndLabel("R-2", null), withCustomerAndLabel("K-3", 3)), Bulk.collectErrors()));

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(inTransaction.errors()).extracting(BulkResult.Failure::index).containsExactly(0);
        assertThat(db.query("SELECT o.number, c.name AS customer, l.sku, b.name AS label, d.qty FROM orders o "
                + "JOIN customers c ON c.id = o.customer_id JOIN lines l ON l.order_id = o.id JOIN line_labels j "
                + "ON j.line_id = l.id JOIN labels b ON b.id = j.label_id JOIN details d ON d.line_id = l.id "
                + "ORDER BY o.id")).containsExactly(
                Map.of("number", "K-0", "customer", "c-K-0", "sku", "l-K-0", "label", "b-K-0", "qty", 1),
                Map.of("number", "K-2", "customer", "c-K-2", "sku", "l-K-2", "label", "b-K-2", "qty", 2),
                Map.of("number", "K-3", "customer", "c-K-3", "sku", "l-K-3", "label", "b-K-3", "qty", 3));
        assertThat(db.query("SELECT count(*) AS n FROM customers WHERE name LIKE '%R-%' UNION ALL "
                + "SELECT count(*) FROM lines WHERE sku LIKE '%R-%' UNION ALL SELECT count(*) FROM labels "
                + "WHERE name LIKE '%R-%'")).as("no customer, line or label of a refused order")
                .extracting(r -> r.get("n")).containsExactly(0L, 0L, 0L);
        assertThat(db.value("SELECT count(*) FROM line_labels")).isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM details")).as("A-1's and the three kept").isEqualTo(4L);
    }

    @Test
    void aRelatedKeyNotFoundInTheSecondBatchOfTypedGraphsNamesTheInputIndexAndKeepsTheOrdersBeforeIt() {
        List<Manage.Graph<Order>> orders = new ArrayList<>();
        for (int o = 0; o < 5; o++) {
            orders.add(Manage.graph(new Order(null, "G-" + o), Manage.of(ORDER_LINES).append(o == 3 ? List.of(99)
                    : List.of())));
        }

        assertThatThrownBy(() -> ashlar.createGraphs(ORDERS, orders, Bulk.collectErrors().batchSize(2)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("The bulk write of 5 order records stopped at record 3: ")
                .hasMessageContaining("99").hasMessageContaining("(3 stored, 0 refused")
                .hasMessageContaining("records.subList(3, 5)");

        assertThat(db.query("SELECT number FROM orders ORDER BY id")).extracting(r -> r.get("number"))
                .containsExactly("A-1", "G-0", "G-1", "G-2");
    }
}
