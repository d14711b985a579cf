package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a renderer writes SQL and binds. When the SQL of a query shape is already cached, the same
 * rendering code runs with no SQL buffer and only collects the binds: one walk, so the SQL and its
 * parameters can never disagree.
 */
final class SqlWriter {
    private final StringBuilder sql;
    private final List<Bind> binds = new ArrayList<>();

    /**
     * The most values a filter's list binds as {@code = ANY(?)}, which an index can serve; a longer one is a subquery the
     * server hashes ({@link #inList}). Filters and {@code having(...)} choose here; a load's parent keys, never under an
     * {@code or}, are always {@code = ANY(?)}.
     */
    static final int LONG_LIST = 100;

    private SqlWriter(StringBuilder sql) {
        this.sql = sql;
    }

    static SqlWriter rendering() {
        return new SqlWriter(new StringBuilder(128));
    }

    static SqlWriter bindingOnly() {
        return new SqlWriter(null);
    }

    boolean renders() {
        return sql != null;
    }

    SqlWriter append(String text) {
        if (sql != null) {
            sql.append(text);
        }
        return this;
    }

    SqlWriter bind(Codec codec, Object value) {
        return bind(new Bind(codec, value));
    }

    SqlWriter bind(Bind bind) {
        append("?");
        binds.add(bind);
        return this;
    }

    /**
     * Binds a value as it is compared: cast to the type its codec compares as ({@link Codec#comparedAs}), a list for a
     * {@code json} column's {@code = ANY(?::jsonb[])}.
     */
    SqlWriter bindCompared(Bind bind) {
        bind(bind);
        String as = bind.codec().comparedAs();
        return as == null ? this : append("::" + as);
    }

    /**
     * Writes {@code = ANY(?)} for a list of up to {@link #LONG_LIST} values, {@code IN (SELECT unnest(?))} for a longer
     * one, binding the list as it is compared. Both have the same null semantics; the server hashes the subquery under
     * any plan, also under OR and in a generic plan, where it scans an {@code = ANY} array once a row.
     */
    SqlWriter inList(Bind list, int size) {
        return inList(list, size, false);
    }

    /**
     * Writes a list as {@link #inList(Bind, int)} does, or, for a load's parent keys ({@code loadKeys}), always as
     * {@code = ANY(?)}: that list is never under an {@code or}, and there the subquery's nested loop took twice as long
     * as the one index scan {@code = ANY} gives.
     */
    SqlWriter inList(Bind list, int size, boolean loadKeys) {
        boolean hashed = !loadKeys && longList(size);
        append(hashed ? " IN (SELECT unnest(" : " = ANY(").bindCompared(list);
        return append(hashed ? "))" : ")");
    }

    /** Whether a list of this many values is written as a subquery: part of a statement's shape. */
    static boolean longList(int size) {
        return size > LONG_LIST;
    }

    /** The binds of SQL appended as it was rendered elsewhere, its {@code ?} marks already written. */
    SqlWriter bound(List<Bind> more) {
        binds.addAll(more);
        return this;
    }

    /**
     * Writes an {@code and} or an {@code or} of filters, each by {@code each}, in parentheses ({@code TRUE} for an
     * {@code and} of none, {@code FALSE} for an {@code or}); false, writing nothing, for any other filter.
     */
    boolean junction(Filter filter, Consumer<Filter> each) {
        if (filter instanceof Filter.And and) {
            joined(and.filters(), " AND ", "TRUE", each);
            return true;
        }
        if (filter instanceof Filter.Or or) {
            joined(or.filters(), " OR ", "FALSE", each);
            return true;
        }
        return false;
    }

    private <T> void joined(List<T> items, String operator, String empty, Consumer<T> each) {
        if (items.isEmpty()) {
            append(empty);
            return;
        }
        append("(");
        for (int i = 0; i < items.size(); i++) {
            append(i == 0 ? "" : operator);
            each.accept(items.get(i));
        }
        append(")");
    }

    String sql() {
        return sql == null ? null : sql.toString();
    }

    List<Bind> binds() {
        return binds;
    }
}
