package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement's rows read through the server's cursor, {@code batch} at a time (the driver's fetch size), one row per
 * {@link #next}: the only cursor of the data layer, which {@code forEach} drains into its callback and a stream hands
 * over as it is pulled. The connection must be in a transaction, which holds the cursor.
 *
 * <p>A cursor bounds its statement by the action's {@code statement_timeout} and {@code lock_timeout} until it is
 * closed. Several cursors open at once in one transaction (two streams in the caller's) each keep the value they
 * replaced; closing one that a later cursor's bound covers hands its value on to that cursor instead of restoring it,
 * so that, closed in any order, they give the transaction back the values it had before the first.
 */
final class Cursor implements AutoCloseable {
    /** The cursors open on each connection that bound a setting, oldest first. */
    private static final Map<Connection, List<Cursor>> BOUND = new IdentityHashMap<>();

    private final SqlStatement statement;
    private final Connection connection;
    private String timeoutBefore;
    private String lockWaitBefore;
    private final PreparedStatement prepared;
    private final ResultSet result;
    private final Getters getters;
    private final int batch;
    /** The rows handed over since the driver last fetched a batch. */
    private int handed;
    private boolean closed;

    private Cursor(SqlStatement statement, Connection connection, String timeoutBefore, String lockWaitBefore,
                   PreparedStatement prepared, ResultSet result, int batch) throws SQLException {
        this.statement = statement;
        this.connection = connection;
        this.timeoutBefore = timeoutBefore;
        this.lockWaitBefore = lockWaitBefore;
        this.prepared = prepared;
        this.result = result;
        this.getters = statement.getters(result);
        this.batch = batch;
        if (timeoutBefore != null || lockWaitBefore != null) {
            synchronized (BOUND) {
                BOUND.computeIfAbsent(connection, c -> new ArrayList<>()).add(this);
            }
        }
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
            return new Cursor(statement, connection, timeoutBefore, lockWaitBefore, prepared, prepared.executeQuery(),
                    batch);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                restore(connection, prepared, lockWaitBefore, timeoutBefore);
            } catch (SQLException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
    }

    /**
     * The next row, fetching the next batch when the last is used up; null after the last row. A thread interrupted
     * meanwhile gets no more rows ({@link StatementInterrupts#interruptedBetweenRows}): a stream or a forEach stops
     * at its next row and gives its cursor and transaction back. A fetch of a later batch is watched as a statement
     * is ({@link StatementInterrupts#watching}), so that an interrupt while it runs (a batch whose rows wait on a
     * lock or a slow function) cancels it on the server rather than wait for its end; the rows of a batch fetched
     * already are handed over unwatched, which costs them nothing.
     */
    Row next() throws SQLException {
        if (Thread.currentThread().isInterrupted()) {
            throw StatementInterrupts.interruptedBetweenRows();
        }
        // The driver fetches the next batch when the rows of the last, `batch` of them, are used up.
        boolean fetches = batch > 0 && handed == batch;
        boolean more = fetches ? StatementInterrupts.watching(connection, c -> result.next()) : result.next();
        if (!more) {
            return null;
        }
        handed = fetches ? 1 : handed + 1;
        return statement.row(result, getters);
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
            String[] before = leave();
            restore(connection, prepared, before[0], before[1]);
        }
    }

    /**
     * Leaves the cursors open on the connection without a word to the server, for a stream dropped unclosed in a
     * transaction another thread may be using: the settings it bound end with that transaction, or are given back by
     * a cursor opened after it.
     */
    void forget() {
        leave();
    }

    /**
     * Takes the cursor off those open on its connection; returns the lock wait and timeout it must give back: none
     * where a cursor opened after it bound that setting too, which takes over the value this one replaced and gives
     * it back when it closes.
     */
    private String[] leave() {
        synchronized (BOUND) {
            String[] before = {lockWaitBefore, timeoutBefore};
            List<Cursor> open = BOUND.get(connection);
            int at = open == null ? -1 : open.indexOf(this);
            if (at < 0) {
                return before;
            }
            open.remove(at);
            for (Cursor later : open.subList(at, open.size())) {
                if (before[1] != null && later.timeoutBefore != null) {
                    later.timeoutBefore = before[1];
                    before[1] = null;
                }
                if (before[0] != null && later.lockWaitBefore != null) {
                    later.lockWaitBefore = before[0];
                    before[0] = null;
                }
            }
            if (open.isEmpty()) {
                BOUND.remove(connection);
            }
            return before;
        }
    }

    /** Closes the cursor without a word to the server: its transaction ended, and the cursor with it. */
    void abandon() {
        closed = true;
        leave();
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
