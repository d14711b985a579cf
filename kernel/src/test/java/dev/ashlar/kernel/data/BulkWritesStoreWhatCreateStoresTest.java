package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * createAll and upsert store each value as create stores it, whichever path carries it into its array (an Instant
 * straight to its microseconds, an OffsetDateTime, a ZonedDateTime, a Set or a String[] through the fallback), return
 * rows in input order across field sets, and name the first record holding a misfit whichever group it is in.
 */
class BulkWritesStoreWhatCreateStoresTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("bulkparity").resource(Resource.builder("item")
                    .table("bulk_parity_items")
                    .bigintPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("at", TIMESTAMPTZ)
                    .attribute("local", TIMESTAMP)
                    .attribute("price", decimal(12, 4))
                    .attribute("tags", arrayOf(TEXT))
                    .attribute("ats", arrayOf(TIMESTAMPTZ))
                    .attribute("prices", arrayOf(decimal(10, 2)))
                    .attribute("attrs", JSON)
                    .identity("unique_name", "name")
                    .build())
            .build();

    BulkWritesStoreWhatCreateStoresTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE bulk_parity_items");
        ashlar.create("item", Map.of("name", "stored", "at", Instant.EPOCH, "tags", List.of("kept")));
    }

    private static Map<String, Object> item(String name, Object at, Object local, Object price, Object tags, Object ats,
                                            Object prices, Object attrs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name); m.put("at", at); m.put("local", local); m.put("price", price); m.put("tags", tags);
        m.put("ats", ats); m.put("prices", prices); m.put("attrs", attrs);
        return m;
    }

    private List<Map<String, Object>> stored(String name) {
        return db.query("SELECT (at AT TIME ZONE 'UTC')::text AS at, local::text, price::text, tags::text, "
                + "(SELECT array_agg(x AT TIME ZONE 'UTC')::text FROM unnest(ats) x) AS ats, prices::text, attrs::text, "
                + "array_length(tags,1) AS n, tags = '{}' AS emptyTags FROM bulk_parity_items WHERE name = ?", name);
    }

    @Test
    void createAllAndUpsertStoreEveryValueAsCreateStoresIt() {
        List<Object> instants = List.of(Instant.parse("2020-01-01T00:00:00.1Z"), Instant.parse("2020-01-01T00:00:00.1234565Z"),
                Instant.parse("2020-01-01T00:00:00.1234575Z"), Instant.parse("2020-12-31T23:59:59.9999995Z"),
                Instant.ofEpochSecond(-1, 999_999_500), Instant.ofEpochSecond(-1, 499), Instant.parse("1000-03-01T12:00:00.0000015Z"),
                Instant.parse("-4712-01-01T00:00:00Z"), Instant.parse("+294276-12-31T23:59:59.999999Z"),
                Instant.parse("+294276-12-31T23:59:59.9999984Z"),
                OffsetDateTime.parse("2020-06-01T10:00:00.0000005+05:30"),
                ZonedDateTime.parse("2020-06-01T10:00:00.9999996+02:00[Europe/Paris]"));
        List<Object> locals = List.of(LocalDateTime.parse("2020-01-01T00:00:00.0000005"), LocalDateTime.parse("1582-10-10T00:00:00.0000004"),
                LocalDateTime.parse("0001-01-01T00:00:00.9999995"), LocalDateTime.parse("-4712-01-01T00:00:00"),
                LocalDateTime.parse("+294276-12-31T23:59:59.999999"), LocalDateTime.parse("1999-12-31T23:59:59.9999995"));
        List<Object> tagLists = List.of(Arrays.asList("é中😀", "NULL", "{a,b}", " spaced ", "\"", "\\", "", null, "a\"b\\c"),
                List.of(), Collections.singletonList(null), new LinkedHashSet<>(List.of("z", "y")), new String[]{"arr", "x,y"},
                List.of("\\\"\\\""), List.of("tab\tnl\n"));
        List<Object> prices = List.of(new BigDecimal("1.2345"), new BigDecimal("-0.0005"), 7, 3L, new BigDecimal("1E+3"),
                new BigDecimal("12345678.1234"));
        List<Object> atss = List.of(List.of(Instant.parse("2020-01-01T00:00:00.0000005Z"), Instant.parse("1000-01-01T00:00:00Z")),
                List.of(), Arrays.asList((Object) null));
        List<Object> pricess = List.of(List.of(new BigDecimal("1.05"), new BigDecimal("2.4")), Arrays.asList(null, 5),
                List.of(new BigDecimal("-0.01"), new BigDecimal("1E+1")));
        List<Object> attrs = List.of("{\"k\": [1, \"two\"], \"u\": \"é\\u00e9\"}", Map.of("q", "a\"b"), List.of(1, "x"),
                "\"just text\"", "null", "12.50");
        int n = 12;
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            many.add(item("r" + i, instants.get(i % instants.size()), locals.get(i % locals.size()), prices.get(i % prices.size()),
                    tagLists.get(i % tagLists.size()), atss.get(i % atss.size()), pricess.get(i % pricess.size()),
                    attrs.get(i % attrs.size())));
        }
        List<Row> rows = ashlar.createAll("item", many);
        assertThat(rows).extracting(r -> r.getString("name")).containsExactlyElementsOf(many.stream().map(m -> (String) m.get("name")).toList());
        for (Map<String, Object> m : many) {
            Map<String, Object> one = new LinkedHashMap<>(m);
            one.put("name", "one " + m.get("name"));
            ashlar.create("item", one);
        }
        List<Map<String, Object>> upserted = new ArrayList<>();
        for (Map<String, Object> m : many) {
            Map<String, Object> one = new LinkedHashMap<>(m);
            one.put("name", "up " + m.get("name"));
            upserted.add(one);
        }
        ashlar.upsert("item", upserted, Upsert.on("unique_name"));
        ashlar.upsert("item", upserted, Upsert.on("unique_name"));
        for (Map<String, Object> m : many) {
            String name = (String) m.get("name");
            assertThat(stored(name)).as(name).hasSize(1).isEqualTo(stored("one " + name)).isEqualTo(stored("up " + name));
        }
    }

    @Test
    void recordsGivingDifferentFieldsAreReturnedInInputOrderAndStoredAsGiven() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Map<String, Object> m = i % 3 == 1 ? new LinkedHashMap<>(Map.of("name", "m" + i, "tags", List.of("t" + i)))
                    : i % 3 == 2 ? new LinkedHashMap<>(Map.of("name", "m" + i))
                    : item("m" + i, Instant.ofEpochSecond(i, 999_999_500), null, BigDecimal.ONE, List.of("\"" + i), List.of(), null, "{}");
            records.add(m);
        }
        List<Row> rows = ashlar.createAll("item", records);
        assertThat(rows).extracting(r -> r.getString("name")).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8");
        assertThat(rows.get(3).getString("name")).isEqualTo("m3");
        assertThat(db.query("SELECT name, tags::text, (at AT TIME ZONE 'UTC')::text AS at FROM bulk_parity_items WHERE name <> 'stored' ORDER BY name"))
                .extracting(r -> r.get("name") + ":" + r.get("tags") + ":" + r.get("at"))
                .containsExactly("m0:{\"\\\"0\"}:1970-01-01 00:00:01", "m1:{t1}:null", "m2:null:null",
                        "m3:{\"\\\"3\"}:1970-01-01 00:00:04", "m4:{t4}:null", "m5:null:null",
                        "m6:{\"\\\"6\"}:1970-01-01 00:00:07", "m7:{t7}:null", "m8:null:null");
    }

    private InvalidDataException refused(List<Map<String, Object>> records) {
        InvalidDataException e = catchThrowableOfType(InvalidDataException.class, () -> ashlar.createAll("item", records));
        assertThat(e).isNotNull();
        return e;
    }

    private List<Map<String, Object>> okRecords(int n) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(item("ok" + i, Instant.EPOCH, LocalDateTime.of(2020, 1, 1, 0, 0), BigDecimal.ONE, List.of("a"), List.of(), List.of(), "{}"));
        }
        return list;
    }

    @Test
    void aMisfitInASingleRecordGroupIsNamedBeforeALaterMisfitInACarriedGroup() {
        List<Map<String, Object>> records = okRecords(10);
        records.get(7).put("at", Instant.MAX);
        records.add(2, new LinkedHashMap<>(Map.of("name", "single", "local", Instant.EPOCH)));
        InvalidDataException e = refused(records);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("local");
            assertThat(err.message()).endsWith("(record 3 of 11)");
        });
    }

    @Test
    void aMisfitInACarriedGroupBeforeASingleRecordGroupIsNamedWithTheValueAsGiven() {
        List<Map<String, Object>> records = okRecords(10);
        records.get(4).put("at", Instant.MAX);
        records.get(4).put("tags", List.of("x", List.of("nested")));
        records.add(new LinkedHashMap<>(Map.of("name", "single", "local", Instant.EPOCH)));
        InvalidDataException e = refused(records);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("at", "tags");
        assertThat(e.errors()).allSatisfy(err -> assertThat(err.message()).endsWith("(record 5 of 11)"));
        assertThat(e.errors().get(0).message()).contains(Instant.MAX.toString());
    }

    @Test
    void aMisfitInALaterCarriedGroupIsNamedAfterAnEarlierGroupWasCarried() {
        List<Map<String, Object>> records = okRecords(6);
        for (int i = 0; i < 4; i++) {
            records.add(new LinkedHashMap<>(Map.of("name", "two" + i, "price", i == 2 ? "cheap" : BigDecimal.TEN)));
        }
        records.get(3).put("attrs", "{\"bad\": \"\\u0000\"}");
        InvalidDataException e = refused(records);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("attrs");
            assertThat(err.message()).endsWith("(record 4 of 10)");
        });
        records.get(3).put("attrs", "{}");
        InvalidDataException e2 = refused(records);
        assertThat(e2.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("price");
            assertThat(err.message()).endsWith("(record 9 of 10)");
        });
        records.get(8).put("price", BigDecimal.ONE);
        records.get(1).put("attrs", "{\"open\": ");
        records.get(9).put("price", "again");
        InvalidDataException e3 = refused(records);
        assertThat(e3.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("price");
            assertThat(err.message()).endsWith("(record 10 of 10)");
        });
        assertThat(db.value("SELECT count(*) FROM bulk_parity_items")).isEqualTo(1L);
    }

    @Test
    void invalidJsonAfterItsTimestampsWereCarriedIsNamedByItsRecord() {
        List<Map<String, Object>> records = okRecords(5);
        records.get(2).put("attrs", "[1,");
        records.get(2).put("at", Instant.parse("2020-01-01T00:00:00.0000005Z"));
        InvalidDataException e = refused(records);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("attrs");
            assertThat(err.message()).endsWith("(record 3 of 5)");
        });
    }
}
