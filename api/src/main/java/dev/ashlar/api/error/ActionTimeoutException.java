package dev.ashlar.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A statement of an action ran past its time and the server cancelled it ({@link ErrorCode#TIMEOUT}, SQL state
 * 57014): the timeout of the handle it ran through ({@code ashlar.withTimeout(Duration.ofSeconds(2))}), the
 * server's {@code statement_timeout}, or a cancel request from another session. Nothing the cancelled statement did
 * is kept; inside a transaction, the transaction is rolled back. What came before it outside a transaction stays: the
 * batches a bulk write already stored, the rows a {@code forEach} already handed over. {@link #timeout()} is the handle's timeout, if it had one.
 */
public class ActionTimeoutException extends AshlarException {
    private static final long serialVersionUID = 1L;

    /** The state PostgreSQL gives a cancelled statement. */
    public static final String QUERY_CANCELED = "57014";

    private final transient Duration timeout;

    private ActionTimeoutException(String resource, String message, Duration timeout, Throwable cause) {
        super(ErrorCode.TIMEOUT, message, resource, null, QUERY_CANCELED, cause);
        this.timeout = timeout;
    }

    /** Whether the server's state is that of a cancelled statement. */
    public static boolean covers(String sqlState) {
        return QUERY_CANCELED.equals(sqlState);
    }

    /**
     * The error for a cancelled statement; the message says which bound it met and what to do.
     *
     * @param resource the resource acted on, or {@code null} (a transaction's commit)
     * @param failed   what failed, as the message begins: "Could not read post"
     * @param timeout  the handle's timeout the statement ran under, or {@code null} for none
     * @param detail   the server's message
     */
    public static ActionTimeoutException of(String resource, String failed, Duration timeout, String detail,
                                            Throwable cause) {
        String bound = timeout != null ? "it ran past the timeout of " + timeout.toMillis() + " ms given with "
                + "withTimeout, and was cancelled" : "the server cancelled it (its statement_timeout, or a cancel "
                + "request from another session)";
        return new ActionTimeoutException(resource, failed + ": " + bound + ". Nothing the statement did was kept. "
                + "Narrow the "
                + "work (a filter, a page), add the index it needs, or give it more time: " + detail
                + " [SQL state " + QUERY_CANCELED + "]", timeout, cause);
    }

    /** The handle's timeout the statement ran under; empty when the server cancelled it for another reason. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }
}
