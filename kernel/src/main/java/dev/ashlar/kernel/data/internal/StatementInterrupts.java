package dev.ashlar.kernel.data.internal;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the statement of a thread interrupted while it runs one (an executor shut down with {@code shutdownNow},
 * a request abandoned by its server). The driver blocks on its socket and does not notice an interrupt, so a read
 * waiting behind a table lock or a slow write would hold its connection and locks to its end for a caller that has
 * given up. Every {@link #POLL_MILLIS} ms one shared daemon thread looks at the flag of each thread running a
 * statement (without clearing it) and asks the server to cancel that connection's statement, once; the statement
 * fails with SQL state 57014, which {@link ErrorMapper} words as an interruption. A thread already interrupted runs
 * nothing, and a stream stops at its next row ({@link CursorStream}). Entering costs one map entry per action, no thread or task.
 */
final class StatementInterrupts {
    private static final Logger LOG = LoggerFactory.getLogger(StatementInterrupts.class);
    private static final long POLL_MILLIS = 100;
    static final String CANCELLED = "57014";
    private static final Map<Thread, Watch> RUNNING = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ashlar-statement-interrupts");
        thread.setDaemon(true);
        return thread;
    });

    static {
        TIMER.scheduleWithFixedDelay(StatementInterrupts::look, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private StatementInterrupts() {
    }

    /** Runs work on the connection, its statement cancelled should the calling thread be interrupted meanwhile. */
    static <T> T watching(Connection connection, Connections.Work<T> work) throws SQLException {
        Thread runner = Thread.currentThread();
        if (runner.isInterrupted()) {
            throw interruptedBefore();
        }
        Watch watch = new Watch(connection);
        if (RUNNING.putIfAbsent(runner, watch) != null) {
            return work.run(connection); // an action inside another: the outer one watches the thread
        }
        try {
            return work.run(connection);
        } finally {
            RUNNING.remove(runner, watch);
            watch.close();
        }
    }

    /** The failure of a statement not sent because its thread was interrupted already, as a cancelled one's. */
    static SQLException interruptedBefore() {
        return new SQLException("the thread was interrupted before the statement was sent, so nothing ran", CANCELLED);
    }

    private static void look() {
        RUNNING.forEach((thread, watch) -> {
            if (thread.isInterrupted()) {
                watch.cancel();
            }
        });
    }

    /** One action's connection; closed before the connection goes back, so no cancel reaches a later user of it. */
    private static final class Watch {
        private final Connection connection;
        private boolean done;

        Watch(Connection connection) {
            this.connection = connection;
        }

        synchronized void cancel() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (connection.isWrapperFor(PGConnection.class)) {
                    connection.unwrap(PGConnection.class).cancelQuery();
                }
            } catch (SQLException | RuntimeException e) {
                // The connection is gone already: the server ends its statement with it.
                LOG.debug("Could not cancel the statement of an interrupted thread: {}", e.getMessage());
            }
        }

        synchronized void close() {
            done = true;
        }
    }
}
