package dev.ashlar.kernel.data.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a renderer writes SQL and binds. When the SQL of a query shape is already cached, the same
 * rendering code runs with no SQL buffer and only collects the binds: one walk, so the SQL and its
 * parameters can never disagree.
 */
final class SqlWriter {
    private final StringBuilder sql;
    private final List<Bind> binds = new ArrayList<>();

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

    /** The binds of SQL appended as it was rendered elsewhere, its {@code ?} marks already written. */
    SqlWriter bound(List<Bind> more) {
        binds.addAll(more);
        return this;
    }

    String sql() {
        return sql == null ? null : sql.toString();
    }

    List<Bind> binds() {
        return binds;
    }
}
