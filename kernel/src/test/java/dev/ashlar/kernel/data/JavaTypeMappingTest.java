package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.DECIMAL;
import static dev.ashlar.api.resource.Type.SMALLINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java types that Hibernate, jOOQ and Jdbi map columns onto beside the ones Ashlar's attributes give ({@code
 * BigInteger}, {@code Byte}, {@code Character}, {@code ZonedDateTime}, {@code OffsetTime}, {@code Period}): written,
 * bound and read back equal, or refused naming the field.
 */
class JavaTypeMappingTest extends MigratedDomainTest {
    private static final Resource THING = Resource.builder("thing").table("things").primaryKey("id")
            .attribute("big", BIGINT).attribute("amount", DECIMAL).attribute("small", SMALLINT)
            .attribute("letter", TEXT, a -> a.migrationType("char(1)"))
            .attribute("at", TIMESTAMPTZ)
            .attribute("zoned", TEXT, a -> a.migrationType("timetz"))
            .build();

    JavaTypeMappingTest() {
        super(Domain.builder("mapping").resource(THING).build(), Clock.systemUTC(), "create_things");
    }

    record Numbers(Long id, BigInteger big, BigInteger amount, Byte small) {
    }

    record Letter(Long id, Character letter) {
    }

    record Moment(Long id, ZonedDateTime at) {
    }

    record Zoned(Long id, OffsetTime zoned) {
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE things RESTART IDENTITY");
    }

