package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attributes of PostgreSQL's built-in range types: their columns, their values and the values refused. */
class RangesTest extends RangeDatabaseTest {

    private static Map<String, Object> bounded() {
        return values("seats", Range.closed(1, 5), "ids", Range.closedOpen(9_000_000_000L, 9_000_000_100L),
                "price", Range.closed(new BigDecimal("1.50"), new BigDecimal("99.99")),
                "stay", Range.closed(JULY_1, JULY_1.plusDays(6)),
                "slot", Range.open(LocalDateTime.of(2025, 7, 1, 9, 30), LocalDateTime.of(2025, 7, 1, 17, 0, 0, 500_000)),
                "during", Range.closedOpen(NOON, NOON.plusSeconds(3600)));
    }

    @Test
    void codegenWritesEachRangeColumnAndFindsNothingMoreAfterTheMigration() throws IOException {
        String migration = Files.readString(created.files().get(0));

        assertThat(migration).contains("int4range", "int8range", "numrange", "daterange", "tsrange", "tstzrange");
        assertThat(db.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
                + "'bookings' AND column_name NOT IN ('id', 'day') ORDER BY ordinal_position"))
                .extracting(r -> r.get("column_name") + " " + r.get("data_type"))
                .containsExactly("seats int4range", "ids int8range", "price numrange", "stay daterange",
                        "slot tsrange", "during tstzrange");
        assertThat(codegen().check().steps()).isEmpty();
    }

    @Test
    void roundTripsEveryRangeTypeWithDiscreteRangesReadBackInTheirCanonicalForm() {
        Row stored = ashlar.create("booking", bounded());

        Row read = ashlar.get("booking", stored.get("id"));

        assertThat(read.get("seats")).isEqualTo(Range.closedOpen(1, 6));
        assertThat(read.get("ids")).isEqualTo(Range.closedOpen(9_000_000_000L, 9_000_000_100L));
        assertThat(read.get("price")).isEqualTo(Range.closed(new BigDecimal("1.5"), new BigDecimal("99.99")));
        assertThat(read.get("stay")).isEqualTo(Range.closedOpen(JULY_1, JULY_1.plusDays(7)));
        assertThat(read.get("slot")).isEqualTo(
                Range.open(LocalDateTime.of(2025, 7, 1, 9, 30), LocalDateTime.of(2025, 7, 1, 17, 0, 0, 500_000)));
        assertThat(read.get("during")).isEqualTo(Range.closedOpen(NOON, NOON.plusSeconds(3600)));
        assertThat(stored.get("seats")).isEqualTo(read.get("seats"));
        assertThat(db.value("SELECT seats::text || ' ' || stay::text FROM bookings"))
                .isEqualTo("[1,6) [2025-07-01,2025-07-08)");
    }

    @Test
    void roundTripsUnboundedEmptyAndNullRangesOfEveryType() {
        Map<String, Object> open = values("seats", Range.atLeast(18), "ids", Range.lessThan(0L), "price", Range.all(),
                "stay", Range.empty(), "slot", Range.atLeast(LocalDateTime.of(2025, 1, 1, 0, 0)),
                "during", Range.of(null, false, NOON, true));
        Map<String, Object> nulls = values("seats", null, "ids", null, "price", null, "stay", null, "slot", null,
                "during", null);

        Row unbounded = ashlar.get("booking", ashlar.create("booking", open).get("id"));
        Row missing = ashlar.get("booking", ashlar.create("booking", nulls).get("id"));

        open.forEach((field, value) -> assertThat(unbounded.get(field)).as(field).isEqualTo(value));
        nulls.keySet().forEach(field -> assertThat(missing.get(field)).as(field).isNull());
        assertThat(db.value("SELECT stay::text || ' ' || price::text || ' ' || during::text FROM bookings "
                + "WHERE stay IS NOT NULL")).isEqualTo("empty (,) (,\"2025-07-01 12:00:00.123456+00\"]");
    }

    @Test
    void bulkCreateAndUpdateWriteRangesAsSingleCreateDoes() {
        List<Row> stored = ashlar.createAll("booking", List.of(bounded(), values("seats", Range.empty()),
                values("seats", Range.closedOpen(3, 4))));

        Row updated = ashlar.update(stored.get(2), Map.of("seats", Range.lessThan(10)));

        assertThat(stored).extracting(r -> ashlar.get("booking", r.get("id")).get("seats"))
                .containsExactly(Range.closedOpen(1, 6), Range.empty(), Range.lessThan(10));
        assertThat(ashlar.get("booking", stored.get(0).get("id")).get("during"))
                .isEqualTo(Range.closedOpen(NOON, NOON.plusSeconds(3600)));
        assertThat(updated.get("seats")).isEqualTo(Range.lessThan(10));
    }

    @Test
    void readsRangesIntoTheComponentsOfARecord() {
        Booking booking = new Booking(null, Range.closedOpen(2, 4), null, null, Range.atLeast(JULY_1), null,
                Range.closedOpen(NOON, NOON.plusSeconds(60)), JULY_1);

        Booking created = ashlar.create(Booking.BOOKINGS, booking);
        List<Booking> read = ashlar.read(Booking.BOOKINGS).list();

        assertThat(read).containsExactly(created);
        assertThat(read.get(0).seats()).isEqualTo(Range.closedOpen(2, 4));
        assertThat(read.get(0).stay().lower()).isEqualTo(JULY_1);
        assertThat(read.get(0).during().upper()).isEqualTo(NOON.plusSeconds(60));
    }

    @Test
    void roundTripsRangesWithBoundsInYearsBcAndPastYear9999() {
        Map<String, Object> edges = values(
                "stay", Range.closedOpen(LocalDate.of(-43, 3, 15), LocalDate.of(10_000, 1, 1)),
                "slot", Range.closed(LocalDateTime.of(0, 2, 29, 12, 0), LocalDateTime.of(12_345, 6, 1, 0, 0, 0, 1_000)),
                "during", Range.closedOpen(Instant.parse("-0043-03-15T12:00:00Z"),
                        Instant.parse("+10000-01-01T00:00:00.000001Z")));

        Row one = ashlar.create("booking", edges);
        List<Row> many = ashlar.createAll("booking", List.of(edges, edges));

        for (Row row : List.of(one, many.get(0), many.get(1))) {
            Row read = ashlar.get("booking", row.get("id"));
            edges.forEach((field, value) -> assertThat(read.get(field)).as(field).isEqualTo(value));
        }
        assertThat(db.value("SELECT lower(stay)::text || ' ' || upper(slot)::text FROM bookings WHERE id = ?",
                one.get("id"))).isEqualTo("0044-03-15 BC 12345-06-01 00:00:00.000001");
        assertThat(ashlar.read("booking").where(Filter.contains("stay", LocalDate.of(-1, 1, 1))).count()).isEqualTo(3);
    }

    @Test
    void acceptsTheTextOfARangeAsItsValue() {
        Row stored = ashlar.create("booking", values("seats", "[1,3]", "stay", "[2025-07-01,2025-07-03)",
                "during", "[2025-07-01T12:00:00Z,)"));

        assertThat(stored.get("seats")).isEqualTo(Range.closedOpen(1, 4));
        assertThat(stored.get("stay")).isEqualTo(Range.closedOpen(JULY_1, JULY_1.plusDays(2)));
        assertThat(stored.get("during")).isEqualTo(Range.atLeast(Instant.parse("2025-07-01T12:00:00Z")));
    }

    @Test
    void aBoundOfTheWrongTypeIsInvalidDataNamingTheField() {
        assertThatThrownBy(() -> ashlar.create("booking", values("during", Range.closedOpen(JULY_1, JULY_1.plusDays(1)))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("during")
                .hasMessageContaining("tstzrange whose lower bound must be an Instant or OffsetDateTime");
        assertThatThrownBy(() -> ashlar.create("booking", values("seats", Range.atLeast(3_000_000_000L))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("seats")
                .hasMessageContaining("out of range for integer");
        assertThatThrownBy(() -> ashlar.create("booking", values("stay", List.of(JULY_1))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("stay")
                .hasMessageContaining("must be a Range");
        assertThat(db.value("SELECT count(*) FROM bookings")).isEqualTo(0L);
    }

    @Test
    void aRangeWhoseLowerBoundIsAboveItsUpperIsRefused() {
        assertThatThrownBy(() -> Range.closedOpen(5, 1)).isInstanceOf(QueryException.class)
                .hasMessageContaining("lower bound must not be above its upper bound, got 5 above 1");
        assertThatThrownBy(() -> ashlar.create("booking", values("seats", "[5,1)")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("seats")
                .hasMessageContaining("whose lower bound is above its upper bound");
        assertThatThrownBy(() -> ashlar.create("booking", values("stay", "2025-07-01")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("stay").hasMessageContaining("no range");
    }


    @Test
    void rangesOfTypesWithoutABuiltInRangeAndArraysOfRangesAreRefusedWhenDeclared() {
        assertThatThrownBy(() -> Type.rangeOf(Type.TEXT)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("no built-in range of");
        assertThatThrownBy(() -> Type.rangeOf(Type.decimal(10, 2))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("DECIMAL (no precision)");
        assertThatThrownBy(() -> Type.arrayOf(Type.rangeOf(Type.INTEGER))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("arrays of ranges are not supported");
    }

    @Test
    void rangesAreEqualWhenTheirTextIsAndPrintAsPostgreSqlWritesThem() {
        assertThat(Range.closedOpen(3, 3)).isEqualTo(Range.empty()).hasToString("empty");
        assertThat(Range.closed(new BigDecimal("1.50"), new BigDecimal("2"))).isEqualTo(
                Range.closed(new BigDecimal("1.5"), new BigDecimal("2.00"))).hasSameHashCodeAs(
                Range.closed(new BigDecimal("1.5"), new BigDecimal("2.00")));
        assertThat(Range.of(null, true, 5, false)).hasToString("(,5)");
        assertThat(Range.closed(1, 5)).hasToString("[1,5]").isNotEqualTo(Range.closedOpen(1, 6));
        assertThat(Arrays.asList(Range.all(), Range.atLeast(LocalDate.of(2025, 1, 1))))
                .extracting(Range::toString).containsExactly("(,)", "[2025-01-01,)");
    }
}
