package dev.ashlar.api.typed;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.AttributeOptions;

import java.util.function.Consumer;

/**
 * A text field ({@link Kind#TEXT}, {@link Kind#varchar}), which can also be matched with a pattern.
 *
 * @param <R> the record type of the resource the field belongs to
 */
public final class TextField<R extends Record> extends Field<R, String> {

    TextField(Table<R> table, String name, Kind<String> kind, Consumer<AttributeOptions> options, boolean path) {
        super(table, name, kind, options, path);
    }

    /** SQL {@code LIKE}: {@code %} matches any run of characters, {@code _} one character. */
    public Condition<R> like(String pattern) {
        return new Condition<>(new Filter.Like(name(), pattern, false));
    }

    /** The text holds {@code text} anywhere in it, as it is (no pattern characters): {@code TITLE.contains("50%")}. */
    public Condition<R> contains(String text) {
        return new Condition<>(Filter.contains(name(), text));
    }

    /**
     * The text holds the parent's text field anywhere in it, Ash's {@code contains(bio, parent(name))}:
     * {@code Profile.BIO.contains(User.NAME.parent())} inside {@code any}, {@code count} or an aggregate's filter.
     */
    public Condition<R> contains(Parent<?, String> parent) {
        return new Condition<>(Filter.contains(name(), parent.value()));
    }

    /** Case-insensitive {@link #like}. */
    public Condition<R> ilike(String pattern) {
        return new Condition<>(new Filter.Like(name(), pattern, true));
    }

    /** The text begins with {@code prefix} as it is, {@code %} and {@code _} included: {@code SKU.startsWith("A_")}. */
    public Condition<R> startsWith(String prefix) {
        return new Condition<>(Filter.startsWith(name(), prefix));
    }

    /** The text ends with {@code suffix} as it is. */
    public Condition<R> endsWith(String suffix) {
        return new Condition<>(Filter.endsWith(name(), suffix));
    }

    /** The text equals {@code text} but for case: {@code EMAIL.eqIgnoreCase("Ada@Example.com")}. */
    public Condition<R> eqIgnoreCase(String text) {
        return new Condition<>(Filter.eqIgnoreCase(name(), text));
    }

    /** The text holds {@code text} anywhere in it, as it is but for case. */
    public Condition<R> containsIgnoreCase(String text) {
        return new Condition<>(Filter.containsIgnoreCase(name(), text));
    }

    /** The text begins with {@code prefix} as it is but for case. */
    public Condition<R> startsWithIgnoreCase(String prefix) {
        return new Condition<>(Filter.startsWithIgnoreCase(name(), prefix));
    }

    /**
     * Full-text search of the words as typed in a search box, in the text search configuration (bound, never written
     * into the SQL): {@code BODY.textSearch("english", "\"full text\" -mysql")}; see {@link Filter#textSearch}.
     */
    public Condition<R> textSearch(String config, String search) {
        return new Condition<>(Filter.textSearch(name(), config, search));
    }

    /** Full-text search of the words as given, all of them; see {@link Filter#plainTextSearch}. */
    public Condition<R> plainTextSearch(String config, String search) {
        return new Condition<>(Filter.plainTextSearch(name(), config, search));
    }

    /** The text ends with {@code suffix} as it is but for case. */
    public Condition<R> endsWithIgnoreCase(String suffix) {
        return new Condition<>(Filter.endsWithIgnoreCase(name(), suffix));
    }
}
