package dev.ashlar.api.typed;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.AttributeOptions;

import java.util.List;
import java.util.function.Consumer;

/**
 * A label path field ({@link Kind#LTREE}), whose values are lists of labels, which can also be asked whether it is an
 * ancestor or a descendant of a path, or matches an {@code lquery} pattern.
 *
 * <pre>{@code
 * static final PathField<Category> PATH = CATEGORIES.attribute("path", LTREE);
 * ashlar.read(CATEGORIES).where(PATH.descendantOf(List.of("top", "science"))).list();
 * }</pre>
 *
 * @param <R> the record type of the resource the field belongs to
 */
public final class PathField<R extends Record> extends Field<R, List<String>> {

    PathField(Table<R> table, String name, Kind<List<String>> kind, Consumer<AttributeOptions> options, boolean path) {
        super(table, name, kind, options, path);
    }

    /** The path is an ancestor of the other, or the same ({@code @>}). */
    public Condition<R> ancestorOf(List<String> path) {
        return new Condition<>(Filter.ancestorOf(name(), path));
    }

    /** The path is a descendant of the other, or the same ({@code <@}). */
    public Condition<R> descendantOf(List<String> path) {
        return new Condition<>(Filter.descendantOf(name(), path));
    }

    /** The path matches the {@code lquery} pattern ({@code ~}), e.g. {@code "*.science.*"}. */
    public Condition<R> matches(String lquery) {
        return new Condition<>(Filter.matches(name(), lquery));
    }
}
