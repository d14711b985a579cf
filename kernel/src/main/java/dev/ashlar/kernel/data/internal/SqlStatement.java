package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.internal.RecordMapping;
import dev.ashlar.api.internal.Rows;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.internal.RowLayout;
import dev.ashlar.api.query.Sort;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * SQL ready to run: the cached text of its shape, this call's binds, and how to read its rows.
 *
 * @param layout   the fields of the rows it returns, or {@code null} when it returns none
 * @param readers  the codec of each returned column, in order
 * @param reversed whether the rows come in reverse of the asked order (a page before a cursor)
 * @param seenKeys the computed sort keys whose values are selected after the columns, for each row to keep
 *                 ({@link SeenKeyColumns}); empty for most statements
 */
record SqlStatement(String sql, List<Bind> binds, RowLayout layout, Codec[] readers, boolean reversed,
                    List<Sort> seenKeys) {
    private static final Logger LOG = LoggerFactory.getLogger(SqlStatement.class);

    SqlStatement(String sql, List<Bind> binds, RowLayout layout, Codec[] readers, boolean reversed) {
        this(sql, binds, layout, readers, reversed, List.of());
    }

    /** Prepares the statement and binds its values; values are never logged, only how many there are. */
    PreparedStatement prepare(Connection connection) throws SQLException {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -- {} bound value(s)", sql, binds.size());
        }
        SqlText.refuseUnsendable(sql);
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            StatementTimeout.apply(statement);
            Bind.bindAll(statement, binds);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** What is made of a statement's result. */
    private interface Reading<T> {
        T read(ResultSet result) throws SQLException;
    }

    /**
     * Runs a statement that returns rows and hands its result to the reading, with the read's wait for locked rows
     * ({@link LockWait}) set around it: every reading method runs through here, so none runs without it, but the
     * cursor, which holds the wait until it closes ({@link Cursor}).
     */
    private <T> T reading(Connection connection, Reading<T> reading) throws SQLException {
        String lockWait = LockWait.bound(connection);
        try (PreparedStatement statement = prepare(connection)) {
            try (ResultSet result = statement.executeQuery()) {
                return reading.read(result);
            }
        } finally {
            LockWait.restore(connection, lockWait);
        }
    }

    /** Runs a statement that returns rows and reads them all. */
    List<Row> query(Connection connection) throws SQLException {
        return reading(connection, this::rows);
    }

    /**
     * Runs a statement that returns rows and maps each straight onto a record of the type, as {@link Row#as} maps a
     * row, with no row in between: every column is read, as for a row, so a value its codec refuses is refused even
     * when the record takes no component of it, into one array reused from row to row (the constructor only reads
     * it). The mapping is worked out at the first row, as for rows: a read that finds none maps none.
     */
    <R extends Record> List<R> records(Connection connection, Class<R> type) throws SQLException {
        return reading(connection, result -> {
            List<R> records = new ArrayList<>();
            if (!result.next()) {
                return records;
            }
            RecordMapping<R> mapping = layout.mapping(type);
            Getters getters = Getters.of(result, readers);
            Object[] values = new Object[readers.length];
            Object[] scratch = new Object[mapping.components()];
            do {
                for (int i = 0; i < readers.length; i++) {
                    values[i] = getters.read(result, i + 1);
                }
                records.add(mapping.map(values, scratch));
            } while (result.next());
            if (reversed) {
                Collections.reverse(records);
            }
            return records;
        });
    }

    /** Runs a statement that returns one value (a count, an exists). */
    Object value(Connection connection) throws SQLException {
        return reading(connection, result -> {
            result.next();
            // A value of an attribute (the min of a timestamp, say) is read like the attribute's values.
            return readers.length == 1 ? readers[0].read(result, 1) : result.getObject(1);
        });
    }

    /** Runs a statement that returns at most one value, a row's sort key; {@link SortValue#NONE} without a row. */
    Object sortValue(Connection connection, String resource) throws SQLException {
        return reading(connection, result -> result.next() ? SortValue.read(result, resource) : SortValue.NONE);
    }

    /** Runs a statement that returns no rows; the number of rows it touched. */
    int update(Connection connection) throws SQLException {
        try (PreparedStatement statement = prepare(connection)) {
            return statement.executeUpdate();
        }
    }

    /**
     * Runs a statement that returns rows and hands them over one at a time, fetched {@code batch} at a time through
     * a cursor (the connection must be in a transaction for that); returns how many.
     */
    long each(Connection connection, int batch, Consumer<Row> consumer) throws SQLException {
        try (Cursor cursor = Cursor.open(this, connection, batch)) {
            long count = 0;
            for (Row row = cursor.next(); row != null; row = cursor.next()) {
                consumer.accept(row);
                count++;
            }
            return count;
        }
    }

    /** Reads every row of a result. */
    List<Row> rows(ResultSet result) throws SQLException {
        List<Row> rows = new ArrayList<>();
        Getters getters = getters(result);
        while (result.next()) {
            rows.add(row(result, getters));
        }
        if (reversed) {
            Collections.reverse(rows);
        }
        return rows;
    }

    /** The getters of this statement's columns in the result, chosen once per result. */
    Getters getters(ResultSet result) throws SQLException {
        Getters getters = Getters.of(result, readers);
        return seenKeys.isEmpty() ? getters : getters.seeing(SeenKeyColumns.of(result, seenKeys, readers.length + 1));
    }

    Row row(ResultSet result, Getters getters) throws SQLException {
        Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = getters.read(result, i + 1);
        }
        Row row = Rows.create(layout, values);
        return getters.seen() == null ? row : getters.seen().attach(row, result);
    }
}
