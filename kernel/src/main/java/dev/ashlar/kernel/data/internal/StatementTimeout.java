package dev.ashlar.kernel.data.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The timeout of the action running on this thread, given to each statement it prepares: an action through a
 * handle made with {@code ashlar.withTimeout(...)} runs inside {@link #within}. The driver cancels a statement
 * that runs longer, and the server answers with SQL state 57014, which {@link ErrorMapper} reports with the timeout.
 * Actions started inside a timed action's callbacks (a {@code forEach} consumer, a transaction's body) take its
 * timeout unless their own handle gives one.
 */
public final class StatementTimeout {
    private static final ThreadLocal<Duration> CURRENT = new ThreadLocal<>();
    private static final String DRIVER_STATEMENT = "org.postgresql.jdbc.PgStatement";
    /** The driver's timeout in milliseconds (JDBC's own is in whole seconds), or null when the driver has none. */
    private static final Class<?> MILLIS_TYPE;
    private static final MethodHandle MILLIS;

    static {
        Class<?> type = null;
        MethodHandle setter = null;
        try {
            type = Class.forName(DRIVER_STATEMENT, false, StatementTimeout.class.getClassLoader());
            setter = MethodHandles.publicLookup().findVirtual(type, "setQueryTimeoutMs",
                    MethodType.methodType(void.class, long.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            type = null;
        }
        MILLIS_TYPE = type;
        MILLIS = setter;
    }

    private StatementTimeout() {
    }

    /** Runs the action with each of its statements bounded by {@code timeout}; {@code null} keeps the current one. */
    public static <T> T within(Duration timeout, Supplier<T> action) {
        return scoped(CURRENT, timeout, action);
    }

    /** Runs the action with {@code current} holding {@code value} (none for null), then as it held before. */
    static <V, T> T scoped(ThreadLocal<V> current, V value, Supplier<T> action) {
        if (value == null) {
            return action.get();
        }
        V before = current.get();
        current.set(value);
        try {
            return action.get();
        } finally {
            if (before == null) {
                current.remove();
            } else {
                current.set(before);
            }
        }
    }

    /** The timeout of the action running on this thread, or {@code null}. */
    static Duration current() {
        return CURRENT.get();
    }

    /**
     * Bounds every statement of the connection's transaction by the current action's timeout on the server
     * ({@code statement_timeout}, local to the transaction), for work the driver's timer does not cover: the later
     * fetches of a cursor. Returns the setting it replaced, for {@link #restoreOnServer}; null when there is no
     * timeout.
     */
    static String boundOnServer(Connection connection) throws SQLException {
        Duration timeout = CURRENT.get();
        return timeout == null ? null : LocalSetting.set(connection, "statement_timeout", timeout.toMillis() + "ms");
    }

    /** Gives the transaction back the {@code statement_timeout} it had; nothing when the transaction failed. */
    static void restoreOnServer(Connection connection, String before) throws SQLException {
        if (before != null) {
            LocalSetting.restore(connection, "statement_timeout", before);
        }
    }

    /** Bounds a statement by the current action's timeout, to the millisecond where the driver allows it. */
    static void apply(Statement statement) throws SQLException {
        Duration timeout = CURRENT.get();
        if (timeout == null) {
            return;
        }
        if (MILLIS != null && statement.isWrapperFor(MILLIS_TYPE)) {
            try {
                MILLIS.invoke(statement.unwrap(MILLIS_TYPE), timeout.toMillis());
                return;
            } catch (SQLException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new SQLException("Could not set the statement's timeout: " + e, e);
            }
        }
        statement.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
    }
}
