package dev.ashlar.kernel.data.internal;

import java.util.function.Supplier;

/**
 * The user the action running on this thread acts for, written to the attributes a resource declares with {@code
 * createdBy(...)} and {@code modifiedBy(...)}: an action through a handle made with {@code ashlar.withUser(user)}
 * runs inside {@link #within}. Actions started inside it (a transaction's body) act for the same user unless their
 * own handle names another.
 */
public final class CurrentUser {
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

    private CurrentUser() {
    }

    /** Runs the action for {@code user}; {@code null} keeps the current one. */
    public static <T> T within(Object user, Supplier<T> action) {
        return StatementTimeout.scoped(CURRENT, user, action);
    }

    /** The user of the action running on this thread, or {@code null}. */
    static Object current() {
        return CURRENT.get();
    }
}
