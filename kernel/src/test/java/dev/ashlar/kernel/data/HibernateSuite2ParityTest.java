package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.DOUBLE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * More of Hibernate ORM's own tests ({@code hibernate-core/src/test/java/org/hibernate/orm/test/...}) restated on
 * Ashlar, each on PostgreSQL with rows: {@code @Formula} fields, the query functions of HQL and criteria, dynamic
 * inserts and updates, natural ids, collections of values, pooled sequences, single-table inheritance and
 * discriminator multi-tenancy. Each test names the Hibernate test it restates.
 */
class HibernateSuite2ParityTest extends DomainDatabaseTest {
    HibernateSuite2ParityTest() {
        super(Domain.builder("hibernate_suite2")
                .resource(Resource.builder("product").table("products").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .attribute("quantity", INTEGER)
                        .attribute("price", decimal(10, 2))
                        .calculate("total", BigDecimal.class, "quantity * price")
                        .build())
                .resource(Resource.builder("sample").table("samples").integerPrimaryKey("id")
                        .attribute("label", TEXT)
                        .attribute("note", TEXT)
                        .attribute("n", INTEGER)
                        .attribute("x", DOUBLE)
                        .attribute("day", DATE)
                        .calculate("sub", String.class, "substring(label from 2 for 3)")
                        .calculate("pos", Integer.class, "position('lo' in label)")
                        .calculate("trimmed", String.class, "trim(label)")
                        .calculate("absolute", Integer.class, "abs(n)")
                        .calculate("modulo", Integer.class, "mod(n, 3)")
                        .calculate("root", Double.class, "sqrt(x)")
                        .calculate("today", LocalDate.class, "current_date")
                        .calculate("year", Integer.class, "CAST(extract(year from day) AS integer)")
                        .calculate("as_text", String.class, "CAST(n AS text)")
                        .calculate("either", String.class, "coalesce(note, trim(label))")
                        .calculate("nulled", Integer.class, "nullif(n, 0)")
                        .calculate("sign", String.class,
                                "CASE WHEN n < 0 THEN 'neg' WHEN n = 0 THEN 'zero' ELSE 'pos' END")
                        .build())
                .resource(Resource.builder("gadget").table("gadgets").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .attribute("status", TEXT, a -> a.defaultValue("new"))
                        .attribute("stock", INTEGER, a -> a.defaultValue(10))
                        .build())
                .resource(Resource.builder("citizen").table("citizens").integerPrimaryKey("id")
                        .attribute("ssn", TEXT, a -> a.notNull().updatable(false))
                        .attribute("name", TEXT)
                        .identity("by_ssn", "ssn")
                        .build())
                .resource(Resource.builder("wishlist").table("wishlists").integerPrimaryKey("id")
                        .attribute("owner", TEXT)
                        .attribute("items", arrayOf(TEXT))
                        .build())
                .resource(Resource.builder("ticket").table("tickets")
                        .attribute("id", BIGINT, a -> a.primaryKey().generated(1000, 50))
                        .attribute("seat", TEXT)
                        .build())
                .resource(payment("card_payment", "card"))
                .resource(payment("cash_payment", "cash"))
                .resource(Resource.builder("tenant_note").table("tenant_notes").integerPrimaryKey("id")
                        .attribute("tenant_id", TEXT)
                        .attribute("body", TEXT)
                        .build())
                .build(), OneResourceTenancy.column("tenant_note", "tenant_id", false));
    }

