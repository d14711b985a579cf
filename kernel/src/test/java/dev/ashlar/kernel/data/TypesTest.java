package dev.ashlar.kernel.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Each attribute type: Java value -> database -> Java value, by single and bulk create, and as a filter value. */
class TypesTest extends BlogDatabaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("i", -42);
        VALUES.put("b", 9_000_000_000L);
        VALUES.put("flag", true);
        VALUES.put("u", UUID.fromString("2f1c6f1e-8a55-4b7e-9d3a-0c2b5e6f7a81"));
        VALUES.put("f", 1.5f);
        VALUES.put("d", -2.25e100);
        VALUES.put("day", LocalDate.of(2024, 2, 29));
        VALUES.put("at_time", LocalTime.of(13, 45, 30, 123_456_000));
        VALUES.put("ts", LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000));
        VALUES.put("tstz", Instant.parse("2024-03-01T12:00:00.123456Z"));
        VALUES.put("bin", new byte[]{0, 1, 2, (byte) 255, 92, 34});
        VALUES.put("doc", "{\"a\": [1, 2.5, null], \"b\": \"x \\\"y\\\"\"}");
        VALUES.put("txt", "it's \"quoted\", {braced}, back\\slash, NULL and ünïcode");
        VALUES.put("short_text", "abcde");
        VALUES.put("amount", new BigDecimal("12345678.90"));
        VALUES.put("big", new BigDecimal("123456789012345678901234567890.123456789"));
        VALUES.put("status", "PUBLISHED");
    }




    @BeforeEach
    void empty() {
        db.execute("TRUNCATE scalar_sample, array_sample");
    }

    @Test
    void roundTripsEveryScalarTypeThroughCreateAndGet() {
        Row created = ashlar.create("scalar_sample", VALUES);

        Row read = ashlar.get("scalar_sample", created.getUuid("id"));

        VALUES.forEach((field, value) -> assertSame(field, value, read.get(field)));
        VALUES.forEach((field, value) -> assertSame(field, value, created.get(field)));
    }

    @Test
    void roundTripsEveryScalarTypeAndNullsThroughBulkCreate() {
        Map<String, Object> nulls = new HashMap<>();
        VALUES.keySet().forEach(field -> nulls.put(field, null));

        List<Row> stored = ashlar.createAll("scalar_sample", List.of(VALUES, nulls, VALUES));

        assertThat(stored).hasSize(3);
        for (int i : new int[]{0, 2}) {
            Row read = ashlar.get("scalar_sample", stored.get(i).getUuid("id"));
            VALUES.forEach((field, value) -> assertSame(field, value, read.get(field)));
        }
        Row empty = ashlar.get("scalar_sample", stored.get(1).getUuid("id"));
        VALUES.keySet().forEach(field -> assertThat(empty.get(field)).as(field).isNull());
    }

    @Test
    void roundTripsArraysOfEveryTypeButBinaryAsTheLiteralsABulkCreateUnnests() {
        Map<String, Object> lists = new HashMap<>();
        VALUES.forEach((field, value) -> lists.put(field + "_list", Arrays.asList(value, null, value)));
        lists.remove("bin_list");
        lists.put("txt_list", Arrays.asList("", null, "NULL", "a,b", "{x}", "q\"uote", "back\\slash", " padded "));

        List<Row> stored = ashlar.createAll("array_sample", List.of(lists, lists));

        for (Row row : stored) {
            Row read = ashlar.get("array_sample", row.getUuid("id"));
            lists.forEach((field, value) -> {
                List<?> expected = (List<?>) value;
                List<?> actual = (List<?>) read.get(field);
                assertThat(actual).as(field).hasSameSizeAs(expected);
                for (int i = 0; i < expected.size(); i++) {
                    assertSame(field + "[" + i + "]", expected.get(i), actual.get(i));
                }
            });
        }
        assertThat(db.value("SELECT array_length(txt_list, 1) FROM array_sample LIMIT 1")).isEqualTo(8);
    }

    @Test
    void roundTripsArraysOfEveryTypeWithNullElements() {
        Map<String, Object> lists = new HashMap<>();
        VALUES.forEach((field, value) -> lists.put(field + "_list", Arrays.asList(value, null, value)));
        lists.put("txt_list", Arrays.asList("", null, "NULL", "a,b", "{x}", "q\"uote"));

        List<Row> stored = ashlar.createAll("array_sample", List.of(lists, Map.of("i_list", List.of())));
        Row read = ashlar.get("array_sample", stored.get(0).getUuid("id"));

        lists.forEach((field, value) -> {
            List<?> expected = (List<?>) value;
            List<?> actual = (List<?>) read.get(field);
            assertThat(actual).as(field).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertSame(field + "[" + i + "]", expected.get(i), actual.get(i));
            }
        });
        assertThat(ashlar.get("array_sample", stored.get(1).getUuid("id")).getList("i_list", Integer.class)).isEmpty();
    }

    @Test
    void roundTripsEveryScalarTypeAndArrayOfItThroughUpsertsOfOneRecordAndOfMany() {
        UUID one = UUID.randomUUID();
        UUID many = UUID.randomUUID();
        Map<String, Object> lists = new HashMap<>();
        VALUES.forEach((field, value) -> lists.put(field + "_list", Arrays.asList(value, null)));
        lists.remove("bin_list");

        for (int round = 0; round < 2; round++) {  // the first inserts, the second meets the stored records
            Map<String, Object> record = new HashMap<>(VALUES);
            record.put("id", one);
            ashlar.upsert("scalar_sample", record, Upsert.onPrimaryKey());
            record.put("id", many);
            ashlar.upsert("scalar_sample", List.of(record), Upsert.onPrimaryKey());
            Map<String, Object> listRecord = new HashMap<>(lists);
            listRecord.put("id", many);
            ashlar.upsert("array_sample", List.of(listRecord), Upsert.onPrimaryKey());
        }

        for (UUID id : List.of(one, many)) {
            Row read = ashlar.get("scalar_sample", id);
            VALUES.forEach((field, value) -> assertSame(field, value, read.get(field)));
        }
        Row read = ashlar.get("array_sample", many);
        lists.forEach((field, value) -> {
            List<?> actual = (List<?>) read.get(field);
            assertSame(field, ((List<?>) value).get(0), actual.get(0));
            assertThat(actual.get(1)).as(field).isNull();
        });
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(2L);
    }

    @Test
    void readsEveryTypeBackThroughItsTypedGetter() {
        Row row = ashlar.get("scalar_sample", ashlar.create("scalar_sample", VALUES).getUuid("id"));

        assertThat(row.getInteger("i")).isEqualTo(-42);
        assertThat(row.getLong("b")).isEqualTo(9_000_000_000L);
        assertThat(row.getBoolean("flag")).isTrue();
        assertThat(row.getUuid("u")).isEqualTo(VALUES.get("u"));
        assertThat(row.getFloat("f")).isEqualTo(1.5f);
        assertThat(row.getDouble("d")).isEqualTo(-2.25e100);
        assertThat(row.getLocalDate("day")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(row.getLocalTime("at_time")).isEqualTo(VALUES.get("at_time"));
        assertThat(row.getLocalDateTime("ts")).isEqualTo(VALUES.get("ts"));
        assertThat(row.getInstant("tstz")).isEqualTo(VALUES.get("tstz"));
        assertThat(row.getBytes("bin")).isEqualTo((byte[]) VALUES.get("bin"));
        assertThat(JsonValues.tree(row, "doc").get("b").asText()).isEqualTo("x \"y\"");
        assertThat(row.getJson("doc")).contains("\"a\"");
        assertThat(row.getBigDecimal("amount")).isEqualByComparingTo("12345678.90");
        assertThat(row.getEnum("status", Fixtures.Status.class)).isEqualTo(Fixtures.Status.PUBLISHED);
    }

    @Test
    void storesJsonGivenAsMapsListsAndTrees() throws Exception {
        Row fromMap = ashlar.create("scalar_sample", Map.of("doc", Map.of("n", List.of(1, 2))));
        Row fromTree = ashlar.create("scalar_sample", Map.of("doc", JSON.readTree("{\"ok\": true}")));

        assertThat(JsonValues.tree(fromMap, "doc").get("n").get(1).asInt()).isEqualTo(2);
        assertThat(db.value("SELECT doc->>'ok' FROM scalar_sample WHERE id = ?", fromTree.getUuid("id")))
                .isEqualTo("true");
    }

    @Test
    void findsRowsByEveryScalarTypeWithEqAndIn() {
        ashlar.create("scalar_sample", VALUES);
        ashlar.create("scalar_sample", Map.of("txt", "other"));

        VALUES.forEach((field, value) -> {
            assertThat(ashlar.read("scalar_sample").where(Filter.eq(field, value)).count()).as("eq " + field)
                    .isEqualTo(1);
            assertThat(ashlar.read("scalar_sample").where(Filter.in(field, List.of(value))).count()).as("in " + field)
                    .isEqualTo(1);
        });
    }

    @Test
    void findsRowsByArrayElementsOfEveryType() {
        Map<String, Object> lists = new HashMap<>();
        VALUES.forEach((field, value) -> lists.put(field + "_list", List.of(value)));
        ashlar.create("array_sample", lists);

        VALUES.forEach((field, value) -> assertThat(ashlar.read("array_sample")
                .where(Filter.contains(field + "_list", value)).count()).as(field).isEqualTo(1));
    }

    @Test
    void roundTripsDatesAndTimestampsBeforeTheGregorianCalendarBcAndPastYear9999ThroughEveryPath() {
        Map<String, List<Object>> edges = Map.of(
                "day", List.of(LocalDate.of(-500, 1, 1), LocalDate.of(0, 12, 31), LocalDate.of(1000, 3, 1),
                        LocalDate.of(10_000, 1, 1), LocalDate.of(5_874_897, 12, 31), LocalDate.of(-4712, 1, 1)),
                "ts", List.of(LocalDateTime.of(-500, 6, 1, 12, 0), LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1_000),
                        LocalDateTime.of(12_345, 1, 1, 0, 0, 0, 500_000_000), LocalDateTime.of(-4712, 1, 1, 0, 0),
                        LocalDateTime.of(2300, 6, 1, 23, 59, 59, 999_999_000)),
                "tstz", List.of(Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("1582-10-10T23:30:00Z"),
                        Instant.parse("-0500-06-01T12:00:00.000001Z"), Instant.parse("+12345-06-01T00:00:00Z"),
                        Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("-4712-01-01T00:00:00Z"),
                        Instant.parse("2400-03-26T01:30:00.000001Z"), Instant.parse("1600-10-29T02:30:00.999999Z")));

        edges.forEach((field, values) -> values.forEach(value -> {
            Row one = ashlar.create("scalar_sample", Map.of(field, value));
            List<Row> many = ashlar.createAll("scalar_sample", List.of(Map.of(field, value), Map.of(field, value)));
            Row list = ashlar.create("array_sample", Map.of(field + "_list", List.of(value)));
            List<Row> lists = ashlar.createAll("array_sample", List.of(Map.of(field + "_list", List.of(value)),
                    Map.of(field + "_list", List.of(value, value))));

            for (Row row : List.of(one, many.get(0), many.get(1))) {
                assertThat(row.get(field)).as(field + " returned").isEqualTo(value);
                assertThat(ashlar.get("scalar_sample", row.getUuid("id")).get(field)).as(field).isEqualTo(value);
            }
            for (Row row : List.of(list, lists.get(0))) {
                assertThat(ashlar.get("array_sample", row.getUuid("id")).getList(field + "_list", Object.class))
                        .as(field + "_list").containsExactly(value);
            }
            assertThat(ashlar.read("scalar_sample").where(Filter.eq(field, value)).count()).as("eq " + value)
                    .isEqualTo(3);
            assertThat(ashlar.read("scalar_sample").where(Filter.in(field, List.of(value))).count()).as("in " + value)
                    .isEqualTo(3);
            assertThat(ashlar.read("array_sample").where(Filter.contains(field + "_list", value)).count())
                    .as("contains " + value).isEqualTo(3);
            assertThat(ashlar.read("scalar_sample").min(field)).as("min " + field).isEqualTo(value);
            empty();
        }));
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aFilterComparesWithTheEndsOfADateOrTimeTypeAsInfinityThoughNoRecordStoresThem() {
        ashlar.create("scalar_sample", VALUES);
        Map<Filter, Long> counts = new LinkedHashMap<>();
        counts.put(Filter.lt("day", LocalDate.MAX), 1L);
        counts.put(Filter.gt("day", LocalDate.MIN), 1L);
        counts.put(Filter.lt("ts", LocalDateTime.MAX), 1L);
        counts.put(Filter.gt("tstz", Instant.MIN), 1L);
        counts.put(Filter.lt("tstz", Instant.MAX), 1L);
        counts.put(Filter.eq("tstz", Instant.MAX), 0L);
        counts.put(Filter.in("day", List.of(LocalDate.MAX, VALUES.get("day"))), 1L);
        counts.put(Filter.in("tstz", List.of(Instant.MIN)), 0L);

        counts.forEach((filter, count) -> assertThat(ashlar.read("scalar_sample").where(filter).count()).as(
                filter.toString()).isEqualTo(count));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ashlar.read("scalar_sample")
                        .where(Filter.lt("day", LocalDate.of(6_000_000, 1, 1))).count())
                .isInstanceOf(dev.ashlar.api.error.QueryException.class).hasMessageContaining("out of range for date");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ashlar.create("scalar_sample",
                Map.of("day", LocalDate.MAX))).hasMessageContaining("out of range for date");
    }

    @Test
    void readsATimestamptzTheServerHoldsAsInfinityAsTheEndsOfInstant() {
        db.execute("INSERT INTO scalar_sample (id, tstz) VALUES (gen_random_uuid(), 'infinity'), "
                + "(gen_random_uuid(), '-infinity')");

        assertThat(ashlar.read("scalar_sample").sort(dev.ashlar.api.query.Sort.asc("tstz")).list())
                .extracting(row -> row.getInstant("tstz")).containsExactly(Instant.MIN, Instant.MAX);
    }

    private static void assertSame(String field, Object expected, Object actual) {
        if (expected instanceof byte[] bytes) {
            assertThat((byte[]) actual).as(field).isEqualTo(bytes);
        } else if (field.startsWith("doc") && expected != null) {
            try {
                assertThat(JSON.readTree((String) actual)).as(field).isEqualTo(JSON.readTree((String) expected));
            } catch (java.io.IOException e) {
                throw new AssertionError(field + " holds no JSON: " + actual, e);
            }
        } else {
            assertThat(actual).as(field).isEqualTo(expected);
        }
    }
}
