package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A read whose rows come from a statement written by hand ({@code read("order").from(sql, values)}, Ebean's
 * {@code setRawSql(RawSqlBuilder.parse(...))} with a where, orderBy and maxRows added, jOOQ's CTE and LATERAL as a
 * read): the read's filters, sorts, pages, counts, aggregates and loads apply to the statement's rows.
 */
class SqlSourceReadTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("sql_sources")
            .resource(Resource.builder("customer").table("src_customers").bigintPrimaryKey("id")
                    .attribute("name", TEXT).attribute("vip", BOOLEAN).hasMany("orders", "order").build())
            .resource(Resource.builder("order").table("src_orders").bigintPrimaryKey("id")
                    .attribute("status", TEXT).attribute("total", INTEGER)
                    .belongsTo("customer", "customer").belongsTo("parent", "order").hasMany("lines", "line")
                    .count("line_count", "lines").build())
            .resource(Resource.builder("line").table("src_lines").bigintPrimaryKey("id")
                    .attribute("qty", INTEGER).attribute("sku", TEXT).belongsTo("order", "order").build())
            .build();

    record Order(Long id, String status, Integer total) {
        static final Table<Order> ORDERS = Table.of("order", Order.class);
        static final Field<Order, Long> ID = ORDERS.bigintPrimaryKey("id");
        static final Field<Order, Integer> TOTAL = ORDERS.attribute("total", Kind.INTEGER);
    }

    /** Every order's columns, as the table names them. */
    private static final String ORDERS = "SELECT o.id, o.status, o.total, o.customer_id, o.parent_id FROM src_orders o";

    SqlSourceReadTest() {
        super(DOMAIN);
    }

    /**
     * Ada (vip) has orders 1 (10, paid), 2 (250, paid), 5 (40, open); Bob has 3 (500, paid), 4 (80, open). Lines:
     * order 1 two of 1 and 2, order 2 one of 7, order 3 one of 3.
     */
    @BeforeEach
    void rows() {
        db.execute("TRUNCATE src_customers, src_orders, src_lines RESTART IDENTITY");
        db.execute("INSERT INTO src_customers (name, vip) VALUES ('Ada', true), ('Bob', false)");
        db.execute("INSERT INTO src_orders (status, total, customer_id) VALUES ('paid', 10, 1), ('paid', 250, 1), "
                + "('paid', 500, 2), ('open', 80, 2), ('open', 40, 1)");
        db.execute("INSERT INTO src_lines (qty, sku, order_id) VALUES (1, 'a', 1), (2, 'b', 1), (7, 'c', 2), "
                + "(3, 'd', 3)");
    }

    @Test
    void aJoinStatementWithAWhereAnOrderAndMaxRowsAddedKeepsOnlyTheRowsOfBoth() {
        // Ebean: setRawSql(parse("select o.* from o_order o join o_customer c ...")).where().gt("id", 1)
        //        .orderBy("id desc").setMaxRows(2)
        List<Row> rows = ashlar.read("order")
                .from("SELECT o.* FROM src_orders o JOIN src_customers c ON c.id = o.customer_id WHERE c.vip")
                .where(gt("id", 1)).sort(Sort.desc("id")).limit(2).list();

        assertThat(rows).extracting(row -> row.get("id")).containsExactly(5L, 2L);
        assertThat(rows.get(0).get("status")).isEqualTo("open");
        assertThat(rows.get(0).get("total")).isEqualTo(40);
    }

    @Test
    void theStatementsMarksAreBoundInOrderBeforeTheReadsOwnValues() {
        List<Row> rows = ashlar.read("order").from(ORDERS + " WHERE o.total > ? AND o.status <> ?", 30, "void")
                .where(eq("status", "paid")).sort(Sort.asc("id")).offset(1).limit(5).list();

        assertThat(rows).extracting(row -> row.get("id")).containsExactly(3L);
        assertThat(ashlar.read("order").from(ORDERS + " WHERE o.total > ?", 30).where(in("status", List.of("open")))
                .sort(Sort.asc("total")).values("total", Integer.class)).containsExactly(40, 80);
    }

    @Test
    void anAggregateStatementMapsItsComputedValuesOntoTheResourcesFields() {
        // Ebean's unmapped aggregate: select order_id, sum(qty) ... group by order_id mapped onto an entity
        String totals = "SELECT o.id, o.status, o.customer_id, o.parent_id, sum(l.qty)::int AS total "
                + "FROM src_orders o JOIN src_lines l ON l.order_id = o.id GROUP BY o.id";

        List<Row> rows = ashlar.read("order").from(totals).where(gt("total", 2))
                .sort(Sort.desc("total"), Sort.asc("id")).list();

        assertThat(rows).extracting(row -> row.get("id") + ":" + row.get("total")).containsExactly("2:7", "1:3", "3:3");
    }

    @Test
    void aCommonTableExpressionIsASource() {
        List<Row> rows = ashlar.read("order")
                .from("WITH recent AS (SELECT * FROM src_orders WHERE id > ?) SELECT * FROM recent", 2)
                .where(eq("status", "open")).sort(Sort.asc("id")).list();

        assertThat(rows).extracting(row -> row.get("id")).containsExactly(4L, 5L);
    }

    @Test
    void aLateralJoinIsASource() {
        // Each customer's biggest order.
        List<Row> rows = ashlar.read("order").from("SELECT o.* FROM src_customers c CROSS JOIN LATERAL "
                        + "(SELECT * FROM src_orders x WHERE x.customer_id = c.id ORDER BY x.total DESC LIMIT 1) o")
                .sort(Sort.asc("id")).load("customer").list();

        assertThat(rows).extracting(row -> row.get("id") + ":" + row.relatedOne("customer").orElseThrow().get("name"))
                .containsExactly("2:Ada", "3:Bob");
    }

    @Test
    void countsExistsAndAggregatesAreOverTheStatementsRows() {
        String paid = ORDERS + " WHERE o.status = ?";

        assertThat(ashlar.read("order").from(paid, "paid").count()).isEqualTo(3);
        assertThat(ashlar.read("order").from(paid, "paid").where(gt("total", 300)).count()).isEqualTo(1);
        assertThat(ashlar.read("order").from(paid, "paid").where(gt("total", 600)).exists()).isFalse();
        assertThat(ashlar.read("order").from(paid, "paid").sum("total").longValue()).isEqualTo(760);
        assertThat(ashlar.read("order").from(paid, "paid").max("total")).isEqualTo(500);
        assertThat(ashlar.read("order").from(paid, "paid").countDistinct("customer_id")).isEqualTo(2);
        assertThat(ashlar.read("order").from(paid, "paid").limit(2).sort(Sort.asc("id")).sum("total").longValue())
                .isEqualTo(260);
        assertThat(ashlar.read("order").from(paid, "paid").groupBy("customer_id").count("orders")
                .sort(Sort.asc("customer_id")).list()).extracting(row -> row.get("orders")).containsExactly(2L, 1L);
        Page<Row> page = ashlar.read("order").from(paid, "paid").sort(Sort.asc("id")).limit(2).page();
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.rows()).extracting(row -> row.get("id")).containsExactly(1L, 2L);
    }

    @Test
    void relationshipsLoadFiltersAndDeclaredAggregatesReachOtherResourcesFromTheStatementsRows() {
        List<Row> rows = ashlar.read("order").from(ORDERS + " WHERE o.total < ?", 300)
                .where(exists("lines", gt("qty", 1))).load("lines").load("line_count").load("customer")
                .sort(Sort.asc("id")).list();

        assertThat(rows).extracting(row -> row.get("id") + ":" + row.get("line_count") + ":"
                + row.related("lines").size() + ":" + row.relatedOne("customer").orElseThrow().get("name"))
                .containsExactly("1:2:2:Ada", "2:1:1:Ada");
        assertThat(ashlar.read("order").from(ORDERS).where(eq("customer.name", "Bob")).sort(Sort.asc("customer.name"),
                Sort.asc("id")).values("id", Long.class)).containsExactly(3L, 4L);
        assertThat(ashlar.read("customer").where(exists("orders", gt("total", 400))).values("name", String.class))
                .containsExactly("Bob");
    }

    @Test
    void aTypedReadTakesItsRecordsFromAStatementWithItsConditionsAndOrderOnTop() {
        List<Order> orders = ashlar.read(Order.ORDERS).from(ORDERS + " WHERE o.status = ?", "paid")
                .where(Order.TOTAL.gt(50)).sort(Order.ID.desc()).list();

        assertThat(orders).containsExactly(new Order(3L, "paid", 500), new Order(2L, "paid", 250));
    }

    @Test
    void aRelationshipBackToTheResourceLoadsFromItsTableNotFromTheStatement() {
        db.execute("UPDATE src_orders SET parent_id = 1 WHERE id = 2");

        Row child = ashlar.read("order").from(ORDERS + " WHERE o.id = ?", 2).load("parent").one().orElseThrow();

        assertThat(child.relatedOne("parent").orElseThrow().get("total")).isEqualTo(10);
    }

    @Test
    void sqlOverTheRowNamesTheStatementsRowsByTheTablesName() {
        List<Row> rows = ashlar.read("order").from(ORDERS + " WHERE o.status = 'open'")
                .compute("lines_of", Long.class, "SELECT count(*) FROM src_lines l WHERE l.order_id = src_orders.id")
                .where(sql("src_orders.total > ?", 50)).list();

        assertThat(rows).extracting(row -> row.get("id") + ":" + row.get("lines_of")).containsExactly("4:0");
    }

    @Test
    void aStatementMissingColumnsTheReadNeedsOrReturningThemTwiceIsRefusedNamingThem() {
        assertThatThrownBy(() -> ashlar.read("order").from("SELECT id, status FROM src_orders").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("order")
                .hasMessageContaining("[total, customer_id, parent_id]")
                .hasMessageContaining("select them in the statement");
        assertThatThrownBy(() -> ashlar.read("order").from("SELECT id, status FROM src_orders").select("status")
                .where(gt("total", 1)).count())
                .isInstanceOf(QueryException.class).hasMessageContaining("[total]");

        assertThatThrownBy(() -> ashlar.read("order")
                .from("SELECT o.*, c.* FROM src_orders o JOIN src_customers c ON c.id = o.customer_id").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("[id]")
                .hasMessageContaining("more than once");

        assertThat(ashlar.read("order").from("SELECT id, status FROM src_orders").select("status")
                .where(eq("status", "open")).sort(Sort.asc("id")).values("id", Long.class)).containsExactly(4L, 5L);
    }

    @Test
    void aStatementThatIsNotOneSelectIsRefusedNamingTheResourceAndChangesNothing() {
        assertThatThrownBy(() -> ashlar.read("order").from("DELETE FROM src_orders RETURNING *"))
                .isInstanceOf(QueryException.class).hasMessageContaining("order").hasMessageContaining("'delete'");
        assertThatThrownBy(() -> ashlar.read("order").from("SELECT * FROM src_orders; DELETE FROM src_orders"))
                .isInstanceOf(QueryException.class).hasMessageContaining("order").hasMessageContaining("';'");
        assertThatThrownBy(() -> ashlar.read("order").from("SELECT * FROM src_orders) AS x, src_lines AS y, (SELECT 1"))
                .isInstanceOf(QueryException.class).hasMessageContaining("closes a parenthesis");
        assertThatThrownBy(() -> ashlar.read("order").from(null))
                .isInstanceOf(QueryException.class).hasMessageContaining("read of order was given no statement");
        assertThatThrownBy(() -> ashlar.read("order").from(ORDERS + " WHERE o.total > ?"))
                .isInstanceOf(QueryException.class).hasMessageContaining("order").hasMessageContaining("1 ? mark");
        assertThatThrownBy(() -> ashlar.read("order")
                .from("WITH gone AS (DELETE FROM src_orders RETURNING *) SELECT * FROM gone").list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("order");

        assertThat(db.value("SELECT count(*) FROM src_orders")).isEqualTo(5L);
    }

    @Test
    void locksAndCombinationsOverAStatementAreRefusedNamingTheResource() {
        assertThatThrownBy(() -> ashlar.read("order").from(ORDERS).lock(Lock.FOR_UPDATE))
                .isInstanceOf(QueryException.class).hasMessageContaining("lock")
                .hasMessageContaining("then do this on a read of the table, ashlar.read(\"order\").where(in(\"id\", keys))");
        assertThatThrownBy(() -> ashlar.read("order").from(ORDERS).union(ashlar.read("order")))
                .isInstanceOf(QueryException.class).hasMessageContaining("combination");
        assertThatThrownBy(() -> ashlar.read("order").union(ashlar.read("order").from(ORDERS)))
                .isInstanceOf(QueryException.class).hasMessageContaining("combination");

        assertThat(db.value("SELECT string_agg(status, ',' ORDER BY id) FROM src_orders"))
                .isEqualTo("paid,paid,paid,open,open");
    }

    @Test
    void aStatementThatLocksItsRowsAtItsTopLevelIsRefusedNamingTheResourceAndTheFix() {
        for (String clause : List.of("FOR UPDATE", "for share", "FOR NO KEY UPDATE", "For  Key\n Share",
                "FOR /* a comment */ UPDATE OF o SKIP LOCKED")) {
            assertThatThrownBy(() -> ashlar.read("order").from(ORDERS + " WHERE o.total > ? " + clause, 30))
                    .isInstanceOf(QueryException.class).hasMessageContaining("read of order")
                    .hasMessageContaining("locks its rows").hasMessageContaining(".lock(Lock.FOR_UPDATE)");
        }
        assertThatThrownBy(() -> ashlar.read("order")
                .from("WITH paid AS (SELECT * FROM src_orders WHERE status = 'paid') SELECT * FROM paid FOR SHARE"))
                .isInstanceOf(QueryException.class).hasMessageContaining("(FOR SHARE)");
    }

    @Test
    void lockWordsInStringsCommentsQuotedNamesAndSubExpressionsAreNotALockOfTheStatement() {
        String words = "SELECT o.*, 'for update' AS note1, E'it''s FOR SHARE' AS note2, $$FOR KEY SHARE$$ AS note3, "
                + "substring('abcdef' FROM 1 FOR 2) AS note4, o.status AS \"for update\" FROM src_orders o "
                + "-- FOR UPDATE\n /* FOR NO KEY UPDATE */ WHERE o.id IN (SELECT id FROM src_orders FOR UPDATE)";
        assertThat(ashlar.read("order").from(words).sort(Sort.asc("id")).values("id", Long.class))
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(ashlar.read("order").from("SELECT * FROM src_orders WHERE status <> 'for update' AND total > 100 "
                + "ORDER BY id").values("id", Long.class)).containsExactly(2L, 3L);
    }
}
