package dev.ashlar.spi.plugin;

import dev.ashlar.api.query.Filter;

import java.util.Objects;

/**
 * How a custom relationship joins its destination, so that it can be used in filters, sorts and
 * {@code exists}: a destination record is related to a source record when its
 * {@code destinationAttribute} equals the source's {@code sourceAttribute} and it matches
 * {@code filter}. The kernel renders it as a correlated subquery, quoting every name and binding every
 * value, so a relationship never repeats the rows it filters.
 *
 * <pre>{@code
 * new Join("id", "post_id", Filter.gt("rating", 4))   // dest.post_id = post.id AND dest.rating > 4
 * }</pre>
 *
 * @param filter over the destination's fields, or {@code null} for none
 */
public record Join(String sourceAttribute, String destinationAttribute, Filter filter) {

    public Join {
        Objects.requireNonNull(sourceAttribute, "sourceAttribute");
        Objects.requireNonNull(destinationAttribute, "destinationAttribute");
    }
}
