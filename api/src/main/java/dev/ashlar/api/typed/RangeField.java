package dev.ashlar.api.typed;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.AttributeOptions;

import java.util.function.Consumer;

/**
 * A range field ({@link Kind#rangeOf}), whose values are {@link Range}s, which can also be asked whether it holds
 * a value or a range, overlaps a range or lies inside one.
 *
 * <pre>{@code
 * static final RangeField<Booking, LocalDate> STAY = BOOKINGS.attribute("stay", rangeOf(DATE));
 * ashlar.read(BOOKINGS).where(STAY.overlaps(Range.closedOpen(july1, july8))).list();
 * }</pre>
 *
 * @param <R> the record type of the resource the field belongs to
 * @param <E> the Java type of the bounds
 */
public final class RangeField<R extends Record, E extends Comparable<? super E>> extends Field<R, Range<E>> {

    RangeField(Table<R> table, String name, Kind<Range<E>> kind, Consumer<AttributeOptions> options, boolean path) {
        super(table, name, kind, options, path);
    }

    /** The range holds the value ({@code @>}). */
    public Condition<R> contains(E value) {
        return new Condition<>(Filter.contains(name(), value));
    }

    /** The range holds the whole of the other range ({@code @>}). */
    public Condition<R> contains(Range<E> range) {
        return new Condition<>(Filter.contains(name(), range));
    }

    /** The range shares at least one value with the other ({@code &&}). */
    public Condition<R> overlaps(Range<E> range) {
        return new Condition<>(Filter.overlaps(name(), range));
    }

    /** The range lies wholly inside the other ({@code <@}). */
    public Condition<R> containedBy(Range<E> range) {
        return new Condition<>(Filter.containedBy(name(), range));
    }

    /** The range abuts the other, sharing no value with it ({@code -|-}). */
    public Condition<R> adjacentTo(Range<E> range) {
        return new Condition<>(Filter.adjacentTo(name(), range));
    }
}
