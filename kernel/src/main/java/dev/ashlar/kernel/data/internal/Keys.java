package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Identity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/** Records by key: the filters and queries that reach exactly the records of rows in hand. */
final class Keys {
    private Keys() {
    }

    /** A query of exactly these rows, by their keys. */
    static Query byKeys(ResourcePlan plan, List<Row> rows) {
        Filter keys = rows.size() == 1 ? keyFilter(plan, rows.get(0))
                : plan.primaryKey().size() == 1 ? Filter.in(plan.primaryKey().get(0).name(),
                        rows.stream().map(row -> row.get(plan.primaryKey().get(0).name())).toList())
                : inArrays(plan.primaryKey()) ? anyOf(plan.primaryKey(), plan, rows)
                : new Filter.Or(rows.stream().map(row -> keyFilter(plan, row)).toList());
        return Query.of(rows.get(0).resource()).withFilter(keys);
    }

    /**
     * {@link #byKeys}, each row's record also by the version it holds when the resource counts versions and every row
     * holds one: a record changed since its row was read is not among them.
     */
    static Query byKeysAndVersions(ResourcePlan plan, List<Row> rows) {
        if (!checksVersions(plan, rows)) {
            return byKeys(plan, rows);
        }
        List<ColumnPlan> columns = new ArrayList<>(plan.primaryKey());
        columns.add(plan.version());
        Filter keys = rows.size() == 1 ? selectOne(plan, rows.get(0)).filter()
                : inArrays(columns) ? anyOf(columns, plan, rows)
                : new Filter.Or(rows.stream().map(row -> selectOne(plan, row).filter()).toList());
        return Query.of(rows.get(0).resource()).withFilter(keys);
    }

    /** Whether the resource counts versions and every row holds its version, so that a write of them checks it. */
    static boolean checksVersions(ResourcePlan plan, List<Row> rows) {
        return plan.version() != null && rows.stream().allMatch(row -> version(plan, row) != null);
    }

    /** Whether arrays of the columns' values bind typed, as {@code unnest} needs. */
    private static boolean inArrays(List<ColumnPlan> columns) {
        return columns.stream().noneMatch(column -> column.codec().arraysAsLiterals());
    }

    /**
     * The records of the rows by their values of several columns, {@code ("a", "b") IN (SELECT * FROM unnest(?, ?))},
     * each column's values bound as one typed array: any number of rows takes one bind a column, where an {@code OR} of
     * each row's values took one a column and row (80,000 for 40,000 rows of a two-column key, past PostgreSQL's
     * 65,535). A native enum column, whose array travels as an untyped literal that {@code unnest} cannot read, keeps
     * the OR.
     */
    private static Filter anyOf(List<ColumnPlan> key, ResourcePlan plan, List<Row> rows) {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        StringJoiner marks = new StringJoiner(", ", " IN (SELECT * FROM unnest(", "))");
        List<Object> arrays = new ArrayList<>();
        for (ColumnPlan column : key) {
            List<Object> values = new ArrayList<>(rows.size());
            for (Row row : rows) {
                values.add(requiredKey(plan, column.name(), row.has(column.name()) ? row.get(column.name()) : null));
            }
            columns.add(column.quoted());
            marks.add("?");
            arrays.add(new CalculationPlan.Argument(column.listCodec(), values));
        }
        return new Filter.Sql(columns + marks.toString(), arrays);
    }

    /** The row's record by key, and by version when the resource has one. */
    static Query selectOne(ResourcePlan plan, Row row) {
        Filter filter = keyFilter(plan, row);
        Object version = version(plan, row);
        if (version != null) {
            filter = Filter.and(filter, Filter.eq(plan.version().name(), version));
        }
        return Query.of(row.resource()).withFilter(filter);
    }

    /** The row's version, when the resource counts versions and the row holds one; null otherwise. */
    static Object version(ResourcePlan plan, Row row) {
        return plan.version() != null && row.has(plan.version().name()) ? row.get(plan.version().name()) : null;
    }

