package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Nested;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.data.EbeanShop.OrderStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * More of Ebean's tests ({@code org.tests.el}, {@code org.tests.json}, {@code org.tests.rawsql},
 * {@code org.tests.query.orderby}, {@code org.tests.update}) restated on the rows of Ebean's {@code ResetBasicData}
 * ({@link EbeanShop}).
 */
class EbeanSuite2QueryParityTest extends DomainDatabaseTest {

    record CustomerRef(Integer id, String name) {
    }

    record OrderWithCustomer(Integer id, OrderStatus status, @Nested("customer") CustomerRef customer) {
    }

    record OrderTotal(Integer orderId, BigDecimal total) {
    }

    EbeanSuite2QueryParityTest() {
        super(EbeanShop.DOMAIN);
    }

    @BeforeEach
    void reset() {
        EbeanShop.reset(db);
        db.execute("INSERT INTO e_document (content, tags, codes) VALUES "
                + "('{\"title\": \"Rob\", \"count\": 3, \"meta\": {\"draft\": true}}', '{red,blue}', '{1,5}'), "
                + "('{\"title\": \"Fiona\", \"count\": 12}', '{}', '{2}'), "
                + "('{\"title\": \"none\"}', '{blue}', '{}')");
    }

    private List<Integer> orderIds(dev.ashlar.api.query.Filter filter) {
        return ashlar.read("order").where(filter).sort(Sort.asc("id")).values("id", Integer.class);
    }

    private List<Integer> documentIds(dev.ashlar.api.query.Filter filter) {
        return ashlar.read("document").where(filter).sort(Sort.asc("id")).values("id", Integer.class);
    }

    /** {@code TestInRange}: {@code inRange(prop, low, high)} takes the low bound and leaves out the high one. */
    @Test
    void inRangeTakesTheLowBoundAndLeavesOutTheHighOne() {
        assertThat(orderIds(and(gte("order_date", LocalDate.of(2024, 1, 11)),
                lt("order_date", LocalDate.of(2024, 3, 5))))).containsExactly(2, 3);
    }

    /** {@code TestBitwiseExpressions}: {@code bitwiseAnd("qty", 1, 1)}, the odd quantities, as SQL of the columns. */
    @Test
    void aBitwiseAndOfAColumnIsWrittenAsSqlOfItsColumn() {
        assertThat(ashlar.read("order_detail").where(sql("(order_qty & ?) = ?", 1, 1)).sort(Sort.asc("id"))
                .values("id", Integer.class)).containsExactly(1, 2, 3, 4, 6, 7);
        assertThat(ashlar.read("order_detail").where(sql("(order_qty & ?) <> 0", 2)).count()).isEqualTo(2);
    }

    /** {@code TestDbArray_basic} on integers: {@code arrayContains}, {@code arrayIsEmpty}, {@code arrayIsNotEmpty}. */
    @Test
    void integerArraysAreFoundByAnElementAndByBeingEmpty() {
        assertThat(documentIds(contains("codes", 5))).containsExactly(1);
        assertThat(documentIds(eq("codes", List.of()))).containsExactly(3);
        assertThat(documentIds(dev.ashlar.api.query.Filter.not(eq("tags", List.of())))).containsExactly(1, 3);
    }

    /**
     * {@code TestJsonExpressions}: {@code jsonEqualTo}, {@code jsonExists}, {@code jsonGreaterThan} and
     * {@code jsonNotExists} on paths of a {@code @DbJson} column.
     */
    @Test
    void jsonPathsAreComparedAndTestedForPresence() {
        assertThat(documentIds(eq("content.title", "Fiona"))).containsExactly(2);
        assertThat(documentIds(notNil("content.meta.draft"))).containsExactly(1);
        assertThat(documentIds(gt("content.count", 5))).containsExactly(2);
        assertThat(documentIds(dev.ashlar.api.query.Filter.isNil("content.count"))).containsExactly(3);
    }

    /** {@code TestQueryDistinct}'s {@code setDistinct(true).select("customer").findCount()}: distinct values counted. */
    @Test
    void findCountOfADistinctSelectCountsEachValueOnce() {
        assertThat(ashlar.read("order").countDistinct("customer_id")).isEqualTo(3);
        assertThat(ashlar.read("order").distinct("customer_id").list()).hasSize(3);
        assertThat(ashlar.read("order").count()).isEqualTo(4);
    }

