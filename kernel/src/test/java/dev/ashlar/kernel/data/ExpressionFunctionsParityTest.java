package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.DECIMAL;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.rangeOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The functions of AshPostgres's expression tests, each case with its expected result: {@code round_expr_test.exs}
 * (a computed field {@code round(...)}), {@code string_length_test.exs} ({@code char_length} counts the code points
 * of the value as stored, which Ashlar does not normalise) and {@code range_expr_test.exs} (the range filters, and a
 * range's bounds as calculations {@code lower(stay)}, {@code upper(guests)}).
 */
class ExpressionFunctionsParityTest extends DomainDatabaseTest {
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant JULY = Instant.parse("2026-07-01T00:00:00Z");

    static final Domain DOMAIN = Domain.builder("expression_functions")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("decimal", DECIMAL)
                    .attribute("score", INTEGER)
                    .build())
            .resource(Resource.builder("booking").table("bookings").uuidPrimaryKey("id")
                    .attribute("stay", rangeOf(TIMESTAMPTZ))
                    .attribute("guests", rangeOf(INTEGER))
                    .calculate("stay_lower", Instant.class, "lower(stay)")
                    .calculate("stay_upper", Instant.class, "upper(stay)")
                    .calculate("guests_upper", Integer.class, "upper(guests)")
                    .build())
            .build();

    private Object marchQuarter;
    private Object mayOnwards;

    ExpressionFunctionsParityTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE posts, bookings");
        marchQuarter = ashlar.create("booking", Map.of("stay", Range.closedOpen(MARCH, APRIL),
                "guests", Range.closedOpen(1, 5))).get("id");
        mayOnwards = ashlar.create("booking", Map.of("stay", Range.closedOpen(MAY, JUNE),
                "guests", Range.closedOpen(4, 9))).get("id");
    }

    private Object computed(Map<String, Object> post, Class<?> type, String sql) {
        Row created = ashlar.create("post", post);
        return ashlar.read("post").where(eq("id", created.get("id"))).compute("rounded", type, sql)
                .one().orElseThrow().get("rounded");
    }

    private List<Object> bookings(Filter filter) {
        return ashlar.read("booking").where(filter).list().stream().map(row -> row.get("id")).toList();
    }

    @Test
    void roundWithNoPrecisionRoundsHalfAwayFromZero() {
        assertThat((BigDecimal) computed(Map.of("title", "a", "decimal", new BigDecimal("10.50")),
                BigDecimal.class, "round(\"decimal\")")).isEqualByComparingTo("11");
        assertThat((BigDecimal) computed(Map.of("title", "a", "decimal", new BigDecimal("-2.50")),
                BigDecimal.class, "round(\"decimal\")")).isEqualByComparingTo("-3");
    }

    @Test
    void roundToAGivenPrecisionAndOverAFloatCastToNumeric() {
        assertThat((BigDecimal) computed(Map.of("title", "a", "decimal", new BigDecimal("3.14159")),
                BigDecimal.class, "round(\"decimal\", 2)")).isEqualByComparingTo("3.14");
        // PostgreSQL has no round(double precision, integer): the float goes through numeric and back
        assertThat(computed(Map.of("title", "a", "score", 3), Double.class, "round(score::float::numeric, 2)::float"))
                .isEqualTo(3.0);
    }

    @Test
    void charLengthCountsTheCodePointsOfTheValueAsStored() {
        String decomposed = Normalizer.normalize("ünïcödé", Normalizer.Form.NFD);
        assertThat(decomposed.codePointCount(0, decomposed.length())).isEqualTo(11);
        ashlar.create("post", Map.of("title", decomposed));

        Row read = ashlar.read("post").compute("length", Integer.class, "char_length(title)").one().orElseThrow();

        assertThat(read.get("length")).isEqualTo(11);
        assertThat(read.get("title")).isEqualTo(decomposed);
    }

    @Test
    void overlapsFiltersOnTheOverlapOperatorAndSeesASharedPoint() {
        assertThat(bookings(Filter.overlaps("stay", Range.closedOpen(MARCH, MAY)))).containsExactly(marchQuarter);
        assertThat(bookings(Filter.overlaps("guests", Range.closedOpen(4, 6))))
                .containsExactlyInAnyOrder(marchQuarter, mayOnwards);
    }

    @Test
    void theBoundsOfARangeAreCalculationsToFilterOn() {
        assertThat(bookings(eq("stay_lower", MARCH))).containsExactly(marchQuarter);
        assertThat(bookings(eq("stay_upper", APRIL))).containsExactly(marchQuarter);
        assertThat(bookings(eq("guests_upper", 5))).containsExactly(marchQuarter);
        assertThat(ashlar.read("booking").where(eq("id", mayOnwards)).load("stay_lower").load("guests_upper")
                .one().orElseThrow().get("guests_upper")).isEqualTo(9);
    }

    @Test
    void containsHoldsAPointOrARange() {
        assertThat(bookings(Filter.contains("guests", 3))).containsExactly(marchQuarter);
        assertThat(bookings(Filter.contains("guests", Range.closedOpen(2, 4)))).containsExactly(marchQuarter);
    }

    @Test
    void adjacentToFindsTheAbuttingRange() {
        assertThat(bookings(Filter.adjacentTo("stay", Range.closedOpen(JUNE, JULY)))).containsExactly(mayOnwards);
    }

    @Test
    void aSortByARangeOrdersByWhereItBegins() {
        assertThat(ashlar.read("booking").sort(Sort.asc("stay")).list())
                .extracting(row -> (Object) ((Range<?>) row.get("stay")).lower()).containsExactly(MARCH, MAY);
        assertThat(ashlar.read("booking").sort(Sort.desc("stay_lower")).list())
                .extracting(row -> row.get("id")).containsExactly(mayOnwards, marchQuarter);
    }
}
