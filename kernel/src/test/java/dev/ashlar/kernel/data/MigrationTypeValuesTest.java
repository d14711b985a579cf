package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.DECIMAL;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * TEXT attributes whose migration type is another one ({@code char(n)}, {@code varchar(n)}, {@code inet},
 * {@code ltree} ...), and lists of text whose migration type is an array of one ({@code inet[]}, {@code ltree[]}):
 * a value the column cannot hold is refused naming the attribute, never cut or reported as a nameless value.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationTypeValuesTest {
    private static final Domain NETWORK = Domain.builder("network").extensions("ltree")
            .resource(Resource.builder("device").table("devices").primaryKey("id")
                    .attribute("code", TEXT, a -> a.migrationType("char(5)"))
                    .attribute("grade", TEXT, a -> a.migrationType("character"))
                    .attribute("tag", TEXT, a -> a.migrationType("varchar(8)"))
                    .attribute("note", TEXT, a -> a.migrationType("varchar"))
                    .attribute("address", TEXT, a -> a.migrationType("inet"))
                    .attribute("network", TEXT, a -> a.migrationType("cidr"))
                    .attribute("mac", TEXT, a -> a.migrationType("MACADDR"))
                    .attribute("path", TEXT, a -> a.migrationType("ltree"))
                    .identity("unique_tag", "tag")
                    .build())
            .resource(Resource.builder("host").table("hosts").primaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("addresses", arrayOf(TEXT), a -> a.migrationType("inet[]"))
                    .attribute("paths", arrayOf(TEXT), a -> a.migrationType("ltree[]"))
                    .attribute("macs", arrayOf(TEXT), a -> a.migrationType("MACADDR ARRAY"))
                    .identity("unique_name", "name")
                    .build())
            .resource(Resource.builder("invoice").table("invoices").primaryKey("id")
                    .attribute("total", DECIMAL, a -> a.migrationType("numeric(6,2)"))
                    .attribute("rates", arrayOf(DECIMAL), a -> a.migrationType("NUMERIC(4, 1)[]"))
                    .attribute("units", DECIMAL, a -> a.migrationType("decimal(3)"))
                    .attribute("lines", INTEGER, a -> a.migrationType("int2"))
                    .attribute("cents", BIGINT, a -> a.migrationType("INTEGER"))
                    .attribute("codes", arrayOf(TEXT), a -> a.migrationType("varchar(3)[]"))
                    .build())
            .build();
    private TestDatabase db;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        db.execute("CREATE EXTENSION IF NOT EXISTS ltree");
        ashlar = Fixtures.ashlar(db, NETWORK);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE devices, hosts, invoices RESTART IDENTITY");
    }

    private static FieldError refused(ThrowingCallable action) {
        InvalidDataException e = catchThrowableOfType(InvalidDataException.class, action);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void aCharOrVarcharMigrationTypeRefusesALongerValueNamingTheAttributeAndTheLengthInEveryWrite() {
        Row stored = ashlar.create("device", Map.of("tag", "kept"));
        // PostgreSQL would store "12345678  " cut to its length, the spaces past it dropped without a word.
        Map<String, String> tooLong = Map.of("code", "abcdef", "grade", "AB", "tag", "12345678  ");
        Map<String, String> limits = Map.of("code", "character(5)", "grade", "character(1)", "tag", "varchar(8)");

        tooLong.forEach((field, value) -> {
            List<ThrowingCallable> writes = List.of(
                    () -> ashlar.create("device", Map.of(field, value)),
                    () -> ashlar.createAll("device", List.of(Map.of("tag", "a"), Map.of(field, value))),
                    () -> ashlar.upsert("device", List.of(Map.of("id", stored.get("id"), field, value)),
                            Upsert.onPrimaryKey()),
                    () -> ashlar.update(stored, Map.of(field, value)));
            for (ThrowingCallable write : writes) {
                assertThat(refused(write)).satisfies(error -> assertThat(error.field()).isEqualTo(field))
                        .asString().contains("is too long: at most",
                                "(" + limits.get(field) + "), got " + value.length());
            }
        });

        assertThat(db.value("SELECT string_agg(concat_ws('/', tag, code, grade), ',') FROM devices")).isEqualTo("kept");
        assertThat(ashlar.create("device", Map.of("note", "x".repeat(10_000))).getString("note")).hasSize(10_000);
    }

    /** A write of the value to an invoice in each way: one record, many, an upsert over the stored one, an update. */
    private List<ThrowingCallable> everyInvoiceWrite(Row stored, String field, Object value) {
        return List.of(
                () -> ashlar.create("invoice", Map.of(field, value)),
                () -> ashlar.createAll("invoice", List.of(Map.of("units", 1), Map.of(field, value))),
                () -> ashlar.upsert("invoice", List.of(Map.of("id", stored.get("id"), field, value)),
                        Upsert.onPrimaryKey()),
                () -> ashlar.update(stored, Map.of(field, value)));
    }

    @Test
    void aNumericMigrationTypeRefusesMorePlacesOrDigitsThanItKeepsNamingTheAttributeInEveryWrite() {
        Row stored = ashlar.create("invoice", Map.of("total", new BigDecimal("1.20"), "rates",
                List.of(new BigDecimal("2.50")), "units", new BigDecimal("7.000")));
        // PostgreSQL would store 1.239 rounded to 1.24 without a word, and report 12345.6 with no column.
        Map<String, Object> refusedValues = Map.of("total", new BigDecimal("1.239"), "rates",
                List.of(new BigDecimal("1.25")), "units", new BigDecimal("0.5"));
        Map<String, Object> tooLarge = Map.of("total", new BigDecimal("12345.6"), "rates",
                List.of(new BigDecimal("1000")), "units", 1000);

        for (Map<String, Object> values : List.of(refusedValues, tooLarge)) {
            values.forEach((field, value) -> {
                for (ThrowingCallable write : everyInvoiceWrite(stored, field, value)) {
                    assertThat(refused(write).field()).isEqualTo(field);
                }
            });
        }
        assertThat(refused(() -> ashlar.create("invoice", Map.of("total", new BigDecimal("1.239"))))).asString()
                .contains("more decimal places than numeric(6,2) keeps");
        assertThat(refused(() -> ashlar.create("invoice", Map.of("units", 1000)))).asString()
                .contains("out of range for numeric(3,0)");

        assertThat(db.query("SELECT total::text AS total, rates::text AS rates, units::text AS units FROM invoices"))
                .extracting(row -> row.get("total") + " " + row.get("rates") + " " + row.get("units"))
                .containsExactly("1.20 {2.5} 7");
        assertThat(ashlar.get("invoice", stored.get("id")).getBigDecimal("total")).isEqualByComparingTo("1.2");
    }

    @Test
    void aValuePastANarrowerWholeNumberOrTextArrayMigrationTypeIsRefusedNamingTheAttribute() {
        Row stored = ashlar.create("invoice", Map.of("lines", 32_767, "cents", 2_147_483_647L, "codes", List.of("abc")));
        Map<String, Object> tooLarge = Map.of("lines", 32_768, "cents", 2_147_483_648L, "codes", List.of("ab", "abcd"));
        Map<String, String> messages = Map.of("lines", "lines is out of range for smallint, the column's migration type",
                "cents", "cents is out of range for integer, the column's migration type",
                "codes", "codes is too long: at most 3 characters (varchar(3)), got 4");

        tooLarge.forEach((field, value) -> {
            for (ThrowingCallable write : everyInvoiceWrite(stored, field, value)) {
                assertThat(refused(write)).satisfies(error -> assertThat(error.field()).isEqualTo(field))
                        .asString().contains(messages.get(field));
            }
        });

        assertThat(db.query("SELECT lines, cents, codes::text AS codes FROM invoices"))
                .extracting(row -> row.get("lines") + " " + row.get("cents") + " " + row.get("codes"))
                .containsExactly("32767 2147483647 {abc}");
    }

    @Test
    void aCharValueIsReadPaddedToItsLengthAndFoundWithOrWithoutThePadding() {
        Row row = ashlar.create("device", Map.of("code", "ab", "grade", "A"));

        assertThat(ashlar.get("device", row.get("id")).getString("code")).isEqualTo("ab   ");
        assertThat(db.value("SELECT length(code) FROM devices")).isEqualTo(2);
        for (String given : List.of("ab", "ab   ")) {
            assertThat(ashlar.read("device").where(Filter.eq("code", given)).count()).as(given).isEqualTo(1);
            assertThat(ashlar.read("device").where(Filter.in("code", List.of(given, "zz"))).count()).as(given)
                    .isEqualTo(1);
        }
    }

    @Test
    void aValueANetworkOrLtreeColumnCannotReadIsAFieldErrorNamingTheAttributeInWritesAndFilters() {
        Map<String, String> bad = Map.of("address", "10.0.0.300", "network", "10.0.0.1/8", "mac", "zz:zz",
                "path", "a..b");

        bad.forEach((field, value) -> {
            String type = NETWORK.resource("device").attribute(field).orElseThrow().column()
                    .migrationType();
            for (ThrowingCallable action : List.<ThrowingCallable>of(
                    () -> ashlar.create("device", Map.of(field, value)),
                    () -> ashlar.createAll("device", List.of(Map.of("tag", "a"), Map.of(field, value))),
                    () -> ashlar.read("device").where(Filter.in(field, List.of(value))).list())) {
                assertThat(refused(action)).satisfies(error -> assertThat(error.field()).isEqualTo(field))
                        .asString().contains(field + " is not a valid " + type.toLowerCase(java.util.Locale.ROOT) + ": ",
                                field.equals("path") ? "ltree syntax error" : "\"" + value + "\"");
            }
        });
        assertThat(refused(() -> ashlar.create("device", Map.of("network", "10.0.0.1/8"))).message())
                .contains("bits set to right of mask");
        assertThat(db.value("SELECT count(*) FROM devices")).isEqualTo(0L);

        Map<String, Object> good = Map.of("address", "10.0.0.1", "network", "10.0.0.0/8", "mac", "08:00:2b:01:02:03",
                "path", "top.science");
        Row row = ashlar.get("device", ashlar.create("device", good).get("id"));
        good.forEach((field, value) -> {
            assertThat(row.get(field)).isEqualTo(value);
            assertThat(ashlar.read("device").where(Filter.eq(field, value)).count()).as(field).isEqualTo(1);
        });
    }

    private static Map<String, Object> host(String name, List<String> addresses, List<String> paths) {
        return Map.of("name", name, "addresses", addresses, "paths", paths, "macs", List.of("08:00:2b:01:02:03"));
    }

    @Test
    void arraysAreStoredAsTheMigrationTypeInEveryWriteAndReadBack() {
        Row one = ashlar.create("host", host("one", List.of("10.0.0.1", "10.0.0.2"), List.of("top.science")));
        ashlar.createAll("host", List.of(host("two", List.of("10.0.0.3"), List.of("top.art")),
                host("three", List.of(), List.of("top"))));
        ashlar.upsert("host", List.of(host("four", List.of("192.168.0.1/24"), List.of("a.b.c"))),
                Upsert.on("unique_name"));
        ashlar.upsert("host", List.of(host("two", List.of("10.0.0.4"), List.of("top.music"))),
                Upsert.on("unique_name"));
        ashlar.update(one, Map.of("paths", List.of("top.science.physics", "top.math")));

        assertThat(db.value("SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attname) FROM pg_attribute "
                + "WHERE attrelid = 'hosts'::regclass AND attname IN ('addresses', 'paths', 'macs')"))
                .isEqualTo("inet[],macaddr[],ltree[]");
        assertThat(db.value("SELECT paths[2] <@ 'top'::ltree FROM hosts WHERE name = 'one'")).isEqualTo(true);
        assertThat(db.value("SELECT family(addresses[1]) FROM hosts WHERE name = 'four'")).isEqualTo(4);
        Row read = ashlar.read("host").where(Filter.eq("name", "one")).first().orElseThrow();
        assertThat(read.get("addresses")).isEqualTo(List.of("10.0.0.1", "10.0.0.2"));
        assertThat(read.get("paths")).isEqualTo(List.of("top.science.physics", "top.math"));
        assertThat(read.get("macs")).isEqualTo(List.of("08:00:2b:01:02:03"));
        assertThat(ashlar.read("host").where(Filter.eq("name", "two")).first().orElseThrow().get("paths"))
                .isEqualTo(List.of("top.music"));
        assertThat(ashlar.read("host").where(Filter.eq("name", "four")).first().orElseThrow().get("addresses"))
                .isEqualTo(List.of("192.168.0.1/24"));
    }

    @Test
    void arraysAreFilteredByAnElementAndByTheWholeArray() {
        ashlar.createAll("host", List.of(host("one", List.of("10.0.0.1", "10.0.0.2"), List.of("top.science")),
                host("two", List.of("10.0.0.3"), List.of("top.art"))));

        assertThat(names(Filter.contains("addresses", "10.0.0.2"))).containsExactly("one");
        assertThat(names(Filter.contains("paths", "top.art"))).containsExactly("two");
        assertThat(names(Filter.eq("addresses", List.of("10.0.0.1", "10.0.0.2")))).containsExactly("one");
        assertThat(names(Filter.eq("paths", List.of("top.art")))).containsExactly("two");
    }

    private List<String> names(Filter filter) {
        return ashlar.read("host").where(filter).list().stream().map(h -> h.getString("name")).sorted().toList();
    }

    @Test
    void anElementTheTypeRefusesIsAFieldErrorNamingTheAttributeInWritesAndFilters() {
        Row stored = ashlar.create("host", host("kept", List.of("10.0.0.1"), List.of("top")));
        Map<String, String> bad = Map.of("addresses", "10.0.0.300", "paths", "a..b");

        bad.forEach((field, value) -> {
            String type = field.equals("paths") ? "ltree" : "inet";
            for (ThrowingCallable action : List.<ThrowingCallable>of(
                    () -> ashlar.create("host", Map.of("name", "x", field, List.of(value))),
                    () -> ashlar.createAll("host", List.of(Map.of("name", "a"), Map.of("name", "b", field,
                            List.of(value)))),
                    () -> ashlar.update(stored, Map.of(field, List.of(value))),
                    () -> ashlar.upsert("host", List.of(Map.of("name", "kept", field, List.of(value)),
                            Map.of("name", "new", field, List.of())), Upsert.on("unique_name")),
                    () -> ashlar.read("host").where(Filter.contains(field, value)).list())) {
                FieldError error = refused(action);
                assertThat(error.field()).isEqualTo(field);
                assertThat(error.message()).startsWith("is not a valid " + type + ": ");
            }
        });
        assertThat(db.value("SELECT count(*) FROM hosts")).isEqualTo(1L);
    }
}
