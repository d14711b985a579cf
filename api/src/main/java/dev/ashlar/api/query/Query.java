package dev.ashlar.api.query;

import dev.ashlar.api.error.QueryException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A read (or the selection of a bulk update or destroy) as a value. Query hooks receive one and
 * return a rewritten one before the kernel renders it to SQL.
 *
 * @param resource the resource's name
 * @param filter   the filter, or {@code null} for every row
 * @param sorts    sort keys in order
 * @param limit    the most rows, or {@code null}
 * @param offset   rows to skip, or {@code null}
 * @param select   attributes to load; empty for all
 * @param lock     row lock
 * @param after    keyset cursor: values of the sort keys of the row to continue after, or empty
 * @param before   keyset cursor: values of the sort keys of the row to stop before, or empty
 * @param tenant   the tenant the caller named, or {@code null}
 * @param schema   the schema to run in, set by the data layer from the tenant, or {@code null} for the resource's;
 *                 the data layer refuses a query whose caller names another
 * @param distinct the fields of which each row is the first of its values (SQL's {@code DISTINCT ON}), or empty
 * @param computed fields computed for each row in SQL, after the attributes
 * @param aggregates the resource's declared aggregates and calculations loaded on each row, by name, after the
 *                   computed fields
 * @param distinctSorts which row of each distinct group is kept, apart from the order of the rows kept; empty to keep
 *                      the first by {@code sorts}
 * @param arguments the arguments given to the resource's calculations, by calculation name, read wherever the query
 *                  names the calculation: its load, filter and sorts; a calculation without an entry reads its
 *                  arguments' defaults, as does one named by another calculation
 * @param ignoreBaseFilter whether the read keeps the rows its resource's base filter hides (a soft-deleted row, for a
 *                         trash view or a restore); the tenant scope and the base filters of related resources still
 *                         apply. Updates and destroys by query ignore the base filter whatever it says.
 * @param withTies whether the limit keeps the rows equal to the last one on every sort key too (SQL's {@code FETCH FIRST
 *                 n ROWS WITH TIES}), rather than ordering them by the primary key and cutting them off
 */
