package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Aggregate;

/**
 * One value a grouped read computes for each group ({@code ashlar.read(...).groupBy(...)}): its kind, the field it
 * takes (none for a count), the name of its value on the group's row, and the filter that chooses the group's rows it
 * is computed over (SQL's {@code FILTER (WHERE ...)}; null for every row of the group).
 */
public record Grouping(Aggregate.Kind kind, String field, String as, Filter where) {
    /** A value over every row of the group. */
    public Grouping(Aggregate.Kind kind, String field, String as) {
        this(kind, field, as, null);
    }

    /** The same value over the group's rows that match {@code filter} too. */
    public Grouping filtered(Filter filter) {
        return new Grouping(kind, field, as, where == null ? filter : Filter.and(where, filter));
    }
}
