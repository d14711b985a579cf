package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Nested;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Hibernate ORM's embeddable tests ({@code hibernate-core/src/test/java/org/hibernate/orm/test/embeddable},
 * {@code component}, {@code annotations/embedded}) restated on Ashlar: a value object stored as columns of its
 * owner's table is a record component annotated {@code @Nested("prefix")} on the resource's record, its components
 * the attributes {@code prefix_name}. Each test names the Hibernate test it restates and asserts the rows.
 */
class HibernateSuite3EmbeddableParityTest extends DomainDatabaseTest {
    record Point(Double lat, Double lon) {
    }

    /** An address, two of which a customer holds; its point nested in it ({@code home_geo_lat}). */
    record Address(String street, String city, @Nested("geo") Point geo) {
    }

    record Customer(Integer id, String name, @Nested("home") Address home, @Nested("billing") Address billing) {
        static final Table<Customer> CUSTOMERS = Table.of("customer", Customer.class);
        static final Field<Customer, Integer> ID = CUSTOMERS.integerPrimaryKey("id");
        static final TextField<Customer> NAME = CUSTOMERS.attribute("name", Kind.TEXT);
        static final TextField<Customer> HOME_STREET = CUSTOMERS.attribute("home_street", Kind.TEXT);
        static final TextField<Customer> HOME_CITY = CUSTOMERS.attribute("home_city", Kind.TEXT);
        static final Field<Customer, Double> HOME_GEO_LAT = CUSTOMERS.attribute("home_geo_lat", Kind.DOUBLE);
        static final Field<Customer, Double> HOME_GEO_LON = CUSTOMERS.attribute("home_geo_lon", Kind.DOUBLE);
        static final TextField<Customer> BILLING_STREET = CUSTOMERS.attribute("billing_street", Kind.TEXT);
        static final TextField<Customer> BILLING_CITY = CUSTOMERS.attribute("billing_city", Kind.TEXT);
        static final Field<Customer, Double> BILLING_GEO_LAT = CUSTOMERS.attribute("billing_geo_lat", Kind.DOUBLE);
        static final Field<Customer, Double> BILLING_GEO_LON = CUSTOMERS.attribute("billing_geo_lon", Kind.DOUBLE);
        static final UniqueKey<Customer> UNIQUE_NAME = CUSTOMERS.identity("unique_name", NAME);
        static final Resource RESOURCE = CUSTOMERS.builder().table("customers")
                .add(ID, NAME, HOME_STREET, HOME_CITY, HOME_GEO_LAT, HOME_GEO_LON,
                        BILLING_STREET, BILLING_CITY, BILLING_GEO_LAT, BILLING_GEO_LON, UNIQUE_NAME)
                .build();
    }

    record Purchase(Integer id, Integer customerId, String item) {
        static final Table<Purchase> PURCHASES = Table.of("purchase", Purchase.class);
        static final Field<Purchase, Integer> ID = PURCHASES.integerPrimaryKey("id");
        static final TextField<Purchase> ITEM = PURCHASES.attribute("item", Kind.TEXT);
        static final Relation<Purchase, Customer> CUSTOMER = PURCHASES.belongsTo("customer", Customer.CUSTOMERS);
        static final Field<Purchase, Integer> CUSTOMER_ID = PURCHASES.attribute("customer_id", Kind.INTEGER);
        static final Resource RESOURCE = PURCHASES.builder().table("purchases").add(ID, ITEM, CUSTOMER).build();
    }

    /** A purchase read with its customer, who comes with the customer's addresses. */
    record PurchaseView(Integer id, String item, Customer customer) {
    }

    /** A record whose prefix names no attribute of the resource: {@code shipping_street} is not one. */
    record Misnamed(Integer id, String name, @Nested("shipping") Address home) {
    }

    private static final Address ADA_HOME = new Address("1 Main St", "London", new Point(51.5, -0.12));
    private static final Address ADA_BILLING = new Address("2 Bank Rd", "Leeds", null);

    HibernateSuite3EmbeddableParityTest() {
        super(Domain.builder("hibernate_suite3").resources(Customer.RESOURCE, Purchase.RESOURCE).build());
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE customers, purchases RESTART IDENTITY");
    }

    private Customer ada() {
        return ashlar.create(Customer.CUSTOMERS, new Customer(null, "Ada", ADA_HOME, ADA_BILLING));
    }

