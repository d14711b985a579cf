package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ebean's {@code org.tests.compositekeys} ({@code TestCore}, {@code TestOnCascadeDeleteChildrenWithCompositeKeys}) on
 * its model: regions and items keyed by a customer and a number of their own ({@code @EmbeddedId RegionKey},
 * {@code ItemKey}), an item's region keyed by the two columns they share.
 */
class EbeanSuite2CompositeKeyParityTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("ebean_keys")
            .resource(Resource.builder("region").table("ck_region")
                    .attribute("customer", INTEGER, a -> a.primaryKey())
                    .attribute("type", INTEGER, a -> a.primaryKey())
                    .attribute("description", TEXT)
                    .hasMany("items", "item", r -> r.sourceAttribute("customer").destinationAttribute("customer")
                            .filter(eq("region_type", parent("type"))))
                    .build())
            .resource(Resource.builder("item").table("ck_item")
                    .attribute("customer", INTEGER, a -> a.primaryKey())
                    .attribute("item_number", TEXT, a -> a.primaryKey())
                    .attribute("description", TEXT)
                    .attribute("region_type", INTEGER)
                    .build())
            .build();

    EbeanSuite2CompositeKeyParityTest() {
        super(DOMAIN);
    }

    /** {@code TestCore}'s seed: two customers' regions of types 1 and 2, and items in them. */
    @BeforeEach
    void reset() {
        db.execute("TRUNCATE ck_region, ck_item");
        db.execute("INSERT INTO ck_region (customer, type, description) VALUES "
                + "(1, 1, 'Region 1'), (1, 2, 'Region 2'), (2, 1, 'Other customer region 1')");
        db.execute("INSERT INTO ck_item (customer, item_number, description, region_type) VALUES "
                + "(1, 'ITEM1', 'Fancy Car', 1), (1, 'ITEM2', 'Another car', 2), (1, 'ITEM3', 'Bike', 1), "
                + "(2, 'ITEM1', 'Other customer item', 1)");
    }

    /** {@code TestCore.testFind}: {@code find(Item.class, new ItemKey(1, "ITEM1"))}, each column of the key bound. */
    @Test
    void aRecordIsFoundByBothColumnsOfItsKey() {
        assertThat(ashlar.get("item", Map.of("customer", 1, "item_number", "ITEM1")).getString("description"))
                .isEqualTo("Fancy Car");
        assertThat(ashlar.get("item", Map.of("customer", 2, "item_number", "ITEM1")).getString("description"))
                .isEqualTo("Other customer item");
        assertThat(ashlar.find("item", Map.of("customer", 3, "item_number", "ITEM1"))).isEmpty();
        assertThat(db.query("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'ck_item'::regclass AND i.indisprimary "
                + "ORDER BY a.attnum")).extracting(r -> r.get("attname")).containsExactly("customer", "item_number");
    }

    /** {@code TestCore}'s insert: a second record of one key is refused; one sharing a column of it is not. */
    @Test
    void aKeyOfTwoColumnsIsUniqueAsAPairOnly() {
        ashlar.create("item", Map.of("customer", 2, "item_number", "ITEM2", "description", "Truck"));

        assertThatThrownBy(() -> ashlar.create("item", Map.of("customer", 2, "item_number", "ITEM2")))
                .isInstanceOf(AshlarException.class);
        assertThat(db.query("SELECT description FROM ck_item WHERE customer = 2 ORDER BY item_number"))
                .extracting(r -> r.get("description")).containsExactly("Other customer item", "Truck");
    }

    /** {@code TestCore.testUpdate}, {@code testDelete}: by the whole key, leaving the record sharing one column. */
    @Test
    void anUpdateAndADeleteByTheKeyTouchThatRecordOnly() {
        Row item = ashlar.get("item", Map.of("customer", 1, "item_number", "ITEM1"));

        ashlar.update(item, Map.of("description", "Faster car"));
        ashlar.destroy(ashlar.get("item", Map.of("customer", 1, "item_number", "ITEM3")));

        assertThat(db.query("SELECT customer, item_number, description FROM ck_item ORDER BY customer, item_number"))
                .extracting(r -> r.get("customer") + "/" + r.get("item_number") + "/" + r.get("description"))
                .containsExactly("1/ITEM1/Faster car", "1/ITEM2/Another car", "2/ITEM1/Other customer item");
        assertThatThrownBy(() -> ashlar.get("item", Map.of("customer", 1, "item_number", "ITEM3")))
                .isInstanceOf(AshlarException.class)
                .satisfies(e -> assertThat(((AshlarException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    /**
     * {@code TestCore.testFindBy...}: a region's items, related by both columns (customer and type), followed by
     * {@code exists}; another customer's items of the same type are not the region's. Loading them is refused, naming
     * the fix, since the relationship starts from a column several regions share.
     */
    @Test
    void aRelationshipKeyedByTwoColumnsFiltersByBothAndItsLoadIsRefusedNamingTheFix() {
        assertThat(ashlar.read("region").where(exists("items", eq("description", "Bike")))
                .values("description", String.class)).containsExactly("Region 1");
        assertThat(ashlar.read("region").where(exists("items", eq("item_number", "ITEM1")))
                .sort(Sort.asc("customer")).values("description", String.class))
                .containsExactly("Region 1", "Other customer region 1");
        assertThat(ashlar.read("region").where(exists("items", eq("item_number", "ITEM2"))).count()).isEqualTo(1);
        assertThatThrownBy(() -> ashlar.read("region").load("items").list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("'items' of region").hasMessageContaining("exists(\"items\", ...)");
    }
}
