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
 * is parked and costs nothing. A thread already interrupted runs nothing, and a cursor (a stream's, a forEach's)
 * stops at its next row ({@link Cursor#next}).
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
    /** The thread that looks; replaced should it ever end, so that no interrupt goes unseen from then on. */
    private static volatile Thread poller = startPoller();
    /** Whether the poller parks until an action starts; read by each action, written only as the poller parks. */
    private static volatile boolean idle;
    /** A poller told to end by {@link #endPoller}, the tests' stand-in for a thread that ended unexpectedly. */
    private static volatile Thread ending;

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
        boolean outerCancelled = watch.outerCancelled;
        if (outer == null) {
            RUNNING.put(runner, watch);
            Thread looking = poller;
            if (!looking.isAlive()) {
                restartPoller(looking);
            } else if (idle) {
                LockSupport.unpark(looking);
            }
        }
        try {
            return work.run(connection);
        } finally {
            if (outer == null) {
                RUNNING.remove(runner);
            }
            watch.leave(outer, outerCancelled);
        }
    }

    /** The failure of a statement not sent because its thread was interrupted already, as a cancelled one's. */
    static SQLException interruptedBefore() {
        return new Interrupted("the thread was interrupted before the statement was sent, so nothing ran", null,
                Case.NOT_SENT);
    }

    /**
     * The failure of a cursor whose thread was interrupted while its rows were handed over: a fetch is not watched
     * row by row (that would cost each row a map entry), and between fetches the server ignores a cancel, so the
     * cursor looks at the flag before each row instead. The interrupt is then honoured: no cancel is sent for it, which
     * could reach the statements that close the cursor and abort the transaction it leaves going on.
     */
    static SQLException interruptedBetweenRows() {
        WATCHES.get().honoured();
        return new Interrupted("the thread was interrupted between two rows, so no more were read", null,
                Case.BETWEEN_ROWS);
    }

    /**
     * The failure of a statement whose connection was lost while its thread is interrupted: the JDK closes the socket
     * of an interrupted virtual thread blocked on it, so the loss says the thread was interrupted, not that the server
     * went away.
     */
    static SQLException socketClosed(SQLException lost) {
        return new Interrupted("the connection was closed while the thread was interrupted", lost, Case.SOCKET_CLOSED);
    }

    /**
     * What an interrupt of the thread running a statement did and what to do, worded by case; null when the failure
     * is not an interrupt's. Only a cancel by the poller (57014 on an interrupted thread) aborts a transaction; a
     * statement not sent, a cursor stopped between rows or a wait for a pooled connection cut short (HikariCP's
     * failure, caused by an {@link InterruptedException}) leave it as it was.
     *
     * @param inTransaction whether it ran in a transaction that goes on around it
     */
    static String wording(SQLException failure, boolean inTransaction) {
        Case how = failure instanceof Interrupted interrupted ? interrupted.how
                : failure.getCause() instanceof InterruptedException ? Case.NOT_SENT
                : CANCELLED.equals(failure.getSQLState()) && Thread.currentThread().isInterrupted() ? Case.CANCELLED
                : null;
        if (how == null) {
            return null;
        }
        String untouched = inTransaction ? "; the transaction it runs in was not aborted by it, and goes on unless "
                + "this failure ends it" : "";
        String what = switch (how) {
            case CANCELLED -> "its statement was cancelled on the server and nothing it did was kept"
                    + (inTransaction ? "; the transaction it ran in is rolled back when it ends" : "");
            case NOT_SENT -> "its statement was not sent and it did nothing" + untouched;
            case BETWEEN_ROWS -> "it stopped before its next row and read no more" + untouched;
            case SOCKET_CLOSED -> "its connection was closed as it waited (the JDK closes the socket of an interrupted "
                    + "virtual thread blocked on it) and nothing it did was kept; it was not run again";
        };
        return "the thread running it was interrupted (Thread.interrupt(), an executor's shutdownNow()), so " + what
                + ". The thread keeps its interrupt flag: run it again on a thread that is not interrupted";
    }

    /** How an interrupt ended an action. */
    private enum Case { CANCELLED, NOT_SENT, BETWEEN_ROWS, SOCKET_CLOSED }

    /** A failure an interrupt caused without a cancel on the server. */
    private static final class Interrupted extends SQLException {
        private static final long serialVersionUID = 1L;
        private final Case how;

        Interrupted(String reason, SQLException lost, Case how) {
            super(reason, CANCELLED, lost);
            this.how = how;
        }
    }

    private static Thread startPoller() {
        Thread thread = new Thread(StatementInterrupts::poll, "ashlar-statement-interrupts");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Starts a poller in place of one that ended, once however many actions find it ended. */
    private static synchronized void restartPoller(Thread ended) {
        if (poller == ended) {
            LOG.warn("The thread cancelling the statements of interrupted threads had ended; started it again");
            idle = false;
            poller = startPoller();
        }
    }

    /**
     * Looks at the running actions until the JVM ends. A failure of one look, even an {@link Error} (a
     * StackOverflowError or an OutOfMemoryError while a cancel is sent), is logged and the next look goes on: were the
     * thread to end, interrupts would be ignored from then on, silently.
     */
    private static void poll() {
        while (ending != Thread.currentThread()) {
            try {
                look();
            } catch (Throwable e) {
                LOG.warn("Looking for interrupted threads failed; looking again in {} ms", POLL_MILLIS, e);
            }
        }
    }

    /**
     * Ends the current poller, as a failure nothing caught would, and waits for it to end; for the tests of
     * {@link #restartPoller}, which the next action must run.
     *
     * @return the ended poller
     */
    static Thread endPoller() throws InterruptedException {
        Thread looking = poller;
        ending = looking;
        LockSupport.unpark(looking);
        looking.join(TimeUnit.SECONDS.toMillis(10));
        return looking;
    }

    /** One look: parks while no action runs, else waits {@link #POLL_MILLIS} ms and cancels for each interrupted. */
    private static void look() {
        if (RUNNING.isEmpty()) {
            // Set before looking again: an action entering meanwhile either is seen here or sees idle and unparks.
            idle = true;
            if (RUNNING.isEmpty()) {
                LockSupport.park(StatementInterrupts.class);
            }
            idle = false;
            return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        RUNNING.values().forEach(Watch::cancelIfInterrupted);
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

        /**
         * Whether the action the last {@link #enter} nested in was cancelled already; read by the owner thread right
         * after it, and given back by {@link #leave}.
         */
        private boolean outerCancelled;

        /**
         * Nested on the same connection (a cursor's fetch inside its action), a cancel sent already counts for the
         * inner action too: one action is cancelled once, never again in its cleanup (a restore, a ROLLBACK).
         *
         * @return the connection of the action this one runs inside, null when it is the outermost
         */
        Connection enter(Connection inner) {
            lock.lock();
            try {
                Connection outer = connection;
                outerCancelled = cancelled;
                connection = inner;
                cancelled = cancelled && inner == outer;
                return outer;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits for a cancel under way to be delivered, so that it can reach no later statement of the connection,
         * and gives the outer action back its state: cancelled if it was, or if this one, on its connection, was.
         */
        void leave(Connection outer, boolean wasCancelled) {
            lock.lock();
            try {
                cancelled = wasCancelled || cancelled && outer != null && outer == connection;
                connection = outer;
            } finally {
                lock.unlock();
            }
        }

        /** Keeps the running action from being cancelled: its thread's interrupt was honoured without a cancel. */
        void honoured() {
            lock.lock();
            try {
                cancelled = true;
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
            } catch (Error e) {
                // Not sent: the next look sends it again, rather than leave the statement to run to its end.
                cancelled = false;
                LOG.warn("Cancelling the statement of interrupted thread {} failed; trying again in {} ms",
                        owner.getName(), POLL_MILLIS, e);
            } finally {
                lock.unlock();
            }
        }
    }
}
