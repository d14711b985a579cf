package dev.ashlar.api.typed;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Type;

/**
 * A path inside a JSON field, made by {@link Field#path(String...)}: compared, sorted and matched as the value at the
 * path is, {@code BIO.path("title").ilike("dr%")}, {@code SETTINGS.path("reminders").contains("email")}.
 *
 * @param <R> the record whose JSON field it is in
 */
public final class JsonPathField<R extends Record> extends Field<R, Object> {

    JsonPathField(Table<R> table, String path) {
        super(table, path, new Kind<>(Type.JSON), a -> { }, true);
    }

    /**
     * An array at the path holds an element equal to the value (text, a number or a boolean), compared as JSON (Ash's
     * {@code "email" in settings["reminders"]}); text at the path holds the text anywhere in it.
     */
    public Condition<R> contains(Object element) {
        return new Condition<>(Filter.contains(name(), element));
    }

    /** The text at the path matches the pattern ({@code %}, {@code _}; {@code \} escapes). */
    public Condition<R> like(String pattern) {
        return new Condition<>(Filter.like(name(), pattern));
    }

    /** The text at the path matches the pattern, case aside. */
    public Condition<R> ilike(String pattern) {
        return new Condition<>(Filter.ilike(name(), pattern));
    }
}
