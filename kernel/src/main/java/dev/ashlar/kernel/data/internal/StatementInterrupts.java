package dev.ashlar.kernel.data.internal;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Cancels the statement of a thread interrupted while it runs one (an executor shut down with {@code shutdownNow},
 * a request abandoned by its server). The driver blocks on its socket and does not notice an interrupt, so a read
 * waiting behind a table lock or a slow write would hold its connection and locks to its end for a caller that has
 * given up. While an action runs, one shared daemon thread looks every {@link #POLL_MILLIS} ms at the flag of each
 * thread running one (without clearing it) and asks the server to cancel that action's statement, once; the statement
 * fails with SQL state 57014, which {@link ErrorMapper} words as an interruption. With no action running that thread
 * is parked and costs nothing. A thread already interrupted runs nothing, and a stream stops at its next row
 * ({@link CursorStream}).
 *
 * <p>Each thread has one {@link Watch}, reused by all its actions: entering one costs a map entry and no other
 * allocation. The watch is checked and cancelled under its lock, which the action takes again before it gives its
 * connection back, so a cancel reaches only the action that was running while its thread was interrupted, never a
 * later action of the thread nor the connection's next user.
 */
final class StatementInterrupts {
    private static final Logger LOG = LoggerFactory.getLogger(StatementInterrupts.class);
    private static final long POLL_MILLIS = 100;
    static final String CANCELLED = "57014";
    private static final Map<Thread, Watch> RUNNING = new ConcurrentHashMap<>();
    private static final ThreadLocal<Watch> WATCHES = ThreadLocal.withInitial(Watch::new);
    private static final Thread POLLER = new Thread(StatementInterrupts::poll, "ashlar-statement-interrupts");
    /** Whether the poller parks until an action starts; read by each action, written only as the poller parks. */
    private static volatile boolean idle;

    static {
        POLLER.setDaemon(true);
        POLLER.start();
    }

    private StatementInterrupts() {
    }

    /** Runs work on the connection, its statement cancelled should the calling thread be interrupted meanwhile. */
    static <T> T watching(Connection connection, Connections.Work<T> work) throws SQLException {
        Thread runner = Thread.currentThread();
        if (runner.isInterrupted()) {
            throw interruptedBefore();
        }
        Watch watch = WATCHES.get();
        Connection outer = watch.enter(connection);
        if (outer == null) {
            RUNNING.put(runner, watch);
            if (idle) {
                LockSupport.unpark(POLLER);
            }
        }
        try {
            return work.run(connection);
        } finally {
            if (outer == null) {
                RUNNING.remove(runner);
            }
            watch.leave(outer);
        }
    }

    /** The failure of a statement not sent because its thread was interrupted already, as a cancelled one's. */
    static SQLException interruptedBefore() {
        return new SQLException("the thread was interrupted before the statement was sent, so nothing ran", CANCELLED);
    }

    private static void poll() {
        while (true) {
            if (RUNNING.isEmpty()) {
                // Set before looking again: an action entering meanwhile either is seen here or sees idle and unparks.
                idle = true;
                if (RUNNING.isEmpty()) {
                    LockSupport.park(StatementInterrupts.class);
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            RUNNING.values().forEach(Watch::cancelIfInterrupted);
        }
    }

    /**
     * A thread's running action: the connection of the innermost one (an action inside another, e.g. a write in a
     * forEach's body, may run on another connection). A {@link ReentrantLock}, not a monitor, so that a virtual
     * thread waiting for a cancel to finish does not pin its carrier.
     */
    private static final class Watch {
        private final Thread owner = Thread.currentThread();
        private final ReentrantLock lock = new ReentrantLock();
        private Connection connection;
        private boolean cancelled;

        /** @return the connection of the action this one runs inside, null when it is the outermost */
        Connection enter(Connection inner) {
            lock.lock();
            try {
                Connection outer = connection;
                connection = inner;
                cancelled = false;
                return outer;
            } finally {
                lock.unlock();
            }
        }

        /** Waits for a cancel under way to be delivered, so that it can reach no later statement of the connection. */
        void leave(Connection outer) {
            lock.lock();
            try {
                connection = outer;
                cancelled = false;
            } finally {
                lock.unlock();
            }
        }

        void cancelIfInterrupted() {
            if (!owner.isInterrupted() || !lock.tryLock()) {
                return; // locked: the action is entering or leaving; the next look sees it
            }
            try {
                // Looked at again under the lock: the action is still the one running while the thread is interrupted.
                if (connection == null || cancelled || !owner.isInterrupted()) {
                    return;
                }
                cancelled = true;
                if (connection.isWrapperFor(PGConnection.class)) {
                    connection.unwrap(PGConnection.class).cancelQuery();
                }
            } catch (SQLException | RuntimeException e) {
                // The connection is gone already: the server ends its statement with it.
                LOG.debug("Could not cancel the statement of an interrupted thread: {}", e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }
}
