package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Converter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attributes stored in a form of their own by a {@link Converter}: enums by ordinal and by integer codes, booleans as
 * Y/N, T/F and 1/0, and any Java type by two functions; the column, its default, writes, filters, sorts and reads.
 */
@ExtendWith(PostgresExtension.class)
class AttributeConvertersTest {
    enum Status { NEW, PAID, SHIPPED }

    enum Priority {
        LOW(10), HIGH(20);

        final int code;

        Priority(int code) {
            this.code = code;
        }
    }

    record Money(long cents) { }

    static final Converter<Money, Long> CENTS = Converter.of(Money.class, BIGINT, Long.class, Money::cents,
            Money::new);

    record Order(Long id, Status status, Boolean active, Money price) { }

    static final Table<Order> ORDERS = Table.of("order", Order.class);
    static final Field<Order, Long> ID = ORDERS.attribute("id", Kind.BIGINT, a -> a.primaryKey());
    static final Field<Order, Status> STATUS = ORDERS.attribute("status",
            Kind.converted(Converter.ordinal(Status.class)), a -> a.notNull().defaultValue(Status.NEW));
    static final Field<Order, Boolean> ACTIVE = ORDERS.attribute("active", Kind.converted(Converter.yesNo()));
    static final Field<Order, Money> PRICE = ORDERS.attribute("price", Kind.converted(CENTS));

    @TempDir
    Path project;
    TestDatabase db;
    private Instant now = Instant.parse("2026-12-01T11:00:00Z");

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Resource order() {
        return Resource.builder("order").table("orders").primaryKey("id")
                .attribute("status", Converter.ordinal(Status.class), a -> a.notNull().defaultValue(Status.PAID))
                .attribute("priority", Converter.codes(Priority.class, p -> p.code))
                .attribute("active", Converter.yesNo(), a -> a.notNull().defaultValue(true))
                .attribute("shipped", Converter.trueFalse())
                .attribute("gift", Converter.numericBoolean())
                .attribute("price", CENTS)
                .attribute("site", Converter.of(URI.class, TEXT, String.class, URI::toString, URI::create))
                .build();
    }

