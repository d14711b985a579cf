package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The range filters, contains, overlaps, containedBy and adjacentTo, in the string and the typed API, and their errors.
 */
class RangeFiltersTest extends RangeDatabaseTest {

    /** Three bookings: seats [1,5), [5,10) and [20,) with stays in the first three weeks of July. */
    private List<Object> seed() {
        return ashlar.createAll("booking", List.of(
                values("seats", Range.closedOpen(1, 5), "stay", Range.closedOpen(JULY_1, JULY_1.plusDays(7)),
                        "during", Range.closedOpen(NOON, NOON.plusSeconds(3600))),
                values("seats", Range.closedOpen(5, 10), "stay", Range.closedOpen(JULY_1.plusDays(7),
                        JULY_1.plusDays(14)), "during", Range.atLeast(NOON.plusSeconds(3600))),
                values("seats", Range.atLeast(20), "stay", Range.closedOpen(JULY_1.plusDays(14),
                        JULY_1.plusDays(21)), "during", Range.empty())))
                .stream().map(r -> r.get("id")).toList();
    }

    private List<Object> ids(Filter filter) {
        return ashlar.read("booking").where(filter).sort(Sort.asc("id")).list().stream()
                .map(r -> r.get("id")).toList();
    }

    @Test
    void containsKeepsTheRowsWhoseRangeHoldsAValueOrAWholeRange() {
        List<Object> ids = seed();

        assertThat(ids(Filter.contains("seats", 5))).containsExactly(ids.get(1));
        assertThat(ids(Filter.contains("seats", 1_000_000))).containsExactly(ids.get(2));
        assertThat(ids(Filter.contains("stay", JULY_1.plusDays(6)))).containsExactly(ids.get(0));
        assertThat(ids(Filter.contains("during", NOON.plusSeconds(7200)))).containsExactly(ids.get(1));
        assertThat(ids(Filter.contains("seats", Range.closed(6, 9)))).containsExactly(ids.get(1));
        assertThat(ids(Filter.contains("seats", Range.closed(4, 6)))).isEmpty();
        assertThat(ids(Filter.contains("during", Range.empty()))).containsExactlyElementsOf(ids);
    }

    @Test
    void overlapsAndContainedByCompareTheRangeWithAnother() {
        List<Object> ids = seed();

        assertThat(ids(Filter.overlaps("seats", Range.closed(4, 5)))).containsExactly(ids.get(0), ids.get(1));
        assertThat(ids(Filter.overlaps("stay", Range.atLeast(JULY_1.plusDays(20))))).containsExactly(ids.get(2));
        assertThat(ids(Filter.containedBy("seats", Range.closedOpen(0, 10)))).containsExactly(ids.get(0), ids.get(1));
        assertThat(ids(Filter.containedBy("during", Range.lessThan(NOON.plusSeconds(3600)))))
                .containsExactly(ids.get(0), ids.get(2));
        assertThat(ids(Filter.not(Filter.overlaps("seats", Range.atLeast(5))))).containsExactly(ids.get(0));
    }

    @Test
    void adjacentToKeepsTheRowsWhoseRangeAbutsTheOtherWithoutSharingAValue() {
        List<Object> ids = seed();

        assertThat(ids(Filter.adjacentTo("stay", Range.closedOpen(JULY_1.plusDays(21), JULY_1.plusDays(28)))))
                .containsExactly(ids.get(2));
        assertThat(ids(Filter.adjacentTo("seats", Range.closed(10, 19)))).containsExactly(ids.get(1), ids.get(2));
        assertThat(ids(Filter.adjacentTo("seats", Range.closed(4, 6)))).isEmpty();
        assertThat(ashlar.read(Booking.BOOKINGS).where(Booking.SEATS.adjacentTo(Range.lessThan(1))).list())
                .extracting(b -> (Object) b.id()).containsExactly(ids.get(0));
        assertThatThrownBy(() -> ids(Filter.adjacentTo("day", Range.atLeast(JULY_1))))
                .isInstanceOf(QueryException.class).hasMessageContaining("booking.day")
                .hasMessageContaining("adjacentTo needs a range attribute");
    }

    @Test
    void aSortByARangeOrdersByWhereItBegins() {
        List<Object> ids = seed();

        assertThat(ashlar.read("booking").sort(Sort.desc("stay")).list()).extracting(r -> r.get("id"))
                .containsExactly(ids.get(2), ids.get(1), ids.get(0));
    }

    @Test
    void eqAndInCompareWholeRangesAsPostgreSqlStoresThem() {
        List<Object> ids = seed();

        assertThat(ids(Filter.eq("seats", Range.closed(1, 4)))).containsExactly(ids.get(0));
        assertThat(ids(Filter.in("seats", List.of(Range.closedOpen(5, 10), Range.atLeast(20)))))
                .containsExactly(ids.get(1), ids.get(2));
        assertThat(ids(Filter.eq("during", Range.empty()))).containsExactly(ids.get(2));
    }

    @Test
    void theTypedFieldsFilterWithTheSameOperators() {
        List<Object> ids = seed();

        assertThat(ashlar.read(Booking.BOOKINGS).where(Booking.SEATS.contains(7)).list())
                .extracting(b -> (Object) b.id()).containsExactly(ids.get(1));
        assertThat(ashlar.read(Booking.BOOKINGS).where(Booking.STAY.contains(Range.closed(JULY_1, JULY_1.plusDays(1))))
                .list()).extracting(b -> (Object) b.id()).containsExactly(ids.get(0));
        assertThat(ashlar.read(Booking.BOOKINGS).where(Booking.DURING.overlaps(Range.atLeast(NOON.plusSeconds(1))))
                .count()).isEqualTo(2);
        assertThat(ashlar.read(Booking.BOOKINGS).where(Booking.SEATS.containedBy(Range.atLeast(5))).list())
                .extracting(b -> (Object) b.id()).containsExactly(ids.get(1), ids.get(2));
    }

    @Test
    void aRangeFilterOfTheWrongTypeOrOnAnotherAttributeIsAQueryErrorNamingTheField() {
        assertThatThrownBy(() -> ids(Filter.contains("stay", "July")))
                .isInstanceOf(QueryException.class).hasMessageContaining("booking.stay")
                .hasMessageContaining("must be a LocalDate");
        assertThatThrownBy(() -> ids(Filter.overlaps("seats", Range.atLeast(JULY_1))))
                .isInstanceOf(QueryException.class).hasMessageContaining("booking.seats")
                .hasMessageContaining("int4range whose lower bound must be an integer");
        assertThatThrownBy(() -> ids(Filter.overlaps("day", Range.atLeast(JULY_1))))
                .isInstanceOf(QueryException.class).hasMessageContaining("booking.day")
                .hasMessageContaining("overlaps needs a range attribute");
        assertThatThrownBy(() -> ids(Filter.contains("seats", null)))
                .isInstanceOf(QueryException.class).hasMessageContaining("cannot look for null");
        assertThatThrownBy(() -> ashlar.read("booking").max("seats"))
                .isInstanceOf(QueryException.class).hasMessageContaining("no max of a int4range");
    }
}
