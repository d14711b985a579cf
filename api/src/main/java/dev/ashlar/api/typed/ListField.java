package dev.ashlar.api.typed;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.AttributeOptions;

import java.util.List;
import java.util.function.Consumer;

/**
 * An array field ({@link Kind#arrayOf}), whose values are lists, which can also be asked whether it
 * holds an element.
 *
 * @param <R> the record type of the resource the field belongs to
 * @param <E> the Java type of the elements
 */
public final class ListField<R extends Record, E> extends Field<R, List<E>> {

    ListField(Table<R> table, String name, Kind<List<E>> kind, Consumer<AttributeOptions> options, boolean path) {
        super(table, name, kind, options, path);
    }

    /** The array holds the element among its elements. */
    public Condition<R> contains(E element) {
        return new Condition<>(new Filter.Contains(name(), element));
    }

    /** The array holds at least one of the elements ({@code &&}); see {@link Filter#containsAny}. */
    public Condition<R> containsAny(List<E> elements) {
        return new Condition<>(Filter.containsAny(name(), elements));
    }

    /** The array holds every one of the elements ({@code @>}); see {@link Filter#containsAll}. */
    public Condition<R> containsAll(List<E> elements) {
        return new Condition<>(Filter.containsAll(name(), elements));
    }

    /** Every element of the array is one of the elements ({@code <@}); see {@link Filter#containedIn}. */
    public Condition<R> containedIn(List<E> elements) {
        return new Condition<>(Filter.containedIn(name(), elements));
    }
}