public record Query(String resource, Filter filter, List<Sort> sorts, Integer limit, Integer offset,
                    List<String> select, Lock lock, List<Object> after, List<Object> before, String tenant,
                    String schema, List<String> distinct, List<Computed> computed, List<String> aggregates,
                    List<Sort> distinctSorts, Map<String, Map<String, Object>> arguments,
                    boolean ignoreBaseFilter, boolean withTies) {

    /**
     * What separates a polymorphic resource's name from one of its tables in the name of the resource stored there
     * ({@code comment@post_comments}); {@code Resource.TABLE_SEPARATOR} is the same.
     */
    public static final char TABLE_SEPARATOR = '@';

    public Query {
        QueryException.required(resource, "resource");
        distinct = distinct == null ? List.of() : given(resource, distinct, "a distinct field");
        computed = computed == null ? List.of() : given(resource, computed, "a computed field");
        aggregates = aggregates == null ? List.of() : given(resource, aggregates, "an aggregate");
        distinctSorts = distinctSorts == null ? List.of() : given(resource, distinctSorts, "a distinct sort key");
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        sorts = given(resource, QueryException.required(sorts, "sorts"), "a sort key");
        select = given(resource, QueryException.required(select, "selected fields"), "a selected field");
        lock = lock == null ? Lock.NONE : lock;
        after = cursor(after);
        before = cursor(before);
    }

    /** A query whose limit cuts ties off, as queries were made before they could be kept. */
    public Query(String resource, Filter filter, List<Sort> sorts, Integer limit, Integer offset, List<String> select,
                 Lock lock, List<Object> after, List<Object> before, String tenant, String schema,
                 List<String> distinct, List<Computed> computed, List<String> aggregates, List<Sort> distinctSorts,
                 Map<String, Map<String, Object>> arguments, boolean ignoreBaseFilter) {
        this(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema, distinct, computed,
                aggregates, distinctSorts, arguments, ignoreBaseFilter, false);
    }

    /** A query that applies its resource's base filter, as queries were made before it could be ignored. */
    public Query(String resource, Filter filter, List<Sort> sorts, Integer limit, Integer offset, List<String> select,
                 Lock lock, List<Object> after, List<Object> before, String tenant, String schema,
                 List<String> distinct, List<Computed> computed, List<String> aggregates, List<Sort> distinctSorts,
                 Map<String, Map<String, Object>> arguments) {
        this(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema, distinct, computed,
                aggregates, distinctSorts, arguments, false, false);
    }

    /** A query giving no calculation arguments, as queries were made before they existed. */
    public Query(String resource, Filter filter, List<Sort> sorts, Integer limit, Integer offset, List<String> select,
                 Lock lock, List<Object> after, List<Object> before, String tenant, String schema,
                 List<String> distinct, List<Computed> computed, List<String> aggregates, List<Sort> distinctSorts) {
        this(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema, distinct, computed,
                aggregates, distinctSorts, Map.of());
    }

    /** A query whose distinct groups keep their first row by its sorts, as queries were made before distinctSorts. */
    public Query(String resource, Filter filter, List<Sort> sorts, Integer limit, Integer offset, List<String> select,
                 Lock lock, List<Object> after, List<Object> before, String tenant, String schema,
                 List<String> distinct, List<Computed> computed, List<String> aggregates) {
        this(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema, distinct, computed,
                aggregates, List.of());
    }

    /** A query that loads no aggregates, as queries were made before they existed. */
    public Query(String resource, Filter filter, List<Sort> sorts, Integer limit, Integer offset, List<String> select,
                 Lock lock, List<Object> after, List<Object> before, String tenant, String schema,
                 List<String> distinct, List<Computed> computed) {
        this(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema, distinct, computed,
                List.of());
    }

    /** A query without {@code DISTINCT ON}, as queries were made before it existed. */
    public Query(String resource, Filter filter, List<Sort> sorts, Integer limit, Integer offset, List<String> select,
                 Lock lock, List<Object> after, List<Object> before, String tenant, String schema) {
        this(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema, List.of(), List.of());
    }

    /**
     * The list, copied, refusing a null element (which {@code List.copyOf} would throw on without a word). An empty
     * list, which most of a query's lists are, is not walked: an iterator for nothing on every query built.
     */
    private static <T> List<T> given(String resource, List<T> list, String what) {
        if (list.isEmpty()) {
            return List.of();
        }
        for (T element : list) {
            if (element == null) {
                throw QueryException.of(resource, null, "A read of " + resource + " was given null for " + what
                        + "; leave it out or give one");
            }
        }
        return List.copyOf(list);
    }

    /**
     * A keyset cursor's values, copied; a value may be null (a row whose sort key is null). Every query built from
     * another passes its cursors through here again, so an empty one is not copied.
     */
    private static List<Object> cursor(List<Object> values) {
        return values == null || values.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** Every row of a resource. */
    public static Query of(String resource) {
        return new Query(resource, null, List.of(), null, null, List.of(), Lock.NONE, null, null, null, null,
                List.of(), List.of(), List.of());
    }

    /** This query with another filter ANDed to its own. */
    public Query and(Filter more) {
        if (more == null) {
            throw QueryException.of(resource, null, "A condition on " + resource + " is null; give a filter, e.g. "
                    + "Filter.eq(\"title\", \"Hello\")");
        }
        Filter combined = filter == null ? more : new Filter.And(List.of(filter, more));
        return new Query(resource, combined, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    public Query withFilter(Filter newFilter) {
        return new Query(resource, newFilter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    public Query withSorts(List<Sort> newSorts) {
        return new Query(resource, filter, newSorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    public Query withPage(Integer newLimit, Integer newOffset) {
        if (newLimit != null && newLimit < 0 || newOffset != null && newOffset < 0) {
            throw QueryException.of(resource, null, "A read of " + resource + " has a negative "
                    + (newLimit != null && newLimit < 0 ? "limit (" + newLimit + ")" : "offset (" + newOffset + ")")
                    + "; give 0 or more");
        }
        return new Query(resource, filter, sorts, newLimit, newOffset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    public Query withSelect(List<String> fields) {
        return new Query(resource, filter, sorts, limit, offset, fields, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    public Query withLock(Lock newLock) {
        return new Query(resource, filter, sorts, limit, offset, select, newLock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    public Query withCursor(List<Object> newAfter, List<Object> newBefore) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, newAfter, newBefore, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    public Query withTenant(String newTenant) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, newTenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    /** This query with one more field computed for each row. */
    public Query withComputed(Computed field) {
        List<Computed> all = new ArrayList<>(computed);
        all.add(field);
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, all, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    /** This query loading one more of the resource's declared aggregates or calculations on each row. */
    public Query withAggregate(String aggregate) {
        List<String> all = new ArrayList<>(aggregates);
        if (!all.contains(aggregate)) {
            all.add(aggregate);
        }
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, all, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    /** This query loading these of the resource's declared aggregates and calculations on each row, and no other. */
    public Query withAggregates(List<String> names) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, names, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    /**
     * This query loading a declared calculation with arguments, its others at their defaults; the values are checked
     * against the calculation's arguments when the query runs.
     */
    public Query withCalculation(String calculation, Map<String, ?> values) {
        return withAggregate(calculation).withArguments(calculation, values);
    }

    /**
     * This query giving a declared calculation these arguments wherever it names it (its filter, sorts and load),
     * without loading it; the values are checked against the calculation's arguments when the query runs.
     */
    public Query withArguments(String calculation, Map<String, ?> values) {
        QueryException.required(calculation, "calculation");
        QueryException.required(values, "values");
        Map<String, Map<String, Object>> all = new HashMap<>(arguments);
        all.put(calculation, Collections.unmodifiableMap(new HashMap<>(values)));
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, all, ignoreBaseFilter, withTies);
    }

    /** This query keeping only the first row of each combination of these fields' values ({@code DISTINCT ON}). */
    public Query withDistinct(List<String> fields) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                fields, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    /**
     * This query keeping, of each distinct group, the first row in this order (Ash's {@code distinct_sort}), while its
     * sorts order the rows kept.
     */
    public Query withDistinctSorts(List<Sort> keys) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, keys, arguments, ignoreBaseFilter, withTies);
    }

    /**
     * This query on one of the tables of a polymorphic resource ({@code Ash.Query.set_context(%{data_layer: %{table:
     * "post_comments"}})} in AshPostgres): its resource becomes {@code comment@post_comments}. The table must be one
     * the domain declares for the resource; any other is refused when the query runs, as is a query on a polymorphic
     * resource that names none.
     */
    public Query withTable(String table) {
        QueryException.required(table, "table");
        int separator = resource.indexOf(TABLE_SEPARATOR);
        String stored = (separator < 0 ? resource : resource.substring(0, separator)) + TABLE_SEPARATOR + table;
        return new Query(stored, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }

    /**
     * This query keeping (true) or hiding (false) the rows its resource's base filter hides, as Ebean's
     * {@code setIncludeSoftDeletes()} does; only the resource's own base filter is left out.
     */
    public Query withBaseFilterIgnored(boolean ignored) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignored, withTies);
    }

    /**
     * This query keeping (true) the rows that tie with its last one on every sort key past its limit, as jOOQ's
     * {@code limit(n).withTies()} does, or cutting them off (false).
     */
    public Query keepingTies(boolean kept) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, schema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, kept);
    }

    public Query withSchema(String newSchema) {
        return new Query(resource, filter, sorts, limit, offset, select, lock, after, before, tenant, newSchema,
                distinct, computed, aggregates, distinctSorts, arguments, ignoreBaseFilter, withTies);
    }
}
