package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.RangeField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.ashlar.api.typed.Kind.BINARY;
import static dev.ashlar.api.typed.Kind.DATE;
import static dev.ashlar.api.typed.Kind.DECIMAL;
import static dev.ashlar.api.typed.Kind.DOUBLE;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.INTERVAL;
import static dev.ashlar.api.typed.Kind.JSON;
import static dev.ashlar.api.typed.Kind.SMALLINT;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIME;
import static dev.ashlar.api.typed.Kind.TIMESTAMP;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.api.typed.Kind.decimal;
import static dev.ashlar.api.typed.Kind.enumOf;
import static dev.ashlar.api.typed.Kind.pgEnum;
import static dev.ashlar.api.typed.Kind.rangeOf;
import static dev.ashlar.kernel.data.MigratedDomain.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The values and query inputs that the type and hostile-input suites of Hibernate, jOOQ and Jdbi check, through both
 * the typed and the string API: each is written through Ashlar, read back through Ashlar and checked in plain SQL.
 */
class ValueSuitesTest extends MigratedDomainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T17:00:00Z"), ZoneOffset.UTC);

    enum Status { DRAFT, PUBLISHED }

    enum Mood { HAPPY, SAD }

    record Sample(Long id, BigDecimal amount, BigDecimal big, Double d, Integer i, Short s, Instant tstz,
                  LocalDateTime ts, LocalDate day, LocalTime at, Duration delay, String txt, String code, String name,
                  Status status, Mood mood, byte[] bin, UUID u, String doc, List<String> tags, List<Integer> nums,
                  Range<Integer> span, String addr, String net, String zoned) {
        static final Table<Sample> SAMPLES = Table.of("sample", Sample.class);
        static final Field<Sample, Long> ID = SAMPLES.bigintPrimaryKey("id");
        static final Field<Sample, BigDecimal> AMOUNT = SAMPLES.attribute("amount", decimal(10, 2));
        static final Field<Sample, BigDecimal> BIG = SAMPLES.attribute("big", DECIMAL);
        static final Field<Sample, Double> D = SAMPLES.attribute("d", DOUBLE);
        static final Field<Sample, Integer> I = SAMPLES.attribute("i", INTEGER);
        static final Field<Sample, Short> S = SAMPLES.attribute("s", SMALLINT);
        static final Field<Sample, Instant> TSTZ = SAMPLES.attribute("tstz", TIMESTAMPTZ);
        static final Field<Sample, LocalDateTime> TS = SAMPLES.attribute("ts", TIMESTAMP);
        static final Field<Sample, LocalDate> DAY = SAMPLES.attribute("day", DATE);
        static final Field<Sample, LocalTime> AT = SAMPLES.attribute("at", TIME);
        static final Field<Sample, Duration> WAIT = SAMPLES.attribute("delay", INTERVAL);
        static final TextField<Sample> TXT = SAMPLES.attribute("txt", TEXT);
        static final TextField<Sample> CODE = SAMPLES.attribute("code", TEXT, a -> a.migrationType("char(5)"));
        static final TextField<Sample> NAME = SAMPLES.attribute("name", TEXT, a -> a.migrationType("citext"));
        static final Field<Sample, Status> STATUS = SAMPLES.attribute("status", enumOf(Status.class));
        static final Field<Sample, Mood> MOOD = SAMPLES.attribute("mood", pgEnum("sample_mood", Mood.class));
        static final Field<Sample, byte[]> BIN = SAMPLES.attribute("bin", BINARY);
        static final Field<Sample, UUID> U = SAMPLES.attribute("u", dev.ashlar.api.typed.Kind.UUID);
        static final Field<Sample, String> DOC = SAMPLES.attribute("doc", JSON);
        static final ListField<Sample, String> TAGS = SAMPLES.attribute("tags", arrayOf(TEXT));
        static final ListField<Sample, Integer> NUMS = SAMPLES.attribute("nums", arrayOf(INTEGER));
        static final RangeField<Sample, Integer> SPAN = SAMPLES.attribute("span", rangeOf(INTEGER));
        static final TextField<Sample> ADDR = SAMPLES.attribute("addr", TEXT, a -> a.migrationType("inet"));
        static final TextField<Sample> NET = SAMPLES.attribute("net", TEXT, a -> a.migrationType("cidr"));
        static final TextField<Sample> ZONED = SAMPLES.attribute("zoned", TEXT, a -> a.migrationType("timetz"));
        static final Resource RESOURCE = SAMPLES.builder().table("samples").add(ID, AMOUNT, BIG, D, I, S, TSTZ, TS,
                DAY, AT, WAIT, TXT, CODE, NAME, STATUS, MOOD, BIN, U, DOC, TAGS, NUMS, SPAN, ADDR, NET, ZONED).build();

        static Sample of(Field<Sample, ?> field, Object value) {
            Object[] components = new Object[Sample.class.getRecordComponents().length];
            List<String> names = Arrays.stream(Sample.class.getRecordComponents()).map(c -> c.getName()).toList();
            components[names.indexOf(field.name())] = value;
            try {
                return (Sample) Sample.class.getDeclaredConstructors()[0].newInstance(components);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final Domain DOMAIN = Domain.builder("suites").extensions("citext")
            .resource(Sample.RESOURCE).build();

    ValueSuitesTest() {
        super(DOMAIN, CLOCK, "create_samples");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE samples RESTART IDENTITY");
    }

    /** The one field error of a write, after checking nothing was stored. */
    private FieldError refused(ThrowingCallable write) {
        FieldError error = fieldError(write);
        assertThat(db.value("SELECT count(*) FROM samples")).isEqualTo(0L);
        return error;
    }

    private static FieldError fieldError(ThrowingCallable write) {
        Throwable thrown = catchThrowable(write);
        assertThat(thrown).isInstanceOf(InvalidDataException.class);
        assertThat(((InvalidDataException) thrown).errors()).hasSize(1);
        return ((InvalidDataException) thrown).errors().get(0);
    }

    /** Refused by every write of both APIs, naming the field; the message holds each of {@code words}. */
    private void refusedEveryWay(Field<Sample, ?> field, Object value, String... words) {
        List<ThrowingCallable> writes = List.of(
                () -> ashlar.create("sample", values(field.name(), value)),
                () -> ashlar.createAll("sample", List.of(values(field.name(), value), values(field.name(), value))),
                () -> ashlar.create(Sample.SAMPLES, Sample.of(field, value)),
                () -> ashlar.createAll(Sample.SAMPLES, List.of(Sample.of(field, value), Sample.of(field, value))),
                () -> ashlar.upsert("sample", List.of(values("id", 1_000L, field.name(), value)),
                        Upsert.onPrimaryKey()));
        for (ThrowingCallable write : writes) {
            FieldError error = refused(write);
            assertThat(error.field()).isEqualTo(field.name());
            assertThat(error.toString()).contains(words);
        }
        Row stored = ashlar.create("sample", Map.of());
        assertThat(fieldError(() -> ashlar.update(stored, values(field.name(), value))).field())
                .isEqualTo(field.name());
        assertThat(db.value("SELECT count(*) FROM samples WHERE " + field.name() + " IS NULL")).isEqualTo(1L);
        db.execute("TRUNCATE samples");
    }

    /** Written through both APIs, one and many at a time: each row reads back as {@code read}, SQL sees {@code sql}. */
    private void storedEveryWay(Field<Sample, ?> field, Object value, Object read, String sql) {
        storedEveryWay(field, value, read, read, sql);
    }

    /** As above, where a typed record holds {@code typedRead} (a native enum's constant, the string API its label). */
    private void storedEveryWay(Field<Sample, ?> field, Object value, Object read, Object typedRead, String sql) {
        List<Object> ids = new ArrayList<>();
        ids.add(ashlar.create("sample", values(field.name(), value)).get("id"));
        ashlar.createAll("sample", List.of(values(field.name(), value))).forEach(r -> ids.add(r.get("id")));
        ids.add(ashlar.create(Sample.SAMPLES, Sample.of(field, value)).id());
        ashlar.createAll(Sample.SAMPLES, List.of(Sample.of(field, value))).forEach(r -> ids.add(r.id()));
        ashlar.upsert("sample", List.of(values("id", 1_000L, field.name(), value)), Upsert.onPrimaryKey())
                .forEach(r -> ids.add(r.get("id")));
        ids.add(ashlar.update(ashlar.create("sample", Map.of()), values(field.name(), value)).get("id"));
        // Each read more than five times over: from then on the driver takes the values in binary.
        for (int pass = 0; pass < 3; pass++) {
            for (Object id : ids) {
                assertSameValue(field.name(), ashlar.get("sample", id).get(field.name()), read);
                assertSameValue(field.name(), field.of(ashlar.get(Sample.SAMPLES, id)), typedRead);
                assertThat(db.value("SELECT " + field.name() + "::text FROM samples WHERE id = ?", id))
                        .as("stored " + field.name()).isEqualTo(sql);
            }
        }
        db.execute("TRUNCATE samples");
    }

    private static void assertSameValue(String field, Object actual, Object expected) {
        if (expected instanceof byte[] bytes) {
            assertThat((byte[]) actual).as(field).isEqualTo(bytes);
        } else if (expected instanceof BigDecimal decimal) {
            assertThat((BigDecimal) actual).as(field).isEqualByComparingTo(decimal);
        } else {
            assertThat(actual).as(field).isEqualTo(expected);
        }
    }

    // numeric

    @Test
    void aDecimalPastItsPrecisionIsRefusedNamingTheFieldAndTheLimit() {
        refusedEveryWay(Sample.AMOUNT, new BigDecimal("123456789.00"), "amount", "8");
    }

    @Test
    void aDecimalWithMorePlacesThanItsScaleIsRefusedInsteadOfRounded() {
        refusedEveryWay(Sample.AMOUNT, new BigDecimal("1.235"), "amount");
        storedEveryWay(Sample.AMOUNT, new BigDecimal("1.230"), new BigDecimal("1.23"), "1.23");
    }

    @Test
    void aDecimalWithAHugeExponentIsStoredWhenNumericHoldsItAndRefusedNamingTheFieldWhenNot() {
        storedEveryWay(Sample.BIG, new BigDecimal("1E+1000"), new BigDecimal("1E+1000"),
                "1" + "0".repeat(1000));
        storedEveryWay(Sample.BIG, new BigDecimal("1." + "0".repeat(20_000)), BigDecimal.ONE,
                "1." + "0".repeat(16_383));
        storedEveryWay(Sample.BIG, new BigDecimal("0E-20000"), BigDecimal.ZERO, "0." + "0".repeat(16_383));
        storedEveryWay(Sample.AMOUNT, new BigDecimal("2.5" + "0".repeat(20_000)), new BigDecimal("2.50"), "2.50");
        refusedEveryWay(Sample.BIG, new BigDecimal("1E+200000"), "big");
        refusedEveryWay(Sample.BIG, new BigDecimal("1E-20000"), "big");
    }

    @Test
    void aDoubleKeepsNaNAndInfinityWhileADecimalGivenThemIsRefusedNamingTheField() {
        storedEveryWay(Sample.D, Double.NaN, Double.NaN, "NaN");
        storedEveryWay(Sample.D, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, "-Infinity");
        FieldError error = refused(() -> ashlar.create("sample", values("big", Double.NaN)));
        assertThat(error.field()).isEqualTo("big");
        error = refused(() -> ashlar.create("sample", values("amount", Double.POSITIVE_INFINITY)));
        assertThat(error.field()).isEqualTo("amount");
    }

    @Test
    void aNumberPastAnIntegerOrSmallintIsRefusedNamingTheField() {
        FieldError error = refused(() -> ashlar.create("sample", values("i", 2_147_483_648L)));
        assertThat(error.field()).isEqualTo("i");
        error = refused(() -> ashlar.createAll("sample", List.of(values("s", 32_768))));
        assertThat(error.field()).isEqualTo("s");
        error = refused(() -> ashlar.create("sample", values("s", -32_769L)));
        assertThat(error.field()).isEqualTo("s");
        storedEveryWay(Sample.S, (short) -32_768, (short) -32_768, "-32768");
        storedEveryWay(Sample.I, Integer.MAX_VALUE, Integer.MAX_VALUE, "2147483647");
    }

    // time

    @Test
    void timestampsKeepMicrosecondsAndRoundNanosecondsToTheNearestMicrosecond() {
        Instant micros = Instant.parse("2026-12-04T10:15:30.123456Z");
        storedEveryWay(Sample.TSTZ, micros, micros, "2026-12-04 10:15:30.123456+00");
        storedEveryWay(Sample.TSTZ, micros.plusNanos(499), micros, "2026-12-04 10:15:30.123456+00");
        storedEveryWay(Sample.TS, LocalDateTime.parse("2026-12-04T10:15:30.123456789"),
                LocalDateTime.parse("2026-12-04T10:15:30.123457"), "2026-12-04 10:15:30.123457");
    }

    @Test
    void datesBeforeChristAndPastYear9999RoundTrip() {
        storedEveryWay(Sample.DAY, LocalDate.of(-99, 3, 1), LocalDate.of(-99, 3, 1), "0100-03-01 BC");
        storedEveryWay(Sample.DAY, LocalDate.of(10_000, 1, 1), LocalDate.of(10_000, 1, 1), "10000-01-01");
        storedEveryWay(Sample.TS, LocalDateTime.of(10_000, 1, 1, 0, 0), LocalDateTime.of(10_000, 1, 1, 0, 0),
                "10000-01-01 00:00:00");
        storedEveryWay(Sample.TSTZ, Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                "10000-01-01 00:00:00+00");
    }

    @Test
    void aLocalTimestampInADaylightSavingGapIsStoredAsGiven() {
        LocalDateTime gap = LocalDateTime.of(2026, 3, 29, 2, 30);
        storedEveryWay(Sample.TS, gap, gap, "2026-03-29 02:30:00");
    }

    @Test
    void timeIntervalAndTimeWithTimeZoneRoundTrip() {
        storedEveryWay(Sample.AT, LocalTime.parse("23:59:59.999999"), LocalTime.parse("23:59:59.999999"),
                "23:59:59.999999");
        storedEveryWay(Sample.WAIT, Duration.ofDays(3).plusNanos(1000), Duration.ofDays(3).plusNanos(1000),
                "72:00:00.000001");
        for (String zoned : List.of("10:15:30+02", "10:15:30.5+05:30", "00:00:00-03:30:15", "23:59:59.000001+00",
                "24:00:00+02")) {
            storedEveryWay(Sample.ZONED, zoned, zoned, zoned);
        }
    }

    @Test
    void aTimeWithTimeZoneReadByHandWrittenSqlKeepsItsOffsetHoweverOftenTheStatementRuns() {
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.ZONED, "10:15:30.5+05:30"));
        for (int run = 0; run < 8; run++) {
            assertThat(ashlar.sql("SELECT zoned FROM samples").value(String.class)).as("run " + run)
                    .isEqualTo("10:15:30.5+05:30");
        }
    }

    @Test
    void theEndsOfLocalDateAndInstantAreRefusedWhenWrittenAndInfinityStoredByPlainSqlReadsAsThem() {
        refusedEveryWay(Sample.DAY, LocalDate.MAX, "day", "out of range for date");
        refusedEveryWay(Sample.TSTZ, Instant.MIN, "tstz", "out of range for timestamp");
        db.execute("INSERT INTO samples (day, tstz) VALUES ('infinity', '-infinity')");
        Sample stored = ashlar.read(Sample.SAMPLES).first().orElseThrow();
        assertThat(stored.day()).isEqualTo(LocalDate.MAX);
        assertThat(stored.tstz()).isEqualTo(Instant.MIN);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.DAY.gt(LocalDate.of(9999, 1, 1))).count()).isEqualTo(1);
    }

    // text

    @Test
    void aNulCharacterIsRefusedNamingTheFieldInTextArraysAndJson() {
        refusedEveryWay(Sample.TXT, "a\u0000b", "txt");
        refusedEveryWay(Sample.CODE, "a\u0000", "code");
        refusedEveryWay(Sample.TAGS, List.of("ok", "a\u0000b"), "tags");
        refusedEveryWay(Sample.DOC, "{\"a\": \"\\u0000\"}", "doc");
    }

    @Test
    void aTypedUpsertGivenNoConflictIsRefusedNamingTheArgument() {
        for (ThrowingCallable upsert : List.<ThrowingCallable>of(
                () -> ashlar.upsert(Sample.SAMPLES, List.of(Sample.of(Sample.TXT, "x")), null),
                () -> ashlar.upsert(Sample.SAMPLES, Sample.of(Sample.TXT, "x"), null))) {
            assertThat(catchThrowable(upsert)).isInstanceOf(dev.ashlar.api.error.QueryException.class)
                    .hasMessageContaining("conflict");
        }
        assertThat(db.value("SELECT count(*) FROM samples")).isEqualTo(0L);
    }

    @Test
    void aNulCharacterInAFilterIsRefusedNamingTheField() {
        Throwable thrown = catchThrowable(() -> ashlar.read(Sample.SAMPLES).where(Sample.TXT.eq("a\u0000")).list());
        assertThat(thrown).isInstanceOf(AshlarException.class).hasMessageContaining("txt");
        thrown = catchThrowable(() -> ashlar.read("sample").where(Filter.contains("txt", "\u0000")).list());
        assertThat(thrown).isInstanceOf(AshlarException.class).hasMessageContaining("txt");
    }

    @Test
    void emojiSurrogatePairsAndAMegabyteOfTextRoundTrip() {
        storedEveryWay(Sample.TXT, "a😀b𝄞", "a😀b𝄞", "a😀b𝄞");
        String mega = "x".repeat(1 << 20);
        storedEveryWay(Sample.TXT, mega, mega, mega);
        assertThat(db.value("SELECT length(?::text)", "a😀b𝄞")).isEqualTo(4);
    }

    @Test
    void charOfNIsReadPaddedAndCitextComparesIgnoringCase() {
        storedEveryWay(Sample.CODE, "ab", "ab   ", "ab");
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.CODE, "ab"));
        assertThat(db.value("SELECT octet_length(code) FROM samples")).isEqualTo(5);
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.NAME, "Ärger"));
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NAME.eq("ärger")).count()).isEqualTo(1);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.CODE.eq("ab")).count()).isEqualTo(1);
    }

    @Test
    void aValueOutsideAnEnumIsRefusedNamingTheFieldAndTheLabels() {
        FieldError error = refused(() -> ashlar.create("sample", values("status", "GONE")));
        assertThat(error.field()).isEqualTo("status");
        assertThat(error.toString()).contains("DRAFT");
        error = refused(() -> ashlar.createAll("sample", List.of(values("mood", "ANGRY"))));
        assertThat(error.field()).isEqualTo("mood");
        assertThat(error.toString()).contains("HAPPY");
        storedEveryWay(Sample.MOOD, Mood.SAD, "SAD", Mood.SAD, "SAD");
    }

    // bytea, uuid, jsonb, arrays, ranges, inet

    @Test
    void binaryEmptyAndLargeRoundTrip() {
        storedEveryWay(Sample.BIN, new byte[0], new byte[0], "\\x");
        byte[] large = new byte[3 << 20];
        new java.util.Random(7).nextBytes(large);
        List<Object> ids = List.of(ashlar.create(Sample.SAMPLES, Sample.of(Sample.BIN, large)).id());
        assertThat(ashlar.get(Sample.SAMPLES, ids.get(0)).bin()).isEqualTo(large);
        assertThat(db.value("SELECT octet_length(bin) FROM samples")).isEqualTo(3 << 20);
    }

    @Test
    void uuidJsonAndRangesRoundTrip() {
        UUID u = UUID.fromString("00000000-0000-0000-0000-000000000001");
        storedEveryWay(Sample.U, u, u, "00000000-0000-0000-0000-000000000001");
        storedEveryWay(Sample.DOC,
                "{\"a\": {\"b\": [1, {\"c\": \"\\u00e9\\ud83d\\ude00\"}]}, \"n\": 1.000000000000000000001}",
                "{\"a\": {\"b\": [1, {\"c\": \"é😀\"}]}, \"n\": 1.000000000000000000001}",
                "{\"a\": {\"b\": [1, {\"c\": \"é😀\"}]}, \"n\": 1.000000000000000000001}");
        storedEveryWay(Sample.SPAN, Range.closed(1, 5), Range.closedOpen(1, 6), "[1,6)");
    }

    @Test
    void aRangeWhoseCanonicalBoundWouldPassTheLastValueIsRefusedNamingTheFieldWhileItsEndsAreStored() {
        refusedEveryWay(Sample.SPAN, Range.closed(1, Integer.MAX_VALUE), "span", "upper bound 2147483647 is inclusive",
                "Range.atLeast");
        refusedEveryWay(Sample.SPAN, Range.of(Integer.MAX_VALUE, false, null, false), "span", "lower bound");
        Throwable thrown = catchThrowable(() -> ashlar.read(Sample.SAMPLES)
                .where(Sample.SPAN.overlaps(Range.closed(0, Integer.MAX_VALUE))).list());
        assertThat(thrown).isInstanceOf(AshlarException.class).hasMessageContaining("span")
                .hasMessageContaining("inclusive");
        storedEveryWay(Sample.SPAN, Range.closedOpen(Integer.MIN_VALUE, Integer.MAX_VALUE),
                Range.closedOpen(Integer.MIN_VALUE, Integer.MAX_VALUE), "[-2147483648,2147483647)");
        storedEveryWay(Sample.SPAN, Range.atLeast(Integer.MAX_VALUE), Range.atLeast(Integer.MAX_VALUE),
                "[2147483647,)");
    }

    @Test
    void arraysKeepNullElementsAndEmptiness() {
        storedEveryWay(Sample.NUMS, Arrays.asList(1, null, 3), Arrays.asList(1, null, 3), "{1,NULL,3}");
        storedEveryWay(Sample.TAGS, List.of(), List.of(), "{}");
        FieldError error = refused(() -> ashlar.create("sample", values("nums", List.of(List.of(1), List.of(2)))));
        assertThat(error.field()).isEqualTo("nums");
    }

    @Test
    void aListComparedWithAnArrayIsFoundAndOneHoldingAnElementPastItsTypeIsRefusedNamingTheField() {
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.NUMS, List.of(1, 2)));
        assertThat(ashlar.read("sample").where(Filter.eq("nums", List.of(1L, 2L))).count()).isEqualTo(1);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NUMS.ne(List.of(1, 3))).count()).isEqualTo(1);
        for (Filter filter : List.of(Filter.eq("nums", List.of(3_000_000_000L)),
                Filter.ne("nums", List.of(1L, 3_000_000_000L)))) {
            assertThat(catchThrowable(() -> ashlar.read("sample").where(filter).count()))
                    .isInstanceOfSatisfying(dev.ashlar.api.error.QueryException.class, e -> {
                        assertThat(e.field()).hasValue("nums");
                        assertThat(e).hasMessageContaining("out of range for integer");
                    });
        }
    }

    @Test
    void inetAndCidrRoundTripAndABadAddressNamesTheField() {
        storedEveryWay(Sample.ADDR, "10.0.0.1", "10.0.0.1", "10.0.0.1/32");
        storedEveryWay(Sample.NET, "10.0.0.0/8", "10.0.0.0/8", "10.0.0.0/8");
        refusedEveryWay(Sample.NET, "10.0.0.1/8", "net");
    }

    // filters

    private List<String> texts(dev.ashlar.api.typed.Condition<Sample> condition) {
        return ashlar.read(Sample.SAMPLES).where(condition).sort(Sample.ID.asc()).list().stream()
                .map(Sample::txt).toList();
    }

    @Test
    void containsStartsWithAndEndsWithMatchPercentUnderscoreAndBackslashLiterally() {
        for (String txt : List.of("50% off", "500 off", "a_b", "axb", "C:\\dir", "C:dir")) {
            ashlar.create(Sample.SAMPLES, Sample.of(Sample.TXT, txt));
        }
        assertThat(texts(Sample.TXT.contains("%"))).containsExactly("50% off");
        assertThat(texts(Sample.TXT.contains("_"))).containsExactly("a_b");
        assertThat(texts(Sample.TXT.contains("\\"))).containsExactly("C:\\dir");
        assertThat(texts(Sample.TXT.startsWith("50%"))).containsExactly("50% off");
        assertThat(texts(Sample.TXT.endsWith("\\dir"))).containsExactly("C:\\dir");
        assertThat(texts(Sample.TXT.containsIgnoreCase("A_"))).containsExactly("a_b");
        assertThat(ashlar.read("sample").where(Filter.contains("txt", "%")).count()).isEqualTo(1);
        assertThat(ashlar.read("sample").where(Filter.like("txt", "a\\_b")).count()).isEqualTo(1);
    }

    @Test
    void aLikePatternEndingInItsEscapeCharacterIsRefusedNamingTheFieldAndTheFix() {
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.TXT, "C:\\"));
        for (ThrowingCallable read : List.<ThrowingCallable>of(
                () -> ashlar.read("sample").where(Filter.like("txt", "C:\\")).list(),
                () -> ashlar.read(Sample.SAMPLES).where(Sample.TXT.ilike("%\\\\\\")).count())) {
            assertThat(catchThrowable(read)).isInstanceOfSatisfying(dev.ashlar.api.error.QueryException.class, e -> {
                assertThat(e.field()).hasValue("txt");
                assertThat(e).hasMessageContaining("ends with the escape character").hasMessageContaining("escapeLike");
            });
        }
        assertThat(ashlar.read("sample").where(Filter.like("txt", "C:\\\\")).count()).isEqualTo(1);
        assertThat(ashlar.read("sample").where(Filter.like("txt", "%" + Filter.escapeLike("\\"))).count()).isEqualTo(1);
    }

    @Test
    void anInListOfNoValuesKeepsNoRowAndOneOfAHundredThousandIsOneBind() {
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.I, 99_999));
        List<Integer> many = IntStream.range(0, 100_000).boxed().toList();
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.I.in(List.of())).count()).isZero();
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.I.notIn(List.of())).count()).isEqualTo(1);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.I.in(many)).count()).isEqualTo(1);
        assertThat(ashlar.read("sample").where(Filter.notIn("i", many)).count()).isZero();
        assertThat(ashlar.read("sample").where(Filter.in("i", many)).destroyAll()).isEqualTo(1);
    }

    @Test
    void aNullInAnInListIsRefusedAndEqNullIsIsNull() {
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.I, 1));
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.TXT, "no i"));
        Throwable thrown = catchThrowable(() -> ashlar.read("sample").where(Filter.in("i", Arrays.asList(1, null)))
                .list());
        assertThat(thrown).isInstanceOf(AshlarException.class).hasMessageContaining("i");
        assertThat(ashlar.read("sample").where(Filter.eq("i", null)).list()).extracting(r -> r.get("txt"))
                .containsExactly("no i");
        assertThat(ashlar.read("sample").where(Filter.ne("i", null)).count()).isEqualTo(1);
        assertThat(ashlar.read("sample").where(Filter.ne("i", 1)).count()).isZero();
    }

    @Test
    void nullsSortFirstOrLastAsAsked() {
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.I, 1));
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.TXT, "none"));
        ashlar.create(Sample.SAMPLES, Sample.of(Sample.I, 2));
        assertThat(ashlar.read(Sample.SAMPLES).sort(Sample.I.asc().nullsFirst()).list()).extracting(Sample::i)
                .containsExactly(null, 1, 2);
        assertThat(ashlar.read(Sample.SAMPLES).sort(Sample.I.desc().nullsLast()).list()).extracting(Sample::i)
                .containsExactly(2, 1, null);
        assertThat(ashlar.read("sample").sort(Sort.asc("i")).list()).extracting(r -> r.get("i"))
                .containsExactly(1, 2, null);
        assertThat(ashlar.read("sample").sort(Sort.desc("i")).list()).extracting(r -> r.get("i"))
                .containsExactly(null, 2, 1);
    }

    @Test
    void caseInsensitiveFiltersFoldLettersBeyondAscii() {
        for (String txt : List.of("ÄRGER", "Σίσυφος", "straße", "plain")) {
            ashlar.create(Sample.SAMPLES, Sample.of(Sample.TXT, txt));
        }
        assertThat(texts(Sample.TXT.eqIgnoreCase("ärger"))).containsExactly("ÄRGER");
        assertThat(texts(Sample.TXT.containsIgnoreCase("ΣΊΣΥ"))).containsExactly("Σίσυφος");
        assertThat(texts(Sample.TXT.ilike("%STRASSE%"))).isEmpty();
        assertThat(texts(Sample.TXT.startsWithIgnoreCase("STRA"))).containsExactly("straße");
    }
}