    private Map<String, Object> stored(int id) {
        return db.query("SELECT * FROM customers WHERE id = " + id).get(0);
    }

    /**
     * {@code annotations.embedded.EmbeddedTest} ({@code Person} with two {@code Address} embeddings told apart by
     * {@code @AttributeOverrides}) and {@code embeddable.naming.EmbeddedColumnNamingTests} ({@code home_%s}): each
     * embedding is stored in the columns of its prefix, the nested one under both prefixes, and read back whole.
     */
    @Test
    void twoEmbeddingsOfOneTypeAreStoredInTheColumnsOfTheirPrefixesAndReadBackWhole() {
        Customer ada = ada();

        assertThat(stored(ada.id())).containsEntry("home_street", "1 Main St").containsEntry("home_city", "London")
                .containsEntry("home_geo_lat", 51.5).containsEntry("home_geo_lon", -0.12)
                .containsEntry("billing_street", "2 Bank Rd").containsEntry("billing_city", "Leeds")
                .containsEntry("billing_geo_lat", null).containsEntry("billing_geo_lon", null);
        assertThat(ada).isEqualTo(new Customer(ada.id(), "Ada", ADA_HOME, ADA_BILLING));
        assertThat(ashlar.get(Customer.CUSTOMERS, ada.id())).isEqualTo(ada);
        assertThat(ashlar.refresh(Customer.CUSTOMERS, ada)).isEqualTo(ada);
    }

    /**
     * {@code embeddable.NullEmbeddableTest} and {@code annotations.embedded.EmbeddedTest#testNullEmbedded}: an
     * embeddable all of whose columns are NULL is read as null, nested ones too; a null one is written as NULLs.
     */
    @Test
    void anEmbeddableAllOfWhoseColumnsAreNullIsReadAsNull() {
        Customer bare = ashlar.create(Customer.CUSTOMERS, new Customer(null, "Bare", null, null));
        db.execute("INSERT INTO customers (name, home_city) VALUES ('Sql', 'Paris')");

        assertThat(stored(bare.id())).containsEntry("home_street", null).containsEntry("home_city", null)
                .containsEntry("home_geo_lat", null).containsEntry("billing_city", null);
        assertThat(ashlar.get(Customer.CUSTOMERS, bare.id())).isEqualTo(new Customer(bare.id(), "Bare", null, null));
        assertThat(ashlar.read(Customer.CUSTOMERS).where(Customer.NAME.eq("Sql")).one().orElseThrow())
                .extracting(Customer::home, Customer::billing)
                .containsExactly(new Address(null, "Paris", null), null);
    }

    /**
     * {@code embeddable.EmbeddableAscDescQueryTest}, {@code OrderByEmbeddableX2Test} and
     * {@code EmbeddableQuerySelectTest}: queries filter by an embedded field, sort by one (and page on it with a
     * keyset), and select one, the record then holding the value object of that field alone.
     */
    @Test
    void queriesFilterSortPageAndSelectByAnEmbeddedField() {
        ada();
        ashlar.create(Customer.CUSTOMERS, new Customer(null, "Bob", new Address("3 High St", "Bath",
                new Point(51.38, -2.36)), null));
        ashlar.create(Customer.CUSTOMERS, new Customer(null, "Cy", new Address("4 Low St", "York",
                new Point(53.96, -1.08)), ADA_BILLING));

        assertThat(ashlar.read(Customer.CUSTOMERS).where(Customer.HOME_CITY.eq("Bath")).list())
                .extracting(Customer::name).containsExactly("Bob");
        assertThat(ashlar.read(Customer.CUSTOMERS).where(Customer.BILLING_CITY.eq("Leeds"))
                .sort(Customer.HOME_GEO_LAT.desc()).values(Customer.NAME)).containsExactly("Cy", "Ada");
        List<Customer> byLatitude = ashlar.read(Customer.CUSTOMERS).sort(Customer.HOME_GEO_LAT.asc()).list();
        assertThat(byLatitude).extracting(c -> c.home().city()).containsExactly("Bath", "London", "York");
        assertThat(ashlar.read(Customer.CUSTOMERS).sort(Customer.HOME_GEO_LAT.asc()).after(byLatitude.get(0))
                .limit(1).list()).extracting(Customer::name).containsExactly("Ada");
        assertThat(ashlar.read(Customer.CUSTOMERS).select(Customer.HOME_CITY).sort(Customer.HOME_CITY.asc()).list())
                .extracting(Customer::home, Customer::name)
                .containsExactly(tuple(new Address(null, "Bath", null), null),
                        tuple(new Address(null, "London", null), null), tuple(new Address(null, "York", null), null));
    }

