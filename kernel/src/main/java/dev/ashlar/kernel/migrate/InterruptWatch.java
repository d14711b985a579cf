package dev.ashlar.kernel.migrate;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the statement a migration file runs when the thread running it is interrupted. The driver blocks on its
 * socket and does not notice an interrupt, so the server would run the statement to its end (minutes for a backfill
 * or an index build), holding its locks and the migration lock, for a caller that has given up: an application
 * stopped while it starts, a build cancelled, a worker of a tenant run whose pool is shut down. Every
 * {@link FileWatches#TICK_MILLIS} ms while a file runs, the shared daemon thread of {@link FileWatches} looks at the
 * running thread's interrupt flag (without clearing it); once it is set, it asks the server to cancel the connection's
 * statement, once. The statement fails with SQL state 57014 and the file rolls back as any failed file does. (That
 * thread never waits on a query: the lock watch's lookups run on a thread of their own.)
 */
final class InterruptWatch extends FileWatches.Watch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptWatch.class);
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(FileWatches.TICK_MILLIS);

    private final Thread runner;
    private final PGConnection connection;
    private boolean closed;
    private boolean cancelled;

    private InterruptWatch(Thread runner, PGConnection connection) {
        this.runner = runner;
        this.connection = connection;
        FileWatches.add(this, System.nanoTime() + TICK);
    }

    /**
     * Watches the calling thread while it runs statements on {@code work}; null (nothing to close) for a connection
     * that is no PostgreSQL driver's, which cannot be cancelled this way.
     */
    static InterruptWatch start(Connection work) throws SQLException {
        return work.isWrapperFor(PGConnection.class)
                ? new InterruptWatch(Thread.currentThread(), work.unwrap(PGConnection.class)) : null;
    }

    @Override
    synchronized long look(long now) {
        if (closed || cancelled || !runner.isInterrupted()) {
            return FileWatches.NO_TIME;
        }
        cancelled = true;
        try {
            connection.cancelQuery();
        } catch (SQLException | RuntimeException e) {
            // The connection is gone already: the server ends its statement with it.
            LOG.debug("Could not cancel the statement of an interrupted migration: {}", e.getMessage());
        }
        return FileWatches.NO_TIME;
    }

    /** Stops watching; a cancel in progress is finished first, so none reaches a later statement. */
    @Override
    public synchronized void close() {
        closed = true;
        FileWatches.remove(this);
    }
}
