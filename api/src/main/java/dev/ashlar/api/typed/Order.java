package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;


/**
 * A sort key of a read of one resource: {@code RATING.desc()}, {@code COMMENTS.countDesc()}. It is the
 * same {@link Sort} the string API builds, tied to the resource and, for an attribute, to its field, so
 * that a keyset cursor can be taken from a record.
 *
 * @param <R> the record type of the resource read
 */
public final class Order<R extends Record> {
    private final Sort sort;
    private final Field<R, ?> field;

    Order(Sort sort, Field<R, ?> field) {
        this.sort = QueryException.required(sort, "sort");
        this.field = field;
    }

    /**
     * A key on a field the read computes under this name ({@code compute(name, type, sql)}), which the table's
     * record does not hold: {@code combination.sort(Order.desc("sort_order"), TITLE.asc())}.
     */
    public static <R extends Record> Order<R> asc(String computed) {
        return new Order<>(Sort.asc(computed), null);
    }

    /** A descending key on a computed field; see {@link #asc(String)}. */
    public static <R extends Record> Order<R> desc(String computed) {
        return new Order<>(Sort.desc(computed), null);
    }

    /** The sort key as the data layer receives it. */
    public Sort sort() {
        return sort;
    }

    /** The field sorted by; {@code null} for a key on a count of related records, an expression or a computed name. */
    public Field<R, ?> field() {
        return field;
    }

    public Order<R> nullsFirst() {
        return new Order<>(sort.nullsFirst(), field);
    }

    public Order<R> nullsLast() {
        return new Order<>(sort.nullsLast(), field);
    }

    @Override
    public String toString() {
        return sort.toString();
    }
}