    /** One kind of payment in the shared table {@code payments}, told apart by its {@code type}. */
    private static Resource payment(String name, String type) {
        return Resource.builder(name).table("payments").integerPrimaryKey("id")
                .attribute("type", TEXT, a -> a.notNull())
                .attribute("amount", INTEGER)
                .discriminator("type", type)
                .build();
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE products, samples, gadgets, citizens, wishlists, tickets, payments, tenant_notes "
                + "RESTART IDENTITY");
        db.execute("ALTER SEQUENCE tickets_id_seq RESTART");
    }

    /**
     * {@code formula.FormulaBasicsTest} and {@code FormulaWithColumnTypesTest} ({@code @Formula("quantity * price")}):
     * a field computed in SQL from the row is read with it, filtered and sorted on, and follows the row's changes.
     */
    @Test
    void aFormulaFieldIsReadFilteredAndSortedAndFollowsTheRow() {
        ashlar.createAll("product", List.of(Map.of("name", "pen", "quantity", 3, "price", new BigDecimal("1.50")),
                Map.of("name", "ink", "quantity", 2, "price", new BigDecimal("4.00"))));

        List<Row> sorted = ashlar.read("product").load("total").sort(Sort.desc("total")).list();
        assertThat(sorted).extracting(row -> row.get("name") + " " + row.get("total"))
                .containsExactly("ink 8.00", "pen 4.50");
        assertThat(ashlar.read("product").where(gt("total", new BigDecimal("5"))).values("name", String.class))
                .containsExactly("ink");

        ashlar.read("product").where(eq("name", "pen")).updateAll(Map.of("quantity", 10));
        assertThat(ashlar.read("product").where(eq("name", "pen")).load("total").first().orElseThrow()
                .get("total")).isEqualTo(new BigDecimal("15.00"));
    }

    /**
     * {@code query.hql.FunctionTests} and {@code query.criteria.CriteriaBuilderNonStandardFunctionsTest}:
     * {@code substring}, {@code locate} ({@code position}), {@code trim}, {@code abs}, {@code mod}, {@code sqrt},
     * {@code current_date}, {@code extract}, {@code cast}, {@code coalesce}, {@code nullif} and {@code case}, each
     * computed by PostgreSQL for the row and read, filtered and sorted on.
     */
    @Test
    void theQueryFunctionsAreComputedForEachRowAndFilteredAndSortedOn() {
        Map<String, Object> first = new HashMap<>(Map.of("label", " Hello ", "n", -7, "x", 16.0,
                "day", LocalDate.of(1999, 12, 31)));
        Map<String, Object> second = new HashMap<>(Map.of("label", "slow", "note", "noted", "n", 0, "x", 2.25,
                "day", LocalDate.of(2024, 2, 29)));
        ashlar.createAll("sample", List.of(first, second));
        List<String> functions = List.of("sub", "pos", "trimmed", "absolute", "modulo", "root", "today", "year",
                "as_text", "either", "nulled", "sign");

        var read = ashlar.read("sample").sort(Sort.asc("id"));
        for (String function : functions) {
            read = read.load(function);
        }
        List<Row> rows = read.list();

        Row hello = rows.get(0);
        assertThat(List.of(hello.get("sub"), hello.get("pos"), hello.get("trimmed"), hello.get("absolute"),
                hello.get("modulo"), hello.get("root"), hello.get("year"), hello.get("as_text"), hello.get("either"),
                hello.get("nulled"), hello.get("sign")))
                .containsExactly("Hel", 5, "Hello", 7, -1, 4.0, 1999, "-7", "Hello", -7, "neg");
        Row slow = rows.get(1);
        assertThat(slow.get("pos")).isEqualTo(2);
        assertThat(slow.get("root")).isEqualTo(1.5);
        assertThat(slow.get("either")).isEqualTo("noted");
        assertThat(slow.get("nulled")).isNull();
        assertThat(slow.get("sign")).isEqualTo("zero");
        assertThat(slow.get("today")).isEqualTo(db.query("SELECT current_date AS d").get(0).get("d") instanceof
                java.sql.Date d ? d.toLocalDate() : null);
        assertThat(ashlar.read("sample").where(eq("sign", "zero")).values("label", String.class))
                .containsExactly("slow");
        assertThat(ashlar.read("sample").where(eq("year", 1999)).count()).isOne();
        assertThat(ashlar.read("sample").sort(Sort.asc("absolute")).values("label", String.class))
                .containsExactly("slow", " Hello ");
    }

    /**
     * {@code dynamicinsert.DynamicInsertTest} ({@code @DynamicInsert}) with {@code @ColumnDefault}: a create that
     * leaves a field out keeps the column's database default, one that gives null stores null, and records of one
     * {@code createAll} that give different fields each keep what they gave and the defaults of what they did not.
     */
    @Test
    void aFieldLeftOutOfACreateKeepsTheDatabaseDefaultWhileANullGivenIsStored() {
        Map<String, Object> nulled = new HashMap<>();
        nulled.put("name", "nulled");
        nulled.put("status", null);
        ashlar.create("gadget", Map.of("name", "left out"));
        ashlar.create("gadget", nulled);
        ashlar.createAll("gadget", List.of(Map.of("name", "mixed a", "stock", 1), Map.of("name", "mixed b",
                "status", "used")));

        assertThat(db.query("SELECT name, status, stock FROM gadgets ORDER BY id"))
                .extracting(r -> r.get("name") + " " + r.get("status") + " " + r.get("stock"))
                .containsExactly("left out new 10", "nulled null 10", "mixed a new 1", "mixed b used 10");
        assertThat(db.query("SELECT column_default FROM information_schema.columns WHERE table_name = 'gadgets' "
                + "AND column_name = 'status'").get(0).get("column_default")).isEqualTo("'new'::text");
    }

    /**
     * {@code dynamicupdate.DynamicUpdateTest} ({@code @DynamicUpdate}): an update writes the fields it changes only,
     * so a column another writer changed in between keeps that writer's value.
     */
    @Test
    void anUpdateWritesOnlyTheFieldsItChangesSoAnotherWritersColumnSurvives() {
        Row read = ashlar.create("gadget", Map.of("name", "lamp", "status", "new"));
        db.execute("UPDATE gadgets SET stock = 99 WHERE id = " + read.get("id"));

        ashlar.update(read, Map.of("status", "sold"));

        assertThat(db.query("SELECT status, stock FROM gadgets")).extracting(r -> r.get("status") + " " + r.get("stock"))
                .containsExactly("sold 99");
    }

    /**
     * {@code naturalid.immutable.ImmutableNaturalIdTest} and {@code naturalid.NaturalIdTest}: a record is found by its
     * natural id, a second record with the same one is refused as a field error on it, and the natural id is not
     * changed by an update.
     */
    @Test
    void aRecordIsFoundByItsNaturalIdWhichIsUniqueAndNeverUpdated() {
        Row ada = ashlar.create("citizen", Map.of("ssn", "123-45", "name", "Ada"));

        assertThat(ashlar.get("citizen", Map.of("ssn", "123-45")).get("name")).isEqualTo("Ada");
        assertThatThrownBy(() -> ashlar.create("citizen", Map.of("ssn", "123-45", "name", "Eve")))
                .isInstanceOfSatisfying(InvalidDataException.class,
                        e -> assertThat(e.errors()).extracting(error -> error.field()).containsExactly("ssn"));
        assertThatThrownBy(() -> ashlar.update(ada, Map.of("ssn", "999-99"))).hasMessageContaining("'ssn'");
        assertThatThrownBy(() -> ashlar.get("citizen", Map.of("ssn", "999-99")))
                .isInstanceOf(NotFoundException.class);
        assertThat(db.query("SELECT ssn, name FROM citizens")).extracting(r -> r.get("ssn") + " " + r.get("name"))
                .containsExactly("123-45 Ada");
        assertThat(db.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'citizens' AND indexdef LIKE "
                + "'CREATE UNIQUE INDEX%(ssn)'")).hasSize(1);
    }

    /**
     * {@code collection.basic.ElementCollectionOfBasicsTest}, {@code mapping.collections.OrderColumnListIndexTest}
     * ({@code @ElementCollection} of strings with {@code @OrderColumn}): a list of values is stored in its order,
     * found by an element, and replaced whole by an update, in a {@code text[]} column.
     */
    @Test
    void aCollectionOfValuesKeepsItsOrderIsFoundByAnElementAndIsReplacedWhole() {
        Row list = ashlar.create("wishlist", Map.of("owner", "ada", "items", List.of("pen", "book", "apple")));
        ashlar.create("wishlist", Map.of("owner", "bob", "items", List.of()));

        assertThat(ashlar.get("wishlist", list.get("id")).get("items")).isEqualTo(List.of("pen", "book", "apple"));
        assertThat(ashlar.read("wishlist").where(contains("items", "book")).values("owner", String.class))
                .containsExactly("ada");
        ashlar.update(list, Map.of("items", List.of("apple", "pen")));
        assertThat(db.query("SELECT array_to_string(items, ',') AS items FROM wishlists WHERE owner = 'ada'")
                .get(0).get("items")).isEqualTo("apple,pen");
        assertThat(db.query("SELECT data_type, udt_name FROM information_schema.columns WHERE table_name = "
                + "'wishlists' AND column_name = 'items'").get(0)).containsEntry("data_type", "ARRAY")
                .containsEntry("udt_name", "_text");
    }

    /**
     * {@code id.sequence.PooledOptimizerTest}, {@code id.SequenceGeneratorTest} and {@code id.enhanced
     * .SequenceStyleConfigUnitTest} ({@code @SequenceGenerator(initialValue = 1000, allocationSize = 50)}): keys start
     * at the initial value and step by the allocation size, as the sequence in the catalog says.
     */
    @Test
    void keysStartAtTheInitialValueAndStepByTheAllocationSize() {
        List<Row> tickets = ashlar.createAll("ticket", List.of(Map.of("seat", "a"), Map.of("seat", "b"),
                Map.of("seat", "c")));

        assertThat(tickets).extracting(row -> row.get("id")).containsExactly(1000L, 1050L, 1100L);
        assertThat(db.query("SELECT start_value, increment_by FROM pg_sequences WHERE sequencename = "
                + "'tickets_id_seq'").get(0)).containsEntry("start_value", 1000L).containsEntry("increment_by", 50L);
    }

    /**
     * {@code inheritance.singletable.SingleTableInheritanceTest} and {@code inheritance.discriminator
     * .DiscriminatorTest} ({@code @DiscriminatorColumn}, {@code @DiscriminatorValue}): kinds of one record in one
     * table are created with their discriminator, and each kind's reads, counts, finds by key and deletes by query
     * reach its own rows only.
     */
    @Test
    void kindsInOneTableAreCreatedWithTheirDiscriminatorAndReadAndDestroyedApart() {
        ashlar.createAll("card_payment", List.of(Map.of("amount", 10), Map.of("amount", 20)));
        Row cash = ashlar.create("cash_payment", Map.of("amount", 5));

        assertThat(db.query("SELECT type, amount FROM payments ORDER BY id"))
                .extracting(r -> r.get("type") + " " + r.get("amount")).containsExactly("card 10", "card 20", "cash 5");
        assertThat(ashlar.read("card_payment").sort(Sort.asc("amount")).values("amount", Integer.class))
                .containsExactly(10, 20);
        assertThat(ashlar.read("card_payment").ignoreBaseFilter().count()).isEqualTo(2);
        assertThat(ashlar.find("card_payment", cash.get("id"))).isEmpty();
        assertThat(ashlar.read("card_payment").updateCount(Map.of("amount", 0))).isEqualTo(2);
        assertThat(ashlar.read("cash_payment").destroyAll()).isOne();
        assertThat(db.query("SELECT type, amount FROM payments ORDER BY id"))
                .extracting(r -> r.get("type") + " " + r.get("amount")).containsExactly("card 0", "card 0");
    }

    /**
     * {@code inheritance.discriminator.DiscriminatorTest}'s other side: a record of one kind can be neither created
     * with another kind's discriminator nor moved to another kind by an update, each refused naming the attribute.
     */
    @Test
    void aRecordIsNeitherCreatedAsNorMovedToAnotherKind() {
        Row card = ashlar.create("card_payment", Map.of("amount", 10));

        assertThatThrownBy(() -> ashlar.create("card_payment", Map.of("type", "cash", "amount", 1)))
                .isInstanceOfSatisfying(InvalidDataException.class,
                        e -> assertThat(e.errors()).extracting(error -> error.field()).containsExactly("type"));
        assertThatThrownBy(() -> ashlar.update(card, Map.of("type", "cash")))
                .hasMessageContaining("sets 'type', which holds the kind of every card_payment");
        assertThat(db.query("SELECT type FROM payments")).extracting(r -> r.get("type")).containsExactly("card");
    }

    /**
     * {@code tenantid.TenantIdTest} ({@code @TenantId}, a discriminator column): a record created for one tenant
     * carries its id, and another tenant's handle neither reads, counts, finds by key nor updates it.
     */
    @Test
    void aTenantsRecordCarriesItsIdAndIsOutOfAnotherTenantsReach() {
        Ashlar mine = ashlar.withTenant("acme");
        Ashlar theirs = ashlar.withTenant("globex");
        Row note = mine.create("tenant_note", Map.of("body", "secret"));

        assertThat(db.query("SELECT tenant_id FROM tenant_notes")).extracting(r -> r.get("tenant_id"))
                .containsExactly("acme");
        assertThat(theirs.read("tenant_note").list()).isEmpty();
        assertThat(theirs.read("tenant_note").count()).isZero();
        assertThat(theirs.find("tenant_note", note.get("id"))).isEmpty();
        assertThat(theirs.read("tenant_note").updateCount(Map.of("body", "stolen"))).isZero();
        assertThat(mine.get("tenant_note", note.get("id")).get("body")).isEqualTo("secret");
    }
}
