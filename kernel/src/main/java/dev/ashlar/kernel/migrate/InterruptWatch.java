package dev.ashlar.kernel.migrate;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the statement a migration file runs when the thread running it is interrupted. The driver blocks on its
 * socket and does not notice an interrupt, so the server would run the statement to its end (minutes for a backfill
 * or an index build), holding its locks and the migration lock, for a caller that has given up: an application
 * stopped while it starts, a build cancelled, a worker of a tenant run whose pool is shut down. Every
 * {@link #POLL_MILLIS} ms while a file runs, one shared daemon thread looks at the running thread's interrupt flag
 * (without clearing it); once it is set, it asks the server to cancel the connection's statement, once. The statement
 * fails with SQL state 57014 and the file rolls back as any failed file does.
 */
final class InterruptWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptWatch.class);
    private static final long POLL_MILLIS = 100;
    /** Its own thread: the lock watch's may wait on a query, and a cancel must not wait behind it. */
    private static final ScheduledThreadPoolExecutor TIMER = LockWatch.timer("ashlar-interrupt-watch");

    private final Thread runner;
    private final PGConnection connection;
    private final ScheduledFuture<?> task;
    private boolean closed;
    private boolean cancelled;

    private InterruptWatch(Thread runner, PGConnection connection) {
        this.runner = runner;
        this.connection = connection;
        this.task = TIMER.scheduleWithFixedDelay(this::look, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the calling thread while it runs statements on {@code work}; null (nothing to close) for a connection
     * that is no PostgreSQL driver's, which cannot be cancelled this way.
     */
    static InterruptWatch start(Connection work) throws SQLException {
        return work.isWrapperFor(PGConnection.class)
                ? new InterruptWatch(Thread.currentThread(), work.unwrap(PGConnection.class)) : null;
    }

    private synchronized void look() {
        if (closed || cancelled || !runner.isInterrupted()) {
            return;
        }
        cancelled = true;
        try {
            connection.cancelQuery();
        } catch (SQLException | RuntimeException e) {
            // The connection is gone already: the server ends its statement with it.
            LOG.debug("Could not cancel the statement of an interrupted migration: {}", e.getMessage());
        } catch (Error e) {
            // Thrown out of a periodic task, it would end the watch silently: the next look sends the cancel again.
            cancelled = false;
            LOG.warn("Cancelling the statement of an interrupted migration failed; trying again in {} ms", POLL_MILLIS,
                    e);
        }
    }

    /** Stops watching; a cancel in progress is finished first, so none reaches a later statement. */
    @Override
    public synchronized void close() {
        closed = true;
        task.cancel(false);
    }
}
