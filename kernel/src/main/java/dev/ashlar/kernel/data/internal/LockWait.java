package dev.ashlar.kernel.data.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How long the locking read running on this thread waits for a row another transaction has locked (Hibernate's lock
 * timeout, {@code jakarta.persistence.lock.timeout}): each of its statements runs with the server's
 * {@code lock_timeout} set to it, local to the transaction, and given back afterwards, so the statements after the read
 * wait as before. A wait that runs out fails with SQL state 55P03, which {@link ErrorMapper} reports as a
 * {@code ConcurrencyException} ({@code LOCK_NOT_AVAILABLE}).
 */
public final class LockWait {
    private static final ThreadLocal<Duration> CURRENT = new ThreadLocal<>();
    /** The transaction is aborted (the wait ran out): nothing to give back, the rollback ends the setting. */
    private static final String IN_FAILED_TRANSACTION = "25P02";

    private LockWait() {
    }

    /** Runs the read with each of its statements waiting at most {@code wait} for a lock; {@code null} for no bound. */
    public static <T> T within(Duration wait, Supplier<T> read) {
        if (wait == null) {
            return read.get();
        }
        Duration before = CURRENT.get();
        CURRENT.set(wait);
        try {
            return read.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** Sets the transaction's {@code lock_timeout} to the current wait; the setting it replaced, or null for none. */
    static String bound(Connection connection) throws SQLException {
        Duration wait = CURRENT.get();
        if (wait == null) {
            return null;
        }
        try (PreparedStatement set = connection.prepareStatement(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', ?, true)")) {
            set.setString(1, wait.toMillis() + "ms");
            try (ResultSet result = set.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    /** Gives the transaction back the {@code lock_timeout} it had before {@link #bound}. */
    static void restore(Connection connection, String before) throws SQLException {
        if (before == null) {
            return;
        }
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            set.setString(1, before);
            set.execute();
        } catch (SQLException e) {
            if (!IN_FAILED_TRANSACTION.equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
