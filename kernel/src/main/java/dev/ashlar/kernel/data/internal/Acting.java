package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.util.function.Supplier;

/**
 * Who a handle acts for and how it destroys, for the action running on this thread: every action runs inside
 * {@link #within} with its own handle's, {@link #DEFAULT} for a handle made without {@code ashlar.withUser(user)},
 * {@code ashlar.permanently()} or a builder's {@code currentUser(...)}. An action started inside another's callback
 * (a {@code forEach} consumer) acts as its own handle says, never as the outer one's.
 *
 * @param user      the user written to the attributes a resource declares with {@code createdBy(...)} and {@code
 *                  modifiedBy(...)}, or null
 * @param permanent whether a destroy of a resource that destroys softly ({@code softDelete(...)}) deletes its rows
 * @param users     asked for the user by each action that writes those attributes when {@code user} is null
 *                  ({@code Ashlar.builder().currentUser(...)}), or null
 * @param policiesBypassed whether the handle acts past every resource's {@code Policy} ({@code
 *                  ashlar.bypassPolicies()}), as a trusted job does
 */
public record Acting(Object user, boolean permanent, Supplier<?> users, boolean policiesBypassed) {
    /** A handle that acts for no user and destroys as its resources say. */
    public static final Acting DEFAULT = new Acting(null, false, null, false);
    private static final ThreadLocal<Acting> CURRENT = new ThreadLocal<>();

    /**
     * A handle that acts for whoever {@code users} names at each write, until {@link #withUser} names one;
     * {@link #DEFAULT} for null.
     */
    public static Acting askingFor(Supplier<?> users) {
        return new Acting(null, false, users, false);
    }

    public Acting withUser(Object newUser) {
        return new Acting(newUser, permanent, users, policiesBypassed);
    }

    public Acting permanently() {
        return new Acting(user, true, users, policiesBypassed);
    }

    public Acting bypassingPolicies() {
        return new Acting(user, permanent, users, true);
    }

    /** Runs the action as {@code acting} says (null as {@link #DEFAULT}), then restores the one before. */
    public static <T> T within(Acting acting, Supplier<T> action) {
        Acting wanted = acting == null ? DEFAULT : acting;
        if (DEFAULT.equals(wanted) && CURRENT.get() == null) {
            return action.get(); // an action on a thread with nothing set acts as DEFAULT already
        }
        if (wanted.user == null && wanted.users != null) {
            wanted = new Acting(null, wanted.permanent, new AskedOnce(wanted.users), wanted.policiesBypassed);
        }
        return StatementTimeout.scoped(CURRENT, wanted, action);
    }

    /** The user of the action running on this thread, or {@code null}. */
    static Object currentUser() {
        Acting acting = CURRENT.get();
        if (acting == null || acting.user != null || acting.users == null) {
            return acting == null ? null : acting.user;
        }
        return acting.users.get();
    }

    /** Whether the action running on this thread acts past every resource's policies. */
    static boolean bypassesPolicies() {
        Acting acting = CURRENT.get();
        return acting != null && acting.policiesBypassed;
    }

    /** Whether the action running on this thread deletes rows that its resources would only mark deleted. */
    static boolean destroysPermanently() {
        Acting acting = CURRENT.get();
        return acting != null && acting.permanent;
    }

    /** The builder's supplier, asked once per action (at its first write that names the user), its answer kept. */
    private static final class AskedOnce implements Supplier<Object> {
        private final Supplier<?> users;
        private boolean asked;
        private Object user;

        AskedOnce(Supplier<?> users) {
            this.users = users;
        }

        @Override
        public Object get() {
            if (!asked) {
                try {
                    user = users.get();
                } catch (RuntimeException e) {
                    throw new AshlarException(ErrorCode.INVALID_QUERY, "The current user supplier given to "
                            + "Ashlar.builder().currentUser(...) failed, so nothing was written: " + e, e);
                }
                asked = true;
            }
            return user;
        }
    }
}
