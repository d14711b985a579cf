package dev.ashlar.kernel.data.internal;

import java.sql.Connection;
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

    private LockWait() {
    }

    /** Runs the read with each of its statements waiting at most {@code wait} for a lock; {@code null} for no bound. */
    public static <T> T within(Duration wait, Supplier<T> read) {
        return StatementTimeout.scoped(CURRENT, wait, read);
    }

    /** Sets the transaction's {@code lock_timeout} to the current wait; the setting it replaced, or null for none. */
    static String bound(Connection connection) throws SQLException {
        Duration wait = CURRENT.get();
        return wait == null ? null : LocalSetting.set(connection, "lock_timeout", wait.toMillis() + "ms");
    }

    /** Gives the transaction back the {@code lock_timeout} it had before {@link #bound}. */
    static void restore(Connection connection, String before) throws SQLException {
        if (before != null) {
            LocalSetting.restore(connection, "lock_timeout", before);
        }
    }
}
