package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A bulk write's values go straight into the arrays it binds: stored as one record at a time stores them, and a
 * misfit is refused naming the first record that holds one, with all of its misfits.
 */
class BulkCarriedValuesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("carried").resource(Resource.builder("entry")
                    .table("carried_entries")
                    .bigintPrimaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("at", TIMESTAMPTZ)
                    .attribute("local", TIMESTAMP)
                    .attribute("price", decimal(6, 2))
                    .attribute("tags", arrayOf(TEXT))
                    .attribute("attrs", JSON)
                    .build())
            .build();

    BulkCarriedValuesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE carried_entries");
        ashlar.create("entry", Map.of("name", "stored", "at", Instant.parse("2020-01-01T00:00:00Z")));
    }

    private static Map<String, Object> entry(String name, Instant at, LocalDateTime local, List<String> tags) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("name", name);
        entry.put("at", at);
        entry.put("local", local);
        entry.put("price", new BigDecimal("12.50"));
        entry.put("tags", tags);
        entry.put("attrs", "{\"k\": [1, \"two\"]}");
        return entry;
    }

    private List<Map<String, Object>> stored(String name) {
        return db.query("SELECT (at AT TIME ZONE 'UTC')::text AS at, local::text, price::text, tags::text, "
                + "attrs::text FROM carried_entries WHERE name = ?", name);
    }

    @Test
    void timestampsRoundedAndListsWithQuotesAndNullsAreStoredAsACreateOfEachStoresThem() {
        List<Map<String, Object>> entries = List.of(
                entry("a", Instant.parse("2024-02-29T23:59:59.999999500Z"),
                        LocalDateTime.parse("1999-12-31T23:59:59.9999995"),
                        Arrays.asList("say \"hi\"", null, "back\\slash", "")),
                entry("b", Instant.parse("1900-06-01T12:00:00.000000499Z"),
                        LocalDateTime.parse("0001-01-01T00:00:00.0000005"), List.of()),
                entry("c", null, null, null));

        ashlar.createAll("entry", entries);
        for (Map<String, Object> entry : entries) {
            Map<String, Object> one = new HashMap<>(entry);
            one.put("name", "one " + entry.get("name"));
            ashlar.create("entry", one);
        }

        for (String name : List.of("a", "b", "c")) {
            assertThat(stored(name)).hasSize(1).isEqualTo(stored("one " + name));
        }
        assertThat(stored("a").get(0).get("at")).isEqualTo("2024-03-01 00:00:00");
        assertThat(stored("a").get(0).get("tags")).isEqualTo("{\"say \\\"hi\\\"\",NULL,\"back\\\\slash\",\"\"}");
        assertThat(db.value("SELECT count(*) FROM carried_entries")).isEqualTo(7L);
    }

    @Test
    void decimalsInExponentFormAndNullsAndATimestampColumnOfNullsAloneAreStoredAsACreateOfEachStoresThem() {
        List<Map<String, Object>> entries = new ArrayList<>();
        String[] prices = {"1E+3", "-0.5", null, "0.00", "9999.99", "-1E-2"};
        for (int i = 0; i < prices.length; i++) {
            Map<String, Object> entry = entry("n" + i, null, null, List.of());
            entry.put("price", prices[i] == null ? null : new BigDecimal(prices[i]));
            entries.add(entry);
        }

        ashlar.createAll("entry", entries);
        for (Map<String, Object> entry : entries) {
            Map<String, Object> one = new HashMap<>(entry);
            one.put("name", "one " + entry.get("name"));
            ashlar.create("entry", one);
        }

        for (int i = 0; i < prices.length; i++) {
            assertThat(stored("n" + i)).hasSize(1).isEqualTo(stored("one n" + i));
            assertThat(stored("n" + i).get(0).get("at")).isNull();
        }
        assertThat(db.query("SELECT price::text FROM carried_entries WHERE name LIKE 'n%' ORDER BY name"))
                .extracting(row -> row.get("price"))
                .containsExactly("1000.00", "-0.50", null, "0.00", "9999.99", "-0.01");
        // A list of decimals bound as one numeric[] (the filter's = ANY) finds them as given.
        assertThat(ashlar.read("entry").where(Filter.and(Filter.in("price", Arrays.asList(new BigDecimal("1E+3"),
                        new BigDecimal("-1E-2"))), Filter.startsWith("name", "n"))).list())
                .extracting(row -> row.get("name")).containsExactlyInAnyOrder("n0", "n5");
    }

    /** A decimal whose text is not a number's: it must not become two elements of the array it is bound in. */
    private static final class ForgedDecimal extends BigDecimal {
        private static final long serialVersionUID = 1L;

        ForgedDecimal() {
            super("1");
        }

        @Override
        public String toString() {
            return "1,2";
        }
    }

    @Test
    void aDecimalWhoseTextHoldsACommaNeverShiftsValuesOntoOtherRecordsOrAddsARow() {
        Map<String, Object> forged = entry("forged", null, null, List.of());
        forged.put("price", new ForgedDecimal());
        Map<String, Object> next = entry("next", null, null, List.of());
        next.put("price", new BigDecimal("3"));

        InvalidDataException refused = catchThrowableOfType(InvalidDataException.class,
                () -> ashlar.createAll("entry", List.of(forged, next)));

        assertThat(refused.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("price");
            assertThat(error.message()).startsWith("must be a decimal number").contains("\"1,2\" is not a number's")
                    .endsWith("(record 1 of 2)");
        });
        assertThat(db.query("SELECT name, price::text AS price FROM carried_entries ORDER BY name"))
                .extracting(row -> row.get("name") + " " + row.get("price")).containsExactly("stored null");
    }

    @Test
    void anInFilterGivenADecimalWhoseTextHoldsACommaFindsNoRecordOfTheSecondNumber() {
        ashlar.create("entry", Map.of("name", "two", "price", new BigDecimal("2")));

        Throwable thrown = catchThrowable(() -> ashlar.read("entry")
                .where(Filter.in("price", List.of(new ForgedDecimal(), new BigDecimal("5")))).list());

        assertThat(thrown).isInstanceOf(dev.ashlar.api.error.AshlarException.class).hasMessageContaining("price")
                .hasMessageContaining("\"1,2\" is not a number's");
    }

    @Test
    void recordsGivingTheirFieldsInOtherOrdersStoreEachValueInItsOwnField() {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Map.Entry<String, Object>> fields = new ArrayList<>(List.of(Map.entry("name", "order " + i),
                    Map.entry("attrs", "{\"n\": " + i + "}"), Map.entry("tags", List.of("t" + i)),
                    Map.entry("local", LocalDateTime.of(2020, 1, 1 + i, 0, 0))));
            // Each record lists the same fields from another one on; the fifth in the first record's order again.
            Collections.rotate(fields, i % 4);
            Map<String, Object> entry = new LinkedHashMap<>();
            fields.forEach(field -> entry.put(field.getKey(), field.getValue()));
            entries.add(entry);
        }
        // As many fields, in the first record's order, but another one in place of the tags.
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("name", "other fields");
        other.put("attrs", "{\"n\": 0}");
        other.put("price", new BigDecimal("1.25"));
        other.put("local", LocalDateTime.of(2020, 1, 1, 0, 0));
        entries.add(2, other);

        List<Row> rows = ashlar.createAll("entry", entries);

        assertThat(rows).extracting(row -> row.getString("name")).containsExactly("order 0", "order 1",
                "other fields", "order 2", "order 3", "order 4");
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertThat(stored("order " + n)).singleElement().satisfies(row -> assertThat(row)
                    .containsEntry("local", "2020-01-0" + (1 + n) + " 00:00:00").containsEntry("tags", "{t" + n + "}")
                    .containsEntry("attrs", "{\"n\": " + n + "}").containsEntry("price", null));
        }
        assertThat(stored("other fields")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("local", "2020-01-01 00:00:00").containsEntry("tags", null)
                .containsEntry("attrs", "{\"n\": 0}").containsEntry("price", "1.25"));
    }

    @Test
    void theFirstRecordWithAMisfitIsNamedWithAllOfItsMisfitsAcrossRecordsGivingOtherFields() {
        Map<String, Object> both = entry("bad", Instant.parse("+300000-01-01T00:00:00Z"), null, List.of("x"));
        both.put("tags", List.of("x", 5));
        Map<String, Object> later = entry("later", Instant.EPOCH, null, List.of("y"));
        later.put("price", "cheap");
        List<Map<String, Object>> records = List.of(entry("ok", Instant.EPOCH, null, List.of()),
                Map.of("name", "fewer fields"), both, later);

        InvalidDataException refused = catchThrowableOfType(InvalidDataException.class,
                () -> ashlar.createAll("entry", records));

        assertThat(refused.errors()).extracting(FieldError::field).containsExactly("at", "tags");
        assertThat(refused.errors()).allSatisfy(error -> assertThat(error.message()).endsWith("(record 3 of 4)"));
        assertThat(db.value("SELECT count(*) FROM carried_entries")).isEqualTo(1L);
    }

    @Test
    void aMisfitValueIsRefusedBeforeALaterRecordsUnknownField() {
        Map<String, Object> misfit = entry("bad", Instant.EPOCH, null, List.of());
        misfit.put("local", Instant.EPOCH);
        Map<String, Object> unknown = entry("unknown", Instant.EPOCH, null, List.of());
        unknown.put("colour", "red");

        InvalidDataException refused = catchThrowableOfType(InvalidDataException.class,
                () -> ashlar.createAll("entry", List.of(entry("ok", Instant.EPOCH, null, List.of()), misfit, unknown)));

        assertThat(refused.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("local");
            assertThat(error.message()).startsWith("must be a LocalDateTime").endsWith("(record 2 of 3)");
        });
    }

    @Test
    void aRecordOfInvalidJsonIsNamedAfterEveryOtherValueFitted() {
        Map<String, Object> bad = entry("bad", Instant.EPOCH, null, List.of());
        bad.put("attrs", "{\"open\": ");

        InvalidDataException refused = catchThrowableOfType(InvalidDataException.class,
                () -> ashlar.createAll("entry", List.of(entry("ok", Instant.EPOCH, null, List.of()), bad)));

        assertThat(refused.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("attrs");
            assertThat(error.message()).endsWith("(record 2 of 2)");
        });
    }
}
