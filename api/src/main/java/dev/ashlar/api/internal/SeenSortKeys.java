package dev.ashlar.api.internal;

import dev.ashlar.api.query.Sort;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The values a listed row's computed sort keys (an expression, a count of related records) had in the statement that
 * listed it, kept with the row out of its fields: a keyset cursor of the row is made from them, so the next page
 * starts where this one ended even when the row's key changed, or the row was deleted, in between.
 *
 * @param keys   the read's computed sort keys, in its order, which a cursor's read must sort by to take the values
 * @param values each key's value, in the same order (null where the key's value was null)
 */
public record SeenSortKeys(List<Sort> keys, List<Object> values) {
    public SeenSortKeys {
        keys = List.copyOf(keys);
        // A value may be null, which List.copyOf refuses.
        values = Collections.unmodifiableList(Arrays.asList(values.toArray()));
    }
}
