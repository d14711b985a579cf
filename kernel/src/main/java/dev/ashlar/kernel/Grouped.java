package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.kernel.data.Grouping;
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
    private final String handle;
    private final Duration timeout;
    /** Who the read acts for: the policies its resources have keep it to the rows that actor may read. */
    private final Acting user;

    Grouped(DataLayer data, Query query, List<String> by, String handle, Duration timeout, Acting user) {
        this(data, query, by, List.of(), List.of(), null, 0, null, handle, timeout, user);
    }

    private Grouped(DataLayer data, Query query, List<String> by, List<Grouping> values, List<Sort> sorts,
                    Integer limit, int offset, Filter having, String handle, Duration timeout, Acting user) {
        this.data = data;
        this.query = query;
        this.by = List.copyOf(by);
        this.values = List.copyOf(values);
        this.sorts = List.copyOf(sorts);
        this.limit = limit;
        this.offset = offset;
        this.having = having;
        this.handle = handle;
        this.timeout = timeout;
        this.user = user;
    }

    private Grouped with(Aggregate.Kind kind, String field, String as) {
        QueryException.required(as, "the name of the value");
        List<Grouping> more = new ArrayList<>(values);
        more.add(new Grouping(kind, field, as));
        return new Grouped(data, query, by, more, sorts, limit, offset, having, handle, timeout, user);
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
        return new Grouped(data, query, by, values, all, limit, offset, having, handle, timeout, user);
    }

    /** At most this many groups, the first in the sort order. */
    public Grouped limit(int most) {
        if (most < 0) {
            throw QueryException.of(query.resource(), null, "A grouped read of " + query.resource() + " is limited to "
                    + most + " groups; give 0 or more");
        }
        return new Grouped(data, query, by, values, sorts, most, offset, having, handle, timeout, user);
    }

    /** Skips this many groups, the first in the sort order, before the limit counts: a page of groups. */
    public Grouped offset(int skipped) {
        if (skipped < 0) {
            throw QueryException.of(query.resource(), null, "A grouped read of " + query.resource() + " skips "
                    + skipped + " groups; give 0 or more");
        }
        return new Grouped(data, query, by, values, sorts, limit, skipped, having, handle, timeout, user);
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
        return new Grouped(data, query, by, values, sorts, limit, offset, all, handle, timeout, user);
    }

    /** One row per group. */
    public List<Row> list() {
        return Acting.within(user, () -> StatementTimeout.within(timeout, () -> data.grouped(query, by, values, having,
                sorts, limit, offset, handle)));
    }
}
