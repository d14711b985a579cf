package dev.ashlar.api.typed;

import dev.ashlar.api.query.Filter;

/**
 * The value an upsert brings for a field, to compare the stored record's value with in the upsert's condition:
 * {@code VERSION.lt(VERSION.incoming())} (see {@link Conflict#where}). Any other condition refuses it.
 *
 * @param <R> the record type of the resource
 * @param <T> the Java type of the field's values
 */
public final class Incoming<R extends Record, T> {
    private final Filter.Incoming value;

    Incoming(String field) {
        this.value = Filter.incoming(field);
    }

    /** The value as the string API's filters take it. */
    public Filter.Incoming value() {
        return value;
    }
}