    /**
     * The filter of the record {@code get} names: its primary key, or a map of the fields of one of its identities
     * (Ash's {@code get} by identity, a natural id in JPA's terms): {@code Map.of("email", "ada@example.com")}.
     */
    static Filter getFilter(ResourcePlan plan, Object key) {
        if (key == null) {
            throw QueryException.of(plan.name(), null, "get of " + plan.name() + " was given null for the key; give "
                    + "the primary key's value, or a map of the fields of its key or of one of its identities");
        }
        if (key instanceof Map<?, ?> map) {
            for (Identity identity : plan.resource().identities()) {
                if (map.size() == identity.fields().size() && map.keySet().containsAll(identity.fields())
                        && !isPrimaryKey(plan, map)) {
                    return fieldsFilter(plan, identity.fields(), map::get);
                }
            }
            if (!plan.primaryKey().stream().allMatch(column -> map.get(column.name()) != null)) {
                throw QueryException.of(plan.name(), null, "get of " + plan.name() + " was given a key of the fields "
                        + map.keySet() + ", which are neither its primary key " + plan.primaryKey().stream()
                        .map(ColumnPlan::name).toList() + " nor one of its identities " + plan.resource().identities()
                        .stream().map(i -> i.name() + " " + i.fields()).toList() + "; give every field of one of them");
            }
        }
        return keyFilter(plan, key);
    }

    private static boolean isPrimaryKey(ResourcePlan plan, Map<?, ?> map) {
        return plan.primaryKey().size() == map.size()
                && plan.primaryKey().stream().allMatch(column -> map.containsKey(column.name()));
    }

    private static Filter fieldsFilter(ResourcePlan plan, List<String> fields, Function<String, Object> values) {
        List<Filter> parts = new ArrayList<>();
        for (String field : fields) {
            parts.add(Filter.eq(field, requiredKey(plan, field, values.apply(field))));
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private static Object requiredKey(ResourcePlan plan, String field, Object value) {
        if (value == null) {
            throw QueryException.of(plan.name(), field, "The key of " + plan.name() + " needs a value for '"
                    + field + "'");
        }
        return value;
    }

    /** The filter of one record's key: a value for a single-column key, or a row or map holding every key field. */
    static Filter keyFilter(ResourcePlan plan, Object key) {
        List<ColumnPlan> columns = plan.primaryKey();
        if (columns.isEmpty()) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' has no primary key; "
                    + "read it with a filter instead");
        }
        if (columns.size() == 1 && !(key instanceof Row) && !(key instanceof Map)) {
            return Filter.eq(columns.get(0).name(), key);
        }
        List<String> fields = columns.stream().map(ColumnPlan::name).toList();
        if (key instanceof Row row) {
            return fieldsFilter(plan, fields, field -> row.get(field));
        }
        return fieldsFilter(plan, fields, ((Map<?, ?>) key)::get);
    }

    /**
     * The key fields of a row and their values (null where the row lacks one), for messages and matching, each value
     * in the form {@link #canonical} gives: a row in hand holding {@code 1} for a bigint key, a uuid as text, or
     * {@code 1L} for a numeric key names the same record as the row read back holding {@code 1L}, a UUID or
     * {@code 1.00}.
     */
    static Map<String, Object> keyOf(ResourcePlan plan, Row row) {
        Map<String, Object> key = new LinkedHashMap<>();
        plan.primaryKey().forEach(c -> key.put(c.name(), row.has(c.name()) ? canonical(c, row.get(c.name())) : null));
        return key;
    }

    /**
     * A key value as the column binds it, so that a value given and the value read agree whenever a filter on it
     * would find the record: through the column's codec ({@code 1} for a bigint becomes {@code 1L}, uuid text in
     * either case a UUID), a decimal then without trailing zeros ({@code 1.50} and {@code 1.5} bind alike). A value
     * the codec refuses stays as it is, and so matches no record read.
     */
    static Object canonical(ColumnPlan column, Object value) {
        if (value == null) {
            return null;
        }
        Object bound;
        try {
            bound = column.codec().toDatabase(value);
        } catch (Codec.RejectedValue e) {
            return value;
        }
        if (bound instanceof BigDecimal decimal) {
            BigDecimal plain = decimal.stripTrailingZeros();
            return plain.scale() < 0 ? plain.setScale(0) : plain;
        }
        return bound;
    }

    /**
     * The written rows in the order of the rows given (an {@code UPDATE ... RETURNING} returns them as it met them),
     * so that each one's position says which input it answers; a row matching no input's key comes last.
     */
    static List<Row> inOrderOf(ResourcePlan plan, List<Row> given, List<Row> written) {
        Map<Map<String, Object>, Integer> position = new HashMap<>();
        for (int i = given.size() - 1; i >= 0; i--) {
            position.put(keyOf(plan, given.get(i)), i);
        }
        Row[] ordered = new Row[given.size()];
        List<Row> unmatched = new ArrayList<>();
        for (Row row : written) {
            Integer at = position.get(keyOf(plan, row));
            if (at == null || ordered[at] != null) {
                unmatched.add(row);
            } else {
                ordered[at] = row;
            }
        }
        List<Row> result = new ArrayList<>(written.size());
        for (Row row : ordered) {
            if (row != null) {
                result.add(row);
            }
        }
        result.addAll(unmatched);
        return result;
    }
}
