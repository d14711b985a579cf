package dev.ashlar.kernel.data.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A connection held past the call that took it, for a stream read as it is pulled: the connection of the
 * transaction open on the thread (with the frames of that transaction and its savepoints, to tell when it ends), or
 * one borrowed from a pool in a transaction of its own, given back by {@link #end}.
 */
final class Lease {
    private final Connection connection;
    private final boolean own;
    private final List<TransactionFrame> frames;
    private final Runnable release;

    private Lease(Connection connection, boolean own, List<TransactionFrame> frames, Runnable release) {
        this.connection = connection;
        this.own = own;
        this.frames = frames;
        this.release = release;
    }

    /** The connection of a transaction the caller opened and ends. */
    static Lease inTransaction(Connection connection, List<TransactionFrame> frames, Runnable release) {
        return new Lease(connection, false, List.copyOf(frames), release);
    }

    /** A connection borrowed for the lease alone, in a transaction begun for it. */
    static Lease own(Connection connection) {
        return new Lease(connection, true, List.of(), () -> { });
    }

    Connection connection() {
        return connection;
    }

    /** Whether the lease began its transaction, rather than reading in the caller's. */
    boolean own() {
        return own;
    }

    /** Whether the caller's transaction the lease reads in has ended (its connection closed, or back in its pool). */
    boolean over() {
        if (own) {
            return false;
        }
        for (TransactionFrame frame : frames) {
            if (frame.over()) {
                return true;
            }
        }
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Gives the connection back: a transaction of its own committed (rolled back after a failure) and the connection
     * returned to its pool; the caller's transaction goes on.
     */
    void end(boolean failed) throws SQLException {
        if (!own) {
            release.run();
            return;
        }
        try (connection) {
            try {
                if (failed) {
                    connection.rollback();
                } else {
                    connection.commit();
                }
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
