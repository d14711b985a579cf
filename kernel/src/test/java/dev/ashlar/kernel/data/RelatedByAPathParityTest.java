package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A many-to-many through a join resource with a key of its own, where two join rows may link the same pair
 * (a customer's orders of a product): AshPostgres's distinct test loads each related record once.
 */
class RelatedByAPathParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("orders")
            .resource(Resource.builder("customer").table("customers").integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("orders", "order")
                    .hasMany("purchased_products", "product", r -> r.noAttributes()
                            .filter(eq("orders.customer_id", parent("id"))))
                    .build())
            .resource(Resource.builder("product").table("products").integerPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("orders", "order")
                    .build())
            .resource(Resource.builder("order").table("orders").integerPrimaryKey("id")
                    .attribute("status", TEXT)
                    .belongsTo("customer", "customer")
                    .belongsTo("product", "product")
                    .build())
            .build();

    RelatedByAPathParityTest() {
        super(DOMAIN);
    }

    /** Ada ordered the pen twice (once refunded) and the ink once; Bob ordered the pen. */
    @BeforeEach
    void orders() {
        db.execute("TRUNCATE customers, products, orders CASCADE");
        Row ada = customer("Ada");
        Row bob = customer("Bob");
        Row pen = product("pen");
        Row ink = product("ink");
        order(ada, pen, "paid");
        order(ada, pen, "refunded");
        order(ada, ink, "paid");
        order(bob, pen, "paid");
    }

    private Row customer(String name) {
        return ashlar.create("customer", Map.of("name", name));
    }

    private Row product(String name) {
        return ashlar.create("product", Map.of("name", name));
    }

    private void order(Row customer, Row product, String status) {
        ashlar.create("order", Map.of("customer_id", customer.get("id"), "product_id", product.get("id"),
                "status", status));
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(row -> row.getString("name")).toList();
    }

    private Row ada(UnaryOperator<Load> products) {
        return ashlar.read("customer").where(eq("name", "Ada")).load("purchased_products", products).list().get(0);
    }

    @Test
    void aLoadHoldsEachRelatedRecordOnceThoughTwoOrdersLinkIt() {
        List<Row> customers = ashlar.read("customer").sort(Sort.asc("name"))
                .load("purchased_products", p -> p.sort(Sort.asc("name"))).list();

        assertThat(names(customers.get(0).related("purchased_products"))).containsExactly("ink", "pen");
        assertThat(names(customers.get(1).related("purchased_products"))).containsExactly("pen");
        assertThat(names(ashlar.load(List.of(customers.get(0)), "purchased_products").get(0)
                .related("purchased_products"))).containsExactlyInAnyOrder("ink", "pen");
    }

    @Test
    void aLimitPerParentCountsEachRelatedRecordOnce() {
        assertThat(names(ada(p -> p.sort(Sort.desc("name")).limit(2)).related("purchased_products")))
                .containsExactly("pen", "ink");
    }

    @Test
    void aLoadFilteredOnTheRelatedRecordsStillHoldsEachOnce() {
        assertThat(names(ada(p -> p.where(eq("name", "pen"))).related("purchased_products"))).containsExactly("pen");
    }
}