    /**
     * {@code component.basic.ComponentTest#testComponent} and {@code testComponentStateChangeAndDirtiness}: updating
     * one embedded field writes its column alone; writing the whole value writes its columns, a null value empties
     * them, and an update by query sets one.
     */
    @Test
    void updatingOneEmbeddedFieldWritesItsColumnAloneAndTheWholeValueWritesAll() {
        Customer ada = ada();

        Customer moved = ashlar.update(Customer.CUSTOMERS, ada, Customer.HOME_CITY.set("Oxford"));
        assertThat(moved.home()).isEqualTo(new Address("1 Main St", "Oxford", new Point(51.5, -0.12)));
        assertThat(stored(ada.id())).containsEntry("home_city", "Oxford").containsEntry("home_street", "1 Main St")
                .containsEntry("billing_city", "Leeds");

        Address cottage = new Address("5 Lane", "Ely", null);
        Customer rehoused = ashlar.update(Customer.CUSTOMERS, new Customer(ada.id(), "Ada", cottage, null),
                Customer.HOME_STREET, Customer.HOME_CITY, Customer.HOME_GEO_LAT, Customer.HOME_GEO_LON,
                Customer.BILLING_STREET, Customer.BILLING_CITY, Customer.BILLING_GEO_LAT, Customer.BILLING_GEO_LON);
        assertThat(rehoused).isEqualTo(new Customer(ada.id(), "Ada", cottage, null));
        assertThat(stored(ada.id())).containsEntry("home_street", "5 Lane").containsEntry("home_geo_lat", null)
                .containsEntry("billing_street", null).containsEntry("billing_city", null);

        ashlar.read(Customer.CUSTOMERS).where(Customer.HOME_CITY.eq("Ely")).updateAll(Customer.HOME_CITY.set("Wells"));
        assertThat(ashlar.get(Customer.CUSTOMERS, ada.id()).home()).isEqualTo(new Address("5 Lane", "Wells", null));
    }

    /**
     * {@code component.basic.ComponentTest#testMergeComponent} ({@code merge} of a detached entity whose optional
     * component was null): records of one {@code createAll}, some holding a value object and some none, each write
     * theirs; an upsert on a conflict writes the value object's columns it names.
     */
    @Test
    void aBulkCreateAndAnUpsertWriteEachRecordsValueObjects() {
        List<Customer> created = ashlar.createAll(Customer.CUSTOMERS, List.of(
                new Customer(null, "Ada", ADA_HOME, ADA_BILLING), new Customer(null, "Bob", null, null)));
        assertThat(created).extracting(Customer::home).containsExactly(ADA_HOME, null);

        Address moved = new Address("9 New Rd", "Hull", new Point(53.74, -0.33));
        Customer merged = ashlar.upsert(Customer.CUSTOMERS, new Customer(null, "Bob", moved, null),
                Customer.UNIQUE_NAME.update(Customer.HOME_STREET, Customer.HOME_CITY, Customer.HOME_GEO_LAT,
                        Customer.HOME_GEO_LON));

        assertThat(merged).isEqualTo(new Customer(created.get(1).id(), "Bob", moved, null));
        assertThat(stored(created.get(1).id())).containsEntry("home_city", "Hull").containsEntry("home_geo_lon", -0.33);
        assertThat(db.query("SELECT count(*) AS n FROM customers").get(0).get("n")).isEqualTo(2L);
    }

    /**
     * The string API's rows map onto a record with value objects too ({@code row.as}, {@code list(Type.class)}), and
     * so does a related record loaded with its own ({@code EmbeddableWithManyToOneTest} turned around).
     */
    @Test
    void rowsAndRelatedRecordsMapTheirColumnsOntoTheValueObjects() {
        Customer ada = ada();
        ashlar.create(Purchase.PURCHASES, new Purchase(null, ada.id(), "tea"));

        Row row = ashlar.read("customer").where(eq("home_city", "London")).first().orElseThrow();
        assertThat(row.as(Customer.class)).isEqualTo(ada);
        assertThat(ashlar.read("customer").sort(Sort.asc("id")).list(Customer.class)).containsExactly(ada);
        assertThat(ashlar.read("purchase").load("customer").list(PurchaseView.class))
                .containsExactly(new PurchaseView(1, "tea", ada));
        assertThat(ashlar.read("purchase").load("customer").first().orElseThrow().as(PurchaseView.class))
                .isEqualTo(new PurchaseView(1, "tea", ada));
    }

