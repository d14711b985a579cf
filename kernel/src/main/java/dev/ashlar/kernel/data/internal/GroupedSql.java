package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.data.Grouping;
import dev.ashlar.kernel.data.Subtotals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A grouped read ({@code GROUP BY}) over the rows of a read: {@code SELECT "grouped"."status" AS "status", count(*)
 * AS "posts" FROM (<the read>) AS "grouped" GROUP BY "grouped"."status" ORDER BY "posts" DESC LIMIT ? OFFSET ?}. The read inside
 * keeps its filter, its tenant's scope and its base filter; each group's row holds the grouped fields, then the values
 * asked.
 * A {@code having} filter wraps it: {@code SELECT * FROM (... GROUP BY ...) AS "groups" WHERE "posts" >= ? ORDER BY}.
 * A value's own filter is {@code count(*) FILTER (WHERE "grouped"."status" = ?)}; subtotals group by
 * {@code ROLLUP (...)}, {@code CUBE (...)} or {@code GROUPING SETS ((...), ...)}, and {@code GROUPING(...)} of the grouped fields names each row's level.
 */
final class GroupedSql {
    private static final String ALIAS = "\"grouped\"";
    private static final String GROUPS = "\"groups\"";

    private GroupedSql() {
    }

    /**
     * @param columns the columns of the read's rows by field: attributes, or the values of declared aggregates and
     *                calculations it loads
     */
    static SqlStatement of(String resource, SqlStatement rows, Map<String, ColumnPlan> columns, List<String> by,
                           List<Grouping> values, Filter having, Subtotals subtotals, List<Sort> sorts, Integer limit,
                           int offset) {
        Map<String, Codec> out = new LinkedHashMap<>();
        List<String> grouped = new ArrayList<>();
        SqlWriter sql = SqlWriter.rendering().append(having == null ? "" : "SELECT * FROM (").append("SELECT ");
        for (String field : by) {
            if (out.containsKey(field)) {
                throw QueryException.of(resource, field, "A grouped read of " + resource + " groups by '" + field
                        + "' twice: name each field once");
            }
            out.put(field, columns.get(field).codec());
            grouped.add(columns.get(field).compared(ALIAS + "."));
            sql.append(out.size() == 1 ? "" : ", ").append(grouped.get(grouped.size() - 1)).append(" AS ")
                    .append(Identifiers.quote(field));
        }
        for (Grouping value : values) {
            name(resource, value.as(), out);
            ColumnPlan column = value.field() == null ? null : columns.get(value.field());
            out.put(value.as(), codec(resource, value, column));
            sql.append(", ").append(function(value.kind())).append("(").append(column == null ? "*" : (value.kind()
                    == Aggregate.Kind.COUNT_DISTINCT ? "DISTINCT " : "") + column.compared(ALIAS + ".")).append(")");
            if (value.where() != null) {
                sql.append(" FILTER (WHERE ");
                GroupFilter.renderRows(resource, rowCodecs(columns), field -> columns.get(field).compared(ALIAS + "."),
                        value.where(), sql);
                sql.append(")");
            }
            sql.append(" AS ").append(Identifiers.quote(value.as()));
        }
        if (subtotals.level() != null) {
            name(resource, subtotals.level(), out);
            out.put(subtotals.level(), ScalarCodec.INTEGER);
            sql.append(", GROUPING(").append(String.join(", ", grouped)).append(") AS ")
                    .append(Identifiers.quote(subtotals.level()));
        }
        sql.append(" FROM (").append(rows.sql()).bound(rows.binds()).append(") AS ").append(ALIAS)
                .append(" GROUP BY ").append(groupBy(subtotals, by, grouped));
        List<String> names = new ArrayList<>(out.keySet());
        if (having != null) {
            // HAVING cannot name the values' aliases; over the grouped rows as a sub-select, a WHERE can.
            sql.append(") AS ").append(GROUPS).append(" WHERE ");
            GroupFilter.render(resource, out, having, sql);
        }
        sort(resource, sorts, out, names, sql);
        if (limit != null) {
            sql.append(" LIMIT ").bind(ScalarCodec.INTEGER, limit);
        }
        if (offset > 0) {
            sql.append(" OFFSET ").bind(ScalarCodec.INTEGER, offset);
        }
        return new SqlStatement(sql.sql(), sql.binds(), new RowLayout(resource, names),
                out.values().toArray(Codec[]::new), false);
    }

