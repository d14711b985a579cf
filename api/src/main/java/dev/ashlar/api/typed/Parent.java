package dev.ashlar.api.typed;

import dev.ashlar.api.query.Filter;

/**
 * A field of the parent record, the one a relationship is followed from, to compare a related record's field with:
 * {@code COMMENTS.any(Comment.TITLE.eq(Post.TITLE.parent()))} (see {@link Filter#parent(String)}). The compiler checks
 * the value type; that the field belongs to the relationship's source is checked when the filter is written.
 *
 * @param <P> the record type of the parent's resource
 * @param <T> the Java type of the field's values
 */
public final class Parent<P extends Record, T> {
    private final Filter.Parent value;

    Parent(String field, int levels) {
        this.value = Filter.parent(field, levels);
    }

    /** The value as the string API's filters take it. */
    public Filter.Parent value() {
        return value;
    }
}
