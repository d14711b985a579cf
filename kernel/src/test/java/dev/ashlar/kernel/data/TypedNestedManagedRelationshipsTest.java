package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed form of related records nested inside related records: a {@link Manage.Graph} holds a typed record with
 * its own related records ({@code Manage.graph(line, Manage.of(LINE_DETAILS).create(details))}), written as the
 * string API writes the same graph of maps with a {@link Manage} per path, the same statements and the same errors.
 */
class TypedNestedManagedRelationshipsTest extends DomainDatabaseTest {
    record Order(Integer id, String number) {
    }

    record Line(Integer id, String sku) {
    }

    record Detail(Integer id, Integer qty) {
    }

    record Note(Integer id, String text) {
    }

    record Product(Integer id, String name) {
    }

    static final Table<Order> ORDERS = Table.of("order", Order.class);
    static final Table<Line> LINES = Table.of("line", Line.class);
    static final Table<Detail> DETAILS = Table.of("detail", Detail.class);
    static final Table<Note> NOTES = Table.of("note", Note.class);
    static final Table<Product> PRODUCTS = Table.of("product", Product.class);
    static final Relation<Order, Line> ORDER_LINES = ORDERS.hasMany("lines", LINES);
    static final Relation<Line, Detail> LINE_DETAILS = LINES.hasMany("details", DETAILS);
    static final Relation<Line, Product> LINE_PRODUCT = LINES.belongsTo("product", PRODUCTS);
    static final Relation<Detail, Note> DETAIL_NOTES = DETAILS.hasMany("notes", NOTES);
    static final Relation<Detail, Line> DETAIL_LINE = DETAILS.belongsTo("line", LINES);

    TypedNestedManagedRelationshipsTest() {
        super(NestedManagedRelationshipsTest.DOMAIN);
    }

    @BeforeEach
    void populated() {
        NestedManagedRelationshipsTest.populate(db);
    }

    private List<Map<String, Object>> everything() {
        return db.query("SELECT 'o' AS t, id, number AS v, NULL::int AS parent FROM orders UNION ALL "
                + "SELECT 'l', id, sku || ':' || lock_version || ':' || coalesce(product_id, 0), order_id FROM lines "
                + "UNION ALL SELECT 'd', id, qty::text, line_id FROM details UNION ALL "
                + "SELECT 'n', id, text, detail_id FROM notes UNION ALL "
                + "SELECT 'p', id, name, NULL FROM products ORDER BY 1, 2");
    }

    /** An order with two lines: the first with two details (the first with a note), the second with a new product. */
    private static Manage.Given<Order> linesOfAnOrder() {
        return Manage.of(ORDER_LINES).createGraphs(List.of(
                Manage.graph(new Line(null, "x"), Manage.of(LINE_DETAILS).createGraphs(List.of(
                        Manage.graph(new Detail(null, 4), Manage.of(DETAIL_NOTES).create(List.of(new Note(null, "n1")))),
                        Manage.graph(new Detail(null, 5))))),
                Manage.graph(new Line(null, "y"), Manage.of(LINE_PRODUCT).create(new Product(null, "M6 nut")))));
    }

    @Test
    void aTypedOrderIsCreatedWithItsLinesTheirDetailsNotesAndProductsEachTakingTheNewKeys() {
        Order order = ashlar.create(ORDERS, new Order(null, "B-2"), linesOfAnOrder());

        assertThat(order).isEqualTo(new Order(2, "B-2"));
        assertThat(db.query("SELECT l.sku, d.qty, n.text, p.name FROM lines l LEFT JOIN details d ON d.line_id = l.id "
                + "LEFT JOIN notes n ON n.detail_id = d.id LEFT JOIN products p ON p.id = l.product_id "
                + "WHERE l.order_id = 2 ORDER BY l.id, d.id")).extracting(r -> r.get("sku") + "/" + r.get("qty") + "/"
                + r.get("text") + "/" + r.get("name")).containsExactly("x/4/n1/null", "x/5/null/null",
                "y/null/null/M6 nut");
    }

    @Test
    void aTypedNestedCreateSendsTheSameStatementsAsTheSameGraphGivenByName() {
        CountingDataSource counted = new CountingDataSource(db.dataSource());
        try (Ashlar counting = Ashlar.builder().dataSource(counted).domain(NestedManagedRelationshipsTest.DOMAIN)
                .build()) {
            counted.take();
            counting.create(ORDERS, new Order(null, "T-1"), linesOfAnOrder());
            List<String> typed = counted.take();
            counting.create("order", Map.of("number", "S-1", "lines", List.of(
                            Map.of("sku", "x", "details", List.of(Map.of("qty", 4, "notes", List.of(Map.of("text", "n1"))),
                                    Map.of("qty", 5))),
                            Map.of("sku", "y", "product", Map.of("name", "M6 nut")))),
                    Manage.relationship("lines").create(), Manage.relationship("lines.details").create(),
                    Manage.relationship("lines.details.notes").create(), Manage.relationship("lines.product").create());
            List<String> byName = counted.take();

            assertThat(typed).hasSizeGreaterThan(5).isEqualTo(byName);
        }
        assertThat(db.query("SELECT o.number, count(*) AS n FROM orders o JOIN lines l ON l.order_id = o.id "
                + "JOIN details d ON d.line_id = l.id JOIN notes n ON n.detail_id = d.id GROUP BY o.number ORDER BY 1"))
                .containsExactly(Map.of("number", "S-1", "n", 1L), Map.of("number", "T-1", "n", 1L));
    }

