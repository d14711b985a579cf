package dev.ashlar.api.data;

import dev.ashlar.api.error.QueryException;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A value of a PostgreSQL range type ({@code int4range}, {@code int8range}, {@code numrange},
 * {@code daterange}, {@code tsrange}, {@code tstzrange}): a lower and an upper bound, each inclusive or
 * exclusive, or missing (unbounded); or the empty range. Immutable; equal when PostgreSQL's text of the
 * two is equal.
 *
 * <pre>{@code
 * Range<LocalDate> stay = Range.closedOpen(LocalDate.of(2025, 7, 1), LocalDate.of(2025, 7, 8)); // [2025-07-01,2025-07-08)
 * Range<Integer> adults = Range.atLeast(18);                                                     // [18,)
 * }</pre>
 *
 * <p>PostgreSQL stores a range of whole numbers or dates in its canonical form {@code [a,b)}: a range
 * given as {@code Range.closed(1, 5)} is read back as {@code Range.closedOpen(1, 6)}, the same set of values.
 *
 * @param <T> the type of the bounds: Integer, Long, BigDecimal, LocalDate, LocalDateTime or Instant
 */
public final class Range<T extends Comparable<? super T>> {
    private static final Range<?> EMPTY = new Range<>(null, false, null, false, true);

    private final T lower;
    private final boolean lowerInclusive;
    private final T upper;
    private final boolean upperInclusive;
    private final boolean empty;

    private Range(T lower, boolean lowerInclusive, T upper, boolean upperInclusive, boolean empty) {
        this.lower = lower;
        this.lowerInclusive = lower != null && lowerInclusive;
        this.upper = upper;
        this.upperInclusive = upper != null && upperInclusive;
        this.empty = empty;
    }

    /**
     * A range from its bounds, a null bound meaning unbounded on that side (and never inclusive). Equal bounds
     * not both inclusive make the empty range, as in PostgreSQL.
     *
     * @throws QueryException when the lower bound is above the upper bound
     */
    public static <T extends Comparable<? super T>> Range<T> of(T lower, boolean lowerInclusive, T upper,
                                                                boolean upperInclusive) {
        if (lower != null && upper != null) {
            int order = lower.compareTo(upper);
            if (order > 0) {
                throw QueryException.of("A range's lower bound must not be above its upper bound, got " + lower
                        + " above " + upper + "; swap them");
            }
            if (order == 0 && !(lowerInclusive && upperInclusive)) {
                return empty();
            }
        }
        return new Range<>(lower, lowerInclusive, upper, upperInclusive, false);
    }

    /** {@code [lower,upper)}: from lower, up to but not including upper; the usual range of times and dates. */
    public static <T extends Comparable<? super T>> Range<T> closedOpen(T lower, T upper) {
        return of(required(lower, "lower"), true, required(upper, "upper"), false);
    }

    /** {@code [lower,upper]}: both bounds included. */
    public static <T extends Comparable<? super T>> Range<T> closed(T lower, T upper) {
        return of(required(lower, "lower"), true, required(upper, "upper"), true);
    }

    /** {@code (lower,upper)}: neither bound included. */
    public static <T extends Comparable<? super T>> Range<T> open(T lower, T upper) {
        return of(required(lower, "lower"), false, required(upper, "upper"), false);
    }

    /** {@code [lower,)}: lower and everything above it. */
    public static <T extends Comparable<? super T>> Range<T> atLeast(T lower) {
        return of(required(lower, "lower"), true, null, false);
    }

    /** {@code (,upper)}: everything below upper. */
    public static <T extends Comparable<? super T>> Range<T> lessThan(T upper) {
        return of(null, false, required(upper, "upper"), false);
    }

    /** {@code (,)}: every value. */
    public static <T extends Comparable<? super T>> Range<T> all() {
        return of(null, false, null, false);
    }

    /** The range that holds no value; PostgreSQL writes it {@code empty}. */
    @SuppressWarnings("unchecked")
    public static <T extends Comparable<? super T>> Range<T> empty() {
        return (Range<T>) EMPTY;
    }

    private static <T> T required(T bound, String which) {
        if (bound == null) {
            throw QueryException.of("A range's " + which + " bound is null here; for an unbounded side use "
                    + "Range.atLeast, Range.lessThan, Range.all or Range.of(lower, true, null, false)");
        }
        return bound;
    }

    /** The lower bound, or null when the range is unbounded below or empty. */
    public T lower() {
        return lower;
    }

    /** The upper bound, or null when the range is unbounded above or empty. */
    public T upper() {
        return upper;
    }

    public boolean lowerInclusive() {
        return lowerInclusive;
    }

    public boolean upperInclusive() {
        return upperInclusive;
    }

    public boolean isEmpty() {
        return empty;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Range<?> range && empty == range.empty && lowerInclusive == range.lowerInclusive
                && upperInclusive == range.upperInclusive && sameBound(lower, range.lower)
                && sameBound(upper, range.upper);
    }

    /** Bounds compare by value: a numeric bound read as 1.50 is the bound 1.5. */
    private static boolean sameBound(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(empty, lowerInclusive, upperInclusive, hashOf(lower), hashOf(upper));
    }

    private static int hashOf(Object bound) {
        return bound instanceof BigDecimal decimal && decimal.signum() != 0 ? decimal.stripTrailingZeros().hashCode()
                : bound instanceof BigDecimal ? 0 : Objects.hashCode(bound);
    }

    /** PostgreSQL's text of the range: {@code [1,5)}, {@code (,2025-01-01)}, {@code empty}. */
    @Override
    public String toString() {
        if (empty) {
            return "empty";
        }
        return (lowerInclusive ? "[" : "(") + text(lower) + "," + text(upper) + (upperInclusive ? "]" : ")");
    }

    private static String text(Object bound) {
        if (bound == null) {
            return "";
        }
        // Java's ISO text of a date or time has no space or comma, so no bound needs PostgreSQL's quotes.
        return bound instanceof BigDecimal decimal ? decimal.toPlainString() : bound.toString();
    }
}
