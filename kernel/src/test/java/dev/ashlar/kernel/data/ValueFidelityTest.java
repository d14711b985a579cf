package dev.ashlar.kernel.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A value comes back as it was given, whichever way it was written (one record, many, an array, an upsert) and found
 * by every filter, as the type suites of Hibernate, jOOQ and pgjdbc check.
 */
class ValueFidelityTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE scalar_sample, array_sample");
    }

    /** Writes the value of the field every way, checks what each read gives, and that every filter finds each row. */
    private void assertStoredEveryWayAs(String field, Object value, Object stored) {
        Row one = ashlar.get("scalar_sample", ashlar.create("scalar_sample", Map.of(field, value)).get("id"));
        List<Row> many = ashlar.createAll("scalar_sample", List.of(Map.of(field, value), Map.of(field, value)));
        List<Row> upserted = ashlar.upsert("scalar_sample", List.of(Map.of("id", UUID.randomUUID(), field, value)),
                Upsert.onPrimaryKey());
        Row list = ashlar.get("array_sample", ashlar.create("array_sample", Map.of(field + "_list", List.of(value)))
                .get("id"));
        List<Row> lists = ashlar.createAll("array_sample", List.of(Map.of(field + "_list", List.of(value)),
                Map.of(field + "_list", List.of(value))));

        for (Row row : List.of(one, many.get(0), many.get(1), upserted.get(0))) {
            assertThat(row.get(field)).as(field + " " + value).isEqualTo(stored);
        }
        for (Row row : List.of(list, lists.get(0), lists.get(1))) {
            assertThat(row.getList(field + "_list", Object.class)).as(field + "_list " + value).containsExactly(stored);
        }
        assertThat(ashlar.read("scalar_sample").where(Filter.eq(field, value)).count()).as("eq " + value).isEqualTo(4);
        assertThat(ashlar.read("scalar_sample").where(Filter.in(field, List.of(value))).count()).as("in " + value)
                .isEqualTo(4);
        assertThat(ashlar.read("array_sample").where(Filter.contains(field + "_list", value)).count())
                .as("contains " + value).isEqualTo(3);
        empty();
    }

    @Test
    void realsAndDoublesKeepNaNInfinitiesAndNegativeZeroThroughEveryWriteAndFilter() {
        for (float value : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f}) {
            assertStoredEveryWayAs("f", value, value);
        }
        for (double value : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0}) {
            assertStoredEveryWayAs("d", value, value);
        }
        ashlar.create("scalar_sample", Map.of("f", -0.0f, "d", Double.NaN));
        assertThat(db.value("SELECT f::text || ' ' || d::text FROM scalar_sample")).isEqualTo("-0 NaN");
    }

    @Test
    void theFirstAndLastTimestampsPostgresqlHoldsRoundTripThroughEveryWriteAndFilter() {
        LocalDateTime last = LocalDateTime.of(294_276, 12, 31, 23, 59, 59, 999_999_000);
        LocalDateTime first = LocalDateTime.of(-4712, 1, 1, 0, 0);

        assertStoredEveryWayAs("ts", last, last);
        assertStoredEveryWayAs("ts", first, first);
        for (LocalDateTime end : List.of(first, last)) {
            Instant instant = end.toInstant(java.time.ZoneOffset.UTC);
            assertStoredEveryWayAs("tstz", instant, instant);
        }
        assertThatThrownBy(() -> ashlar.createAll("scalar_sample", List.of(Map.of("ts", last.plusNanos(600)))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("ts")).asString()
                        .contains("is out of range for timestamp: Ashlar stores 4713-01-01 BC to 294276-12-31"));
    }

    @Test
    void instantsAroundWhereBulkWritesChangeHowTheyBuildATimestampRoundTripThroughEveryWriteAndFilter() {
        // Bulk writes build a timestamptz within 576e9 seconds of 2000 from its whole seconds, and beyond by days.
        Instant edge = Instant.parse("2000-01-01T00:00:00Z").plusSeconds(576_000_000_000L);
        for (Instant instant : List.of(edge, edge.minusNanos(1_000), edge.plusNanos(1_000), edge.plusSeconds(86_399),
                Instant.parse("1969-12-31T23:59:59.000001Z"), Instant.parse("1999-12-31T23:59:59.999999Z"),
                Instant.parse("0001-01-01T00:00:00.000001Z"), Instant.parse("2026-12-03T22:35:07.654321Z"))) {
            assertStoredEveryWayAs("tstz", instant, instant);
        }
    }

    @Test
    void anOffsetDateTimeOfAnyZoneIsStoredAsItsInstantToTheMicrosecondThroughEveryWriteAndFilter() {
        OffsetDateTime inTokyo = OffsetDateTime.parse("2026-03-29T01:30:00.123456+09:00");
        OffsetDateTime inNewYork = OffsetDateTime.parse("2026-03-08T01:59:59.999999-05:00");

        assertStoredEveryWayAs("tstz", inTokyo, inTokyo.toInstant());
        assertStoredEveryWayAs("tstz", inNewYork, inNewYork.toInstant());
        Row stored = ashlar.create("scalar_sample", Map.of("tstz", inNewYork));
        assertThat(stored.getOffsetDateTime("tstz")).isEqualTo(inNewYork.withOffsetSameInstant(ZoneOffset.UTC));
        assertThat(ashlar.read("scalar_sample").where(Filter.gt("tstz", inNewYork.minusNanos(1000))).count())
                .isEqualTo(1);
    }

    @Test
    void theEndsOfEveryNumberTypeAndEmptyValuesRoundTripThroughEveryWriteAndFilter() {
        Object[][] values = {{"f", Float.MIN_VALUE}, {"f", -Float.MAX_VALUE}, {"d", Double.MIN_VALUE},
                {"d", Double.MAX_VALUE}, {"i", Integer.MIN_VALUE}, {"b", Long.MIN_VALUE}, {"b", Long.MAX_VALUE},
                {"amount", new BigDecimal("-99999999.99")}, {"big", new BigDecimal("-1E-30")},
                {"day", LocalDate.of(1, 1, 1)}, {"at_time", LocalTime.MIDNIGHT}, {"txt", ""}, {"txt", "NULL"},
                {"short_text", " "}, {"bin", new byte[0]}};

        for (Object[] value : values) {
            assertStoredEveryWayAs((String) value[0], value[1], value[1]);
        }
    }

    @Test
    void aTimeHalfWayBetweenTwoMicrosecondsIsRoundedUpAlikeByEveryWriteAndFilter() {
        // The driver rounds the values it binds half up; the server rounds the text of an array half to even.
        assertStoredEveryWayAs("ts", LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_500),
                LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_457_000));
        assertStoredEveryWayAs("tstz", Instant.parse("2024-01-01T00:00:00.123456500Z"),
                Instant.parse("2024-01-01T00:00:00.123457Z"));
        assertStoredEveryWayAs("at_time", LocalTime.of(1, 2, 3, 123_456_500), LocalTime.of(1, 2, 3, 123_457_000));
        assertStoredEveryWayAs("at_time", LocalTime.of(1, 2, 3, 123_456_499), LocalTime.of(1, 2, 3, 123_456_000));
    }

    @Test
    void aTimeThatRoundsPastMidnightIsStoredAs2400AndReadAsTheLastLocalTime() {
        assertStoredEveryWayAs("at_time", LocalTime.of(23, 59, 59, 999_999_600), LocalTime.MAX);

        ashlar.create("scalar_sample", Map.of("at_time", LocalTime.of(23, 59, 59, 999_999_600)));

        assertThat(db.value("SELECT at_time::text FROM scalar_sample")).isEqualTo("24:00:00");
        assertThat(ashlar.read("scalar_sample").where(Filter.gt("at_time", LocalTime.of(23, 59, 59, 999_999_000)))
                .count()).isEqualTo(1);
    }

    @Test
    void datesAndTimesAreUnchangedUnderAnotherJvmZoneAndAnotherSessionTimeZone() {
        // Chatham is UTC+13:45 and St. John's UTC-02:30 on 2024-03-10, a daylight-saving change in the US; before
        // 1935 St. John's kept its mean time, an offset with seconds (-03:30:52), and 1500 is before the Gregorian
        // calendar began.
        assertUnchangedUnderOtherZones(LocalDate.of(2024, 3, 10), LocalDateTime.of(2024, 3, 10, 2, 30, 0, 1_000),
                Instant.parse("2024-03-10T07:30:00.000001Z"), "2024-03-10 07:30:00.000001");
        empty();
        assertUnchangedUnderOtherZones(LocalDate.of(1000, 3, 10), LocalDateTime.of(1883, 3, 10, 2, 30, 0, 1_000),
                Instant.parse("1500-03-10T07:30:00.000001Z"), "1500-03-10 07:30:00.000001");
        empty();
        assertUnchangedUnderOtherZones(LocalDate.of(1900, 1, 1), LocalDateTime.of(1900, 1, 1, 0, 0),
                Instant.parse("1900-01-01T03:30:51.999999Z"), "1900-01-01 03:30:51.999999");
    }

    private void assertUnchangedUnderOtherZones(LocalDate day, LocalDateTime ts, Instant tstz, String tstzInUtc) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("day", day);
        values.put("ts", ts);
        values.put("tstz", tstz);
        values.put("at_time", LocalTime.of(2, 30));
        Map<String, Object> lists = new HashMap<>();
        values.forEach((field, value) -> lists.put(field + "_list", List.of(value)));
        TimeZone jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setConnectionInitSql("SET TIME ZONE 'America/St_Johns'");
        try (HikariDataSource zonedPool = new HikariDataSource(config);
             Ashlar zoned = Ashlar.builder().dataSource(zonedPool).domain(Fixtures.BLOG).build()) {
            Row one = zoned.get("scalar_sample", zoned.create("scalar_sample", values).get("id"));
            List<Row> many = zoned.createAll("scalar_sample", List.of(values, values));
            Row list = zoned.get("array_sample", zoned.create("array_sample", lists).get("id"));
            List<Row> manyLists = zoned.createAll("array_sample", List.of(lists, lists));

            assertThat(zoned.read("scalar_sample").compute("zone", String.class, "current_setting('TimeZone')")
                    .first().orElseThrow().get("zone")).isEqualTo("America/St_Johns");
            values.forEach((field, value) -> {
                assertThat(List.of(one.get(field), many.get(0).get(field), many.get(1).get(field))).as(field)
                        .containsOnly(value);
                assertThat(List.of(list.get(field + "_list"), manyLists.get(0).get(field + "_list"))).as(field)
                        .containsOnly(List.of(value));
                assertThat(zoned.read("scalar_sample").where(Filter.eq(field, value)).count()).as(field).isEqualTo(3);
                assertThat(zoned.read("scalar_sample").where(Filter.in(field, List.of(value))).count()).isEqualTo(3);
                assertThat(zoned.read("array_sample").where(Filter.contains(field + "_list", value)).count())
                        .isEqualTo(3);
                assertThat(zoned.read("scalar_sample").max(field)).as(field).isEqualTo(value);
                dev.ashlar.kernel.Read page = zoned.read("scalar_sample").sort(Sort.asc(field), Sort.asc("id"));
                List<Row> sorted = page.list();
                assertThat(page.after(page.cursor(sorted.get(0))).list()).as(field).extracting(row -> row.get("id"))
                        .containsExactly(sorted.get(1).get("id"), sorted.get(2).get("id"));
            });
        } finally {
            TimeZone.setDefault(jvmZone);
        }
        assertThat(db.query("SELECT day::text AS day, ts::text AS ts, (tstz AT TIME ZONE 'UTC')::text AS tstz, "
                + "at_time::text AS at_time FROM scalar_sample")).containsOnly(Map.of("day", day.toString(),
                "ts", ts.toString().replace('T', ' ') + (ts.getSecond() == 0 && ts.getNano() == 0 ? ":00" : ""),
                "tstz", tstzInUtc, "at_time", "02:30:00"));
    }

    @Test
    void integersAndBigintsAtTheirEndsRoundTripAndOnePastIsRefusedNamingTheRangeAndTheWiderType() {
        for (Object[] edge : new Object[][]{{"i", Integer.MIN_VALUE}, {"i", Integer.MAX_VALUE}, {"b", Long.MIN_VALUE},
                {"b", Long.MAX_VALUE}}) {
            Row row = ashlar.create("scalar_sample", Map.of((String) edge[0], edge[1]));
            assertThat(row.get((String) edge[0])).isEqualTo(edge[1]);
        }
        Map<String, Object> past = Map.of("i", Integer.MAX_VALUE + 1L,
                "b", BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE));
        past.forEach((field, value) -> {
            List<ThrowingCallable> writes = List.of(
                    () -> ashlar.create("scalar_sample", Map.of(field, value)),
                    () -> ashlar.createAll("scalar_sample", List.of(Map.of(), Map.of(field, value))),
                    () -> ashlar.upsert("scalar_sample", List.of(Map.of("id", UUID.randomUUID(), field, value)),
                            Upsert.onPrimaryKey()));
            for (ThrowingCallable write : writes) {
                assertThatThrownBy(write).isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(error -> assertThat(error.field()).isEqualTo(field)).asString()
                        .contains("is out of range for " + (field.equals("i") ? "integer (-2147483648 to 2147483647)"
                                + ", got 2147483648; make the attribute BIGINT" : "bigint (-9223372036854775808 to "
                                + "9223372036854775807), got -9223372036854775809; make the attribute DECIMAL")));
            }
            assertThat(ashlar.read("scalar_sample").where(Filter.eq(field, value)).count()).isZero();
        });
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(4L);
    }

    @Test
    void jsonKeepsNumbersPastDoublePrecisionUnicodeEscapesAndDeepNesting() {
        String text = "{\"n\": 12345678901234567890.123456789012345678901, \"e\": \"\\u00e9\\ud83d\\ude00\", "
                + "\"deep\": {\"a\": [[{\"b\": null}]]}}";
        Map<String, Object> map = Map.of("n", new BigDecimal("12345678901234567890.123456789012345678901"),
                "big", new BigInteger("123456789012345678901234567890"));

        Row fromText = ashlar.create("scalar_sample", Map.of("doc", text));
        Row fromMap = ashlar.createAll("scalar_sample", List.of(Map.of("doc", map))).get(0);

        assertThat(db.value("SELECT doc ->> 'n' FROM scalar_sample WHERE id = ?", fromText.get("id")))
                .isEqualTo("12345678901234567890.123456789012345678901");
        assertThat(db.value("SELECT doc ->> 'e' FROM scalar_sample WHERE id = ?", fromText.get("id")))
                .isEqualTo("\u00e9\uD83D\uDE00");
        assertThat(db.value("SELECT jsonb_typeof(doc #> '{deep,a,0,0,b}') FROM scalar_sample WHERE id = ?",
                fromText.get("id"))).isEqualTo("null");
        assertThat(db.value("SELECT (doc ->> 'big') || ' ' || (doc ->> 'n') FROM scalar_sample WHERE id = ?",
                fromMap.get("id")))
                .isEqualTo("123456789012345678901234567890 12345678901234567890.123456789012345678901");
        assertThat(ashlar.read("scalar_sample").where(Filter.eq("doc.n",
                new BigDecimal("12345678901234567890.123456789012345678901"))).count()).isEqualTo(2);
    }

    @Test
    void aJsonNullIsStoredAsAValueWhileAJavaNullIsSqlNull() {
        Map<String, Object> javaNull = new HashMap<>();
        javaNull.put("doc", null);

        Row jsonNull = ashlar.create("scalar_sample", Map.of("doc", "null"));
        Row sqlNull = ashlar.create("scalar_sample", javaNull);

        assertThat(jsonNull.getJson("doc")).isEqualTo("null");
        assertThat(sqlNull.get("doc")).isNull();
        assertThat(db.value("SELECT doc IS NULL FROM scalar_sample WHERE id = ?", jsonNull.get("id"))).isEqualTo(false);
        assertThat(db.value("SELECT jsonb_typeof(doc) FROM scalar_sample WHERE id = ?", jsonNull.get("id")))
                .isEqualTo("null");
        assertThat(ashlar.read("scalar_sample").where(Filter.isNil("doc")).list()).extracting(row -> row.get("id"))
                .containsExactly(sqlNull.get("id"));
    }
}
