package dev.ashlar.kernel.data;

import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.ListField;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static dev.ashlar.api.typed.Kind.BIGINT;
import static dev.ashlar.api.typed.Kind.BIG_INTEGER;
import static dev.ashlar.api.typed.Kind.BINARY;
import static dev.ashlar.api.typed.Kind.BOOLEAN;
import static dev.ashlar.api.typed.Kind.CITEXT;
import static dev.ashlar.api.typed.Kind.DATE;
import static dev.ashlar.api.typed.Kind.DOUBLE;
import static dev.ashlar.api.typed.Kind.FLOAT;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.INTERVAL;
import static dev.ashlar.api.typed.Kind.JSON;
import static dev.ashlar.api.typed.Kind.OFFSET_DATE_TIME;
import static dev.ashlar.api.typed.Kind.SMALLINT;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.api.typed.Kind.TIME;
import static dev.ashlar.api.typed.Kind.TIMESTAMP;
import static dev.ashlar.api.typed.Kind.TIMESTAMPTZ;
import static dev.ashlar.api.typed.Kind.UUID;
import static dev.ashlar.api.typed.Kind.arrayOf;
import static dev.ashlar.api.typed.Kind.decimal;
import static dev.ashlar.api.typed.Kind.enumOf;
import static dev.ashlar.api.typed.Kind.pgEnum;
import static dev.ashlar.api.typed.Kind.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The round trips, filters and aggregates that Hibernate's, jOOQ's, Jdbi's and Ebean's type tests make, restated on
 * the typed API: every PostgreSQL type a Java team uses, at its extremes and null, found again by equality.
 */
class TypedRoundTripTest extends MigratedDomainTest {
    enum Status { DRAFT, LIVE }

    record Sample(Long id, java.util.UUID ref, String title, String code, BigDecimal price, Short small, Integer medium,
                  Long large, BigInteger huge, Float ratio, Double score, Boolean active, byte[] data, LocalDate day,
                  LocalTime at, LocalDateTime local, Instant moment, OffsetDateTime stamped, Duration span, String doc,
                  List<String> tags, List<Integer> counts, List<java.util.UUID> refs, List<LocalDate> days,
                  Status status, Status state, String address, String nick) {
        static final Table<Sample> SAMPLES = Table.of("sample", Sample.class);
        static final Field<Sample, Long> ID = SAMPLES.bigintPrimaryKey("id");
        static final Field<Sample, java.util.UUID> REF = SAMPLES.attribute("ref", UUID);
        static final TextField<Sample> TITLE = SAMPLES.attribute("title", TEXT);
        static final TextField<Sample> CODE = SAMPLES.attribute("code", varchar(5));
        static final Field<Sample, BigDecimal> PRICE = SAMPLES.attribute("price", decimal(12, 2));
        static final Field<Sample, Short> SMALL = SAMPLES.attribute("small", SMALLINT);
        static final Field<Sample, Integer> MEDIUM = SAMPLES.attribute("medium", INTEGER);
        static final Field<Sample, Long> LARGE = SAMPLES.attribute("large", BIGINT);
        static final Field<Sample, BigInteger> HUGE = SAMPLES.attribute("huge", BIG_INTEGER);
        static final Field<Sample, Float> RATIO = SAMPLES.attribute("ratio", FLOAT);
        static final Field<Sample, Double> SCORE = SAMPLES.attribute("score", DOUBLE);
        static final Field<Sample, Boolean> ACTIVE = SAMPLES.attribute("active", BOOLEAN);
        static final Field<Sample, byte[]> DATA = SAMPLES.attribute("data", BINARY);
        static final Field<Sample, LocalDate> DAY = SAMPLES.attribute("day", DATE);
        static final Field<Sample, LocalTime> AT = SAMPLES.attribute("at", TIME);
        static final Field<Sample, LocalDateTime> LOCAL = SAMPLES.attribute("local", TIMESTAMP);
        static final Field<Sample, Instant> MOMENT = SAMPLES.attribute("moment", TIMESTAMPTZ);
        static final Field<Sample, OffsetDateTime> STAMPED = SAMPLES.attribute("stamped", OFFSET_DATE_TIME);
        static final Field<Sample, Duration> SPAN = SAMPLES.attribute("span", INTERVAL);
        static final Field<Sample, String> DOC = SAMPLES.attribute("doc", JSON);
        static final ListField<Sample, String> TAGS = SAMPLES.attribute("tags", arrayOf(TEXT));
        static final ListField<Sample, Integer> COUNTS = SAMPLES.attribute("counts", arrayOf(INTEGER));
        static final ListField<Sample, java.util.UUID> REFS = SAMPLES.attribute("refs", arrayOf(UUID));
        static final ListField<Sample, LocalDate> DAYS = SAMPLES.attribute("days", arrayOf(DATE));
        static final Field<Sample, Status> STATUS = SAMPLES.attribute("status", enumOf(Status.class));
        static final Field<Sample, Status> STATE = SAMPLES.attribute("state", pgEnum("sample_state", Status.class));
        static final TextField<Sample> ADDRESS = SAMPLES.attribute("address", TEXT, a -> a.migrationType("inet"));
        static final TextField<Sample> NICK = SAMPLES.attribute("nick", CITEXT);
        static final Resource RESOURCE = SAMPLES.builder().table("samples").add(ID, REF, TITLE, CODE, PRICE, SMALL,
                MEDIUM, LARGE, HUGE, RATIO, SCORE, ACTIVE, DATA, DAY, AT, LOCAL, MOMENT, STAMPED, SPAN, DOC, TAGS,
                COUNTS, REFS, DAYS, STATUS, STATE, ADDRESS, NICK).build();
    }

