package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;

/**
 * A new value for one field of a resource, made with {@link Field#set}: {@code TITLE.set("Hello")}. An
 * update or an update of many rows takes changes, so the compiler checks each value's type.
 *
 * @param <R> the record type of the resource changed
 */
public final class Change<R extends Record> {
    private final String field;
    private final Object value;

    Change(String field, Object value) {
        this.field = QueryException.required(field, "field");
        this.value = value;
    }

    /** The field's name. */
    public String field() {
        return field;
    }

    /** The new value, possibly null. */
    public Object value() {
        return value;
    }

    @Override
    public String toString() {
        return field + " = " + value;
    }
}
