package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.kernel.data.Grouping;
import dev.ashlar.kernel.data.Subtotals;
import dev.ashlar.kernel.data.internal.Acting;
import dev.ashlar.kernel.data.internal.DataLayer;
import dev.ashlar.kernel.data.internal.StatementTimeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a read grouped by some of its fields (SQL's {@code GROUP BY}): one row per group, holding the grouped
 * fields and the values computed over the group's rows, named as asked. The read's filter, tenant scope and base
 * filter choose the rows first; declared aggregates and calculations group and aggregate like attributes.
 *
 * <pre>{@code
 * List<Row> perStatus = ashlar.read("post").where(gt("rating", 2)).groupBy("status")
 *         .count("posts").sum("views", "total_views").max("published_at", "latest")
 *         .having(gte("posts", 2)).sort(Sort.desc("posts")).limit(10).list();
 * perStatus.get(0).get("status"); perStatus.get(0).get("posts");   // a Long
 * }</pre>
 *
 * <p>A count and a countDistinct are {@code Long}s; a sum is a {@code Long} for an integer, a {@code BigDecimal} for
 * a bigint or numeric, a {@code Double} for a double; an average a {@code BigDecimal} ({@code Double} for real and
 * double); min and max values of the field. Immutable; each step returns a new one.
 */
public final class Grouped {
    private final DataLayer data;
    private final Query query;
    private final List<String> by;
    private final List<Grouping> values;
    private final List<Sort> sorts;
    private final Integer limit;
    private final int offset;
    private final Filter having;
    private final Subtotals subtotals;
    private final String handle;
    private final Duration timeout;
    /** Who the read acts for: the policies its resources have keep it to the rows that actor may read. */
    private final Acting user;

    Grouped(DataLayer data, Query query, List<String> by, String handle, Duration timeout, Acting user) {
        this(data, query, by, List.of(), List.of(), null, 0, null, Subtotals.NONE, handle, timeout, user);
    }

    private Grouped(DataLayer data, Query query, List<String> by, List<Grouping> values, List<Sort> sorts,
                    Integer limit, int offset, Filter having, Subtotals subtotals, String handle, Duration timeout,
                    Acting user) {
        this.data = data;
        this.query = query;
        this.by = List.copyOf(by);
        this.values = List.copyOf(values);
        this.sorts = List.copyOf(sorts);
        this.limit = limit;
        this.offset = offset;
        this.having = having;
        this.subtotals = subtotals;
        this.handle = handle;
        this.timeout = timeout;
        this.user = user;
    }

    private Grouped with(Aggregate.Kind kind, String field, String as) {
        QueryException.required(as, "the name of the value");
        List<Grouping> more = new ArrayList<>(values);
        more.add(new Grouping(kind, field, as));
        return withValues(more);
    }

    private Grouped withValues(List<Grouping> changed) {
        return new Grouped(data, query, by, changed, sorts, limit, offset, having, subtotals, handle, timeout, user);
    }

    private Grouped withSubtotals(Subtotals changed) {
        return new Grouped(data, query, by, values, sorts, limit, offset, having, changed, handle, timeout, user);
    }

    /**
     * Computes the value asked last over the group's rows that match the filter too (SQL's {@code FILTER (WHERE ...)},
     * jOOQ's {@code count().filterWhere(...)}): {@code groupBy("author_id").count("posts").count("published")
     * .filterWhere(eq("status", "published"))} counts every post and the published ones of each author in one
     * statement. The filter names the read's attributes and declared aggregates and calculations, with {@code eq},
     * {@code ne}, {@code gt}, {@code gte}, {@code lt}, {@code lte}, {@code between}, {@code in}, {@code notIn},
     * {@code isNil}, {@code notNil}, {@code ref(name)}, {@code and}, {@code or} and {@code not}, each value bound; it
     * only ever narrows the rows the read's filter, tenant scope and base filter chose. A count of no row is 0, a sum,
     * average, least or greatest of none null. Called twice, both filters hold.
     *
     * @throws QueryException when no value was asked before it
     */
    public Grouped filterWhere(Filter filter) {
        QueryException.required(filter, "filter");
        if (values.isEmpty()) {
            throw QueryException.of(query.resource(), null, "filterWhere(...) on a grouped read of " + query.resource()
                    + " narrows the value asked just before it, and none was asked: call count(...), sum(...) or "
                    + "another value first, e.g. count(\"published\").filterWhere(eq(\"status\", \"published\"))");
        }
        List<Grouping> changed = new ArrayList<>(values);
        changed.set(changed.size() - 1, changed.get(changed.size() - 1).filtered(filter));
        return withValues(changed);
    }

    /**
     * Adds a subtotal row for each leading part of the grouped fields and a grand total (SQL's {@code GROUP BY ROLLUP},
     * jOOQ's {@code groupBy(rollup(...))}): grouped by region and product, a row per region with the product null, and
     * one row with both null. A field rolled up reads null; {@link #grouping(String)} tells it from a stored null.
     */
    public Grouped rollup() {
        return withSubtotals(new Subtotals(Subtotals.Mode.ROLLUP, subtotals.level()));
    }

    /**
     * Adds a subtotal row for every combination of the grouped fields left out, and a grand total (SQL's
     * {@code GROUP BY CUBE}, jOOQ's {@code groupBy(cube(...))}).
     */
    public Grouped cube() {
        return withSubtotals(new Subtotals(Subtotals.Mode.CUBE, subtotals.level()));
    }

    /**
     * Groups by each set of grouped fields named (SQL's {@code GROUP BY GROUPING SETS}, jOOQ's
     * {@code groupingSets(...)}): {@code groupBy("region", "product").groupingSets(List.of(List.of("region",
     * "product"), List.of("region"), List.of()))} gives the rows of each region and product, of each region, and the
     * grand total; a set may be any of the grouped fields, in any order, and an empty one is the grand total. A field a
     * row's set leaves out reads null; {@link #grouping(String)} tells it from a stored null.
     *
     * @throws QueryException when no set is given, or a set names a field not grouped by, or a grouped field is in no
     *                        set (its value would be no group's)
     */
    public Grouped groupingSets(List<List<String>> sets) {
        QueryException.required(sets, "the grouping sets");
        if (sets.isEmpty()) {
            throw QueryException.of(query.resource(), null, "groupingSets(...) on a grouped read of "
                    + query.resource() + " names no set: give the sets of grouped fields, e.g. "
                    + "List.of(List.of(\"region\"), List.of())");
        }
        for (List<String> set : sets) {
            for (String field : QueryException.required(set, "a grouping set")) {
                if (!by.contains(QueryException.required(field, "a field of a grouping set"))) {
                    throw QueryException.of(query.resource(), field, "groupingSets(...) on a grouped read of "
                            + query.resource() + " names '" + field + "', which it does not group by: name fields of "
                            + "groupBy(...) " + by);
                }
            }
        }
        for (String field : by) {
            if (sets.stream().noneMatch(set -> set.contains(field))) {
                throw QueryException.of(query.resource(), field, "groupingSets(...) on a grouped read of "
                        + query.resource() + " leaves '" + field + "' out of every set, so its value would be no "
                        + "group's: put it in a set, or leave it out of groupBy(...)");
            }
        }
        return withSubtotals(new Subtotals(Subtotals.Mode.SETS, subtotals.level(), sets));
    }

    /**
     * Names a value saying which grouped fields a row rolled up (SQL's {@code GROUPING(a, b)}, jOOQ's
     * {@code grouping(...)}): an {@code Integer} with a bit per grouped field, the last field the lowest bit, set where
     * the row is a subtotal over that field; 0 for the rows of the finest groups. Sort by it to put totals last.
     */
    public Grouped grouping(String as) {
        return withSubtotals(subtotals.withLevel(QueryException.required(as, "the name of the value")));
    }

    /** How many rows the group has, named {@code as}. */
    public Grouped count(String as) {
        return with(Aggregate.Kind.COUNT, null, as);
    }

    /** How many different non-null values of a field the group's rows hold. */
    public Grouped countDistinct(String field, String as) {
        return with(Aggregate.Kind.COUNT_DISTINCT, QueryException.required(field, "field"), as);
    }

    /** The sum of a number field over the group's rows; null when none has a value. */
    public Grouped sum(String field, String as) {
        return with(Aggregate.Kind.SUM, QueryException.required(field, "field"), as);
    }

    /** The average of a number field over the group's rows; null when none has a value. */
    public Grouped avg(String field, String as) {
        return with(Aggregate.Kind.AVG, QueryException.required(field, "field"), as);
    }

    /** The least value of a field in the group. */
    public Grouped min(String field, String as) {
        return with(Aggregate.Kind.MIN, QueryException.required(field, "field"), as);
    }

    /** The greatest value of a field in the group. */
    public Grouped max(String field, String as) {
        return with(Aggregate.Kind.MAX, QueryException.required(field, "field"), as);
    }

    /** Orders the groups by grouped fields or values, by name; keys add to those already given. */
    public Grouped sort(Sort... more) {
        List<Sort> all = new ArrayList<>(sorts);
        all.addAll(Arrays.asList(more));
        return new Grouped(data, query, by, values, all, limit, offset, having, subtotals, handle, timeout, user);
    }

    /** At most this many groups, the first in the sort order. */
    public Grouped limit(int most) {
        if (most < 0) {
            throw QueryException.of(query.resource(), null, "A grouped read of " + query.resource() + " is limited to "
                    + most + " groups; give 0 or more");
        }
        return new Grouped(data, query, by, values, sorts, most, offset, having, subtotals, handle, timeout, user);
    }

    /** Skips this many groups, the first in the sort order, before the limit counts: a page of groups. */
    public Grouped offset(int skipped) {
        if (skipped < 0) {
            throw QueryException.of(query.resource(), null, "A grouped read of " + query.resource() + " skips "
                    + skipped + " groups; give 0 or more");
        }
        return new Grouped(data, query, by, values, sorts, limit, skipped, having, subtotals, handle, timeout, user);
    }

    /**
     * Keeps the groups whose grouped fields and values match (SQL's {@code HAVING}), before they are sorted and
     * limited: {@code groupBy("author_id").count("posts").having(gte("posts", 10))}. The filter names the grouped
     * fields and the values by the names they come back under, with {@code eq}, {@code ne}, {@code gt}, {@code gte},
     * {@code lt}, {@code lte}, {@code between}, {@code in}, {@code notIn}, {@code isNil}, {@code notNil}, {@code and},
     * {@code or} and {@code not}; each value is bound as the type of what it is compared with. Several calls AND their
     * filters. A condition on the rows before they are grouped belongs in the read's {@code where(...)}.
     */
    public Grouped having(Filter filter) {
        QueryException.required(filter, "filter");
        Filter all = having == null ? filter : Filter.and(having, filter);
        return new Grouped(data, query, by, values, sorts, limit, offset, all, subtotals, handle, timeout, user);
    }

    /** One row per group. */
    public List<Row> list() {
        return Acting.within(user, () -> StatementTimeout.within(timeout, () -> data.grouped(query, by, values, having,
                subtotals, sorts, limit, offset, handle)));
    }
}
