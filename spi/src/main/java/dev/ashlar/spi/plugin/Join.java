package dev.ashlar.spi.plugin;

import dev.ashlar.api.query.Filter;

import java.util.Objects;

/**
 * How a custom relationship joins its destination, so that it can be used in filters, sorts and
 * {@code exists}: a destination record is related to a source record when its
 * {@code destinationAttribute} equals the source's {@code sourceAttribute} and it matches
 * {@code filter}, which may compare with the source record's fields through {@code Filter.parent(...)}
 * (AshPostgres's {@code as(^current_binding)} in {@code ash_postgres_join}). A join {@linkplain #byFilter by its filter
 * alone} has no attributes (Ash's {@code no_attributes? true}). The kernel renders it as a correlated subquery, quoting
 * every name and binding every value, so a relationship never repeats the rows it filters.
 *
 * <pre>{@code
 * new Join("id", "post_id", Filter.gt("rating", 4))   // dest.post_id = post.id AND dest.rating > 4
 * new Join("id", "post_id", Filter.gt("rating", Filter.parent("min_rating")))   // ... AND dest.rating > post.min_rating
 * Join.byFilter(Filter.eq("category", Filter.parent("category")))                // dest.category = post.category
 * }</pre>
 *
 * @param sourceAttribute      the source's attribute, or {@code null} with the destination's for a join by its filter
 * @param destinationAttribute the destination's attribute equal to it, or {@code null} with the source's
 * @param filter               over the destination's fields, or {@code null} for none
 */
public record Join(String sourceAttribute, String destinationAttribute, Filter filter) {

    public Join {
        if (sourceAttribute != null || destinationAttribute != null) {
            Objects.requireNonNull(sourceAttribute, "sourceAttribute (null only with a null destinationAttribute)");
            Objects.requireNonNull(destinationAttribute, "destinationAttribute (null only with a null "
                    + "sourceAttribute)");
        }
    }

    /**
     * A join with no attributes: a destination record is related to every source record it matches the filter for,
     * a filter that names the source's fields with {@code Filter.parent(...)} where it depends on them.
     *
     * @throws NullPointerException for a null filter
     */
    public static Join byFilter(Filter filter) {
        return new Join(null, null, Objects.requireNonNull(filter, "filter"));
    }

    /** Whether the join relates records by its {@link #filter} alone. */
    public boolean noAttributes() {
        return sourceAttribute == null;
    }
}