    @Test
    void sumsAndAveragesOfAConvertedAttributeAreRefusedWhereMinAndMaxReadItsJavaValues() {
        try (Ashlar ashlar = migrated(order())) {
            ashlar.create("order", values("status", Status.SHIPPED, "gift", true, "price", new Money(250)));
            ashlar.create("order", values("status", Status.NEW, "gift", true, "price", new Money(100)));

            for (String field : List.of("status", "gift", "price")) {
                assertThatThrownBy(() -> ashlar.read("order").sum(field)).as(field)
                        .isInstanceOf(QueryException.class).hasMessageContaining("sum(\"" + field + "\")");
                assertThatThrownBy(() -> ashlar.read("order").avg(field)).as(field)
                        .isInstanceOf(QueryException.class).hasMessageContaining("avg(\"" + field + "\")");
                assertThatThrownBy(() -> ashlar.read("order").groupBy("active").sum(field, "total").list())
                        .as(field).isInstanceOf(QueryException.class).hasMessageContaining(field);
            }
            assertThat(ashlar.read("order").max("status")).isEqualTo(Status.SHIPPED);
            assertThat(ashlar.read("order").min("price")).isEqualTo(new Money(100));
        }
        Resource summing = Resource.builder("customer").table("customers").primaryKey("id")
                .hasMany("orders", "order", r -> r.destinationAttribute("customer_id"))
                .sum("ordinal_total", "orders", "status").build();
        Resource owned = Resource.builder("order").table("orders").primaryKey("id")
                .attribute("customer_id", BIGINT).attribute("status", Converter.ordinal(Status.class)).build();
        assertThatThrownBy(() -> Domain.builder("shop").resources(summing, owned).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("order.status")
                .hasMessageContaining("stored by a converter");
    }

    private Codegen codegen(Domain domain) {
        now = now.plusSeconds(60);
        return new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private Ashlar migrated(Resource... resources) {
        Domain domain = Domain.builder("shop").resources(resources).build();
        codegen(domain).generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    private Map<String, Object> column(String table, String column) {
        return db.query("SELECT data_type, character_maximum_length AS length, column_default AS dflt "
                + "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? "
                + "AND column_name = ?", table, column).get(0);
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void eachColumnGetsTheStoredTypeAndADefaultGivenAsAJavaValueIsWrittenInItsStoredForm() {
        migrated(order()).close();
        {
            assertThat(column("orders", "status")).containsEntry("data_type", "smallint").containsEntry("dflt", "1");
            assertThat(column("orders", "priority")).containsEntry("data_type", "integer");
            assertThat(column("orders", "active")).containsEntry("data_type", "character varying")
                    .containsEntry("length", 1).containsEntry("dflt", "'Y'::character varying");
            assertThat(column("orders", "shipped")).containsEntry("data_type", "character varying");
            assertThat(column("orders", "gift")).containsEntry("data_type", "integer");
            assertThat(column("orders", "price")).containsEntry("data_type", "bigint");
            assertThat(column("orders", "site")).containsEntry("data_type", "text");
            assertThat(codegen(Domain.builder("shop").resources(order()).build()).check().changed())
                    .as("the snapshot holds what the resources say").isFalse();
        }
    }

    @Test
    void createUpdateUpsertAndBulkCreateStoreTheStoredFormAndReadBackTheJavaValues() {
        try (Ashlar ashlar = migrated(order())) {
            Row created = ashlar.create("order", values("id", 1L, "status", Status.SHIPPED, "priority", Priority.HIGH,
                    "active", false, "shipped", true, "gift", true, "price", new Money(1250),
                    "site", URI.create("https://example.com/a")));
            ashlar.create("order", values("id", 2L));
            ashlar.update(ashlar.get("order", 2L), values("status", Status.NEW, "gift", false));
            ashlar.upsert("order", values("id", 3L, "priority", Priority.LOW, "shipped", false), Upsert.onPrimaryKey());
            ashlar.upsert("order", values("id", 1L, "active", true), Upsert.onPrimaryKey());
            ashlar.createAll("order", List.of(values("id", 4L, "status", Status.PAID, "price", new Money(7)),
                    values("id", 5L, "status", Status.SHIPPED, "active", false, "price", new Money(-3))));

            assertThat(created.get("status")).isEqualTo(Status.SHIPPED);
            assertThat(created.get("price")).isEqualTo(new Money(1250));
            assertThat(db.query("SELECT id, status, priority, active, shipped, gift, price, site FROM orders "
                    + "ORDER BY id").stream().map(r -> r.values().stream().map(String::valueOf).toList()).toList())
                    .containsExactly(
                            List.of("1", "2", "20", "Y", "T", "1", "1250", "https://example.com/a"),
                            List.of("2", "0", "null", "Y", "null", "0", "null", "null"),
                            List.of("3", "1", "10", "Y", "F", "null", "null", "null"),
                            List.of("4", "1", "null", "Y", "null", "null", "7", "null"),
                            List.of("5", "2", "null", "N", "null", "null", "-3", "null"));
            Row first = ashlar.get("order", 1L);
            assertThat(first.getEnum("status", Status.class)).isEqualTo(Status.SHIPPED);
            assertThat(first.get("priority")).isEqualTo(Priority.HIGH);
            assertThat(first.getBoolean("active")).isTrue();
            assertThat(first.getBoolean("shipped")).isTrue();
            assertThat(first.getBoolean("gift")).isTrue();
            assertThat(first.get("site")).isEqualTo(URI.create("https://example.com/a"));
            assertThat(ashlar.get("order", 3L).getBoolean("shipped")).isFalse();
        }
    }

    @Test
    void filtersAndSortsCompareTheStoredForm() {
        try (Ashlar ashlar = migrated(order())) {
            ashlar.createAll("order", List.of(
                    values("id", 1L, "status", Status.SHIPPED, "active", true, "gift", true, "price", new Money(500)),
                    values("id", 2L, "status", Status.NEW, "active", false, "gift", false, "price", new Money(100)),
                    values("id", 3L, "status", Status.PAID, "active", true, "gift", false, "price", new Money(900))));

            assertThat(ids(ashlar, Filter.eq("status", Status.PAID))).containsExactly(3L);
            assertThat(ids(ashlar, Filter.in("status", List.of(Status.NEW, Status.SHIPPED)))).containsExactly(1L, 2L);
            assertThat(ids(ashlar, Filter.gt("status", Status.NEW))).containsExactly(1L, 3L);
            assertThat(ids(ashlar, Filter.eq("active", false))).containsExactly(2L);
            assertThat(ids(ashlar, Filter.eq("gift", true))).containsExactly(1L);
            assertThat(ids(ashlar, Filter.lt("price", new Money(600)))).containsExactly(1L, 2L);
            assertThat(ids(ashlar, Filter.sql("price > ?", new Money(400)))).containsExactly(1L, 3L);
            assertThat(ashlar.read("order").sort(Sort.desc("status")).values("id", Long.class))
                    .containsExactly(1L, 3L, 2L);
            assertThat(ashlar.read("order").sort(Sort.asc("price")).values("price", Money.class))
                    .containsExactly(new Money(100), new Money(500), new Money(900));
        }
    }

    private static List<Long> ids(Ashlar ashlar, Filter filter) {
        return ashlar.read("order").where(filter).sort(Sort.asc("id")).values("id", Long.class);
    }

    @Test
    void aBelongsToAConvertedPrimaryKeyHoldsTheJavaValuesAndLoadsInBothDirections() {
        Resource kind = Resource.builder("kind").table("kinds")
                .attribute("status", Converter.ordinal(Status.class), a -> a.primaryKey())
                .attribute("label", TEXT)
                .hasMany("uses", "use", r -> r.destinationAttribute("kind_id"))
                .build();
        Resource use = Resource.builder("use").table("uses").primaryKey("id").belongsTo("kind", "kind").build();
        try (Ashlar ashlar = migrated(kind, use)) {
            ashlar.createAll("kind", List.of(values("status", Status.NEW, "label", "new"),
                    values("status", Status.PAID, "label", "paid")));
            ashlar.createAll("use", List.of(values("id", 1L, "kind_id", Status.PAID), values("id", 2L,
                    "kind_id", Status.NEW), values("id", 3L, "kind_id", Status.PAID)));

            assertThat(column("uses", "kind_id")).containsEntry("data_type", "smallint");
            assertThat(db.query("SELECT kind_id FROM uses ORDER BY id").stream().map(r -> r.get("kind_id")).toList())
                    .containsExactly(1, 0, 1);
            assertThat(ids(ashlar, "use", Filter.eq("kind_id", Status.PAID))).containsExactly(1L, 3L);
            assertThat(ashlar.get("use", 2L).get("kind_id")).isEqualTo(Status.NEW);
            assertThat(ashlar.read("use").load("kind").sort(Sort.asc("id")).list())
                    .extracting(row -> row.relatedOne("kind").orElseThrow().get("label"))
                    .containsExactly("paid", "new", "paid");
            assertThat(ashlar.read("kind").load("uses").sort(Sort.asc("status")).list())
                    .extracting(row -> row.related("uses").size()).containsExactly(1, 2);
        }
    }

    @Test
    void aDeclaredKeyWithoutTheConverterOfTheKeyItReferencesIsRefusedNamingTheRelationship() {
        Resource kind = Resource.builder("kind").table("kinds")
                .attribute("status", Converter.ordinal(Status.class), a -> a.primaryKey()).build();
        Resource use = Resource.builder("use").table("uses").primaryKey("id")
                .attribute("kind_id", dev.ashlar.api.resource.Type.SMALLINT).belongsTo("kind", "kind").build();
        assertThatThrownBy(() -> Domain.builder("shop").resources(kind, use).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("kind")
                .hasMessageContaining("stored by ordinal of Status").hasMessageContaining("'kind_id' is not converted");
    }

    @Test
    void aConvertedAttributeNamedByOptimisticLockOrSoftDeleteIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Domain.builder("shop").resources(Resource.builder("order").table("orders")
                .primaryKey("id").attribute("version", Converter.ordinal(Status.class, INTEGER))
                .optimisticLock("version").build()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("version")
                .hasMessageContaining("optimisticLock(\"version\") writes the column's own values");
        assertThatThrownBy(() -> Domain.builder("shop").resources(Resource.builder("order").table("orders")
                .primaryKey("id").attribute("deleted", Converter.yesNo()).softDelete("deleted").build()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("is stored by Y/N boolean, but softDelete(\"deleted\")");
    }

    @Test
    void aLikeOnAConvertedTextAttributeIsRefusedSayingItsValuesAreOfTheJavaType() {
        try (Ashlar ashlar = migrated(order())) {
            assertThatThrownBy(() -> ids(ashlar, Filter.like("site", "https%")))
                    .isInstanceOf(QueryException.class).hasMessageContaining("site")
                    .hasMessageContaining("whose values are URIs");
        }
    }

    private static List<Long> ids(Ashlar ashlar, String resource, Filter filter) {
        return ashlar.read(resource).where(filter).sort(Sort.asc("id")).values("id", Long.class);
    }

    @Test
    void aValueOfAnotherJavaTypeIsRefusedInFiltersAndWritesNamingTheField() {
        try (Ashlar ashlar = migrated(order())) {
            assertThatThrownBy(() -> ids(ashlar, Filter.eq("status", 1)))
                    .isInstanceOf(QueryException.class).hasMessageContaining("order.status")
                    .hasMessageContaining("must be a Status");
            assertThatThrownBy(() -> ids(ashlar, Filter.in("active", List.of("Y"))))
                    .isInstanceOf(QueryException.class).hasMessageContaining("active")
                    .hasMessageContaining("must be a Boolean");
            assertThatThrownBy(() -> ashlar.create("order", values("id", 1L, "price", 1250L)))
                    .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                            .anySatisfy(error -> assertThat(error.toString()).contains("price", "must be a Money")));
            assertThatThrownBy(() -> ashlar.createAll("order", List.of(values("id", 1L), values("id", 2L, "gift", 1))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("gift")
                    .hasMessageContaining("must be a Boolean");
            assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(0L);
        }
    }

    @Test
    void anUnknownStoredValueIsRefusedOnReadNamingTheResourceTheFieldTheValueAndTheAllowedOnes() {
        try (Ashlar ashlar = migrated(order())) {
            db.execute("INSERT INTO orders (id, status) VALUES (1, 7)");
            db.execute("INSERT INTO orders (id, status, active) VALUES (2, 0, 'X')");
            db.execute("INSERT INTO orders (id, status, priority) VALUES (3, 0, 15)");

            assertThatThrownBy(() -> ashlar.get("order", 1L)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("order.status holds 7").hasMessageContaining("[0, 1, 2]");
            assertThatThrownBy(() -> ashlar.get("order", 2L)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("order.active holds 'X'").hasMessageContaining("['Y', 'N']");
            assertThatThrownBy(() -> ashlar.get("order", 3L)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("order.priority holds 15").hasMessageContaining("[10, 20]");
        }
    }

    @Test
    void aConverterThatThrowsOrGivesNullIsRefusedNamingTheField() {
        Converter<String, String> picky = Converter.of(String.class, TEXT, String.class, text -> {
            if (text.isEmpty()) {
                throw new IllegalStateException("nothing to store");
            }
            return text.equals("none") ? null : text.toUpperCase();
        }, stored -> stored.equals("LOST") ? null : stored.toLowerCase());
        Resource note = Resource.builder("note").table("notes").primaryKey("id").attribute("code", picky).build();
        try (Ashlar ashlar = migrated(note)) {
            assertThatThrownBy(() -> ashlar.create("note", values("id", 1L, "code", "")))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("code")
                    .hasMessageContaining("nothing to store");
            assertThatThrownBy(() -> ashlar.create("note", values("id", 1L, "code", "none")))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("code")
                    .hasMessageContaining("stored as null");
            ashlar.create("note", values("id", 1L, "code", "kept"));
            assertThat(db.value("SELECT code FROM notes")).isEqualTo("KEPT");
            db.execute("UPDATE notes SET code = 'LOST'");
            assertThatThrownBy(() -> ashlar.get("note", 1L)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("note.code holds 'LOST'").hasMessageContaining("read as null");
        }
    }

    @Test
    void anExistingYesNoColumnWithRowsIsAdoptedAndANewConvertedColumnGetsItsStoredDefaultOnThoseRows() {
        db.execute("CREATE TABLE members (id bigint PRIMARY KEY, active char(1) NOT NULL)");
        db.execute("INSERT INTO members VALUES (1, 'Y'), (2, 'N'), (3, 'Y')");
        Resource adopted = Resource.builder("member").table("members")
                .attribute("id", BIGINT, a -> a.primaryKey())
                .attribute("active", Converter.yesNo(), a -> a.notNull().migrationType("char(1)"))
                .build();
        Domain before = Domain.builder("shop").resources(adopted).build();
        codegen(before).recordSnapshots();
        Resource grown = Resource.builder("member").table("members")
                .attribute("id", BIGINT, a -> a.primaryKey())
                .attribute("active", Converter.yesNo(), a -> a.notNull().migrationType("char(1)"))
                .attribute("level", Converter.ordinal(Status.class, INTEGER), a -> a.notNull()
                        .defaultValue(Status.PAID))
                .build();
        try (Ashlar ashlar = migrated(grown)) {
            assertThat(ashlar.read("member").where(Filter.eq("active", true)).sort(Sort.asc("id"))
                    .values("id", Long.class)).containsExactly(1L, 3L);
            assertThat(ashlar.get("member", 2L).get("level")).isEqualTo(Status.PAID);
            ashlar.update(ashlar.get("member", 2L), values("active", true, "level", Status.SHIPPED));
            assertThat(db.query("SELECT active, level FROM members WHERE id = 2").get(0))
                    .containsEntry("active", "Y").containsEntry("level", 2);
            assertThat(column("members", "level")).containsEntry("data_type", "integer").containsEntry("dflt", "1");
        }
    }

    @Test
    void typedFieldsTakeAndReadTheJavaValues() {
        Resource resource = ORDERS.builder().table("orders").add(ID, STATUS, ACTIVE, PRICE).build();
        try (Ashlar ashlar = migrated(resource)) {
            ashlar.create(ORDERS, new Order(1L, Status.PAID, true, new Money(300)));
            ashlar.createAll(ORDERS, List.of(new Order(2L, Status.SHIPPED, false, new Money(100)),
                    new Order(3L, Status.NEW, null, null)));
            Order updated = ashlar.update(ORDERS, ashlar.get(ORDERS, 3L), STATUS.set(Status.SHIPPED));

            assertThat(updated.status()).isEqualTo(Status.SHIPPED);
            assertThat(db.query("SELECT status, active, price FROM orders WHERE id = 1").get(0))
                    .containsEntry("status", 1).containsEntry("active", "Y").containsEntry("price", 300L);
            assertThat(ashlar.read(ORDERS).where(STATUS.eq(Status.SHIPPED)).sort(ID.asc()).list())
                    .extracting(Order::id).containsExactly(2L, 3L);
            assertThat(ashlar.read(ORDERS).where(ACTIVE.eq(true)).list()).containsExactly(
                    new Order(1L, Status.PAID, true, new Money(300)));
            assertThat(ashlar.read(ORDERS).sort(PRICE.desc()).list()).extracting(Order::price)
                    .containsExactly(null, new Money(300), new Money(100));
        }
    }

    @Test
    void resourcesDeclaredTwiceWithReadyMadeConvertersAreEqualAndAConverterOfFunctionsOnlyToItself() {
        java.util.function.Supplier<Resource> flags = () -> Resource.builder("flag").table("flags").primaryKey("id")
                .attribute("status", Converter.ordinal(Status.class)).attribute("active", Converter.yesNo())
                .attribute("priority", Converter.codes(Priority.class, p -> p.code)).build();
        assertThat(flags.get()).isEqualTo(flags.get());
        assertThat(Converter.ordinal(Status.class)).isNotEqualTo(Converter.ordinal(Status.class, INTEGER))
                .isNotEqualTo(Converter.codes(Status.class, Status::ordinal));
        assertThat(Converter.of(URI.class, TEXT, String.class, URI::toString, URI::create))
                .isNotEqualTo(Converter.of(URI.class, TEXT, String.class, URI::toString, URI::create));
    }

    @Test
    void aDefaultOrCodesTheConverterCannotStoreAreRefusedWhenTheResourceIsBuilt() {
        assertThatThrownBy(() -> Resource.builder("order").table("orders").primaryKey("id")
                .attribute("status", Converter.ordinal(Status.class), a -> a.defaultValue("PAID")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("resource 'order', 'status'")
                .hasMessageContaining("must be a Status");
        assertThatThrownBy(() -> Converter.codes(Priority.class, p -> 1))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("Priority.HIGH is stored as 1");
        assertThatThrownBy(() -> Converter.ordinal(Status.class, TEXT))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("SMALLINT, INTEGER or BIGINT");
    }

    @Test
    void aConverterWhoseStoredClassIsNotReadFromItsStoredTypeIsRefusedWhenMadeNamingBoth() {
        assertThatThrownBy(() -> Converter.of(Money.class, BIGINT, String.class, m -> "" + m.cents(),
                text -> new Money(Long.parseLong(text))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("the converter of Money declares its stored values as String, but a BIGINT "
                        + "column is read as Integer or Long or Short: declare Integer.class, or store it as the type "
                        + "String is read from");
        assertThatThrownBy(() -> Converter.of(URI.class, Type.varchar(200), URI.class, u -> u, u -> u))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("but a varchar(200) column is read as String");
        assertThatThrownBy(() -> Converter.of(Money.class, Type.UUID, String.class, m -> "" + m.cents(),
                text -> new Money(1))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("but a UUID column is read as UUID");
    }

    @Test
    void aConverterStoringAWholeNumberOfAnotherWidthWritesAndReadsItsValues() {
        Converter<Money, Integer> narrow = Converter.of(Money.class, BIGINT, Integer.class, m -> (int) m.cents(),
                cents -> new Money(cents));
        Resource wallet = Resource.builder("wallet").table("wallets").primaryKey("id").attribute("price", narrow)
                .build();
        try (Ashlar ashlar = migrated(wallet)) {
            ashlar.create("wallet", values("id", 1L, "price", new Money(250)));

            assertThat(db.value("SELECT price FROM wallets")).isEqualTo(250L);
            assertThat(ashlar.read("wallet").values("price", Money.class)).containsExactly(new Money(250));
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aListOfAConvertedJavaTypeInSqlWrittenByHandIsBoundThroughItsConverterNotAsAnArray() {
        Converter<List, String> joined = Converter.of(List.class, TEXT, String.class,
                list -> String.join(",", (List<String>) list), text -> List.of(text.split(",")));
        Resource tagged = Resource.builder("tagged").table("tagged").primaryKey("id").attribute("tags", joined)
                .build();
        try (Ashlar ashlar = migrated(tagged)) {
            ashlar.create("tagged", values("id", 1L, "tags", List.of("a", "b")));

            assertThat(db.value("SELECT tags FROM tagged")).isEqualTo("a,b");
            assertThat(ids(ashlar, "tagged", Filter.sql("tags = ?", List.of("a", "b")))).containsExactly(1L);
        }
    }

    @Test
    void aBooleanBoundInSqlWrittenByHandAgainstAYesNoColumnIsRefusedNamingTheFieldAndItsStoredForms() {
        try (Ashlar ashlar = migrated(order())) {
            ashlar.create("order", values("id", 1L, "active", true));

            assertThatThrownBy(() -> ids(ashlar, Filter.sql("active = ?", true)))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("order.active is stored by Y/N boolean as 'Y'/'N'")
                    .hasMessageContaining("Filter.sql binds a Boolean by its own type")
                    .hasMessageContaining("bind its stored form, or compare it with Filter.eq(\"active\", ...)");
            assertThat(ids(ashlar, Filter.sql("active = ?", "Y"))).containsExactly(1L);
        }
    }

    @Test
    void aTypeErrorOfSqlWrittenByHandThatMeetsNoConvertedTypeIsNotBlamedOnTheConvertedFields() {
        try (Ashlar ashlar = migrated(order())) {
            ashlar.create("order", values("id", 1L, "active", true));

            assertThatThrownBy(() -> ids(ashlar, Filter.sql("site = ?", 5)))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("operator does not exist: text = integer")
                    .hasMessageNotContaining("Filter.sql binds")
                    .hasMessageNotContaining("order.active");
        }
    }
}
