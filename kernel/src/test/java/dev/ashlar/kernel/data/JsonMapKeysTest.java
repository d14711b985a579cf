package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * JSON's keys are text: a map written as JSON whose key is a date, a list or null is refused naming the field, the key
 * and where it is, instead of being written as its {@code toString()}; numbers and enum constants are written as their
 * text, and two keys written alike ({@code 1} and {@code "1"}) are refused rather than one value kept.
 */
class JsonMapKeysTest extends BlogDatabaseTest {
    @BeforeEach
    void empty() {
        db.execute("TRUNCATE scalar_sample");
    }

    @Test
    void aNumberKeyBesideTheSameKeyAsTextIsRefusedRatherThanKeepingOneOfTheTwoValues() {
        Map<Object, Object> doc = new LinkedHashMap<>();
        doc.put(1, "the number");
        doc.put("1", "the text");

        Throwable refused = catchThrowable(() -> ashlar.create("scalar_sample", Map.of("doc", doc)));

        assertThat(refused).isInstanceOf(InvalidDataException.class);
        FieldError error = ((InvalidDataException) refused).errors().get(0);
        assertThat(error.field()).isEqualTo("doc");
        assertThat(error.message()).contains("a map has two keys written as '1'")
                .contains("give the map one key for each text");
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aKeyThatIsNotTextDeepInsideTheValueIsNamedByWhereItsMapIs() {
        Map<String, Object> doc = Map.of("days", List.of(Map.of("ok", 1), Map.of(LocalDate.of(2026, 1, 2), 2)));

        assertThatThrownBy(() -> ashlar.createAll("scalar_sample", List.of(Map.of("doc", Map.of("a", 1)),
                Map.of("doc", doc))))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("a map at days[1] has the key 2026-01-02 (a java.time.LocalDate)")
                .hasMessageContaining("record 2 of 2");
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    record Schedule(Map<LocalDate, String> slots) {
    }

    @Test
    void aKeyThatIsNotTextInARecordsTypedMapIsNamedByTheComponentHoldingTheMap() {
        Map<String, Object> doc = Map.of("week", new Schedule(Map.of(LocalDate.of(2026, 1, 5), "standup")));

        assertThatThrownBy(() -> ashlar.create("scalar_sample", Map.of("doc", doc)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("a map at week.slots has the key 2026-01-05 (a java.time.LocalDate)");
        assertThat(db.value("SELECT count(*) FROM scalar_sample")).isEqualTo(0L);
    }

    @Test
    void aNullKeyIsRefusedNamingTheFieldWithoutTheJsonWritersAdvice() {
        Map<String, Object> doc = new HashMap<>();
        doc.put(null, 1);

        assertThatThrownBy(() -> ashlar.create("scalar_sample", Map.of("doc", Map.of("inner", doc))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors().get(0).message())
                        .contains("cannot be written as JSON: a map at inner has the key null")
                        .doesNotContain("NullKeySerializer"));
    }

    @Test
    void aFilterComparingWithAMapWhoseKeyIsNotTextIsAQueryExceptionNamingTheField() {
        assertThatThrownBy(() -> ashlar.read("scalar_sample").where(Filter.eq("doc", Map.of(List.of(7), "x"))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("scalar_sample.doc")
                .hasMessageContaining("the key [7] (a java.util.");
    }

    @Test
    void textKeysAtEveryDepthAreStoredAndReadBackAsGiven() {
        Map<String, Object> doc = Map.of("1", Map.of("nested", List.of(Map.of("k", true))));

        Row row = ashlar.create("scalar_sample", Map.of("doc", doc));

        assertThat(db.value("SELECT doc::text FROM scalar_sample"))
                .isEqualTo("{\"1\": {\"nested\": [{\"k\": true}]}}");
        assertThat(ashlar.read("scalar_sample").where(Filter.eq("doc", doc)).list())
                .extracting(found -> found.get("id")).containsExactly(row.get("id"));
    }

    @Test
    void numberKeysAreWrittenAsTheirTextAndEnumConstantsByTheirNames() {
        Map<DayOfWeek, Integer> hours = new EnumMap<>(DayOfWeek.class);
        hours.put(DayOfWeek.MONDAY, 8);
        hours.put(DayOfWeek.FRIDAY, 6);

        ashlar.create("scalar_sample", Map.of("doc", Map.of("hours", hours, "slots", Map.of(9, "standup"))));

        assertThat(db.value("SELECT doc::text FROM scalar_sample"))
                .isEqualTo("{\"hours\": {\"FRIDAY\": 6, \"MONDAY\": 8}, \"slots\": {\"9\": \"standup\"}}");
    }
}
