package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How many different values a read's rows hold (Hibernate's {@code count(distinct ...)}, jOOQ's
 * {@code countDistinct}, Ebean's {@code select("count(distinct ...)")}), by name and typed.
 */
class ReadCountDistinctTest extends DomainDatabaseTest {

    record Sale(Integer id, String region, UUID customer, Integer amount) {
        static final Table<Sale> SALES = Table.of("sale", Sale.class);
        static final Field<Sale, Integer> ID = SALES.integerPrimaryKey("id");
        static final TextField<Sale> REGION = SALES.attribute("region", TEXT);
        static final Field<Sale, UUID> CUSTOMER = SALES.attribute("customer", dev.ashlar.api.typed.Kind.UUID);
        static final Field<Sale, Integer> AMOUNT = SALES.attribute("amount", INTEGER);
        static final CalculationField<Sale, String> REGION_CASE = SALES.calculate("region_case", String.class,
                "upper(region)");
        static final Resource RESOURCE = SALES.builder().table("sales")
                .add(ID, REGION, CUSTOMER, AMOUNT, REGION_CASE).build();
    }

    private static final UUID ADA = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();

    ReadCountDistinctTest() {
        super(Domain.builder("count_distinct").resources(Sale.RESOURCE).build());
    }

    @BeforeEach
    void sales() {
        db.execute("TRUNCATE sales");
        ashlar.createAll(Sale.SALES, List.of(new Sale(null, "north", ADA, 10), new Sale(null, "north", ADA, 20),
                new Sale(null, "North", BOB, 30), new Sale(null, "south", BOB, 40), new Sale(null, null, null, 50)));
    }

    @Test
    void countsTheDifferentValuesOfAFieldLeavingNullsOutByNameAndTyped() {
        assertThat(ashlar.read("sale").countDistinct("region")).isEqualTo(3);
        assertThat(ashlar.read(Sale.SALES).countDistinct(Sale.REGION)).isEqualTo(3);
        assertThat(ashlar.read("sale").countDistinct("customer")).isEqualTo(2);
        assertThat(ashlar.read(Sale.SALES).countDistinct(Sale.CUSTOMER)).isEqualTo(2);
        assertThat(ashlar.read("sale").count()).isEqualTo(5);
    }

    @Test
    void countsOnlyTheRowsTheFilterAndPageSelect() {
        assertThat(ashlar.read("sale").where(gt("amount", 15)).countDistinct("customer")).isEqualTo(2);
        assertThat(ashlar.read(Sale.SALES).where(Sale.AMOUNT.gt(25)).countDistinct(Sale.CUSTOMER)).isEqualTo(1);
        assertThat(ashlar.read("sale").sort(Sort.asc("amount")).limit(2).countDistinct("customer")).isEqualTo(1);
        assertThat(ashlar.read(Sale.SALES).sort(Sale.AMOUNT.asc()).offset(2).countDistinct(Sale.REGION))
                .isEqualTo(2);
        // one row per customer: Ada's in the north, Bob's in one of his regions, the row without a customer
        assertThat(ashlar.read("sale").distinct("customer").countDistinct("region")).isEqualTo(2);
    }

    @Test
    void countsZeroWhenNoRowIsSelected() {
        assertThat(ashlar.read("sale").where(eq("region", "west")).countDistinct("customer")).isZero();
        assertThat(ashlar.read(Sale.SALES).where(Sale.REGION.eq("west")).countDistinct(Sale.AMOUNT)).isZero();
    }

    @Test
    void countsTheDifferentValuesOfADeclaredCalculation() {
        assertThat(ashlar.read("sale").countDistinct("region_case")).isEqualTo(2);
        assertThat(ashlar.read(Sale.SALES).countDistinct(Sale.REGION_CASE)).isEqualTo(2);
    }

    @Test
    void refusesAFieldTheResourceLacksNamingItAndTheClosestName() {
        assertThatThrownBy(() -> ashlar.read("sale").countDistinct("regoin"))
                .isInstanceOf(QueryException.class).hasMessageContaining("regoin")
                .hasMessageContaining("did you mean 'region'?");
        assertThatThrownBy(() -> ashlar.read("sale").countDistinct(null))
                .isInstanceOf(QueryException.class).hasMessageContaining("field");
    }
}