    /**
     * A prefix none of whose fields the resource has is refused naming the component, the field and the fix: in a
     * read, when the rows are first mapped, and in a write, before anything is written.
     */
    @Test
    void aPrefixMatchingNoAttributeIsRefusedNamingTheComponentAndTheField() {
        ada();

        assertThatThrownBy(() -> ashlar.read("customer").list(Misnamed.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Misnamed.home")
                .hasMessageContaining("'shipping_street', which the rows do not hold")
                .hasMessageContaining("declare the attribute 'shipping_street' or fix the prefix");
        Table<Misnamed> misnamed = Table.of("customer", Misnamed.class);
        assertThatThrownBy(() -> ashlar.create(misnamed, new Misnamed(null, "Eve", new Address("x", "y", null))))
                .hasMessageContaining("has a component for 'shipping_street', which is no attribute of customer")
                .hasMessageContaining("nothing was written");
        assertThat(db.query("SELECT name FROM customers")).extracting(r -> r.get("name")).containsExactly("Ada");
    }

    /**
     * {@code updateAll} of records and the fields to write, the bulk beside {@code update(record, fields)}: each
     * record's value object is written to its columns, a null one as NULLs, none dropped.
     */
    @Test
    void aBulkUpdateOfRecordsWritesEachRecordsValueObjectToItsColumns() {
        List<Customer> created = ashlar.createAll(Customer.CUSTOMERS, List.of(
                new Customer(null, "Ada", ADA_HOME, ADA_BILLING), new Customer(null, "Bob", null, null)));
        Address cottage = new Address("5 Lane", "Ely", new Point(52.4, 0.26));

        List<Customer> updated = ashlar.updateAll(Customer.CUSTOMERS, List.of(
                        new Customer(created.get(0).id(), "Ada", null, ADA_BILLING),
                        new Customer(created.get(1).id(), "Bob", cottage, null)),
                Customer.HOME_STREET, Customer.HOME_CITY, Customer.HOME_GEO_LAT, Customer.HOME_GEO_LON);

        assertThat(updated).extracting(Customer::home).containsExactlyInAnyOrder(null, cottage);
        assertThat(stored(created.get(0).id())).containsEntry("home_street", null).containsEntry("home_geo_lat", null)
                .containsEntry("billing_city", "Leeds");
        assertThat(stored(created.get(1).id())).containsEntry("home_street", "5 Lane").containsEntry("home_city", "Ely")
                .containsEntry("home_geo_lat", 52.4).containsEntry("home_geo_lon", 0.26);
    }

    record HomeOfRow(Integer id, String name, @Nested("home") Address home) {
    }

    /**
     * A row of a statement written by hand maps a {@code @Nested} value object by Jdbi's rules whether read with
     * {@code row.as} or {@code sql(...).list(Type.class)}: all of its columns NULL, it is made of NULLs in both. The
     * same columns read from the resource's rows give null, as Hibernate reads an embeddable.
     */
    @Test
    void aStatementsRowMapsAnAllNullValueObjectByJdbisRulesThroughAsAndListAlike() {
        Customer bare = ashlar.create(Customer.CUSTOMERS, new Customer(null, "Bare", null, null));
        String sql = "SELECT id, name, home_street, home_city, home_geo_lat, home_geo_lon FROM customers WHERE id = ?";
        HomeOfRow madeOfNulls = new HomeOfRow(bare.id(), "Bare", new Address(null, null, new Point(null, null)));

        assertThat(ashlar.sql(sql, bare.id()).list(HomeOfRow.class)).containsExactly(madeOfNulls);
        assertThat(ashlar.sql(sql, bare.id()).one().orElseThrow().as(HomeOfRow.class)).isEqualTo(madeOfNulls);
        assertThat(ashlar.read("customer").where(eq("id", bare.id())).first().orElseThrow().as(HomeOfRow.class))
                .isEqualTo(new HomeOfRow(bare.id(), "Bare", null));
    }

    record HomeParts(String street, Double geoLat) {
    }

    record HomeView(Integer id, @Nested("home") HomeParts parts) {
    }

    record Naming(String name, String homeCity) {
    }

    record NamingView(Integer id, @Nested Naming naming) {
    }

    /**
     * A value object's component names are snake_cased under its prefix ({@code geoLat} takes {@code home_geo_lat}), and
     * without a prefix take the fields of their own names ({@code homeCity} takes {@code home_city}), as Jdbi's
     * {@code @Nested} and the rows' mapping onto records name them.
     */
    @Test
    void componentNamesAreSnakeCasedUnderThePrefixAndWithoutOne() {
        Customer ada = ada();

        assertThat(ashlar.read("customer").list(HomeView.class))
                .containsExactly(new HomeView(ada.id(), new HomeParts("1 Main St", 51.5)));
        assertThat(ashlar.read("customer").list(NamingView.class))
                .containsExactly(new NamingView(ada.id(), new Naming("Ada", "London")));
    }

    record NotARecord(Integer id, @Nested("home") String home) {
    }

    record TooLong(Integer id, @Nested("a_prefix_that_makes_every_field_of_the_value_too_long_for_postgres")
                   Address home) {
    }

    /** {@code @Nested} on a component that is no record, and a field past 63 bytes, are refused when declared. */
    @Test
    void aComponentThatIsNoRecordAndAFieldPastSixtyThreeBytesAreRefusedWhenTheTableIsDeclared() {
        assertThatThrownBy(() -> Table.of("not_a_record", NotARecord.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("NotARecord.home")
                .hasMessageContaining("@Nested is on a java.lang.String, which is no record");
        assertThatThrownBy(() -> Table.of("too_long", TooLong.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("TooLong.home")
                .hasMessageContaining("longer than PostgreSQL's 63 bytes; give a shorter prefix");
    }

    /** A component taking the field a value object's component takes too: {@code homeCity} and home's city. */
    record Clash(Integer id, String homeCity, @Nested("home") Address home) {
    }

    /** Two value objects under one prefix: each of their fields taken twice. */
    record SamePrefix(Integer id, @Nested("home") Address home, @Nested("home") Address billing) {
    }

    /**
     * Two components taking one field are refused when the table is declared and when rows are read as the record,
     * naming the field and both components: written, one value would silently overwrite the other.
     */
    @Test
    void twoComponentsTakingOneFieldAreRefusedNamingTheFieldAndBoth() {
        assertThatThrownBy(() -> Table.of("clash", Clash.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Record component Clash.home takes the field 'home_city', which Clash.homeCity "
                        + "takes too; give @Nested a different prefix or rename the component");
        assertThatThrownBy(() -> Table.of("same_prefix", SamePrefix.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Record component SamePrefix.billing takes the field 'home_street', which "
                        + "SamePrefix.home takes too");
        ada();
        assertThatThrownBy(() -> ashlar.read("customer").list(Clash.class))
                .hasMessageContaining("Record component Clash.home takes the field 'home_city', which Clash.homeCity");
    }

    /** An address that counts the reads of its street, to count how often a write reads the value object. */
    record CountedAddress(String street, String city) {
        static final AtomicInteger STREET_READS = new AtomicInteger();

        @Override
        public String street() {
            STREET_READS.incrementAndGet();
            return street;
        }
    }

    record CountedCustomer(Integer id, String name, @Nested("home") CountedAddress home) {
        static final Table<CountedCustomer> CUSTOMERS = Table.of("customer", CountedCustomer.class);
    }

    /** A write reads each value object once per record, not once per field it holds (two here). */
    @Test
    void aWriteReadsEachValueObjectOncePerRecord() {
        CountedAddress.STREET_READS.set(0);
        List<CountedCustomer> created = ashlar.createAll(CountedCustomer.CUSTOMERS,
                List.of(new CountedCustomer(null, "Ada", new CountedAddress("1 Main St", "London"))));

        assertThat(CountedAddress.STREET_READS).hasValue(1);
        assertThat(stored(created.get(0).id())).containsEntry("home_street", "1 Main St")
                .containsEntry("home_city", "London");
    }
}
