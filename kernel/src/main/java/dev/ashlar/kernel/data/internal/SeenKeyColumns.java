package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.internal.SeenSortKeys;
import dev.ashlar.api.query.Sort;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The columns past a listed row's fields that hold the values of the read's computed sort keys (an expression, a count
 * of related records), which {@link SqlRenderer} selects for {@link QueryShape.Kind#PAGE}: each row keeps them, out of
 * its fields, so that a keyset cursor of the row is made from the values its page saw, with no second read that a
 * write in between could change. Each column's reader is chosen once per result, from the server's type of it.
 */
final class SeenKeyColumns {
    private final List<Sort> keys;
    private final int first;
    private final Codec[] codecs;
    private final Object[] unreadable;

    private SeenKeyColumns(List<Sort> keys, int first, Codec[] codecs, Object[] unreadable) {
        this.keys = keys;
        this.first = first;
        this.codecs = codecs;
        this.unreadable = unreadable;
    }

    /** @param first the index (from 1) of the first key's column */
    static SeenKeyColumns of(ResultSet result, List<Sort> keys, int first) throws SQLException {
        ResultSetMetaData columns = result.getMetaData();
        Codec[] codecs = new Codec[keys.size()];
        Object[] unreadable = new Object[keys.size()];
        for (int i = 0; i < codecs.length; i++) {
            String type = columns.getColumnTypeName(first + i);
            codecs[i] = SortValue.codec(type);
            // A type no cursor takes fails the cursor, not the read: a read sorted by it may never take one.
            unreadable[i] = codecs[i] == null ? new SortValue.Unreadable(type) : null;
        }
        return new SeenKeyColumns(List.copyOf(keys), first, codecs, unreadable);
    }

    /** The row carrying the values of the result's current row in these columns. */
    Row attach(Row row, ResultSet result) throws SQLException {
        Object[] values = new Object[codecs.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = codecs[i] == null ? unreadable[i] : codecs[i].read(result, first + i);
        }
        return Rows.withSeenSortKeys(row, new SeenSortKeys(keys, Arrays.asList(values)));
    }
}