    @Test
    void aTypedInnerDirectControlUpdatesCreatesAndDestroysTheDetailsOfTheLineGiven() {
        Order order = ashlar.get(ORDERS, 1);

        ashlar.update(ORDERS, order, Manage.of(ORDER_LINES).directControlGraphs(List.of(
                Manage.graph(new Line(1, "s1b"), Manage.of(LINE_DETAILS).directControlGraphs(List.of(
                        Manage.graph(new Detail(1, 10)), Manage.graph(new Detail(null, 11))))),
                Manage.graph(new Line(2, null)))));

        assertThat(db.query("SELECT id, qty, line_id FROM details ORDER BY id")).containsExactly(
                Map.of("id", 1, "qty", 10, "line_id", 1), Map.of("id", 3, "qty", 3, "line_id", 2),
                Map.of("id", 4, "qty", 11, "line_id", 1));
        assertThat(db.query("SELECT id, sku, lock_version FROM lines ORDER BY id")).containsExactly(
                Map.of("id", 1, "sku", "s1b", "lock_version", 2), Map.of("id", 2, "sku", "s2", "lock_version", 1));
    }

    @Test
    void aDetailIsCreatedWithANewLineThatHasANewProductThroughOneTypedGraph() {
        Detail detail = ashlar.create(DETAILS, new Detail(null, 9), Manage.of(DETAIL_LINE).create(
                Manage.graph(new Line(null, "z"), Manage.of(LINE_PRODUCT).create(new Product(null, "washer")))));

        assertThat(db.query("SELECT d.qty, l.sku, p.name FROM details d JOIN lines l ON l.id = d.line_id "
                + "JOIN products p ON p.id = l.product_id WHERE d.id = " + detail.id()))
                .containsExactly(Map.of("qty", 9, "sku", "z", "name", "washer"));
    }

    @Test
    void aTypedFailureAtTheThirdLevelNamesTheFullPlaceAndWritesNothing() {
        List<Map<String, Object>> before = everything();

        assertThatThrownBy(() -> ashlar.create(ORDERS, new Order(null, "C-3"), Manage.of(ORDER_LINES).createGraphs(
                List.of(Manage.graph(new Line(null, "x")),
                Manage.graph(new Line(null, "y"), Manage.of(LINE_DETAILS).createGraphs(List.of(Manage.graph(
                        new Detail(null, 1), Manage.of(DETAIL_NOTES).create(List.of(new Note(null, null)))))))))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.errors()).extracting(error -> error.field())
                            .contains("lines[1].details[0].notes[0].text");
                    assertThat(e.getMessage()).contains("lines[1].details[0].notes[0].text is required");
                });

        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aPathManagedTwoWaysAtAnyLevelOrARelationshipGivenTwiceIsRefusedNamingTheResourceBeforeAnyWrite() {
        List<Map<String, Object>> before = everything();

        assertThatThrownBy(() -> ashlar.update(ORDERS, new Order(1, "A-1"), Manage.of(ORDER_LINES).directControlGraphs(
                List.of(Manage.graph(new Line(1, "s1"), Manage.of(LINE_DETAILS).create(List.of(new Detail(null, 7)))),
                        Manage.graph(new Line(2, "s2"), Manage.of(LINE_DETAILS).directControl(List.of()))))))
                .isInstanceOf(QueryException.class).hasMessageContaining("'lines.details' is managed as CREATE by one "
                        + "record and as DIRECT_CONTROL by another of the line records given");
        assertThatThrownBy(() -> ashlar.createGraphs(ORDERS, List.of(
                Manage.graph(new Order(null, "M-1"), Manage.of(ORDER_LINES).create(List.of(new Line(null, "x")))),
                Manage.graph(new Order(null, "M-2"), Manage.of(ORDER_LINES).append(List.of(2))))))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.resource()).contains("order");
                    assertThat(e.field()).contains("lines");
                    assertThat(e.getMessage()).contains("'lines' is managed as CREATE by one record and as APPEND by "
                            + "another of the order records given", "give them the same management");
                });
        assertThatThrownBy(() -> Manage.graph(new Line(null, "x"), Manage.of(LINE_DETAILS).create(List.of()),
                Manage.of(LINE_DETAILS).create(List.of())).values(LINES))
                .isInstanceOf(QueryException.class).hasMessageContaining("gives 'details' twice");

        assertThat(everything()).isEqualTo(before);
    }
}