    private static void name(String resource, String as, Map<String, Codec> out) {
        String problem = Identifiers.problem(as);
        if (problem != null || out.containsKey(as)) {
            throw QueryException.of(resource, as, "A grouped read of " + resource + " names a value '" + as
                    + "', which " + (problem != null ? problem
                    : "is already a grouped field or another value: give each its own name"));
        }
    }

    /**
     * The grouped expressions themselves rather than their places: PostgreSQL reads {@code GROUP BY 1} as the first
     * output column only at the top of the clause, and inside {@code ROLLUP (...)} a number is a constant.
     */
    private static String groupBy(Subtotals subtotals, List<String> by, List<String> grouped) {
        String fields = String.join(", ", grouped);
        return switch (subtotals.mode()) {
            case NONE -> fields;
            case ROLLUP -> "ROLLUP (" + fields + ")";
            case CUBE -> "CUBE (" + fields + ")";
            case SETS -> {
                StringJoiner sets = new StringJoiner(", ", "GROUPING SETS (", ")");
                for (List<String> set : subtotals.sets()) {
                    StringJoiner one = new StringJoiner(", ", "(", ")");
                    set.forEach(field -> one.add(grouped.get(by.indexOf(field))));
                    sets.add(one.toString());
                }
                yield sets.toString();
            }
        };
    }

    private static Map<String, Codec> rowCodecs(Map<String, ColumnPlan> columns) {
        Map<String, Codec> codecs = new LinkedHashMap<>();
        columns.forEach((field, column) -> codecs.put(field, column.codec()));
        return codecs;
    }

    private static void sort(String resource, List<Sort> sorts, Map<String, Codec> out, List<String> names,
                             SqlWriter sql) {
        for (int i = 0; i < sorts.size(); i++) {
            Sort sort = sorts.get(i);
            if (sort.byExpression() || !out.containsKey(sort.field()) || sort.count()) {
                throw QueryException.of(resource, sort.field(), "A grouped read of " + resource + " sorts by its "
                        + "grouped fields and values " + names + ", not by " + sort.describe());
            }
            sql.append(i == 0 ? " ORDER BY " : ", ").append(Identifiers.quote(sort.field()))
                    .append(sort.direction() == Sort.Direction.ASC ? " ASC" : " DESC")
                    .append(sort.nulls() == Sort.Nulls.DEFAULT ? "" : sort.nulls() == Sort.Nulls.FIRST
                            ? " NULLS FIRST" : " NULLS LAST");
        }
    }

    private static String function(Aggregate.Kind kind) {
        return switch (kind) {
            case COUNT, COUNT_DISTINCT -> "count";
            case SUM -> "sum";
            case AVG -> "avg";
            case MIN -> "min";
            case MAX -> "max";
            default -> throw new IllegalArgumentException(kind + " is no aggregate of a grouped read");
        };
    }

    private static Codec codec(String resource, Grouping value, ColumnPlan column) {
        if (column == null) {
            return ScalarCodec.BIGINT;
        }
        boolean number = column.attribute().isNumber();
        if ((value.kind() == Aggregate.Kind.SUM || value.kind() == Aggregate.Kind.AVG) && !number) {
            throw QueryException.of(resource, value.field(), value.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + "(\"" + value.field() + "\") of " + resource + " needs a number attribute; min and max take any "
                    + "attribute that orders, count and countDistinct any");
        }
        if (value.kind() == Aggregate.Kind.MIN || value.kind() == Aggregate.Kind.MAX) {
            dev.ashlar.kernel.data.internal.Aggregate.requireOrdered(function(value.kind()), resource, value.field(),
                    column);
        }
        return switch (value.kind()) {
            case MIN, MAX -> column.codec();
            default -> Codecs.of(value.kind().type(column.attribute().type()));
        };
    }
}
