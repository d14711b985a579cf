package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.StoredEnum;
import dev.ashlar.testing.TestDatabase;

import java.util.List;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.resource.Type.enumOf;
import static dev.ashlar.api.resource.Type.varchar;

/**
 * The model of Ebean's own tests ({@code org.tests.model.basic}, seeded by {@code ResetBasicData}): customers with
 * orders, order lines and products, contacts that are soft deleted, and a document of JSON and arrays.
 */
final class EbeanShop {
    /** Ebean's {@code Customer.Status}, stored by the codes of its {@code @EnumValue}s. */
    enum CustomerStatus implements StoredEnum {
        NEW("N"), ACTIVE("A"), INACTIVE("I");

        private final String code;

        CustomerStatus(String code) {
            this.code = code;
        }

        @Override
        public String storedValue() {
            return code;
        }
    }

    enum OrderStatus { NEW, APPROVED, SHIPPED, COMPLETE }

    static final Domain DOMAIN = Domain.builder("ebean_shop")
            .resource(Resource.builder("customer").table("o_customer").integerPrimaryKey("id")
                    .attribute("name", varchar(40), a -> a.notNull())
                    .attribute("status", enumOf(CustomerStatus.class), a -> a.notNull()
                            .defaultValue(CustomerStatus.NEW))
                    .attribute("smallnote", TEXT).attribute("anniversary", DATE)
                    .attribute("version", INTEGER, a -> a.notNull().defaultValue(1)).optimisticLock("version")
                    .attribute("created_by", TEXT).attribute("modified_by", TEXT)
                    .createdBy("created_by").modifiedBy("modified_by").timestamps()
                    .hasMany("orders", "order").hasMany("contacts", "contact")
                    .build())
            .resource(Resource.builder("order").table("o_order").integerPrimaryKey("id")
                    .attribute("status", enumOf(OrderStatus.class), a -> a.notNull())
                    .attribute("order_date", DATE).attribute("ship_date", DATE)
                    .belongsTo("customer", "customer").hasMany("details", "order_detail")
                    .build())
            .resource(Resource.builder("order_detail").table("o_order_detail").integerPrimaryKey("id")
                    .attribute("order_qty", INTEGER).attribute("unit_price", decimal(10, 2))
                    .belongsTo("order", "order").belongsTo("product", "product")
                    .build())
            .resource(Resource.builder("product").table("o_product").integerPrimaryKey("id")
                    .attribute("sku", varchar(20), a -> a.notNull()).attribute("name", TEXT)
                    .identity("unique_sku", "sku")
                    .build())
            .resource(Resource.builder("contact").table("contact").integerPrimaryKey("id")
                    .attribute("first_name", TEXT).attribute("last_name", TEXT).attribute("email", TEXT)
                    .attribute("deleted", BOOLEAN, a -> a.notNull().defaultValue(false)).softDelete("deleted")
                    .belongsTo("customer", "customer")
                    .build())
            .resource(Resource.builder("document").table("e_document").integerPrimaryKey("id")
                    .attribute("content", JSON).attribute("tags", arrayOf(TEXT)).attribute("codes", arrayOf(INTEGER))
                    .build())
            .build();

    private EbeanShop() {
    }

    /**
     * Ebean's {@code ResetBasicData}, written by hand: four customers (one without orders), four products, four orders
     * with their lines, contacts, the customers' statuses as their stored codes.
     */
    static void reset(TestDatabase db) {
        db.execute("TRUNCATE o_customer, o_order, o_order_detail, o_product, contact, e_document RESTART IDENTITY");
        db.execute("INSERT INTO o_customer (name, status, smallnote, anniversary, created_by, modified_by) VALUES "
                + "('Rob', 'A', 'interesting note', '2010-04-01', 'seed', 'seed'), "
                + "('Cust NoAddress', 'N', NULL, NULL, 'seed', 'seed'), "
                + "('Fiona', 'A', 'fiona note', '2012-06-30', 'seed', 'seed'), "
                + "('NocCust', 'I', NULL, '2011-01-15', 'seed', 'seed')");
        db.execute("INSERT INTO o_product (sku, name) VALUES ('C001', 'Chair'), ('DSK1', 'Desk'), "
                + "('C002', 'Computer'), ('C003', 'Printer')");
        db.execute("INSERT INTO o_order (status, order_date, ship_date, customer_id) VALUES "
                + "('NEW', '2024-01-10', NULL, 1), ('APPROVED', '2024-01-11', '2024-01-20', 1), "
                + "('SHIPPED', '2024-02-01', '2024-02-03', 3), ('COMPLETE', '2024-03-05', '2024-03-06', 2)");
        db.execute("INSERT INTO o_order_detail (order_id, product_id, order_qty, unit_price) VALUES "
                + "(1, 1, 5, 10.50), (1, 2, 3, 1.10), (1, 3, 1, 2.00), (2, 1, 1, 10.00), (3, 3, 2, 4.25), "
                + "(4, 1, 1, 9.99), (4, 4, 1, 99.00)");
        db.execute("INSERT INTO contact (first_name, last_name, email, customer_id) VALUES "
                + "('Jim', 'Cricket', 'jim@example.com', 1), ('Fred', 'Blue', 'fred@example.com', 1), "
                + "('Bugs', 'Bunny', NULL, 3)");
    }

    static final List<String> NAMES_BY_ID = List.of("Rob", "Cust NoAddress", "Fiona", "NocCust");
}
