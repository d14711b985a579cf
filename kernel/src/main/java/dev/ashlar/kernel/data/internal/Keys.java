package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records by key: the filters and queries that reach exactly the records of rows in hand. */
final class Keys {
    private Keys() {
    }

    /** A query of exactly these rows, by their keys. */
    static Query byKeys(ResourcePlan plan, List<Row> rows) {
        Filter keys = rows.size() == 1 ? keyFilter(plan, rows.get(0))
                : plan.primaryKey().size() == 1 ? Filter.in(plan.primaryKey().get(0).name(),
                        rows.stream().map(row -> row.get(plan.primaryKey().get(0).name())).toList())
                : new Filter.Or(rows.stream().map(row -> keyFilter(plan, row)).toList());
        return Query.of(rows.get(0).resource()).withFilter(keys);
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
        List<Filter> parts = new ArrayList<>();
        for (ColumnPlan column : columns) {
            Object value = key instanceof Row row ? row.get(column.name()) : ((Map<?, ?>) key).get(column.name());
            if (value == null) {
                throw QueryException.of(plan.name(), column.name(), "The key of " + plan.name() + " needs a value for '"
                        + column.name() + "'");
            }
            parts.add(Filter.eq(column.name(), value));
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    /** The key fields of a row and their values (null where the row lacks one), for messages and matching. */
    static Map<String, Object> keyOf(ResourcePlan plan, Row row) {
        Map<String, Object> key = new LinkedHashMap<>();
        plan.primaryKey().forEach(c -> key.put(c.name(), row.has(c.name()) ? row.get(c.name()) : null));
        return key;
    }
}
