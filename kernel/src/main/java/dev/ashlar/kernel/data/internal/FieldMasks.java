package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.ForbiddenField;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.sql.Identifiers;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Field policies in SQL: a resource whose field policies hide fields from the actor is read, wherever a statement
 * names its table ({@code FROM}, a relationship's subquery, a load), from a sub-select that gives each hidden field as
 * {@code CASE WHEN <the rows the actor sees it on> THEN "salary" END}. Every filter, sort, group, distinct, aggregate
 * and calculation over it then meets NULL where the actor may not see the value, as Ash replaces a forbidden field's
 * reference by nil, and no condition can tell a hidden value apart. PostgreSQL pulls such a simple sub-select up into
 * the query (the manual's "subquery flattening"), so indexes on the other columns serve as before.
 */
final class FieldMasks {
    private static final String JOINED = Identifiers.quote("ashlar_joined");
    private FieldMasks() {
    }

    /**
     * How the statement's own table is named by SQL correlating with it: its name, or, read through the masking
     * sub-select, that sub-select's alias (a schema-qualified name cannot be an alias).
     */
    static String ownTable(ResourcePlan plan, String schema, Map<String, Filter> masks) {
        return masks.isEmpty() && !plan.joined() ? plan.table(schema) : Identifiers.quote(plan.resource().table());
    }

    /** The column of the masking sub-select that says whether the actor sees a hidden field's value on the row. */
    private static String shown(ResourcePlan plan, ColumnPlan column) {
        return Identifiers.quote("ashlar_shown_" + plan.columns().indexOf(column));
    }

    /**
     * The columns a read selects last, after every other, saying on each row whether the actor sees each selected
     * field its field policy hides: {@code , "ashlar_shown_3"}; empty when none is hidden.
     */
    static String shownColumns(ResourcePlan plan, List<ColumnPlan> selected, Map<String, Filter> masks,
                               String qualifier) {
        StringBuilder flags = new StringBuilder();
        for (ColumnPlan column : selected) {
            if (masks.containsKey(column.name())) {
                flags.append(", ").append(qualifier).append(shown(plan, column));
            }
        }
        return flags.toString();
    }

    /**
     * The readers of a read's columns, each hidden field's reading a {@link ForbiddenField} on rows where its
     * {@link #shownColumns} column says the actor may not see it.
     *
     * @param firstShown the position (from 1) of the first of those columns in the result
     */
    static Codec[] readers(ResourcePlan plan, Codec[] readers, List<ColumnPlan> selected, Map<String, Filter> masks,
                           int firstShown) {
        if (masks.isEmpty()) {
            return readers;
        }
        Codec[] masked = readers.clone();
        int shown = firstShown;
        for (int i = 0; i < selected.size(); i++) {
            if (masks.containsKey(selected.get(i).name())) {
                masked[i] = new Hidden(readers[i], shown++, new ForbiddenField(plan.name(), selected.get(i).name()));
            }
        }
        return masked;
    }

    /**
     * The reader of a column a statement selects after the {@link #shownColumns} of the selected columns, as a
     * combination selects its loaded fields after the combined rows' columns.
     */
    static Codec afterShown(Codec reader, List<ColumnPlan> selected, Map<String, Filter> masks) {
        int shown = (int) selected.stream().filter(column -> masks.containsKey(column.name())).count();
        return shown == 0 ? reader : new AfterShown(reader, shown);
    }

    /** Reads the column {@code shown} places on from the one its position in the row names. */
    private record AfterShown(Codec wrapped, int shown) implements WrappingCodec {
        @Override
        public Object read(ResultSet rows, int index) throws SQLException {
            return wrapped.read(rows, index + shown);
        }
    }

    /** Reads a hidden field's value where its shown column is true, else the field's {@link ForbiddenField}. */
    private record Hidden(Codec wrapped, int shown, ForbiddenField forbidden) implements WrappingCodec {
        @Override
        public Object read(ResultSet rows, int index) throws SQLException {
            return rows.getBoolean(shown) ? wrapped.read(rows, index) : forbidden;
        }
    }

    /**
     * Rows a write returned from the stored table, each hidden field held as a {@link ForbiddenField} where its field
     * policy's filter, checked on the row's own values ({@link RecordCheck}), does not hold: a filter it cannot check
     * there (one naming a field the row lacks as NULL, {@code Filter.sql}) hides the value.
     */
    static List<Row> hidden(List<Row> rows, Map<String, Filter> masks) {
        if (masks.isEmpty() || rows.isEmpty()) {
            return rows;
        }
        List<Row> shown = new ArrayList<>(rows.size());
        for (Row row : rows) {
            shown.add(hidden(row, masks));
        }
        return shown;
    }

    private static Row hidden(Row row, Map<String, Filter> masks) {
        Object[] values = null;
        Map<String, Object> record = row.toMap();
        List<String> fields = row.fields();
        for (Map.Entry<String, Filter> mask : masks.entrySet()) {
            int at = fields.indexOf(mask.getKey());
            if (at >= 0 && !row.forbidden(mask.getKey()) && !visible(mask.getValue(), record, row.resource())) {
                values = values == null ? Rows.values(row).clone() : values;
                values[at] = new ForbiddenField(row.resource(), mask.getKey());
            }
        }
        if (values == null) {
            return row;
        }
        Row hidden = Rows.withTenant(Rows.create(Rows.layout(row), values), row.tenant().orElse(null));
        return row.upsertSkipped() ? Rows.upsertSkipped(hidden) : hidden;
    }

    private static boolean visible(Filter rows, Map<String, Object> record, String resource) {
        if (rows.equals(Policy.NO_ROW) || !checkedAsSql(rows)) {
            return false;
        }
        try {
            return RecordCheck.of(rows, record, resource, false) == RecordCheck.Result.TRUE;
        } catch (QueryException e) {
            return false;   // a filter no record check reads: the value stays hidden
        }
    }

    /**
     * Whether a record check of the filter gives TRUE only where SQL does: not under a {@code not} (where SQL's NULL,
     * a case-insensitive type's equality, would turn round), and no order or inequality of values other than numbers
     * (SQL orders text by its collation, Java by code point). Any other filter hides the value on a written row.
     */
    private static boolean checkedAsSql(Filter rows) {
        if (rows instanceof Filter.And and) {
            return and.filters().stream().allMatch(FieldMasks::checkedAsSql);
        }
        if (rows instanceof Filter.Or or) {
            return or.filters().stream().allMatch(FieldMasks::checkedAsSql);
        }
        return !(rows instanceof Filter.Not) && !(rows instanceof Filter.Compare compare
                && compare.operator() != Filter.Operator.EQ && !(compare.value() instanceof Number));
    }

    /**
     * Writes the table as a {@code FROM} item, under the alias (null for the statement's own table, which is then named
     * {@link #ownTable}).
     */
    static void from(SqlWriter out, ResourcePlan plan, String schema, String alias, Map<String, Filter> masks) {
        // A joined resource's rows are a sub-select, which takes an alias, the table's name unless one is given.
        String table = plan.rows(schema) + (plan.joined() && !masks.isEmpty() ? " AS " + JOINED : "");
        if (masks.isEmpty()) {
            out.append(table).append(alias == null ? plan.joined() ? " AS " + ownTable(plan, schema, masks) : ""
                    : " AS " + alias);
            return;
        }
        out.append("(SELECT ");
        FilterRenderer rows = new FilterRenderer(plan, out);
        String separator = "";
        for (ColumnPlan column : plan.columns()) {
            out.append(separator);
            separator = ", ";
            Filter visible = masks.get(column.name());
            if (visible == null) {
                out.append(column.quoted());
                continue;
            }
            if (FilterPaths.reachesOut(visible)) {
                throw QueryException.of(plan.name(), column.name(), "The field policy of '" + column.name()
                        + "' on " + plan.name() + " follows a relationship, which a field policy cannot: write it "
                        + "over the row's own fields (eq(\"manager_id\", actor.id()))");
            }
            out.append("CASE WHEN ");
            rows.filter(visible);
            out.append(" THEN ").append(column.quoted()).append(" END AS ").append(column.quoted()).append(", (");
            rows.filter(visible);
            out.append(") IS TRUE AS ").append(shown(plan, column));
        }
        out.append(" FROM ").append(table).append(") AS ")
                .append(alias == null ? ownTable(plan, schema, masks) : alias);
    }
}