    private static final java.util.UUID REF = java.util.UUID.fromString("0b6f5c1e-2a4d-4e8f-9c3b-7d1a2e3f4a5b");
    private static final Sample EXTREMES = new Sample(null, REF, "", "abcde", new BigDecimal("1.5"),
            Short.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"),
            Float.MAX_VALUE, Double.MIN_VALUE, false, new byte[0], LocalDate.of(-4000, 1, 1), LocalTime.MAX,
            LocalDateTime.of(1, 1, 1, 0, 0), Instant.parse("2026-01-01T00:00:00.123456789Z"),
            OffsetDateTime.parse("2026-06-01T12:00:00.5+02:00"), Duration.ofDays(-3).plusNanos(1000),
            "{\"a\": [1, null]}", Arrays.asList("", null, "ü"), List.of(), List.of(REF), List.of(LocalDate.EPOCH),
            Status.LIVE, Status.DRAFT, "10.0.0.1", "Ada");

    TypedRoundTripTest() {
        super(Domain.builder("round_trips").extensions("citext").resource(Sample.RESOURCE).build(),
                Clock.systemUTC(), "create_samples");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE samples RESTART IDENTITY");
    }

    @Test
    void everyTypeKeepsItsExtremesThroughACreateAndAReadAndIsFoundAgainByEquality() {
        Sample created = ashlar.create(Sample.SAMPLES, EXTREMES);
        Sample read = ashlar.get(Sample.SAMPLES, created.id());

        Sample stored = new Sample(1L, REF, "", "abcde", new BigDecimal("1.50"), Short.MIN_VALUE, Integer.MAX_VALUE,
                Long.MIN_VALUE, EXTREMES.huge(), Float.MAX_VALUE, Double.MIN_VALUE, false, new byte[0],
                LocalDate.of(-4000, 1, 1), LocalTime.MAX, LocalDateTime.of(1, 1, 1, 0, 0),
                Instant.parse("2026-01-01T00:00:00.123457Z"), OffsetDateTime.parse("2026-06-01T10:00:00.5Z"),
                EXTREMES.span(), EXTREMES.doc(), EXTREMES.tags(), List.of(), List.of(REF), List.of(LocalDate.EPOCH),
                Status.LIVE, Status.DRAFT, "10.0.0.1", "Ada");
        assertThat(List.of(created, read)).allSatisfy(sample -> assertThat(sample).usingRecursiveComparison()
                .isEqualTo(stored));
        assertThat(db.query("SELECT price::text AS price, at::text AS at, moment::text AS moment, "
                + "stamped::text AS stamped, span::text AS span, day::text AS day FROM samples").get(0))
                .containsEntry("price", "1.50").containsEntry("at", "24:00:00")
                .containsEntry("moment", "2026-01-01 00:00:00.123457+00")
                .containsEntry("stamped", "2026-06-01 10:00:00.5+00").containsEntry("span", "-71:59:59.999999")
                .containsEntry("day", "4001-01-01 BC");
        List<dev.ashlar.api.typed.Condition<Sample>> finds = List.of(Sample.REF.eq(REF), Sample.TITLE.eq(""),
                Sample.PRICE.eq(new BigDecimal("1.5")), Sample.SMALL.eq(Short.MIN_VALUE),
                Sample.MEDIUM.eq(Integer.MAX_VALUE), Sample.LARGE.eq(Long.MIN_VALUE), Sample.HUGE.eq(EXTREMES.huge()),
                Sample.RATIO.eq(Float.MAX_VALUE), Sample.SCORE.eq(Double.MIN_VALUE), Sample.ACTIVE.eq(false),
                Sample.DATA.eq(new byte[0]), Sample.DAY.eq(LocalDate.of(-4000, 1, 1)), Sample.AT.eq(LocalTime.MAX),
                Sample.LOCAL.eq(LocalDateTime.of(1, 1, 1, 0, 0)), Sample.MOMENT.eq(stored.moment()),
                Sample.STAMPED.eq(EXTREMES.stamped()), Sample.SPAN.eq(EXTREMES.span()),
                Sample.DOC.eq("{\"a\":[1,null]}"), Sample.TAGS.contains("ü"), Sample.REFS.contains(REF),
                Sample.DAYS.contains(LocalDate.EPOCH), Sample.STATUS.eq(Status.LIVE), Sample.STATE.eq(Status.DRAFT),
                Sample.ADDRESS.eq("10.0.0.1"), Sample.NICK.eq("ADA"));
        for (var condition : finds) {
            assertThat(ashlar.read(Sample.SAMPLES).where(condition).count()).as(condition.toString()).isEqualTo(1);
        }
    }

