package dev.ashlar.api.error;

/**
 * Work that met a concurrent transaction: a lock it would not wait for ({@link ErrorCode#LOCK_NOT_AVAILABLE}), or
 * a serialization failure or deadlock that rolled its transaction back ({@link ErrorCode#TRANSACTION_CONFLICT}).
 * {@link #sqlState()} keeps the server's state.
 *
 * <pre>{@code
 * for (int attempt = 1; ; attempt++) {
 *     try {
 *         return ashlar.transaction(tx -> transfer(tx, from, to, amount));
 *     } catch (ConcurrencyException e) {
 *         if (attempt == 3) throw e;   // a lock not available, a serialization failure or a deadlock
 *     }
 * }
 * }</pre>
 */
public class ConcurrencyException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private ConcurrencyException(ErrorCode code, String resource, String message, String sqlState, Throwable cause) {
        super(code, message, resource, null, sqlState, cause);
    }

    /** Whether the server's state is one of concurrency: 55P03, 40001 or 40P01. */
    public static boolean covers(String sqlState) {
        return LOCK_NOT_AVAILABLE.equals(sqlState) || SERIALIZATION_FAILURE.equals(sqlState)
                || DEADLOCK_DETECTED.equals(sqlState);
    }

    /**
     * The error for a failure whose state {@link #covers}; the message says what happened and what to do.
     *
     * @param resource the resource acted on, or {@code null} (a transaction's commit)
     * @param failed   what failed, as the message begins: "Could not update post", "The transaction failed"
     * @param detail   the server's message
     */
    public static ConcurrencyException of(String resource, String failed, String detail, String sqlState,
                                          Throwable cause) {
        if (LOCK_NOT_AVAILABLE.equals(sqlState)) {
            return new ConcurrencyException(ErrorCode.LOCK_NOT_AVAILABLE, resource, failed
                    + ": another transaction holds a lock it needs, and it would not wait (NOWAIT, or lock_timeout ran "
                    + "out). Try again later, or skip locked rows (a _SKIP_LOCKED lock): " + detail
                    + " [SQL state " + sqlState + "]", sqlState, cause);
        }
        String race = DEADLOCK_DETECTED.equals(sqlState) ? "a deadlock with a concurrent transaction"
                : "a concurrent transaction (serialization failure)";
        return new ConcurrencyException(ErrorCode.TRANSACTION_CONFLICT, resource, failed + ": " + race
                + " rolled the transaction back. Run the whole transaction again: " + detail
                + " [SQL state " + sqlState + "]", sqlState, cause);
    }
}
