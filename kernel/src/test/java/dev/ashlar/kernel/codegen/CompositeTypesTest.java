package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.StoredEnum;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.drift.DriftCheck;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.snapshot.SnapshotStore;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.composite;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attributes stored in PostgreSQL composite types: the type's DDL, its fields over time, and the data layer. */
@ExtendWith(PostgresExtension.class)
class CompositeTypesTest {
    public record Money(BigDecimal amount, String currency) {
    }

    public record PricedMoney(BigDecimal amount, String currency, LocalDate asOf) {
    }

    public record Odd(BigDecimal amount, List<String> notes) {
    }

    public record Swapped(String currency, BigDecimal amount) {
    }

    public record Primitive(double amount, String currency) {
    }

    public enum Grade implements StoredEnum {
        GOLD("g"), SILVER("s");

        private final String code;

        Grade(String code) {
            this.code = code;
        }

        @Override
        public String storedValue() {
            return code;
        }
    }

    public record Graded(String currency, Grade grade) {
    }

    @TempDir
    Path project;
    TestDatabase db;
    private Instant now = Instant.parse("2026-12-02T11:00:00Z");

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS shop CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Type.Composite money() {
        return composite("money_with_currency", Money.class).with("currency", varchar(3));
    }

    private static Resource product(Type price) {
        return Resource.builder("product").table("products").primaryKey("id").attribute("name", TEXT)
                .attribute("price", price).build();
    }

    private static Domain shop(Resource... resources) {
        return Domain.builder("shop").resources(resources).build();
    }

