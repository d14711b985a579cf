package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.RelationshipOptions;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.parent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ebean's {@code org.tests.compositekeys} ({@code TestCore}, {@code TestOnCascadeDeleteChildrenWithCompositeKeys}) on
 * its model: regions and items keyed by a customer and a number of their own ({@code @EmbeddedId RegionKey},
 * {@code ItemKey}), an item's region keyed by the two columns they share.
 */
class EbeanSuite2CompositeKeyParityTest extends DomainDatabaseTest {
    record Item(Integer customer, String itemNumber, String description, Integer regionType) {
        static final Table<Item> ITEMS = Table.of("item", Item.class);
        static final Field<Item, Integer> CUSTOMER = ITEMS.attribute("customer", Kind.INTEGER, a -> a.primaryKey());
        static final TextField<Item> ITEM_NUMBER = ITEMS.attribute("item_number", Kind.TEXT, a -> a.primaryKey());
        static final TextField<Item> DESCRIPTION = ITEMS.attribute("description", Kind.TEXT);
        static final Field<Item, Integer> REGION_TYPE = ITEMS.attribute("region_type", Kind.INTEGER);
        static final Resource RESOURCE = ITEMS.builder().table("ck_item")
                .add(CUSTOMER, ITEM_NUMBER, DESCRIPTION, REGION_TYPE).build();
    }

    /** A region's items by the two columns they share (Ebean's {@code @JoinColumns}): customer, and type. */
    static void keyedByCustomerAndType(RelationshipOptions r) {
        r.sourceAttribute("customer").destinationAttribute("customer").filter(eq("region_type", parent("type")));
    }

    record Region(Integer customer, Integer type, String description) {
        static final Table<Region> REGIONS = Table.of("region", Region.class);
        static final Field<Region, Integer> CUSTOMER = REGIONS.attribute("customer", Kind.INTEGER,
                a -> a.primaryKey());
        static final Field<Region, Integer> TYPE = REGIONS.attribute("type", Kind.INTEGER, a -> a.primaryKey());
        static final TextField<Region> DESCRIPTION = REGIONS.attribute("description", Kind.TEXT);
        static final Relation<Region, Item> ITEMS = REGIONS.hasMany("items", Item.ITEMS,
                EbeanSuite2CompositeKeyParityTest::keyedByCustomerAndType);
        static final Relation<Region, Item> FIRST_ITEM = REGIONS.hasOne("first_item", Item.ITEMS,
                r -> keyedByCustomerAndType(r.sort(Sort.asc("item_number"))));
        static final Resource RESOURCE = REGIONS.builder().table("ck_region")
                .add(CUSTOMER, TYPE, DESCRIPTION, ITEMS, FIRST_ITEM).build();
    }

    record RegionItems(String description, List<Item> items) {
    }

    static final Domain DOMAIN = Domain.builder("ebean_keys").resources(Region.RESOURCE, Item.RESOURCE).build();

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
     * {@code exists}; another customer's items of the same type are not the region's.
     */
    @Test
    void aRelationshipKeyedByTwoColumnsFiltersByBoth() {
        assertThat(ashlar.read("region").where(exists("items", eq("description", "Bike")))
                .values("description", String.class)).containsExactly("Region 1");
        assertThat(ashlar.read("region").where(exists("items", eq("item_number", "ITEM1")))
                .sort(Sort.asc("customer")).values("description", String.class))
                .containsExactly("Region 1", "Other customer region 1");
        assertThat(ashlar.read("region").where(exists("items", eq("item_number", "ITEM2"))).count()).isEqualTo(1);
    }

    /**
     * Ebean's {@code fetch("items")} on regions: each region loads the items of its customer and its type only, though
     * two regions share the customer, as Ebean's {@code @JoinColumns} joins on both; a has-one by the same columns and
     * a limit per region take each region's own first items.
     */
    @Test
    void loadingARelationshipKeyedByTwoColumnsGivesEachRecordItsOwnRelatedRecords() {
        List<Row> regions = ashlar.read("region").sort(Sort.asc("customer"), Sort.asc("type")).load("items")
                .load("first_item").list();

        assertThat(regions).extracting(region -> region.getString("description") + ": " + region.related("items")
                        .stream().map(item -> item.getString("item_number")).sorted().toList()
                        + ", first " + region.relatedOne("first_item").map(item -> item.getString("item_number"))
                        .orElse("none"))
                .containsExactly("Region 1: [ITEM1, ITEM3], first ITEM1", "Region 2: [ITEM2], first ITEM2",
                        "Other customer region 1: [ITEM1], first ITEM1");
        assertThat(ashlar.read("region").where(eq("customer", 1)).sort(Sort.asc("type"))
                .load("items", items -> items.sort(Sort.desc("item_number")).limit(1)).list())
                .extracting(region -> region.related("items").get(0).getString("description"))
                .containsExactly("Bike", "Another car");
        assertThat(db.value("SELECT count(*) FROM ck_item i JOIN ck_region r ON r.customer = i.customer "
                + "AND r.type = i.region_type")).isEqualTo(4L);
    }

    @Test
    void theTypedApiLoadsARelationshipKeyedByTwoColumnsIntoEachRecordsView() {
        List<RegionItems> regions = ashlar.read(Region.REGIONS).where(Region.CUSTOMER.eq(1))
                .sort(Region.TYPE.asc()).load(Region.ITEMS).list(RegionItems.class);

        assertThat(regions).extracting(region -> region.description() + ": " + region.items().stream()
                        .map(Item::description).sorted().toList())
                .containsExactly("Region 1: [Bike, Fancy Car]", "Region 2: [Another car]");
    }

    /** A count and a sort by the relationship keyed by two columns count each region's own items. */
    @Test
    void anAggregateAndASortThroughARelationshipKeyedByTwoColumnsCountEachRecordsOwn() {
        List<Row> regions = ashlar.read("region")
                .aggregate(Aggregate.of("item_count", Aggregate.Kind.COUNT, "items"))
                .sort(Sort.desc("item_count"), Sort.asc("customer"), Sort.asc("type")).list();

        assertThat(regions).extracting(region -> region.getString("description") + "=" + region.get("item_count"))
                .containsExactly("Region 1=2", "Region 2=1", "Other customer region 1=1");
    }
}
