package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.JavaTypes;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ebean's tests bind a {@code LocalDate} for a {@code MonthDay} and a text for a {@code TimeZone} or a {@code Locale}:
 * each is taken in writes and filters as the value it stands for, and a text naming no zone or no language tag is
 * refused naming the field (where {@code TimeZone.getTimeZone} would give GMT without a word).
 */
class LenientJavaTypesTest extends FreshDomainTest {
    static final Resource PERSON = Resource.builder("person").table("people").integerPrimaryKey("id")
            .attribute("birthday", JavaTypes.monthDay()).attribute("time_zone", JavaTypes.timeZone())
            .attribute("locale", JavaTypes.locale()).build();

    private Ashlar migrated() {
        return migrated(PERSON);
    }

    @Test
    void aLocalDateForAMonthDayAndTextForATimeZoneAndALocaleAreStoredAsTheValuesTheyStandFor() {
        try (Ashlar ashlar = migrated()) {
            Row created = ashlar.create("person", Map.of("birthday", LocalDate.of(1988, 2, 29),
                    "time_zone", "Europe/Paris", "locale", "en_US"));

            assertThat(db.query("SELECT birthday::text AS birthday, time_zone, locale FROM people"))
                    .containsExactly(Map.of("birthday", "2000-02-29", "time_zone", "Europe/Paris",
                            "locale", "en-US"));
            assertThat(created.get("birthday")).isEqualTo(MonthDay.of(2, 29));
            assertThat(created.get("time_zone")).isEqualTo(TimeZone.getTimeZone("Europe/Paris"));
            assertThat(created.get("locale")).isEqualTo(Locale.US);

            ashlar.update(created, Map.of("birthday", LocalDate.of(2024, 12, 25), "time_zone", "PST",
                    "locale", "fr-CA"));
            assertThat(db.query("SELECT birthday::text AS birthday, time_zone, locale FROM people"))
                    .containsExactly(Map.of("birthday", "2000-12-25", "time_zone", "PST", "locale", "fr-CA"));
        }
    }

    @Test
    void filtersTakeALocalDateForAMonthDayAndTextForATimeZoneAndALocale() {
        try (Ashlar ashlar = migrated()) {
            ashlar.createAll("person", List.of(
                    Map.of("birthday", MonthDay.of(3, 1), "time_zone", TimeZone.getTimeZone("UTC"),
                            "locale", Locale.GERMANY),
                    Map.of("birthday", MonthDay.of(7, 4), "time_zone", TimeZone.getTimeZone("America/New_York"),
                            "locale", Locale.US)));

            assertThat(ashlar.read("person").where(eq("birthday", LocalDate.of(1999, 7, 4))).list())
                    .extracting(r -> r.get("locale")).containsExactly(Locale.US);
            assertThat(ashlar.read("person").where(eq("time_zone", "UTC")).list())
                    .extracting(r -> r.get("locale")).containsExactly(Locale.GERMANY);
            assertThat(ashlar.read("person").where(in("locale", List.of("en_US", "de-DE"))).count())
                    .isEqualTo(2L);
        }
    }

    @Test
    void offsetSpellingsTimeZoneDoesNotReadAreStoredAsTheirOffsetNotAsGmt() {
        try (Ashlar ashlar = migrated()) {
            ashlar.createAll("person", List.of(Map.of("id", 1, "time_zone", "UTC+1"),
                    Map.of("id", 2, "time_zone", "+02:00"), Map.of("id", 3, "time_zone", "GMT+1"),
                    Map.of("id", 4, "time_zone", "GMT"), Map.of("id", 5, "time_zone", "UTC")));

            assertThat(db.query("SELECT time_zone FROM people ORDER BY id")).extracting(r -> r.get("time_zone"))
                    .containsExactly("GMT+01:00", "GMT+02:00", "GMT+01:00", "GMT", "UTC");
            assertThat(ashlar.read("person").where(eq("time_zone", "UTC+01:00")).list())
                    .extracting(r -> r.get("id")).containsExactly(1, 3);
            assertThat(ashlar.read("person").where(eq("id", 2)).first().orElseThrow().get("time_zone"))
                    .isEqualTo(TimeZone.getTimeZone("GMT+02:00"));
        }
    }

    @Test
    void aZoneIdNoZoneHasOrTextThatIsNoLanguageTagIsRefusedNamingTheFieldAndNothingIsWritten() {
        try (Ashlar ashlar = migrated()) {
            assertThatThrownBy(() -> ashlar.create("person", Map.of("time_zone", "Mars/Olympus_Mons")))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("time_zone")
                    .hasMessageContaining("Mars/Olympus_Mons");
            assertThatThrownBy(() -> ashlar.create("person", Map.of("locale", "not a tag!")))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("locale")
                    .hasMessageContaining("not a tag!");
            assertThatThrownBy(() -> ashlar.read("person").where(eq("time_zone", "Nowhere/Atall")).list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("time_zone")
                    .hasMessageContaining("Nowhere/Atall");
            assertThat(db.value("SELECT count(*) FROM people")).isEqualTo(0L);
        }
    }

    @Test
    void valuesOfOtherTypesAreStillRefusedNamingTheJavaType() {
        try (Ashlar ashlar = migrated()) {
            assertThatThrownBy(() -> ashlar.create("person", Map.of("birthday", "02-29")))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("birthday")
                    .hasMessageContaining("must be a MonthDay");
            assertThatThrownBy(() -> ashlar.create("person", Map.of("time_zone", 5)))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("must be a TimeZone");
        }
    }
}
