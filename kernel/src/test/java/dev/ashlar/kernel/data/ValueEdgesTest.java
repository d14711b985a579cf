package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values at the edges of what a type holds: refused naming the field and the fix, never rounded or misread. */
class ValueEdgesTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, scalar_sample, array_sample");
    }

    @Test
    void aDecimalWithMorePlacesThanItsScaleIsRefusedInEveryWriteInsteadOfRounded() {
        Row kept = ashlar.create("scalar_sample", Map.of("amount", new BigDecimal("1.10")));
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.create("scalar_sample", Map.of("amount", new BigDecimal("1.235"))),
                () -> ashlar.create("scalar_sample", Map.of("amount", 0.1 + 0.2)),
                () -> ashlar.createAll("scalar_sample", List.of(Map.of("amount", BigDecimal.ONE),
                        Map.of("amount", new BigDecimal("2.001")))),
                () -> ashlar.create("array_sample", Map.of("amount_list", List.of(new BigDecimal("1.239")))),
                () -> ashlar.update(kept, Map.of("amount", new BigDecimal("1.999"))),
                () -> ashlar.update(kept, Map.of("amount", Atomic.add(new BigDecimal("0.005")))));

        for (ThrowingCallable write : writes) {
            assertThatThrownBy(write).isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                    .singleElement().satisfies(error -> {
                        assertThat(error.field()).isIn("amount", "amount_list");
                        assertThat(error.message()).contains("more decimal places than numeric(10,2) keeps")
                                .contains("setScale(2, RoundingMode.HALF_EVEN)");
                    }));
        }
        assertThat(db.query("SELECT amount::text AS amount FROM scalar_sample")).extracting(r -> r.get("amount"))
                .containsExactly("1.10");
        assertThat(db.value("SELECT count(*) FROM array_sample")).isEqualTo(0L);
    }

    @Test
    void aDecimalWithTrailingZerosOrAnExponentIsStoredExactlyAndFiltersStillCompareFinerValues() {
        ashlar.create("scalar_sample", Map.of("amount", new BigDecimal("1.2300"), "big", new BigDecimal("-2.5E-7")));
        ashlar.createAll("scalar_sample", List.of(Map.of("amount", new BigDecimal("1E+3")), Map.of("amount", 0.5)));

        assertThat(db.query("SELECT amount::text AS a FROM scalar_sample ORDER BY amount")).extracting(r -> r.get("a"))
                .containsExactly("0.50", "1.23", "1000.00");
        assertThat(ashlar.read("scalar_sample").where(Filter.notNil("big")).first().orElseThrow().getBigDecimal("big"))
                .isEqualByComparingTo("-0.00000025");
        assertThat(ashlar.read("scalar_sample").where(Filter.eq("amount", new BigDecimal("1.234"))).count()).isZero();
        assertThat(ashlar.read("scalar_sample").where(Filter.lt("amount", new BigDecimal("1.231"))).count())
                .isEqualTo(2);
    }

    @Test
    void aFractionGivenForAWholeNumberIsRefusedSayingSoWhileAWholeDecimalIsTaken() {
        assertThatThrownBy(() -> ashlar.create("scalar_sample", Map.of("i", new BigDecimal("1.5"))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .hasToString("i must be a whole number for integer, got 1.5, which has a fraction: round it "
                                + "first, or make the attribute DECIMAL"));

        Row row = ashlar.create("scalar_sample", Map.of("i", new BigDecimal("1E+3"), "b", new BigDecimal("2.00")));

        assertThat(row.getInteger("i")).isEqualTo(1000);
        assertThat(row.getLong("b")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(1L);
    }

    @Test
    void aMultidimensionalArrayStoredByPlainSqlIsRefusedWhenReadNamingTheAttributeAndTheFix() {
        UUID id = UUID.randomUUID();
        db.execute("INSERT INTO array_sample (id, i_list, txt_list, day_list) VALUES ('" + id + "', '{{1,2},{3,4}}', "
                + "'{{a,b},{c,d}}', '{{2024-01-01},{2024-01-02}}')");

        for (String field : List.of("i_list", "txt_list", "day_list")) {
            assertThatThrownBy(() -> ashlar.read("array_sample").select(field).list())
                    .isInstanceOfSatisfying(QueryException.class, e -> {
                        assertThat(e.resource()).contains("array_sample");
                        assertThat(e.field()).contains(field);
                    })
                    .hasMessageContaining("of array_sample." + field + " has more than one dimension")
                    .hasMessageContaining("JSON attribute");
        }
        db.execute("UPDATE array_sample SET i_list = ARRAY(SELECT unnest(i_list)), txt_list = NULL, day_list = "
                + "'{2024-01-01,NULL}'");
        Row row = ashlar.get("array_sample", id);
        assertThat(row.getList("i_list", Integer.class)).containsExactly(1, 2, 3, 4);
        assertThat(row.getList("day_list", LocalDate.class)).containsExactly(LocalDate.of(2024, 1, 1), null);
    }

    @Test
    void aNestedListGivenForAnArrayAttributeIsRefusedSayingArraysHaveOneDimension() {
        for (ThrowingCallable write : List.<ThrowingCallable>of(
                () -> ashlar.create("array_sample", Map.of("i_list", List.of(List.of(1, 2), List.of(3, 4)))),
                () -> ashlar.createAll("array_sample", List.of(Map.of("txt_list", List.of("a")),
                        Map.of("txt_list", List.of("b", new String[]{"c"})))))) {
            assertThatThrownBy(write).isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                    .singleElement().satisfies(error -> assertThat(error.message()).contains("holds a list at element")
                            .contains("an array attribute has one dimension")));
        }
        assertThat(db.value("SELECT count(*) FROM array_sample")).isEqualTo(0L);
    }

    record Sample(UUID id, Fixtures.Status status) {
    }

    @Test
    void aStoredLabelTheEnumLacksIsRefusedNamingTheLabelTheConstantsAndTheFix() {
        db.execute("INSERT INTO scalar_sample (id, status) VALUES (gen_random_uuid(), 'LOST')");
        Row row = ashlar.read("scalar_sample").first().orElseThrow();

        assertThat(row.getString("status")).isEqualTo("LOST");
        assertThatThrownBy(() -> row.getEnum("status", Fixtures.Status.class))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("status"))
                .hasMessageContaining("Field 'status' of scalar_sample holds 'LOST', which is no constant of Status "
                        + "[DRAFT, PUBLISHED, ARCHIVED]: read it with getString(\"status\")");
        assertThatThrownBy(() -> ashlar.read("scalar_sample").list(Sample.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("component 'status' (Status) cannot take the String LOST, which is no constant "
                        + "of Status [DRAFT, PUBLISHED, ARCHIVED]");
    }

    @Test
    void aNullSortKeySelectedFieldOrDistinctFieldIsRefusedNamingTheRead() {
        List<ThrowingCallable> reads = List.of(
                () -> ashlar.read("post").sort(Sort.asc("id"), null).list(),
                () -> ashlar.read("post").select("title", null).list(),
                () -> ashlar.read("post").distinct((String) null).list(),
                () -> ashlar.read("post").distinct("title").distinctSort((Sort) null).list());

        for (ThrowingCallable read : reads) {
            assertThatThrownBy(read).isInstanceOfSatisfying(QueryException.class,
                    e -> assertThat(e.resource()).contains("post")).hasMessageContaining("A read of post was given null");
        }
    }

    @Test
    void aWholeNumberOrDecimalThatARealOrDoubleCannotHoldExactlyIsRefusedInsteadOfRounded() {
        Map<String, List<Object>> refused = Map.of(
                "f", List.of(16_777_217, new BigDecimal("0.123456789")),
                "d", List.of(9_007_199_254_740_993L, new BigDecimal("0.1000000000000000000001")));
        refused.forEach((field, values) -> values.forEach(value -> assertThatThrownBy(
                () -> ashlar.createAll("scalar_sample", List.of(Map.of(field, value), Map.of())))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo(field))
                        .asString().contains("has more digits than").contains("got " + value))));
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);

        Row exact = ashlar.create("scalar_sample", Map.of("f", 16_777_216, "d", new BigDecimal("0.1")));

        assertThat(exact.getFloat("f")).isEqualTo(16_777_216f);
        assertThat(exact.getDouble("d")).isEqualTo(0.1);
        assertThat(ashlar.read("scalar_sample").where(Filter.eq("f", 16_777_217)).count()).isZero();
    }

    /** A bean of the user's own domain, written as JSON by its getters. */
    public static final class Badge {
        public String getLabel() {
            return "gold";
        }
    }

    record Point(int x, int y) {
    }

    @Test
    void aJsonValueHoldingAnObjectOfTheJdkOrAResourceIsRefusedNamingTheFieldAndWhatToGiveInstead() throws Exception {
        try (java.sql.Connection connection = db.dataSource().getConnection()) {
            List<ThrowingCallable> writes = List.of(
                    () -> ashlar.create("scalar_sample", Map.of("doc", Thread.currentThread())),
                    () -> ashlar.create("scalar_sample", Map.of("doc", Map.of("conn", connection))),
                    () -> ashlar.create("scalar_sample", Map.of("doc", List.of(new Thread(() -> { })))),
                    () -> ashlar.create("scalar_sample", Map.of("doc", new java.io.ByteArrayOutputStream())));
            for (ThrowingCallable write : writes) {
                assertThatThrownBy(write).isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .singleElement().asString().startsWith("doc cannot be written as JSON: it holds a ")
                        .contains("which has no JSON form here; give it as text"));
            }
            assertThatThrownBy(writes.get(1)).hasMessageContaining("at conn");
        }
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);

        ashlar.create("scalar_sample", Map.of("doc", Map.of("badge", new Badge(), "at", new Point(1, 2),
                "id", UUID.fromString("00000000-0000-0000-0000-000000000001"), "day", java.sql.Date.valueOf("2024-01-02"))));
        assertThat(db.value("SELECT doc::text FROM scalar_sample")).asString().contains("\"badge\": {\"label\": \"gold\"}")
                .contains("\"at\": {\"x\": 1, \"y\": 2}").contains("00000000-0000-0000-0000-000000000001");
    }

    @Test
    void aJsonValueHoldingATypeWithoutAJsonFormNamesTheTypeWhereItIsAndTheFix() {
        Map<String, Object> doc = Map.of("event", Map.of("at", java.time.YearMonth.of(2024, 1)));

        assertThatThrownBy(() -> ashlar.create("scalar_sample", Map.of("doc", doc)))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .hasToString("doc cannot be written as JSON: it holds a java.time.YearMonth at event.at, which has "
                                + "no JSON form here; give it as text (e.g. its toString()) or a number, or as a Map, "
                                + "List or record of text, numbers, booleans and nulls"));
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aDateOrTimestampTheServerHoldsAsInfinityReadsAsTheEndsOfItsJavaTypeAlsoInArraysAndFilters() {
        db.execute("INSERT INTO scalar_sample (id, day, ts) VALUES (gen_random_uuid(), 'infinity', '-infinity'), "
                + "(gen_random_uuid(), '-infinity', 'infinity')");
        db.execute("INSERT INTO array_sample (id, day_list, ts_list, tstz_list) VALUES (gen_random_uuid(), "
                + "'{infinity,2024-01-01,NULL}', '{-infinity}', '{infinity,-infinity}')");

        List<Row> rows = ashlar.read("scalar_sample").sort(Sort.asc("day")).list();
        Row arrays = ashlar.read("array_sample").first().orElseThrow();

        assertThat(rows).extracting(r -> r.get("day")).containsExactly(LocalDate.MIN, LocalDate.MAX);
        assertThat(rows).extracting(r -> r.get("ts")).containsExactly(java.time.LocalDateTime.MAX,
                java.time.LocalDateTime.MIN);
        assertThat(arrays.getList("day_list", LocalDate.class)).containsExactly(LocalDate.MAX, LocalDate.of(2024, 1, 1),
                null);
        assertThat(arrays.getList("ts_list", java.time.LocalDateTime.class)).containsExactly(java.time.LocalDateTime.MIN);
        assertThat(arrays.getList("tstz_list", java.time.Instant.class)).containsExactly(java.time.Instant.MAX,
                java.time.Instant.MIN);
        assertThat(ashlar.read("scalar_sample").where(Filter.eq("day", LocalDate.MAX)).count()).isEqualTo(1);
    }

    @Test
    void aCursorOnADateOrTimestampTheServerHoldsAsInfinityPagesPastItForwardAndBackward() {
        db.execute("INSERT INTO scalar_sample (id, day, ts, tstz) VALUES "
                + "('00000000-0000-0000-0000-000000000001', '-infinity', '-infinity', '-infinity'), "
                + "('00000000-0000-0000-0000-000000000002', '2024-01-01', '2024-01-01 10:00', '2024-01-01 10:00Z'), "
                + "('00000000-0000-0000-0000-000000000003', 'infinity', 'infinity', 'infinity'), "
                + "('00000000-0000-0000-0000-000000000004', NULL, NULL, NULL)");

        for (String field : List.of("day", "ts", "tstz")) {
            for (Sort sort : List.of(Sort.asc(field), Sort.desc(field))) {
                dev.ashlar.kernel.Read pages = ashlar.read("scalar_sample").sort(sort).limit(1);
                List<Row> all = ashlar.read("scalar_sample").sort(sort).limit(10).list();
                List<Object> forward = new java.util.ArrayList<>();
                List<Object> backward = new java.util.ArrayList<>();
                for (Row row : all) {
                    pages.after(pages.cursor(row)).first().ifPresent(next -> forward.add(next.get("id")));
                    pages.before(pages.cursor(row)).list().forEach(previous -> backward.add(previous.get("id")));
                }

                List<Object> ids = all.stream().map(row -> row.get("id")).toList();
                assertThat(forward).as(sort + " forward").isEqualTo(ids.subList(1, ids.size()));
                assertThat(backward).as(sort + " backward").isEqualTo(ids.subList(0, ids.size() - 1));
            }
        }
    }

    @Test
    void aNumberReadAsANarrowerTypeThatCannotHoldItNamesTheValueAndTheGetterThatCan() {
        Row row = ashlar.create("scalar_sample", Map.of("b", 9_000_000_000L, "big", new BigDecimal("2.5")));

        assertThat(row.getLong("b")).isEqualTo(9_000_000_000L);
        assertThatThrownBy(() -> row.getInteger("b")).isInstanceOf(QueryException.class)
                .hasMessageContaining("Field 'b' of scalar_sample holds the Long 9000000000, which a Integer does not "
                        + "hold exactly: read it with get(\"b\", Long.class)");
        assertThatThrownBy(() -> row.getLong("big")).isInstanceOf(QueryException.class)
                .hasMessageContaining("holds the BigDecimal 2.5, which a Long does not hold exactly");
    }

    @Test
    void datesAndTimesInADaylightSavingGapOfTheJvmsZoneRoundTripUnchangedThroughEveryWrite() {
        // In Sao Paulo, 2018-11-04 began at 01:00: its midnight, and 00:30, never happened there.
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/Sao_Paulo"));
        try {
            LocalDate day = LocalDate.of(2018, 11, 4);
            java.time.LocalDateTime gap = java.time.LocalDateTime.of(2018, 11, 4, 0, 30);
            java.time.Instant instant = java.time.Instant.parse("2018-11-04T02:30:00Z");
            Map<String, Object> values = Map.of("day", day, "ts", gap, "tstz", instant);

            Row one = ashlar.get("scalar_sample", ashlar.create("scalar_sample", values).get("id"));
            List<Row> many = ashlar.createAll("scalar_sample", List.of(values, values));
            Row arrays = ashlar.create("array_sample", Map.of("day_list", List.of(day), "ts_list", List.of(gap),
                    "tstz_list", List.of(instant)));

            for (Row row : List.of(one, many.get(0), many.get(1))) {
                assertThat(List.of(row.get("day"), row.get("ts"), row.get("tstz"))).containsExactly(day, gap, instant);
            }
            assertThat(List.of(arrays.get("day_list"), arrays.get("ts_list"), arrays.get("tstz_list")))
                    .containsExactly(List.of(day), List.of(gap), List.of(instant));
            assertThat(db.query("SELECT day::text AS d, ts::text AS t FROM scalar_sample")).extracting(r -> r.get("d")
                    + " " + r.get("t")).containsOnly("2018-11-04 2018-11-04 00:30:00");
            assertThat(ashlar.read("scalar_sample").where(Filter.and(Filter.eq("day", day), Filter.eq("ts", gap)))
                    .count()).isEqualTo(3);
        } finally {
            java.util.TimeZone.setDefault(zone);
        }
    }

    @Test
    void aTimeOrTimestampFinerThanAMicrosecondIsRoundedToOneAsPostgresqlDoes() {
        Row row = ashlar.create("scalar_sample", Map.of("at_time", java.time.LocalTime.of(10, 15, 30, 123_456_789),
                "ts", java.time.LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_600)));
        Row bulk = ashlar.createAll("scalar_sample", List.of(Map.of("ts", java.time.LocalDateTime.of(1999, 12, 31, 23,
                59, 59, 999_999_600)), Map.of())).get(0);

        assertThat(row.get("at_time")).isEqualTo(java.time.LocalTime.of(10, 15, 30, 123_457_000));
        assertThat(row.get("ts")).isEqualTo(java.time.LocalDateTime.of(2000, 1, 1, 0, 0));
        assertThat(bulk.get("ts")).isEqualTo(row.get("ts"));
    }

    @Test
    void largeBinaryValuesAndCharactersOutsideTheBasicPlaneRoundTripAndVarcharCountsCharacters() {
        byte[] large = new byte[5_000_000];
        new java.util.Random(7).nextBytes(large);
        String five = "\uD83D\uDE00a\uD834\uDD1E\uD83D\uDE00\u00E9";   // 5 characters, 8 UTF-16 units

        Row one = ashlar.get("scalar_sample", ashlar.create("scalar_sample", Map.of("bin", large, "short_text", five,
                "txt", five.repeat(1_000))).get("id"));
        List<Row> many = ashlar.createAll("scalar_sample", List.of(Map.of("bin", large, "short_text", five),
                Map.of("bin", new byte[0])));

        assertThat(one.getBytes("bin")).isEqualTo(large);
        assertThat(one.getString("short_text")).isEqualTo(five);
        assertThat(one.getString("txt")).hasSize(8_000);
        assertThat(many.get(0).getBytes("bin")).isEqualTo(large);
        assertThat(many.get(1).getBytes("bin")).isEmpty();
        assertThat(db.value("SELECT max(length(short_text)) FROM scalar_sample")).isEqualTo(5);
        assertThatThrownBy(() -> ashlar.create("scalar_sample", Map.of("short_text", five + "\uD83D\uDE00")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .asString().contains("at most 5 characters (varchar(5)), got 6"));
    }
}
