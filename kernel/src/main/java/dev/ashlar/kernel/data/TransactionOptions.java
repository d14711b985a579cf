package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;

import java.util.Objects;

/**
 * How {@code ashlar.transaction(options, tx -> ...)} runs its body: at an isolation level, read only (Spring's
 * {@code @Transactional(readOnly = true)}, JDBC's {@code setReadOnly}), and run again from the start when it loses a
 * race with a concurrent transaction (a serialization failure, SQL state 40001, or a deadlock, 40P01), as
 * PostgreSQL's documentation asks of serializable transactions. Immutable: each method returns a new value.
 *
 * <pre>{@code
 * ashlar.transaction(TransactionOptions.defaults().isolation(Isolation.SERIALIZABLE).attempts(3),
 *         tx -> transfer(tx, from, to, amount));
 * List<Row> report = ashlar.transaction(TransactionOptions.defaults().readOnly(), tx -> tx.read("post").list());
 * }</pre>
 */
public final class TransactionOptions {
    private static final TransactionOptions DEFAULTS = new TransactionOptions(null, false, 1);

    private final Isolation isolation;
    private final boolean readOnly;
    private final int attempts;

    private TransactionOptions(Isolation isolation, boolean readOnly, int attempts) {
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.attempts = attempts;
    }

    /** The server's default level, read-write, one attempt: what {@code transaction(body)} does. */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    /** These options at an isolation level. */
    public TransactionOptions isolation(Isolation level) {
        return new TransactionOptions(QueryException.required(level, "isolation"), readOnly, attempts);
    }

    /**
     * These options read only ({@code SET TRANSACTION READ ONLY}): the server refuses every write inside, with a
     * {@code DatabaseException} of SQL state 25006 naming the resource. A serializable read-only transaction may
     * also be {@code DEFERRABLE} in SQL; Ashlar does not ask for it.
     */
    public TransactionOptions readOnly() {
        return new TransactionOptions(isolation, true, attempts);
    }

    /**
     * These options run the body up to {@code times} times in all: each time a concurrent transaction makes it fail
     * with a {@link dev.ashlar.api.error.ConcurrencyException} of code {@code TRANSACTION_CONFLICT} (40001, 40P01),
     * the transaction is rolled back and the body runs again in a new one, after a short random pause; the last
     * failure is thrown. Only an outermost transaction can be run again: PostgreSQL rolls back the whole of it.
     * The body must do nothing it cannot do twice outside the database (send no mail, call no service).
     *
     * @throws QueryException when {@code times} is below 1
     */
    public TransactionOptions attempts(int times) {
        if (times < 1) {
            throw QueryException.of(null, null, "attempts(" + times + ") would never run the transaction: give 1 "
                    + "(run it once) or more");
        }
        return new TransactionOptions(isolation, readOnly, times);
    }

    /** The isolation level, or null for the server's default. */
    public Isolation isolationLevel() {
        return isolation;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** How many times in all the body may run. */
    public int maxAttempts() {
        return attempts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TransactionOptions that && isolation == that.isolation && readOnly == that.readOnly
                && attempts == that.attempts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(isolation, readOnly, attempts);
    }

    @Override
    public String toString() {
        return "TransactionOptions[isolation=" + isolation + ", readOnly=" + readOnly + ", attempts=" + attempts + "]";
    }
}
