package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.parent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases of AshPostgres's embedded_array_exists_test that {@link EmbeddedArrayExistsTest} leaves out: an enum
 * (Ash's atom) and a timestamp compared inside the embedded records, a decimal given as a value, {@code parent(...)}
 * reaching the estimate from inside nested arrays and the company from a path through a relationship, and the
 * estimate's own fields beside {@code exists} in {@code and} and {@code or}, on its domain.
 */
class AshPostgresSuite3EmbeddedExistsParityTest extends DomainDatabaseTest {
    enum Tier { BASIC, PREMIUM, ENTERPRISE }

    AshPostgresSuite3EmbeddedExistsParityTest() {
        super(EmbeddedArrayExistsTest.DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE companies, estimates CASCADE");
    }

    private void estimate(String title, boolean active, Object options, Object companyId) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("active", active);
        values.put("options", options);
        values.put("company_id", companyId);
        ashlar.create("estimate", values);
    }

    /** An embedded option with Ash's keys: an enum is written by its name and an Instant in UTC, as Ecto's. */
    private static Map<String, Object> option(String name, String totalAmt, Integer quantity, boolean active, Tier tier,
                                              String validUntil) {
        Map<String, Object> option = new HashMap<>();
        option.put("name", name);
        option.put("total_amt", new BigDecimal(totalAmt));
        option.put("quantity", quantity);
        option.put("active", active);
        option.put("tier", tier);
        option.put("valid_until", validUntil == null ? null : Instant.parse(validUntil));
        return option;
    }

    /** Ash's setup: cheap, expensive and mixed. */
    private void priced() {
        estimate("cheap", true, List.of(option("basic", "50", 1, true, Tier.BASIC, "2026-12-31T23:59:59Z")), null);
        estimate("expensive", true, List.of(option("premium", "150", 10, true, Tier.PREMIUM, "2027-06-30T23:59:59Z")),
                null);
        estimate("mixed", false, List.of(option("a", "10", null, false, Tier.BASIC, null),
                option("b", "200", null, true, Tier.ENTERPRISE, null)), null);
    }

    private List<String> titles(Filter filter) {
        return ashlar.read("estimate").where(filter).sort(Sort.asc("title")).list().stream()
                .map(r -> r.getString("title")).toList();
    }

    @Test
    void anEnumAndATimestampInsideTheEmbeddedRecordsCompareAsTheirTypes() {
        priced();

        assertThat(titles(exists("options", eq("tier", Tier.PREMIUM)))).containsExactly("expensive");
        assertThat(titles(exists("options", eq("tier", "ENTERPRISE")))).containsExactly("mixed");
        assertThat(titles(exists("options", gt("valid_until", Instant.parse("2027-01-01T00:00:00Z")))))
                .as("a missing key is no timestamp, and matches nothing").containsExactly("expensive");
        assertThat(titles(exists("options", lt("valid_until", Instant.parse("2027-01-01T00:00:00Z")))))
                .containsExactly("cheap");
    }

    @Test
    void aDecimalGivenAsAValueIsBoundAndComparedAsANumber() {
        priced();
        BigDecimal threshold = new BigDecimal("100");

        assertThat(titles(exists("options", gt("total_amt", threshold)))).containsExactly("expensive", "mixed");
        assertThat(titles(not(exists("options", gt("total_amt", threshold))))).containsExactly("cheap");
        assertThat(titles(exists("options", and(gt("total_amt", 0), lt("total_amt", 1000)))))
                .containsExactly("cheap", "expensive", "mixed");
    }

    @Test
    void containsAtAKeyOfTheEmbeddedRecordsMatchesTextAndNumbersEachAsItself() {
        estimate("coded", true, List.of(Map.of("name", "basic", "codes", List.of("a", 5))), null);
        estimate("other", true, List.of(Map.of("name", "basic", "codes", List.of("5", "b"))), null);

        assertThat(titles(exists("options", contains("codes", "a")))).containsExactly("coded");
        assertThat(titles(exists("options", contains("codes", 5)))).containsExactly("coded");
        assertThat(titles(exists("options", contains("codes", "5")))).containsExactly("other");
    }

    @Test
    void aKeyComparedWithANumberAndThenWithTextIsReadAsEach() {
        priced();

        assertThat(titles(exists("options", eq("total_amt", new BigDecimal("150.0"))))).containsExactly("expensive");
        assertThat(titles(exists("options", eq("total_amt", "150.0")))).as("the text stored is 150").isEmpty();
        assertThat(titles(exists("options", eq("total_amt", "150")))).containsExactly("expensive");
    }

    @Test
    void theEstimatesOwnFieldsCombineWithExistsInAndAndOr() {
        priced();

        assertThat(titles(and(eq("active", true), exists("options", gt("total_amt", 100)))))
                .containsExactly("expensive");
        assertThat(titles(or(eq("title", "cheap"), exists("options", eq("tier", Tier.ENTERPRISE)))))
                .containsExactly("cheap", "mixed");
    }

    @Test
    void parentInsideNestedEmbeddedArraysIsTheEstimate() {
        estimate("drinks", true, List.of(Map.of("name", "tea-bundle", "line_items",
                List.of(Map.of("name", "tea", "quantity", 1, "aisle", "drinks"),
                        Map.of("name", "biscuit", "quantity", 2, "aisle", "bakery")))), null);
        estimate("drinks", true, List.of(Map.of("name", "coffee-bundle", "line_items",
                List.of(Map.of("name", "coffee", "quantity", 1, "aisle", "drinks"),
                        Map.of("name", "muffin", "quantity", 1, "aisle", "bakery")))), null);
        estimate("food", true, List.of(Map.of("name", "tea-for-one", "line_items",
                List.of(Map.of("name", "tea", "quantity", 1, "aisle", "drinks")))), null);

        Filter teaInItsEstimatesAisle = and(eq("name", "tea"), eq("aisle", parent("title")));
        List<Row> dotted = ashlar.read("estimate").where(exists("options.line_items", teaInItsEstimatesAisle)).list();
        List<Row> nested = ashlar.read("estimate")
                .where(exists("options", exists("line_items", teaInItsEstimatesAisle))).list();
        // Ash's parent(title) == "drinks" beside the element's own condition
        List<Row> drinks = ashlar.read("estimate")
                .where(and(exists("options.line_items", eq("name", "tea")), eq("title", "drinks"))).list();

        assertThat(dotted).hasSize(1);
        assertThat(dotted.get(0).getList("options", Map.class).get(0).get("name")).isEqualTo("tea-bundle");
        assertThat(nested).extracting(r -> r.get("id")).containsExactly(dotted.get(0).get("id"));
        assertThat(drinks).extracting(r -> r.get("id")).containsExactly(dotted.get(0).get("id"));
        assertThat(ashlar.read("estimate").where(exists("options.line_items", gt("quantity", parent("title"))))
                .list()).as("a text parent compares the key as text").isEmpty();
    }

    @Test
    void parentFollowingTheParentsRelationshipsOrNamingAJsonFieldIsRefusedInsideAnEmbeddedRecord() {
        assertThatThrownBy(() -> ashlar.read("estimate")
                .where(exists("options", eq("name", parent("options")))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Filter on estimate.options[].name, a key of the records embedded in JSON: parent(\"options\") is a "
                        + "JSON");
        assertThatThrownBy(() -> ashlar.read("company")
                .where(exists("estimates.options", eq("name", parent("estimates.title")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("follows the parent's relationships");
        assertThatThrownBy(() -> ashlar.read("estimate").where(exists("options", eq("name", parent("nope")))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("has no attribute 'nope'");
        assertThatThrownBy(() -> ashlar.read("company").where(exists("estimates.options.line_items",
                        eq("quantity", new Object()))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Filter on estimate.options.line_items[].quantity, a key of the records embedded in JSON");
    }

    @Test
    void parentInsideAPathThroughARelationshipIsTheCompany() {
        Row cheap = ashlar.create("company", Map.of("name", "CheapCo"));
        Row pricey = ashlar.create("company", Map.of("name", "PriceyCo"));
        estimate("for cheap", true, List.of(Map.of("name", "CheapCo", "total_amt", 50)), cheap.get("id"));
        estimate("for pricey", true, List.of(Map.of("name", "basic", "total_amt", 150)), pricey.get("id"));

        assertThat(ashlar.read("company").where(exists("estimates.options", eq("name", parent("name")))).list())
                .as("an option named as its company").extracting(r -> r.get("name")).containsExactly("CheapCo");
        assertThat(ashlar.read("company").where(exists("estimates.options", gt("total_amt", 100))).list())
                .extracting(r -> r.get("name")).containsExactly("PriceyCo");
    }
}
