package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.error.QueryException;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Function;

/**
 * A range attribute ({@code int4range}, {@code tstzrange}, ...): given as a {@link Range} (or its text), each
 * bound checked by the element type's codec, sent as PostgreSQL's text of the range and read back from it.
 */
final class RangeCodec extends TextFormCodec {
    /**
     * The last value of each range type that PostgreSQL keeps in the canonical form {@code [lower,upper)}: an inclusive
     * upper bound (or an exclusive lower one) there is stored as the next value, which the type cannot hold.
     */
    private static final Map<String, Object> LAST_STEPPED = Map.of("int4range", Integer.MAX_VALUE,
            "int8range", Long.MAX_VALUE, "daterange", LocalDate.of(5_874_897, 12, 31));
    private final String rangeType;
    private final Codec element;
    private final Function<String, Comparable<?>> bounds;

    /** @param rangeType the PostgreSQL range type, e.g. {@code int4range} */
    RangeCodec(String rangeType, Codec element) {
        this.rangeType = rangeType;
        this.element = element;
        this.bounds = RangeText.bounds(element.castType());
    }

    /** The text of the range, its bounds converted by the element codec (an Instant becomes an offset time). */
    @Override
    public Object toDatabase(Object value) {
        Range<?> range = value instanceof CharSequence text ? RangeText.parse(text.toString(), bounds) : range(value);
        if (range.isEmpty()) {
            return "empty";
        }
        return (range.lowerInclusive() ? "[" : "(") + bound(range.lower(), "lower", !range.lowerInclusive()) + ","
                + bound(range.upper(), "upper", range.upperInclusive()) + (range.upperInclusive() ? "]" : ")");
    }

    private static Range<?> range(Object value) {
        if (value instanceof Range<?> range) {
            return range;
        }
        throw new RejectedValue("must be a Range, e.g. Range.closedOpen(1, 10), got " + ScalarCodec.describe(value));
    }

    /** @param stepped whether PostgreSQL stores the bound as the next value (an exclusive lower, an inclusive upper) */
    private String bound(Object bound, String which, boolean stepped) {
        if (bound == null) {
            return "";
        }
        Object converted;
        try {
            converted = element.toDatabase(bound);
        } catch (RejectedValue e) {
            throw new RejectedValue("is a " + rangeType + " whose " + which + " bound " + e.getMessage());
        }
        if (stepped && converted.equals(LAST_STEPPED.get(rangeType))) {
            throw new RejectedValue("is a " + rangeType + " whose " + which + " bound " + converted + " is "
                    + (which.equals("upper") ? "inclusive" : "exclusive") + ": PostgreSQL stores it as the next value, "
                    + "past what the type holds; leave that side unbounded (Range.atLeast, Range.atMost) instead");
        }
        // A date or time as an array element is: in PostgreSQL's form for a year BC or past 9999, which ISO's is not.
        return converted instanceof BigDecimal decimal ? decimal.toPlainString()
                : element.arrayElement(converted).toString();
    }

    /** The element codec, for a filter that asks whether a range holds one value. */
    Codec element() {
        return element;
    }

    @Override
    Object fromText(String text, ResultSet rows, int index) throws SQLException {
        try {
            return RangeText.parse(text, bounds);
        } catch (RejectedValue e) {
            String column = rows.getMetaData().getColumnLabel(index);
            throw QueryException.of(null, column, "'" + column + "' " + e.getMessage());
        }
    }

    @Override
    public String castType() {
        return rangeType;
    }

    @Override
    public String arrayTypeName() {
        return rangeType;
    }

    @Override
    public String toString() {
        return rangeType;
    }
}
