package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.error;
import static dev.ashlar.api.query.Filter.errorIf;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.DOUBLE;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIME;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.enumOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Errors a statement raises that name a field and carry values, some given and some read from the failing row
 * (AshPostgres's {@code immutable_raise_error_test.exs}: the payloads of atomic validations).
 */
class ErrorPayloadsTest extends DomainDatabaseTest {
    private static final List<String> FIELDS = List.of("atom_value", "string_value", "integer_value", "float_value",
            "boolean_value", "struct_value", "uuid_value", "date_value", "time_value", "ci_string_value",
            "naive_datetime_value", "utc_datetime_value", "timestamptz_value", "string_array_value", "response_value",
            "nullable_string_value");

    static final Domain DOMAIN = Domain.builder("error_payloads").extensions("citext")
            .resource(Resource.builder("tester").table("immutable_error_testers")
                    .integerPrimaryKey("id")
                    .attribute("atom_value", enumOf("initial_atom", "other_atom"))
                    .attribute("string_value", TEXT)
                    .attribute("integer_value", INTEGER)
                    .attribute("float_value", DOUBLE)
                    .attribute("boolean_value", BOOLEAN)
                    .attribute("struct_value", JSON)
                    .attribute("uuid_value", UUID)
                    .attribute("date_value", DATE)
                    .attribute("time_value", TIME)
                    .attribute("ci_string_value", CITEXT)
                    .attribute("naive_datetime_value", TIMESTAMP)
                    .attribute("utc_datetime_value", TIMESTAMP)
                    .attribute("timestamptz_value", TIMESTAMPTZ)
                    .attribute("string_array_value", arrayOf(TEXT))
                    .attribute("response_value", INTEGER)
                    .attribute("nullable_string_value", TEXT)
                    .build())
            .build();

    ErrorPayloadsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        ashlar.sql("TRUNCATE immutable_error_testers RESTART IDENTITY").execute();
    }

    private Row tester() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("atom_value", "initial_atom");
        values.put("string_value", "initial string");
        values.put("integer_value", 10);
        values.put("float_value", 1.5);
        values.put("boolean_value", true);
        values.put("struct_value", Map.of("name", "initial", "count", 1, "active?", true));
        values.put("uuid_value", java.util.UUID.fromString("00000000-0000-0000-0000-000000000000"));
        values.put("date_value", LocalDate.of(2024, 1, 1));
        values.put("time_value", LocalTime.of(12, 0));
        values.put("ci_string_value", "Initial String");
        values.put("naive_datetime_value", LocalDateTime.of(2024, 1, 1, 12, 0));
        values.put("utc_datetime_value", LocalDateTime.of(2024, 1, 1, 0, 1));
        values.put("timestamptz_value", OffsetDateTime.of(2024, 1, 1, 0, 2, 0, 0, ZoneOffset.UTC));
        values.put("string_array_value", List.of("one", "two"));
        values.put("response_value", 0);                    // Ash's :awaiting, stored as its native value
        values.put("nullable_string_value", null);
        return ashlar.create("tester", values);
    }

    /** The one error of the InvalidDataException the write fails with. */
    static FieldError refused(Runnable write) {
        InvalidDataException[] caught = new InvalidDataException[1];
        assertThatThrownBy(write::run).isInstanceOfSatisfying(InvalidDataException.class, e -> caught[0] = e);
        assertThat(caught[0].errors()).hasSize(1);
        return caught[0].errors().get(0);
    }

    @Test
    void anUpdateRefusedForOneValueNamesTheFieldAndCarriesTheValue() {
        Row tester = tester();

        FieldError error = refused(() -> ashlar.read("tester").where(eq("id", tester.get("id")))
                .where(error("integer_value", "is invalid", Map.of("value", 99)))
                .updateAll(Map.of("integer_value", 99)));

        assertThat(error.field()).isEqualTo("integer_value");
        assertThat(error.message()).isEqualTo("is invalid");
        assertThat(error.details()).containsExactly(Map.entry("value", 99));
        assertThat(ashlar.get("tester", tester.get("id")).get("integer_value")).isEqualTo(10);
    }

    @Test
    void anErrorCarriesEveryValueOfTheFailingRowAsTheRowStoresIt() {
        Row tester = tester();
        Map<String, Object> read = new LinkedHashMap<>();
        FIELDS.forEach(field -> read.put(field, ref(field)));

        FieldError error = refused(() -> ashlar.read("tester").where(eq("id", tester.get("id")))
                .where(error(null, "the record cannot change", read)).updateAll(Map.of("string_value", "new")));

        Map<String, Object> values = error.details();
        assertThat(error.field()).isNull();
        assertThat(values).containsOnlyKeys(FIELDS);
        assertThat(values.get("atom_value")).isEqualTo("initial_atom");
        assertThat(values.get("string_value")).isEqualTo("initial string");
        assertThat(values.get("integer_value")).isEqualTo(10);
        assertThat(values.get("float_value")).isEqualTo(1.5);
        assertThat(values.get("boolean_value")).isEqualTo(true);
        assertThat(values.get("struct_value")).isEqualTo(Map.of("active?", true, "count", 1, "name", "initial"));
        assertThat(values.get("uuid_value")).isEqualTo("00000000-0000-0000-0000-000000000000");
        assertThat(values.get("date_value")).isEqualTo("2024-01-01");
        assertThat(values.get("time_value")).isEqualTo("12:00:00");
        assertThat(values.get("ci_string_value")).isEqualTo("Initial String");
        assertThat(values.get("naive_datetime_value")).isEqualTo("2024-01-01T12:00:00");
        assertThat(values.get("utc_datetime_value")).isEqualTo("2024-01-01T00:01:00");
        assertThat(OffsetDateTime.parse((String) values.get("timestamptz_value")).toInstant())
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 2, 0, 0, ZoneOffset.UTC).toInstant());
        assertThat(values.get("string_array_value")).isEqualTo(List.of("one", "two"));
        assertThat(values.get("response_value")).isEqualTo(0);
        assertThat(values).containsEntry("nullable_string_value", null);
        assertThat(ashlar.get("tester", tester.get("id")).get("string_value")).isEqualTo("initial string");
    }

    @Test
    void anErrorOfGivenValuesAloneCarriesThemAsGiven() {
        Row tester = tester();
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("string_value", "literal string");
        given.put("integer_value", 123);
        given.put("float_value", 9.99);
        given.put("boolean_value", false);
        given.put("string_array_value", List.of("alpha", "beta"));
        given.put("nullable_string_value", null);
        given.put("uuid_value", java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"));
        given.put("date_value", LocalDate.of(2024, 2, 29));

        FieldError error = refused(() -> ashlar.update(tester, Map.of("string_value", "new"),
                error(null, "literal payload", given)));

        assertThat(error.details()).containsEntry("string_value", "literal string")
                .containsEntry("integer_value", 123).containsEntry("float_value", 9.99)
                .containsEntry("boolean_value", false).containsEntry("string_array_value", List.of("alpha", "beta"))
                .containsEntry("nullable_string_value", null)
                .containsEntry("uuid_value", "00000000-0000-0000-0000-000000000001")
                .containsEntry("date_value", "2024-02-29").hasSize(8);
    }

    @Test
    void aConditionalErrorCarriesTheValuesOfTheRowItFailedAtAndKeepsTheOthers() {
        tester();
        Row high = tester();
        ashlar.update(high, Map.of("integer_value", 50, "string_value", "high"));
        var read = ashlar.read("tester").where(errorIf(gt("integer_value", 20), "integer_value", "is over 20",
                Map.of("limit", 20, "id", ref("id"), "was", ref("string_value"))));

        FieldError error = refused(read::list);

        assertThat(error.details()).containsEntry("limit", 20).containsEntry("id", high.get("id"))
                .containsEntry("was", "high");
        ashlar.update(high, Map.of("integer_value", 5));
        assertThat(read.list()).hasSize(2);
    }

    @Test
    void readsOfOneShapeReadingOtherFieldsCarryTheirOwnValues() {
        Row tester = tester();

        FieldError first = refused(() -> ashlar.read("tester").where(error(null, "no", Map.of("v", ref("string_value"))))
                .list());
        FieldError second = refused(() -> ashlar.read("tester").where(error(null, "no", Map.of("v", ref("integer_value"))))
                .list());

        assertThat(first.details()).containsEntry("v", "initial string");
        assertThat(second.details()).containsEntry("v", 10);
        assertThat(tester.get("id")).isNotNull();
    }

    @Test
    void theMessageAndFieldComeBackAsGivenQuotesAndMarksIncluded() {
        tester();
        String message = "it's \"bad\": 100% ? -- ; \\ {\"m\": 1}";

        FieldError error = refused(() -> ashlar.read("tester")
                .where(error("string_value", message, Map.of("quote\"d", "a \"value\""))).list());

        assertThat(error.message()).isEqualTo(message);
        assertThat(error.field()).isEqualTo("string_value");
        assertThat(error.details()).containsExactly(Map.entry("quote\"d", "a \"value\""));
    }

    @Test
    void aValueWithoutAJsonFormIsRefusedNamingIt() {
        tester();

        assertThatThrownBy(() -> ashlar.read("tester").where(error(null, "no", Map.of("thing", new Object()))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'thing'").hasMessageContaining("JSON");
        assertThatThrownBy(() -> ashlar.read("tester").where(error(null, "no", Map.of("n", Double.NaN))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'n'");
    }

    @Test
    void aRefToAFieldTheResourceLacksIsRefusedNamingIt() {
        tester();

        assertThatThrownBy(() -> ashlar.read("tester").where(error(null, "no", Map.of("v", ref("missing")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("missing");
    }
}