    private Codegen.Result generate(Domain domain, String name) {
        now = now.plusSeconds(60);
        return new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.fixed(now, ZoneOffset.UTC))
                .generate(name);
    }

    private Codegen.Result check(Domain domain) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.fixed(now, ZoneOffset.UTC)).check();
    }

    private Ashlar migrated(Domain domain) {
        generate(domain, "create");
        migrator().migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    /** The type's kind and its live fields with their types, in order, as the catalog has them. */
    private List<String> fields(String schema, String type) {
        return db.query("SELECT t.typtype::text || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) "
                + "AS field FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                + "JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped "
                + "WHERE n.nspname = ? AND t.typname = ? ORDER BY a.attnum", schema, type)
                .stream().map(r -> (String) r.get("field")).toList();
    }

    private Object udtName(String schema, String table, String column) {
        return db.query("SELECT udt_schema || '.' || udt_name AS udt FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ? AND column_name = ?", schema, table, column)
                .get(0).get("udt");
    }

    private static String text(Codegen.Result result) {
        return String.join("\n", result.files().stream().map(f -> {
            try {
                return Files.readString(f);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList());
    }

    @Test
    void codegenCreatesTheTypeBeforeItsTableAndRecordsItsFieldsInTheSnapshot() throws IOException {
        Domain domain = shop(product(money()));

        Codegen.Result created = generate(domain, "create");
        migrator().migrate();

        String file = text(created);
        assertThat(file.indexOf("CREATE TYPE \"public\".\"money_with_currency\" AS (\"amount\" numeric, "
                + "\"currency\" varchar(3));")).isPositive().isLessThan(file.indexOf("CREATE TABLE"));
        assertThat(file).contains("\"price\" \"public\".\"money_with_currency\"",
                "DROP TYPE \"public\".\"money_with_currency\";").doesNotContain("-- lint:");
        assertThat(fields("public", "money_with_currency"))
                .containsExactly("c amount numeric", "c currency character varying(3)");
        assertThat(udtName("public", "products", "price")).isEqualTo("public.money_with_currency");
        try (Stream<Path> snapshots = Files.walk(project.resolve("resource_snapshots/public/products"))) {
            String snapshot = Files.readString(snapshots.filter(Files::isRegularFile).findFirst().orElseThrow());
            assertThat(snapshot).contains("\"composite_type\"", "\"money_with_currency\"", "\"varchar(3)\"");
        }
        assertThat(check(domain).steps()).isEmpty();
        DriftCheck drift = new DriftCheck(db.dataSource(), new SnapshotStore(project).latest());
        assertThat(drift.compare(List.of())).isEmpty();
        db.execute("ALTER TYPE money_with_currency ADD ATTRIBUTE rate numeric");
        assertThat(drift.compare(List.of())).extracting(Object::toString).singleElement().asString()
                .contains("products.price", "rate numeric");
    }

    @Test
    void recordsAreCreatedReadBackUpdatedAndFilteredByTheWholeValue() {
        try (Ashlar ashlar = migrated(shop(product(composite("money_with_currency", Money.class))))) {
            Money tenEuros = new Money(new BigDecimal("10.50"), "EUR");
            Row created = ashlar.create("product", Map.of("id", 1, "name", "pen", "price", tenEuros));
            ashlar.create("product", Map.of("id", 2, "name", "ink", "price", Map.of("amount", 3, "currency", "USD")));
            ashlar.create("product", Map.of("id", 3, "name", "free"));
            ashlar.create("product", Map.of("id", 4, "name", "odd", "price",
                    new Money(null, "a \"quoted\", (odd) \\ one")));

            assertThat(created.get("price")).isEqualTo(tenEuros);
            assertThat(ashlar.get("product", 2).get("price")).isEqualTo(new Money(new BigDecimal("3"), "USD"));
            assertThat(ashlar.get("product", 3).get("price")).isNull();
            assertThat(ashlar.get("product", 4).get("price")).isEqualTo(new Money(null, "a \"quoted\", (odd) \\ one"));
            assertThat(db.query("SELECT (price).currency AS c FROM products WHERE id = 1").get(0).get("c"))
                    .isEqualTo("EUR");

            Row updated = ashlar.update(created, Map.of("price", new Money(new BigDecimal("12"), "EUR")));
            assertThat(updated.get("price")).isEqualTo(new Money(new BigDecimal("12"), "EUR"));
            assertThat(ashlar.read("product").where(Filter.eq("price", new Money(new BigDecimal("12"), "EUR")))
                    .list()).extracting(r -> r.get("name")).containsExactly("pen");
            // As PostgreSQL compares composite values: a null field equals a null field.
            assertThat(ashlar.read("product").where(Filter.eq("price", new Money(null, "a \"quoted\", (odd) \\ one")))
                    .list()).extracting(r -> r.get("name")).containsExactly("odd");
            assertThat(ashlar.read("product").where(Filter.gt("price", Map.of("amount", 11, "currency", "A")))
                    .sort(Sort.asc("id")).list()).extracting(r -> r.get("name")).containsExactly("pen", "odd");
            assertThat(ashlar.read("product").where(Filter.isNil("price")).list())
                    .extracting(r -> r.get("name")).containsExactly("free");
            assertThat(ashlar.update(updated, Map.of("price", Map.of())).get("price"))
                    .isEqualTo(new Money(null, null));
            ashlar.upsert("product", List.of(Map.of("id", 2, "name", "ink", "price", new Money(BigDecimal.ONE, "EUR")),
                    Map.of("id", 5, "name", "nib", "price", new Money(BigDecimal.TEN, "EUR"))), Upsert.onPrimaryKey());
            assertThat(ashlar.read("product").where(Filter.eq("price.currency", "EUR")).sort(Sort.asc("id")).list())
                    .extracting(r -> r.get("price"))
                    .containsExactly(new Money(BigDecimal.ONE, "EUR"), new Money(BigDecimal.TEN, "EUR"));
        }
    }

    @Test
    void aFieldOfTheValueFiltersAndSortsAsTheFieldsType() {
        try (Ashlar ashlar = migrated(shop(product(money())))) {
            ashlar.create("product", Map.of("id", 1, "name", "pen", "price", new Money(new BigDecimal("10"), "EUR")));
            ashlar.create("product", Map.of("id", 2, "name", "ink", "price", new Money(new BigDecimal("3"), "USD")));
            ashlar.create("product", Map.of("id", 3, "name", "cap", "price", new Money(new BigDecimal("25"), "EUR")));
            ashlar.create("product", Map.of("id", 4, "name", "free"));

            assertThat(ashlar.read("product").where(Filter.eq("price.currency", "EUR")).sort(Sort.asc("id")).list())
                    .extracting(r -> r.get("name")).containsExactly("pen", "cap");
            assertThat(ashlar.read("product").where(Filter.gt("price.amount", 5)).sort(Sort.desc("price.amount"))
                    .list()).extracting(r -> r.get("name")).containsExactly("cap", "pen");
            assertThat(ashlar.read("product").where(Filter.in("price.currency", List.of("USD", "GBP"))).list())
                    .extracting(r -> r.get("name")).containsExactly("ink");
            assertThat(ashlar.read("product").where(Filter.isNil("price.currency")).list())
                    .extracting(r -> r.get("name")).containsExactly("free");
            assertThatThrownBy(() -> ashlar.read("product").where(Filter.in("price", List.of(Map.of()))).list())
                    .hasMessageContaining("composite attribute 'price'");
            assertThatThrownBy(() -> ashlar.read("product").where(Filter.eq("price.cents", 5)).list())
                    .hasMessageContaining("price.cents").hasMessageContaining("[amount, currency]");
            assertThatThrownBy(() -> ashlar.read("product").where(Filter.eq("price.currency", "EURO")).list())
                    .hasMessageContaining("price").hasMessageContaining("varchar(3)");
        }
    }

    public record Item(Long id, Money price) {
        static final Table<Item> ITEMS = Table.of("item", Item.class);
        static final Field<Item, Long> ID = ITEMS.bigintPrimaryKey("id");
        static final Field<Item, Money> PRICE = ITEMS.attribute("price", Kind.composite("money_with_currency",
                Money.class));
        static final Resource RESOURCE = ITEMS.builder().table("items").add(ID, PRICE).build();
    }

    @Test
    void theTypedApiWritesReadsAndFiltersTheRecord() {
        try (Ashlar ashlar = migrated(shop(Item.RESOURCE))) {
            ashlar.create(Item.ITEMS, new Item(null, new Money(new BigDecimal("5.25"), "GBP")));
            ashlar.create(Item.ITEMS, new Item(null, new Money(new BigDecimal("7"), "EUR")));

            assertThat(ashlar.read(Item.ITEMS).where(Item.PRICE.eq(new Money(new BigDecimal("7"), "EUR"))).list())
                    .extracting(Item::price).containsExactly(new Money(new BigDecimal("7"), "EUR"));
            assertThat(ashlar.read(Item.ITEMS).sort(Item.ID.asc()).list()).extracting(Item::price).containsExactly(
                    new Money(new BigDecimal("5.25"), "GBP"), new Money(new BigDecimal("7"), "EUR"));
        }
    }

    @Test
    void aValueWithWrongFieldDataIsRefusedNamingTheAttributeAndTheField() {
        try (Ashlar ashlar = migrated(shop(product(money())))) {
            assertThatThrownBy(() -> ashlar.create("product", Map.of("id", 1, "price",
                    new Money(BigDecimal.ONE, "EURO"))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("price")
                    .hasMessageContaining("field 'currency'").hasMessageContaining("varchar(3)");
            assertThatThrownBy(() -> ashlar.create("product", Map.of("id", 1, "price",
                    Map.of("amount", "ten", "currency", "EUR"))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("price")
                    .hasMessageContaining("field 'amount'").hasMessageContaining("ten");
            assertThatThrownBy(() -> ashlar.create("product", Map.of("id", 1, "price", Map.of("cents", 5))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("price")
                    .hasMessageContaining("'cents'").hasMessageContaining("[amount, currency]");
            assertThat(db.query("SELECT count(*) AS n FROM products").get(0).get("n")).isEqualTo(0L);
        }
    }

    @Test
    void anAddedFieldIsAddedInPlaceAndAPopulatedTableKeepsItsRows() throws IOException {
        generate(shop(product(money())), "create");
        migrator().migrate();
        db.execute("INSERT INTO products (id, name, price) VALUES (1, 'pen', ROW(10.5, 'EUR'))");
        Domain grown = shop(product(composite("money_with_currency", PricedMoney.class).with("currency", varchar(3))));

        Codegen.Result added = generate(grown, "add_as_of");
        migrator().migrate();

        assertThat(text(added)).contains(
                "ALTER TYPE \"public\".\"money_with_currency\" ADD ATTRIBUTE \"asOf\" date;",
                "ALTER TYPE \"public\".\"money_with_currency\" DROP ATTRIBUTE \"asOf\";");
        assertThat(added.steps()).extracting(s -> s.describe()).containsExactly(
                "alter composite type public.money_with_currency [amount, currency] -> [amount, currency, asOf]");
        assertThat(fields("public", "money_with_currency"))
                .containsExactly("c amount numeric", "c currency character varying(3)", "c asOf date");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(grown).build()) {
            assertThat(ashlar.get("product", 1).get("price"))
                    .isEqualTo(new PricedMoney(new BigDecimal("10.5"), "EUR", null));
            PricedMoney dated = new PricedMoney(BigDecimal.TEN, "USD", LocalDate.of(2026, 12, 2));
            ashlar.create("product", Map.of("id", 2, "price", dated));
            assertThat(ashlar.get("product", 2).get("price")).isEqualTo(dated);
        }
        assertThat(check(grown).steps()).isEmpty();
        migrator().rollback(1);
        assertThat(fields("public", "money_with_currency"))
                .containsExactly("c amount numeric", "c currency character varying(3)");
    }

    @Test
    void theDomainRefusesALongNameAFieldWithoutColumnTypeAndTwoDifferentDeclarationsNamingResourceAndAttribute() {
        assertThatThrownBy(() -> shop(product(composite("m".repeat(64), Money.class))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'product'")
                .hasMessageContaining("price").hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> shop(product(composite("odd", Odd.class))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'product'")
                .hasMessageContaining("price").hasMessageContaining("field 'notes'")
                .hasMessageContaining("no column type").hasMessageContaining("String, BigDecimal");
        assertThatThrownBy(() -> shop(product(composite("money", Primitive.class))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'product'")
                .hasMessageContaining("field 'amount'").hasMessageContaining("declare the component as Double");
        Resource order = Resource.builder("order").table("orders").primaryKey("id")
                .attribute("total", composite("money_with_currency", Money.class)).build();
        assertThatThrownBy(() -> shop(product(money()), order))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'order'")
                .hasMessageContaining("total").hasMessageContaining("attribute 'price' of resource 'product'")
                .hasMessageContaining("Declare the same fields in both, or name another type");
        assertThatThrownBy(() -> Kind.composite(money(), Swapped.class))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("Money").hasMessageContaining("Swapped");
        assertThatThrownBy(() -> money().with("cents", Type.INTEGER))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("[amount, currency]");
        assertThatThrownBy(() -> Type.arrayOf(money()))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("arrays of composite type");
    }

    @Test
    void aMovedOrRetypedFieldIsRefusedNamingTheResourceAttributeTypeAndTheWayOut() {
        generate(shop(product(money())), "create");

        for (Type changed : List.of(composite("money_with_currency", Swapped.class).with("currency", varchar(3)),
                money().with("amount", decimal(12, 2)))) {
            assertThatThrownBy(() -> generate(shop(product(changed)), "change"))
                    .isInstanceOf(DefinitionException.class)
                    .hasMessageContaining("attribute 'price' of resource 'product'")
                    .hasMessageContaining("\"public\".\"money_with_currency\"")
                    .hasMessageContaining("cannot move a field or change its type")
                    .hasMessageContaining("composite(\"money_with_currency_v2\"");
        }
    }

    @Test
    void theTypeIsDroppedWhenNoAttributeUsesItAndComesBackOnRollback() {
        generate(shop(product(money())), "create");
        migrator().migrate();
        Domain plain = shop(Resource.builder("product").table("products").primaryKey("id").attribute("name", TEXT)
                .build());

        Codegen.Result dropped = generate(plain, "drop");
        migrator().migrate();

        assertThat(dropped.steps()).extracting(s -> s.describe())
                .containsExactly("drop column public.products.price", "drop composite type public.money_with_currency");
        assertThat(fields("public", "money_with_currency")).isEmpty();
        migrator().rollback(1);
        assertThat(fields("public", "money_with_currency"))
                .containsExactly("c amount numeric", "c currency character varying(3)");
        assertThat(udtName("public", "products", "price")).isEqualTo("public.money_with_currency");
    }

    @Test
    void aResourceInAnotherSchemaHasItsTypeInThatSchema() {
        Resource archived = Resource.builder("product").table("products").schema("shop").primaryKey("id")
                .attribute("price", money()).build();
        try (Ashlar ashlar = migrated(shop(archived))) {
            ashlar.create("product", Map.of("id", 1, "price", new Money(BigDecimal.ONE, "EUR")));

            assertThat(fields("shop", "money_with_currency")).hasSize(2);
            assertThat(udtName("shop", "products", "price")).isEqualTo("shop.money_with_currency");
            assertThat(ashlar.read("product").where(Filter.eq("price", new Money(BigDecimal.ONE, "EUR"))).list())
                    .extracting(r -> r.get("price")).containsExactly(new Money(BigDecimal.ONE, "EUR"));
        }
    }

    @Test
    void anEnumFieldIsStoredByItsCodeAndAnUnknownStoredCodeIsRefusedOnReadNamingTheField() {
        try (Ashlar ashlar = migrated(shop(product(composite("graded_price", Graded.class))))) {
            ashlar.create("product", Map.of("id", 1, "name", "pen", "price", new Graded("EUR", Grade.SILVER)));
            db.execute("INSERT INTO products (id, name, price) VALUES (2, 'ink', ROW('EUR', 'x'))");

            assertThat(db.query("SELECT (price).grade AS g FROM products WHERE id = 1").get(0).get("g")).isEqualTo("s");
            assertThat(ashlar.get("product", 1).get("price")).isEqualTo(new Graded("EUR", Grade.SILVER));
            assertThatThrownBy(() -> ashlar.get("product", 2)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("'x' in field 'grade'").hasMessageContaining("[g, s]");
        }
    }
}
