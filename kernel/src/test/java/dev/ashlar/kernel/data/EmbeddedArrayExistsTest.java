package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.data.internal.ResourcePlan;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AshPostgres's embedded_array_exists_test: {@code exists} over the records embedded in a JSON array attribute. */
class EmbeddedArrayExistsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("embedded_arrays")
            .resource(Resource.builder("company").table("companies").uuidPrimaryKey("id")
                    .attribute("name", TEXT)
                    .hasMany("estimates", "estimate")
                    .build())
            .resource(Resource.builder("estimate").table("estimates").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("active", BOOLEAN).attribute("options", JSON)
                    .belongsTo("company", "company")
                    .build())
            .resource(Resource.builder("purchase_order_estimate").uuidPrimaryKey("id")
                    .attribute("title", TEXT).attribute("options", JSON)
                    .build())
            .build();

    EmbeddedArrayExistsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE companies, estimates, purchase_order_estimate CASCADE");
    }

    private void estimate(String title, Object options, Object companyId) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("active", true);
        values.put("options", options);
        values.put("company_id", companyId);
        ashlar.create("estimate", values);
    }

    private List<String> titles(Filter filter) {
        return ashlar.read("estimate").where(filter).sort(Sort.asc("title")).list().stream()
                .map(r -> r.getString("title")).toList();
    }

    private void priced() {
        estimate("cheap", List.of(Map.of("name", "basic", "total_amt", new BigDecimal("50"), "quantity", 1,
                "active", true)), null);
        estimate("expensive", List.of(Map.of("name", "premium", "total_amt", new BigDecimal("150"), "quantity", 10,
                "active", true)), null);
        estimate("mixed", List.of(Map.of("name", "a", "total_amt", new BigDecimal("10"), "active", false),
                Map.of("name", "b", "total_amt", new BigDecimal("200"), "active", true)), null);
    }

    @Test
    void existsKeepsTheRowsWithAnEmbeddedRecordThatMatchesByNumberTextAndBoolean() {
        priced();

        assertThat(titles(exists("options", gt("total_amt", 100)))).containsExactly("expensive", "mixed");
        assertThat(titles(exists("options", eq("name", "basic")))).containsExactly("cheap");
        assertThat(titles(exists("options", gt("quantity", 5)))).containsExactly("expensive");
        assertThat(titles(exists("options", eq("active", false)))).containsExactly("mixed");
        assertThat(titles(and(eq("active", true), exists("options", gt("total_amt", 100)))))
                .containsExactly("expensive", "mixed");
        assertThat(titles(exists("options", and(gt("total_amt", 0), lt("total_amt", 100)))))
                .containsExactly("cheap", "mixed");
    }

    @Test
    void notExistsKeepsTheRowsWhoseArrayIsEmptyOrMissing() {
        estimate("empty", List.of(), null);
        estimate("nil options", null, null);
        estimate("populated", List.of(Map.of("name", "x", "total_amt", 10)), null);

        assertThat(titles(exists("options", gt("total_amt", 0)))).containsExactly("populated");
        assertThat(titles(not(exists("options", gt("total_amt", 0))))).containsExactly("empty", "nil options");
        assertThat(titles(exists("options"))).containsExactly("populated");
    }

    @Test
    void aDottedPathFollowsArraysNestedInEachEmbeddedRecord() {
        estimate("tea", List.of(Map.of("name", "tea-bundle", "line_items",
                List.of(Map.of("name", "tea", "quantity", 1), Map.of("name", "biscuit", "quantity", 2)))), null);
        estimate("coffee", List.of(Map.of("name", "coffee-bundle", "line_items",
                List.of(Map.of("name", "coffee", "quantity", 1), Map.of("name", "muffin", "quantity", 1)))), null);

        assertThat(titles(exists("options.line_items", eq("name", "tea")))).containsExactly("tea");
        assertThat(titles(exists("options.line_items", and(eq("name", "muffin"), eq("quantity", 1)))))
                .containsExactly("coffee");
        assertThat(titles(exists("options", exists("line_items", eq("name", "tea"))))).containsExactly("tea");
    }

    @Test
    void aPathThroughARelationshipEndsInTheEmbeddedRecords() {
        Row cheap = ashlar.create("company", Map.of("name", "CheapCo"));
        Row pricey = ashlar.create("company", Map.of("name", "PriceyCo"));
        estimate("for cheap", List.of(Map.of("name", "basic", "total_amt", 50)), cheap.get("id"));
        estimate("for pricey", List.of(Map.of("name", "premium", "total_amt", 150)), pricey.get("id"));

        assertThat(ashlar.read("company").where(exists("estimates.options", gt("total_amt", 100))).list())
                .extracting(r -> r.get("name")).containsExactly("PriceyCo");
        assertThat(ashlar.read("company").where(exists("estimates", exists("options", eq("name", "basic")))).list())
                .extracting(r -> r.get("name")).containsExactly("CheapCo");
    }

    @Test
    void existsOverAnAttributeThatIsNotJsonIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("estimate").where(exists("title", eq("name", "x"))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("exists(\"title\") on estimate looks inside 'title'");
    }

    @Test
    void existsOverAPathLongerThanAnIdentifierOnALongNamedResourceFindsTheRow() {
        // "purchase_order_estimate.options.line_items.components.sub_components" is 68 bytes: no table of that name.
        ashlar.create("purchase_order_estimate", Map.of("title", "nested", "options", List.of(Map.of("line_items",
                List.of(Map.of("components", List.of(Map.of("sub_components", List.of(Map.of("x", 1))))))))));
        ashlar.create("purchase_order_estimate", Map.of("title", "other", "options", List.of(Map.of("line_items",
                List.of(Map.of("components", List.of(Map.of("sub_components", List.of(Map.of("x", 2))))))))));

        List<Row> rows = ashlar.read("purchase_order_estimate")
                .where(exists("options.line_items.components.sub_components", eq("x", 1))).list();

        assertThat(rows).extracting(r -> r.getString("title")).containsExactly("nested");
    }

    @Test
    void aCachedEmbeddedExistsMakesItsElementPlanOnceAcrossCallsAndThreads() throws Exception {
        Row acme = ashlar.create("company", Map.of("name", "acme"));
        estimate("named", List.of(Map.of("name", "acme")), acme.get("id"));
        estimate("unnamed", List.of(Map.of("name", "other")), acme.get("id"));
        Filter filter = exists("estimates.options", eq("name", parent("name")));
        Filter own = exists("options", eq("name", "acme"));
        ashlar.read("company").where(filter).list();
        assertThat(titles(own)).containsExactly("named");
        long made = ResourcePlan.elementPlansMade();

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 16; t++) {
                runs.add(pool.submit(() -> {
                    int found = 0;
                    for (int i = 0; i < 1_000; i++) {
                        found += ashlar.read("company").where(filter).list().size();
                        found += titles(own).size();
                    }
                    return found;
                }));
            }
            for (Future<Integer> run : runs) {
                assertThat(run.get()).isEqualTo(2_000);
            }
        } finally {
            pool.shutdown();
        }

        assertThat(ResourcePlan.elementPlansMade()).isEqualTo(made);
    }
}