    @Test
    void aRecordOfNullsIsStoredAsNullInEveryColumnAndReadBackAsNulls() {
        Sample blank = new Sample(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        Sample created = ashlar.create(Sample.SAMPLES, blank);

        assertThat(ashlar.get(Sample.SAMPLES, created.id())).isEqualTo(created)
                .usingRecursiveComparison().ignoringFields("id").isEqualTo(blank);
        assertThat(db.value("SELECT num_nonnulls(ref, title, code, price, small, medium, large, huge, ratio, score, "
                + "active, data, day, at, local, moment, stamped, span, doc, tags, counts, refs, days, status, state, "
                + "address, nick) FROM samples")).as("every column but the key is SQL NULL, not JSON null")
                .isEqualTo(0);
    }

    @Test
    void minAndMaxOfATypedFieldAreItsRecordComponentsType() {
        ashlar.createAll(Sample.SAMPLES, List.of(EXTREMES, new Sample(null, null, "b", null, new BigDecimal("9.99"),
                (short) 5, 7, 8L, BigInteger.TEN, null, null, true, null, LocalDate.EPOCH, null, null, null,
                OffsetDateTime.parse("2026-06-01T13:00:00+02:00"), null, null, null, null, null, null, Status.DRAFT,
                null, null, "bob")));

        BigDecimal cheapest = ashlar.read(Sample.SAMPLES).min(Sample.PRICE);
        Integer most = ashlar.read(Sample.SAMPLES).max(Sample.MEDIUM);
        Short least = ashlar.read(Sample.SAMPLES).min(Sample.SMALL);
        BigInteger huge = ashlar.read(Sample.SAMPLES).max(Sample.HUGE);
        LocalDate latest = ashlar.read(Sample.SAMPLES).max(Sample.DAY);
        Status first = ashlar.read(Sample.SAMPLES).min(Sample.STATUS);
        OffsetDateTime stamped = ashlar.read(Sample.SAMPLES).max(Sample.STAMPED);
        String nick = ashlar.read(Sample.SAMPLES).max(Sample.NICK);

        assertThat(cheapest).isEqualTo(new BigDecimal("1.50"));
        assertThat(most).isEqualTo(Integer.MAX_VALUE);
        assertThat(least).isEqualTo(Short.MIN_VALUE);
        assertThat(huge).isEqualTo(EXTREMES.huge());
        assertThat(latest).isEqualTo(LocalDate.EPOCH);
        assertThat(first).isEqualTo(Status.DRAFT);
        assertThat(stamped).isEqualTo(OffsetDateTime.parse("2026-06-01T11:00:00Z"));
        assertThat(nick).isEqualTo("bob");
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.ID.eq(-1L)).max(Sample.MEDIUM)).isNull();
    }

    @Test
    void anOffsetDateTimeIsFoundAtAnyOffsetAndComparedAsTheInstantItNames() {
        ashlar.create(Sample.SAMPLES, EXTREMES);

        OffsetDateTime sameInstant = OffsetDateTime.parse("2026-06-01T05:00:00.5-05:00");
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.STAMPED.eq(sameInstant)).values(Sample.STAMPED))
                .singleElement().satisfies(value -> {
                    assertThat(value.isEqual(sameInstant)).isTrue();
                    assertThat(value.getOffset()).isEqualTo(ZoneOffset.UTC);
                });
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.STAMPED.gt(sameInstant.minusNanos(1000))).count())
                .isEqualTo(1);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.STAMPED.gt(sameInstant)).count()).isZero();
    }

    @Test
    void aCitextFieldIsFoundAndSortedWhateverTheCaseInACitextColumn() {
        ashlar.createAll(Sample.SAMPLES, List.of(withNick("Ada"), withNick("bob"), withNick("Carl")));

        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NICK.eq("ADA")).values(Sample.NICK)).containsExactly("Ada");
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NICK.in(List.of("BOB", "carl"))).count()).isEqualTo(2);
        assertThat(ashlar.read(Sample.SAMPLES).sort(Sample.NICK.desc()).values(Sample.NICK))
                .containsExactly("Carl", "bob", "Ada");
        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'samples' "
                + "AND column_name = 'nick'")).isEqualTo("USER-DEFINED");
        assertThat(db.value("SELECT udt_name FROM information_schema.columns WHERE table_name = 'samples' "
                + "AND column_name = 'nick'")).isEqualTo("citext");
    }

    @Test
    void nullInAFilterMeansMissingAndAnInListHoldingNullIsRefusedSayingHowToMatchMissingValues() {
        ashlar.createAll(Sample.SAMPLES, List.of(withNick("Ada"), withNick(null)));

        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NICK.eq((String) null)).values(Sample.ID))
                .containsExactly(2L);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NICK.ne((String) null)).values(Sample.ID))
                .containsExactly(1L);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NICK.ne("x")).values(Sample.ID))
                .as("SQL's <>: a missing value is not different").containsExactly(1L);
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NICK.in(List.of())).count()).isZero();
        assertThat(ashlar.read(Sample.SAMPLES).where(Sample.NICK.notIn(List.of())).count()).isEqualTo(2);
        assertThatThrownBy(() -> ashlar.read(Sample.SAMPLES).where(Sample.NICK.in(Arrays.asList("Ada", null))).count())
                .isInstanceOf(QueryException.class).hasMessageContaining("in(\"nick\", ...) hold a null")
                .hasMessageContaining("isNil(\"nick\")");
        assertThat(ashlar.read(Sample.SAMPLES).sort(Sample.NICK.asc().nullsFirst()).values(Sample.ID))
                .containsExactly(2L, 1L);
        assertThat(ashlar.read(Sample.SAMPLES).sort(Sample.NICK.desc().nullsLast()).values(Sample.ID))
                .containsExactly(1L, 2L);
    }

    @Test
    void findByKeyGivesTheRecordOrEmptyWhereGetFailsAsNotFound() {
        Sample ada = ashlar.create(Sample.SAMPLES, withNick("Ada"));

        assertThat(ashlar.find(Sample.SAMPLES, ada.id())).contains(ada);
        assertThat(ashlar.find("sample", ada.id())).map(row -> row.get("nick")).contains("Ada");
        assertThat(ashlar.find(Sample.SAMPLES, 99L)).isEmpty();
        assertThat(ashlar.find("sample", 99L)).isEmpty();
        assertThatThrownBy(() -> ashlar.get(Sample.SAMPLES, 99L)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ashlar.find(Sample.SAMPLES, null)).isInstanceOf(QueryException.class)
                .hasMessageContaining("sample");
    }

    private static Sample withNick(String nick) {
        return new Sample(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, nick);
    }

}
