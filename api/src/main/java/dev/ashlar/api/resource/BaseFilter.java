package dev.ashlar.api.resource;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.sql.Fragments;

/**
 * A filter every read of a resource applies, e.g. to hide soft-deleted rows (AshPostgres's {@code base_filter}
 * and {@code base_filter_sql}): given twice, once as SQL for the generated unique indexes' predicates (and, negated,
 * for the check constraints, which spare the rows it leaves out), once as an Ashlar filter for queries, which bind
 * its values.
 *
 * <pre>{@code
 * .baseFilter("deleted_at IS NULL", Filter.isNil("deleted_at"))
 * }</pre>
 *
 * @param sql    the predicate as SQL, written by the resource's author, for index predicates and checks
 * @param filter the same predicate for reads through the data layer, relationship loads included
 */
public record BaseFilter(String sql, Filter filter) {

    /**
     * The predicate of an index on a resource: the base filter's SQL (unless ignored) and the index's own
     * {@code where}, joined with {@code AND}; {@code null} when neither applies.
     */
    public static String indexPredicate(Resource resource, boolean ignoreBaseFilter, String where) {
        String base = ignoreBaseFilter || resource.baseFilter() == null ? null : resource.baseFilter().sql();
        if (base == null || where == null) {
            return base != null ? base : where;
        }
        return "(" + Fragments.closed(base) + ") AND (" + Fragments.closed(where) + ")";
    }
}
