package dev.ashlar.kernel.data.internal;

import java.util.function.Supplier;

/**
 * Who a handle acts for and how it destroys, for the action running on this thread: every action runs inside
 * {@link #within} with its own handle's, {@link #DEFAULT} for a handle made without {@code ashlar.withUser(user)} or
 * {@code ashlar.permanently()}. An action started inside another's callback (a {@code forEach} consumer) acts as its
 * own handle says, never as the outer one's.
 *
 * @param user      the user written to the attributes a resource declares with {@code createdBy(...)} and {@code
 *                  modifiedBy(...)}, or null
 * @param permanent whether a destroy of a resource that destroys softly ({@code softDelete(...)}) deletes its rows
 */
public record Acting(Object user, boolean permanent) {
    /** A handle that acts for no user and destroys as its resources say. */
    public static final Acting DEFAULT = new Acting(null, false);
    private static final ThreadLocal<Acting> CURRENT = new ThreadLocal<>();

    public Acting withUser(Object newUser) {
        return new Acting(newUser, permanent);
    }

    public Acting permanently() {
        return new Acting(user, true);
    }

    /** Runs the action as {@code acting} says (null as {@link #DEFAULT}), then restores the one before. */
    public static <T> T within(Acting acting, Supplier<T> action) {
        Acting wanted = acting == null ? DEFAULT : acting;
        if (DEFAULT.equals(wanted) && CURRENT.get() == null) {
            return action.get(); // an action on a thread with nothing set acts as DEFAULT already
        }
        return StatementTimeout.scoped(CURRENT, wanted, action);
    }

    /** The user of the action running on this thread, or {@code null}. */
    static Object currentUser() {
        Acting acting = CURRENT.get();
        return acting == null ? null : acting.user;
    }

    /** Whether the action running on this thread deletes rows that its resources would only mark deleted. */
    static boolean destroysPermanently() {
        Acting acting = CURRENT.get();
        return acting != null && acting.permanent;
    }
}