    /** {@code TestQuerySelectFunction}: {@code select("max(orderDate)")} and a concatenation as a computed field. */
    @Test
    void selectWithAFunctionReadsAMaximumAndAConcatenation() {
        assertThat(ashlar.read("order").where(eq("customer_id", 1)).max("order_date"))
                .isEqualTo(LocalDate.of(2024, 1, 11));
        assertThat(ashlar.read("customer").calculate("label", String.class, "concat(name, ?, status)", "-")
                .sort(Sort.asc("id")).values("label", String.class))
                .containsExactly("Rob-A", "Cust NoAddress-N", "Fiona-A", "NocCust-I");
    }

    /**
     * {@code TestQueryFetchJoinWithMaxRows}: {@code setMaxRows(2)} with {@code fetch("orders")} pages over customers,
     * not over joined rows, and each customer keeps all its orders.
     */
    @Test
    void maxRowsWithAFetchOfAToManyPagesOverTheParents() {
        List<Row> customers = ashlar.read("customer").load("orders").sort(Sort.asc("id")).limit(2).list();

        assertThat(customers).extracting(c -> c.getString("name")).containsExactly("Rob", "Cust NoAddress");
        assertThat(customers.get(0).related("orders")).extracting(o -> o.getInteger("id"))
                .containsExactlyInAnyOrder(1, 2);
        assertThat(customers.get(1).related("orders")).hasSize(1);
    }

    /** {@code TestOrderByWithFunction}: {@code orderBy("coalesce(shipDate, orderDate) desc")}, an expression. */
    @Test
    void ordersSortByAFunctionOfTheirColumns() {
        assertThat(ashlar.read("order").sort(Sort.descBy(sql("coalesce(ship_date, order_date)")))
                .values("id", Integer.class)).containsExactly(4, 3, 2, 1);
        assertThat(ashlar.read("customer").sort(Sort.ascBy(sql("length(name)")), Sort.asc("id"))
                .values("name", String.class)).containsExactly("Rob", "Fiona", "NocCust", "Cust NoAddress");
    }

    /**
     * {@code TestRawSqlOrmQuery}, {@code TestRawSqlColumnMapping}: a raw join mapped onto an object with a nested
     * customer by its column prefix ({@code columnMapping("c.name", "customer.name")}).
     */
    @Test
    void rawSqlMapsAJoinOntoAnObjectWithANestedCustomer() {
        List<OrderWithCustomer> orders = ashlar.sql("SELECT o.id, o.status, c.id AS customer_id, c.name AS "
                + "customer_name FROM o_order o JOIN o_customer c ON c.id = o.customer_id WHERE o.id > ? "
                + "ORDER BY c.name, o.id", 1).strict().list(OrderWithCustomer.class);

        assertThat(orders).containsExactly(
                new OrderWithCustomer(4, OrderStatus.COMPLETE, new CustomerRef(2, "Cust NoAddress")),
                new OrderWithCustomer(3, OrderStatus.SHIPPED, new CustomerRef(3, "Fiona")),
                new OrderWithCustomer(2, OrderStatus.APPROVED, new CustomerRef(1, "Rob")));
    }

    /** {@code TestRawSqlUnparsedQuery}, {@code RawSqlBuilder.unparsed(...)}: an aggregate query onto a DTO. */
    @Test
    void rawSqlOfAnAggregateMapsOntoADto() {
        List<OrderTotal> totals = ashlar.sql("SELECT order_id, sum(order_qty * unit_price) AS total "
                + "FROM o_order_detail GROUP BY order_id HAVING sum(order_qty * unit_price) > ? ORDER BY order_id",
                new BigDecimal("10")).list(OrderTotal.class);

        assertThat(totals).containsExactly(new OrderTotal(1, new BigDecimal("57.80")),
                new OrderTotal(4, new BigDecimal("108.99")));
    }

    /**
     * {@code TestUpdateQuery.update_setRaw}, {@code asUpdate()}: {@code set("status", ...)} beside
     * {@code setRaw("shipDate = orderDate + 1")} on the rows a query selects.
     */
    @Test
    void anUpdateByQuerySetsAValueAndARawExpressionTogether() {
        List<Row> updated = ashlar.read("order").where(eq("status", OrderStatus.NEW)).updateAll(
                Map.of("status", OrderStatus.APPROVED, "ship_date", Atomic.sql("order_date + 1")));

        assertThat(updated).extracting(r -> r.getInteger("id")).containsExactly(1);
        assertThat(db.query("SELECT status, ship_date::text AS ship FROM o_order WHERE id = 1").get(0))
                .containsEntry("status", "APPROVED").containsEntry("ship", "2024-01-11");
        assertThat(db.query("SELECT count(*) AS n FROM o_order WHERE status = 'APPROVED'").get(0))
                .containsEntry("n", 2L);
    }
}