    @Test
    void wholeNumbersAreWrittenFromAndReadOntoBigIntegerAndByteAndANumberThatDoesNotFitIsRefusedNamingTheField() {
        BigInteger huge = new BigInteger("123456789012345678901234567890");
        ashlar.create("thing", Map.of("big", BigInteger.valueOf(Long.MAX_VALUE), "amount", huge, "small", (byte) -128));
        ashlar.createAll("thing", List.of(Map.of("big", BigInteger.ONE, "amount", new BigDecimal("5.000"),
                "small", Byte.MAX_VALUE)));

        List<Numbers> expected = List.of(new Numbers(1L, BigInteger.valueOf(Long.MAX_VALUE), huge, (byte) -128),
                new Numbers(2L, BigInteger.ONE, BigInteger.valueOf(5), (byte) 127));
        assertThat(ashlar.read("thing").sort(Sort.asc("id")).list(Numbers.class)).isEqualTo(expected);
        assertThat(ashlar.sql("SELECT id, big, amount, small FROM things ORDER BY id").list(Numbers.class))
                .isEqualTo(expected);
        assertThat(ashlar.sql("SELECT amount FROM things ORDER BY id").values(BigInteger.class))
                .containsExactly(huge, BigInteger.valueOf(5));
        assertThat(db.value("SELECT amount::text FROM things WHERE id = 1")).isEqualTo(huge.toString());
        assertThat(ashlar.read("thing").where(eq("amount", huge)).count()).isEqualTo(1);

        ashlar.create("thing", Map.of("amount", new BigDecimal("2.5"), "small", (short) 300));
        assertThatThrownBy(() -> ashlar.sql("SELECT amount FROM things WHERE id = 3").value(BigInteger.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'amount'").hasMessageContaining("2.5");
        assertThatThrownBy(() -> ashlar.read("thing").where(eq("id", 3)).list(Numbers.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'amount'");
        assertThatThrownBy(() -> ashlar.get("thing", 3).get("small", Byte.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'small'").hasMessageContaining("300");
    }

    @Test
    void aCharacterIsWrittenBoundAndFoundAsTextAndACharOfOneIsReadAsOne() {
        ashlar.create("thing", Map.of("letter", 'x'));
        ashlar.createAll("thing", List.of(Map.of("letter", 'é')));

        assertThat(db.value("SELECT string_agg(letter, ',' ORDER BY id) FROM things")).isEqualTo("x,é");
        assertThat(ashlar.read("thing").sort(Sort.asc("id")).list(Letter.class))
                .containsExactly(new Letter(1L, 'x'), new Letter(2L, 'é'));
        assertThat(ashlar.read("thing").where(eq("letter", 'é')).list(Letter.class)).containsExactly(new Letter(2L, 'é'));
        assertThat(ashlar.sql("SELECT letter FROM things WHERE letter = ?", 'x').values(Character.class))
                .containsExactly('x');
        assertThatThrownBy(() -> ashlar.sql("SELECT 'xy' AS letter").value(Character.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'letter'")
                .hasMessageContaining("read it with get(\"letter\", String.class)");
    }

    @Test
    void aZonedDateTimeIsStoredAsItsInstantAcrossDaylightSavingOverlapsAndGapsAndReadBackAtUtc() {
        ZonedDateTime overlap = LocalDateTime.parse("2026-10-25T02:30").atZone(ZoneId.of("Europe/Paris"));
        ZonedDateTime earlier = overlap.withEarlierOffsetAtOverlap();
        ZonedDateTime later = overlap.withLaterOffsetAtOverlap();
        ZonedDateTime gap = LocalDateTime.parse("2026-03-29T02:30").atZone(ZoneId.of("Europe/Paris"));
        for (ZonedDateTime at : List.of(earlier, later, gap)) {
            ashlar.create("thing", Map.of("at", at));
        }

        assertThat(db.query("SELECT at::text AS at FROM things ORDER BY id")).extracting(row -> row.get("at"))
                .containsExactly("2026-10-25 00:30:00+00", "2026-10-25 01:30:00+00", "2026-03-29 01:30:00+00");
        List<Moment> read = ashlar.read("thing").sort(Sort.asc("id")).list(Moment.class);
        assertThat(read).extracting(Moment::at).containsExactly(earlier.withZoneSameInstant(ZoneOffset.UTC),
                later.withZoneSameInstant(ZoneOffset.UTC), gap.withZoneSameInstant(ZoneOffset.UTC));
        assertThat(read.get(1).at().isEqual(later)).isTrue();
        assertThat(ashlar.sql("SELECT at FROM things WHERE at = ?", later).values(ZonedDateTime.class))
                .containsExactly(Instant.parse("2026-10-25T01:30:00Z").atZone(ZoneOffset.UTC));
    }

    @Test
    void anOffsetTimeIsWrittenAndBoundWithItsOffsetAndReadBackEqual() {
        OffsetTime india = OffsetTime.parse("10:15:30.5+05:30");
        OffsetTime utc = OffsetTime.parse("23:59:59.999999Z");
        ashlar.create("thing", Map.of("zoned", india));
        ashlar.createAll("thing", List.of(Map.of("zoned", utc)));
        // Nanoseconds are rounded half up to the microsecond, as for a TIME: the last of the day to 24:00:00.
        ashlar.createAll("thing", List.of(Map.of("zoned", OffsetTime.parse("10:00:00.0000005-03:00")),
                Map.of("zoned", OffsetTime.parse("23:59:59.9999995+01:00"))));

        assertThat(db.query("SELECT zoned::text AS z FROM things ORDER BY id")).extracting(row -> row.get("z"))
                .containsExactly("10:15:30.5+05:30", "23:59:59.999999+00", "10:00:00.000001-03", "24:00:00+01");
        assertThat(ashlar.read("thing").where(eq("zoned", OffsetTime.parse("10:00:00.000001-03:00"))).count())
                .isEqualTo(1);
        db.execute("DELETE FROM things WHERE id > 2");
        // More than five times over: from then on the driver takes the values in binary.
        for (int pass = 0; pass < 7; pass++) {
            assertThat(ashlar.read("thing").sort(Sort.asc("id")).list(Zoned.class))
                    .containsExactly(new Zoned(1L, india), new Zoned(2L, utc));
            assertThat(ashlar.sql("SELECT ?::timetz AS t", india).value(OffsetTime.class)).isEqualTo(india);
            assertThat(ashlar.read("thing").where(eq("zoned", india)).count()).isEqualTo(1);
        }
    }

    @Test
    void anIntervalOfYearsMonthsAndDaysReadBySqlWrittenByHandIsAPeriodAndOneOfWholeDaysEither() {
        assertThat(ashlar.sql("SELECT interval '1 year 2 mons 3 days' AS p").value(Period.class))
                .isEqualTo(Period.of(1, 2, 3));
        assertThat(ashlar.sql("SELECT ? AS p", Period.of(0, 14, -1)).value(Period.class)).isEqualTo(Period.of(1, 2, -1));
        assertThat(ashlar.sql("SELECT interval '2 days' AS p").value(Period.class)).isEqualTo(Period.ofDays(2));
        assertThat(ashlar.sql("SELECT interval '2 days' AS p").value(Duration.class)).isEqualTo(Duration.ofDays(2));
        assertThatThrownBy(() -> ashlar.sql("SELECT interval '1 mon 01:00' AS p").value(Period.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'p'")
                .hasMessageContaining("holds months or years and a time of day");
        assertThatThrownBy(() -> ashlar.sql("SELECT interval '36 hours' AS p").value(Period.class))
                .isInstanceOf(QueryException.class).hasMessageContaining("'p'");
    }
}
