package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Grouped;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gte;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads grouped by fields, with counts, sums, averages, least and greatest values per group. */
class GroupedReadTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("grouped").resource(Resource.builder("sale").table("grouped_sales")
                    .integerPrimaryKey("id")
                    .attribute("region", TEXT)
                    .attribute("product", TEXT)
                    .attribute("quantity", INTEGER)
                    .attribute("amount", decimal(10, 2))
                    .attribute("tenant", TEXT)
                    .calculate("size", String.class, "CASE WHEN quantity >= 10 THEN 'bulk' ELSE 'single' END")
                    .build())
            .build();

    GroupedReadTest() {
        super(DOMAIN, OneResourceTenancy.column("sale", "tenant", true));
    }

    @BeforeAll
    void seed() {
        sale("acme", "eu", "tea", 1, "2.50");
        sale("acme", "eu", "tea", 10, "20.00");
        sale("acme", "eu", "gin", 2, "30.00");
        sale("acme", "us", "tea", 12, "24.00");
        sale("acme", null, "gin", 1, null);
        sale("globex", "eu", "tea", 100, "999.00");
    }

    private void sale(String tenant, String region, String product, int quantity, String amount) {
        Map<String, Object> values = new HashMap<>();
        values.put("region", region);
        values.put("product", product);
        values.put("quantity", quantity);
        values.put("amount", amount == null ? null : new BigDecimal(amount));
        ashlar.withTenant(tenant).create("sale", values);
    }

    /** Each row as its fields and values, in order: {@code region=eu sales=3}. */
    static List<String> lines(List<Row> rows) {
        return rows.stream().map(row -> String.join(" ", row.fields().stream()
                .map(field -> field + "=" + row.get(field)).toList())).toList();
    }

    @Test
    void eachGroupCountsSumsAveragesAndBoundsItsOwnRows() {
        List<Row> rows = ashlar.withTenant("acme").read("sale").groupBy("region")
                .count("sales").sum("quantity", "units").sum("amount", "revenue").avg("quantity", "average")
                .min("product", "first_product").max("amount", "biggest").countDistinct("product", "products")
                .sort(Sort.asc("region").nullsLast()).list();

        assertThat(lines(rows)).containsExactly(
                "region=eu sales=3 units=13 revenue=52.50 average=4.3333333333333333 first_product=gin biggest=30.00 "
                        + "products=2",
                "region=us sales=1 units=12 revenue=24.00 average=12.0000000000000000 first_product=tea biggest=24.00 "
                        + "products=1",
                "region=null sales=1 units=1 revenue=null average=1.00000000000000000000 first_product=gin "
                        + "biggest=null products=1");
        assertThat(rows.get(0).get("sales")).isInstanceOf(Long.class);
        assertThat(rows.get(0).get("units")).isInstanceOf(Long.class);
        assertThat(rows.get(0).get("revenue")).isEqualTo(new BigDecimal("52.50"));
    }

    @Test
    void theReadsFilterChoosesTheRowsFirstAndTheGroupsAreSortedAndLimitedByTheirValues() {
        List<Row> rows = ashlar.withTenant("acme").read("sale").where(gt("quantity", 1)).groupBy("region", "product")
                .count("sales").sum("quantity", "units").sort(Sort.desc("units")).limit(2).list();

        assertThat(lines(rows)).containsExactly("region=us product=tea sales=1 units=12",
                "region=eu product=tea sales=1 units=10");
    }

    @Test
    void aTenantsGroupsHoldOnlyItsOwnRows() {
        assertThat(lines(ashlar.withTenant("globex").read("sale").groupBy("product").count("sales").list()))
                .containsExactly("product=tea sales=1");
        assertThat(lines(ashlar.withTenant("acme").read("sale").where(eq("region", "eu")).groupBy("region")
                .max("quantity", "most").list())).containsExactly("region=eu most=10");
    }

    @Test
    void aDeclaredCalculationGroupsLikeAnAttribute() {
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("size").count("sales")
                .sort(Sort.asc("size")).list())).containsExactly("size=bulk sales=2", "size=single sales=3");
    }

    @Test
    void mistakesAreRefusedNamingTheFieldOrValueAndTheFix() {
        assertThatThrownBy(() -> ashlar.read("sale").groupBy().count("n").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("names no field");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").sum("product", "s").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("sum(\"product\") of sale needs a number");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("colour").count("n").list())
                .isInstanceOf(AshlarException.class).hasMessageContaining("has no attribute 'colour'");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").count("region").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("is already a grouped field");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").count("n").sort(Sort.asc("amount")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("not by 'amount'");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").count("x".repeat(70)).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("63");
    }

    @Test
    void havingKeepsTheGroupsWhoseValuesMatchBeforeTheyAreSortedAndLimited() {
        List<Row> rows = ashlar.withTenant("acme").read("sale").groupBy("region")
                .count("sales").sum("amount", "revenue")
                .having(or(gte("sales", 2), gt("revenue", new BigDecimal("20")))).sort(Sort.desc("sales")).list();

        assertThat(lines(rows)).containsExactly("region=eu sales=3 revenue=52.50", "region=us sales=1 revenue=24.00");
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("region").count("sales")
                .having(and(eq("sales", 1), notNil("region"))).list())).containsExactly("region=us sales=1");
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("product").count("sales")
                .having(in("product", List.of("gin", "rum"))).list())).containsExactly("product=gin sales=2");
        assertThat(ashlar.withTenant("acme").read("sale").groupBy("region").count("sales")
                .having(in("sales", List.of())).list()).isEmpty();
        List<Object> manyProducts = new java.util.ArrayList<>(List.of("gin"));
        for (int i = 0; i < 150; i++) {
            manyProducts.add("product " + i);
        }
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("product").count("sales")
                .having(in("product", manyProducts)).list())).containsExactly("product=gin sales=2");
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("product").count("sales")
                .having(not(in("product", manyProducts))).list())).containsExactly("product=tea sales=3");
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("region").count("sales").sum("amount", "r")
                .having(isNil("r")).list())).containsExactly("region=null sales=1 r=null");
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("region").count("sales")
                .having(not(lt("sales", 3))).list())).containsExactly("region=eu sales=3");
    }

    @Test
    void havingSeesOnlyTheTenantsGroupsAndTheTypedReadTakesTheSameFilter() {
        // globex's one sale of 100 would make a group of 100 units; acme's handle never sees it.
        assertThat(ashlar.withTenant("acme").read("sale").groupBy("product").sum("quantity", "units")
                .having(gte("units", 100)).list()).isEmpty();
        assertThat(lines(ashlar.withTenant("globex").read("sale").groupBy("product").sum("quantity", "units")
                .having(gte("units", 100)).list())).containsExactly("product=tea units=100");
        assertThat(lines(ashlar.withTenant("acme").read("sale").groupBy("product").count("sales")
                .having(gt("sales", 2)).sort(Sort.asc("product")).limit(1).list())).containsExactly("product=tea sales=3");
    }

    @Test
    void havingRefusesANameThatIsNoGroupedFieldOrValueAndAValueOfTheWrongType() {
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").count("sales").having(gt("quantity", 1)).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("having")
                .hasMessageContaining("'quantity'").hasMessageContaining("[region, sales]")
                .hasMessageContaining("where(...)");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").count("sales").having(gt("sales", "many"))
                .list()).isInstanceOf(QueryException.class).hasMessageContaining("'sales'")
                .hasMessageContaining("many");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").count("sales")
                .having(like("region", "e%")).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("having").hasMessageContaining("like");
        assertThatThrownBy(() -> ashlar.read("sale").groupBy("region").count("sales").having(gt("sales", null))
                .list()).isInstanceOf(QueryException.class).hasMessageContaining("compares 'sales' with null");
    }

    @Test
    void offsetSkipsGroupsInTheSortOrderSoGroupsComeInPages() {
        Grouped regions = ashlar.withTenant("acme").read("sale").groupBy("region").count("sales")
                .sort(Sort.asc("region").nullsLast());

        assertThat(lines(regions.limit(1).list())).containsExactly("region=eu sales=3");
        assertThat(lines(regions.offset(1).limit(1).list())).containsExactly("region=us sales=1");
        assertThat(lines(regions.offset(2).limit(1).list())).containsExactly("region=null sales=1");
        assertThat(regions.offset(3).list()).isEmpty();
        assertThat(lines(regions.having(gte("sales", 1)).offset(1).list()))
                .containsExactly("region=us sales=1", "region=null sales=1");
        assertThatThrownBy(() -> regions.offset(-1)).isInstanceOf(QueryException.class)
                .hasMessageContaining("skips -1 groups");
    }
}
