package dev.ashlar.kernel.data.internal;

import java.util.List;
import java.util.Map;

/**
 * The values of records each written with values of its own, one array a column, that their update joins by key:
 * {@code UPDATE "tasks" SET "title" = "input"."c1" FROM unnest(?, ?) AS "input"("c0", "c1") WHERE ... AND "id" =
 * "input"."c0"}. Any number of records takes one bind a column, never PostgreSQL's 65,535.
 *
 * @param columns the key columns first, then those written (and the version checked)
 * @param values  each column's values, in the records' order
 */
record UpdateInput(List<ColumnPlan> columns, List<List<Object>> values) {
    static final String ALIAS = "\"input\"";

    UpdateInput {
        columns = List.copyOf(columns);
        values = List.copyOf(values);
    }

    /** A change taking each record's value of a column from the input. */
    record Column(UpdateInput input, int position) {
        String sql() {
            return ALIAS + "." + name(position);
        }
    }

    static String name(int position) {
        return "\"c" + position + "\"";
    }

    /** The one input the changes take values from, or null for an update with values bound once for every row. */
    static UpdateInput of(Map<ColumnPlan, Object> changes) {
        for (Object change : changes.values()) {
            if (change instanceof Column column) {
                return column.input();
            }
        }
        return null;
    }

    /** {@code FROM unnest(?, ?) AS "input"("c0", "c1")}, each column's values bound as one typed array. */
    void from(SqlWriter out) {
        out.append(" FROM unnest(");
        for (int i = 0; i < columns.size(); i++) {
            out.append(i == 0 ? "" : ", ").bind(columns.get(i).listCodec(), values.get(i));
        }
        out.append(") AS ").append(ALIAS).append("(");
        for (int i = 0; i < columns.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(name(i));
        }
        out.append(")");
    }
}
