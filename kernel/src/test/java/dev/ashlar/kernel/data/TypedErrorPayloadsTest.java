package dev.ashlar.kernel.data;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.typed.Condition;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.typed.Kind.BOOLEAN;
import static dev.ashlar.api.typed.Kind.DATE;
import static dev.ashlar.api.typed.Kind.DOUBLE;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static dev.ashlar.kernel.data.ErrorPayloadsTest.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed API's errors that name a field and carry values, some given and some read from the failing row
 * ({@link Condition#thenFail(Field, String, Map)}, {@link Condition#fail}): the cases of ErrorPayloadsTest.
 */
class TypedErrorPayloadsTest extends DomainDatabaseTest {
    record Tester(Long id, String stringValue, Integer integerValue, Double floatValue, Boolean booleanValue,
                  UUID uuidValue, LocalDate dateValue, List<String> stringArrayValue, String nullableStringValue) {
        static final Table<Tester> TESTERS = Table.of("tester", Tester.class);
        static final Field<Tester, Long> ID = TESTERS.bigintPrimaryKey("id");
        static final TextField<Tester> STRING_VALUE = TESTERS.attribute("string_value", TEXT);
        static final Field<Tester, Integer> INTEGER_VALUE = TESTERS.attribute("integer_value", INTEGER);
        static final Field<Tester, Double> FLOAT_VALUE = TESTERS.attribute("float_value", DOUBLE);
        static final Field<Tester, Boolean> BOOLEAN_VALUE = TESTERS.attribute("boolean_value", BOOLEAN);
        static final Field<Tester, UUID> UUID_VALUE = TESTERS.attribute("uuid_value", Kind.UUID);
        static final Field<Tester, LocalDate> DATE_VALUE = TESTERS.attribute("date_value", DATE);
        static final Field<Tester, List<String>> STRING_ARRAY_VALUE = TESTERS.attribute("string_array_value",
                Kind.arrayOf(TEXT));
        static final TextField<Tester> NULLABLE_STRING_VALUE = TESTERS.attribute("nullable_string_value", TEXT);
    }

    record Other(Long id, Integer integerValue) {
        static final Table<Other> OTHERS = Table.of("other", Other.class);
        static final Field<Other, Long> ID = OTHERS.bigintPrimaryKey("id");
        static final Field<Other, Integer> INTEGER_VALUE = OTHERS.attribute("integer_value", INTEGER);
    }

    static final Domain DOMAIN = Domain.builder("typed_error_payloads")
            .resource(Tester.TESTERS.builder().table("typed_error_testers").add(Tester.ID, Tester.STRING_VALUE,
                    Tester.INTEGER_VALUE, Tester.FLOAT_VALUE, Tester.BOOLEAN_VALUE, Tester.UUID_VALUE,
                    Tester.DATE_VALUE, Tester.STRING_ARRAY_VALUE, Tester.NULLABLE_STRING_VALUE).build())
            .resource(Other.OTHERS.builder().table("typed_error_others").add(Other.ID, Other.INTEGER_VALUE).build())
            .build();

    private static final UUID ZERO = UUID.fromString("00000000-0000-0000-0000-000000000000");

    TypedErrorPayloadsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE typed_error_testers RESTART IDENTITY");
    }

    private Tester tester() {
        return ashlar.create(Tester.TESTERS, new Tester(null, "initial string", 10, 1.5, true, ZERO,
                LocalDate.of(2024, 1, 1), List.of("one", "two"), null));
    }

    @Test
    void anUpdateRefusedForOneValueNamesTheFieldAndCarriesTheValue() {
        Tester tester = tester();

        FieldError error = refused(() -> ashlar.read(Tester.TESTERS).where(Tester.ID.eq(tester.id()))
                .where(Condition.fail(Tester.TESTERS, Tester.INTEGER_VALUE, "is invalid", Map.of("value", 99)))
                .updateAll(Tester.INTEGER_VALUE.set(99)));

        assertThat(error.field()).isEqualTo("integer_value");
        assertThat(error.message()).isEqualTo("is invalid");
        assertThat(error.details()).containsExactly(Map.entry("value", 99));
        assertThat(db.value("SELECT integer_value FROM typed_error_testers")).isEqualTo(10);
    }

    @Test
    void anErrorCarriesTheFieldsOfTheFailingRowAsTheRowStoresThem() {
        Tester tester = tester();
        Map<String, Object> read = new LinkedHashMap<>();
        List.of(Tester.STRING_VALUE, Tester.INTEGER_VALUE, Tester.FLOAT_VALUE, Tester.BOOLEAN_VALUE,
                Tester.UUID_VALUE, Tester.DATE_VALUE, Tester.STRING_ARRAY_VALUE, Tester.NULLABLE_STRING_VALUE)
                .forEach(field -> read.put(field.name(), field));

        FieldError error = refused(() -> ashlar.update(Tester.TESTERS, tester,
                Condition.fail(Tester.TESTERS, null, "the record cannot change", read),
                Tester.STRING_VALUE.set("new")));

        assertThat(error.field()).isNull();
        assertThat(error.details()).containsEntry("string_value", "initial string").containsEntry("integer_value", 10)
                .containsEntry("float_value", 1.5).containsEntry("boolean_value", true)
                .containsEntry("uuid_value", ZERO.toString()).containsEntry("date_value", "2024-01-01")
                .containsEntry("string_array_value", List.of("one", "two"))
                .containsEntry("nullable_string_value", null).hasSize(8);
        assertThat(db.value("SELECT string_value FROM typed_error_testers")).isEqualTo("initial string");
    }

    @Test
    void anErrorOfGivenValuesAloneCarriesThemAsGiven() {
        Tester tester = tester();
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("string_value", "literal string");
        given.put("integer_value", 123);
        given.put("string_array_value", List.of("alpha", "beta"));
        given.put("nullable_string_value", null);
        given.put("date_value", LocalDate.of(2024, 2, 29));

        FieldError error = refused(() -> ashlar.update(Tester.TESTERS, tester,
                Condition.fail(Tester.TESTERS, null, "literal payload", given), Tester.STRING_VALUE.set("new")));

        assertThat(error.details()).containsEntry("string_value", "literal string").containsEntry("integer_value", 123)
                .containsEntry("string_array_value", List.of("alpha", "beta"))
                .containsEntry("nullable_string_value", null).containsEntry("date_value", "2024-02-29").hasSize(5);
    }

    @Test
    void aConditionalErrorCarriesTheValuesOfTheRowItFailedAtAndKeepsTheOthers() {
        tester();
        Tester high = ashlar.update(Tester.TESTERS, tester(), Tester.INTEGER_VALUE.set(50),
                Tester.STRING_VALUE.set("high"));
        var read = ashlar.read(Tester.TESTERS).where(Tester.INTEGER_VALUE.gt(20).thenFail(Tester.INTEGER_VALUE,
                "is over 20", Map.of("limit", 20, "id", Tester.ID, "was", Tester.STRING_VALUE)));

        FieldError error = refused(read::list);

        assertThat(error.field()).isEqualTo("integer_value");
        assertThat(error.message()).isEqualTo("is over 20");
        // The row's values come back as JSON does: a small number as an Integer.
        assertThat(error.details()).containsEntry("limit", 20).containsEntry("id", high.id().intValue())
                .containsEntry("was", "high");
        ashlar.update(Tester.TESTERS, high, Tester.INTEGER_VALUE.set(5));
        assertThat(read.list()).hasSize(2);
    }

    @Test
    void theMessageAndFieldComeBackAsGivenQuotesAndMarksIncluded() {
        tester();
        String message = "it's \"bad\": 100% ? -- ; \\ {\"m\": 1}";

        FieldError error = refused(() -> ashlar.read(Tester.TESTERS).where(Tester.ID.notNil()
                .thenFail(Tester.STRING_VALUE, message, Map.of("quote\"d", "a \"value\""))).list());

        assertThat(error.message()).isEqualTo(message);
        assertThat(error.field()).isEqualTo("string_value");
        assertThat(error.details()).containsExactly(Map.entry("quote\"d", "a \"value\""));
    }

    @Test
    void aFieldOfAnotherResourceAmongTheValuesIsRefusedNamingIt() {
        assertThatThrownBy(() -> Tester.INTEGER_VALUE.gt(20).thenFail(Tester.INTEGER_VALUE, "is over 20",
                Map.of("other", Other.INTEGER_VALUE)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'other'").hasMessageContaining("other")
                .hasMessageContaining("not of tester");
        assertThatThrownBy(() -> Condition.fail(Tester.TESTERS, null, "no", Map.of("v", Other.ID)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'v'").hasMessageContaining("'id'");
    }
}
