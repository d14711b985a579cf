package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.internal.RecordMapping;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A relationship's batch read straight onto records, for a read whose result is records: each row's fields go from
 * the result set to the record's constructor, with no row in between, and only the fields the record takes are read.
 * The records are grouped by their parent's key as they come.
 */
final class BatchRecords {

    private BatchRecords() {
    }

    /**
     * The statement's work: for each of the parents' keys, in their order, its related records, unmodifiable.
     *
     * @param many whether a parent takes all its related records; otherwise only its first is mapped, and kept
     */
    static Connections.Work<List<List<Object>>> read(BatchRenderer.Statement statement, ParentKeys keys,
                                                     Class<? extends Record> type, boolean many) {
        return connection -> statement.query(connection, result -> grouped(result, statement, keys, type, many));
    }

    private static List<List<Object>> grouped(ResultSet result, BatchRenderer.Statement statement, ParentKeys keys,
                                              Class<? extends Record> type, boolean many) throws SQLException {
        List<List<Object>> groups = new ArrayList<>(Collections.nCopies(keys.size(), null));
        Codec[] readers = statement.readers();
        Getters getters = null;
        Object[] values = new Object[readers.length];
        RecordMapping<? extends Record> mapping = null;
        int[] columns = null;
        Object[] scratch = null;
        // Read as a long without loss: the statement returns only rows whose key equals one of the whole keys.
        boolean wholeKey = keys.whole() && whole(statement.keyCodec());
        int keyColumn = statement.keyPosition() + 1;
        while (result.next()) {
            int group = group(result, statement.keyCodec(), keyColumn, wholeKey, keys);
            List<Object> records = group < 0 ? null : groups.get(group);
            if (group < 0 || !many && records != null) {
                continue;
            }
            if (mapping == null) {
                // Worked out at the first row, as a read of rows maps them: a load that finds none maps none.
                mapping = statement.layout().mapping(type);
                columns = mapping.positions();
                scratch = new Object[mapping.components()];
                // Only the columns the record takes: the parent's key is read on its own, by the grouping.
                getters = Getters.of(result, readers, columns);
            }
            for (int column : columns) {
                values[column] = getters.read(result, column + 1);
            }
            if (records == null) {
                records = new ArrayList<>(many ? 10 : 1);
                groups.set(group, records);
            }
            records.add(mapping.map(values, scratch));
        }
        for (int i = 0; i < groups.size(); i++) {
            List<Object> records = groups.get(i);
            groups.set(i, records == null ? List.of() : Collections.unmodifiableList(records));
        }
        return groups;
    }

    /** The index of the row's parent key, or -1 for none. */
    private static int group(ResultSet result, Codec keyCodec, int column, boolean wholeKey, ParentKeys keys)
            throws SQLException {
        if (wholeKey) {
            long key = result.getLong(column);
            return result.wasNull() ? -1 : keys.indexOf(key);
        }
        return keys.indexOf(keyCodec.read(result, column));
    }

    private static boolean whole(Codec codec) {
        return codec == ScalarCodec.SMALLINT || codec == ScalarCodec.INTEGER || codec == ScalarCodec.BIGINT;
    }
}
