package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A statement's rows read through the server's cursor, {@code batch} at a time (the driver's fetch size), one row per
 * {@link #next}: the only cursor of the data layer, which {@code forEach} drains into its callback and a stream hands
 * over as it is pulled. The connection must be in a transaction, which holds the cursor.
 */
final class Cursor implements AutoCloseable {
    private final SqlStatement statement;
    private final Connection connection;
    private final String timeoutBefore;
    private final String lockWaitBefore;
    private final PreparedStatement prepared;
    private final ResultSet result;
    private final Getters getters;
    private boolean closed;

    private Cursor(SqlStatement statement, Connection connection, String timeoutBefore, String lockWaitBefore,
                   PreparedStatement prepared, ResultSet result) throws SQLException {
        this.statement = statement;
        this.connection = connection;
        this.timeoutBefore = timeoutBefore;
        this.lockWaitBefore = lockWaitBefore;
        this.prepared = prepared;
        this.result = result;
        this.getters = statement.getters(result);
    }

    /** Runs the statement and opens its cursor; the first batch is fetched before it returns. */
    static Cursor open(SqlStatement statement, Connection connection, int batch) throws SQLException {
        // The driver's timer covers the first fetch only; the server's own bound covers each later one too.
        String timeoutBefore = StatementTimeout.boundOnServer(connection);
        String lockWaitBefore = null;
        PreparedStatement prepared = null;
        try {
            lockWaitBefore = LockWait.bound(connection);
            prepared = statement.prepare(connection);
            prepared.setFetchSize(batch);
            return new Cursor(statement, connection, timeoutBefore, lockWaitBefore, prepared, prepared.executeQuery());
        } catch (SQLException | RuntimeException | Error e) {
            try {
                restore(connection, prepared, lockWaitBefore, timeoutBefore);
            } catch (SQLException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
    }

    /** The next row, fetching the next batch when the last is used up; null after the last row. */
    Row next() throws SQLException {
        return result.next() ? statement.row(result, getters) : null;
    }

    /** Closes the cursor and gives the transaction back the settings it had before the statement. */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            result.close();
        } finally {
            restore(connection, prepared, lockWaitBefore, timeoutBefore);
        }
    }

    /** Closes the cursor without a word to the server: its transaction ended, and the cursor with it. */
    void abandon() {
        closed = true;
        try {
            prepared.close();
        } catch (SQLException ignored) {
            // The connection is gone or back in its pool, which closed the statement already.
        }
    }

    private static void restore(Connection connection, PreparedStatement prepared, String lockWaitBefore,
                                String timeoutBefore) throws SQLException {
        try {
            if (prepared != null) {
                prepared.close();
            }
        } finally {
            try {
                LockWait.restore(connection, lockWaitBefore);
            } finally {
                StatementTimeout.restoreOnServer(connection, timeoutBefore);
            }
        }
    }
}
