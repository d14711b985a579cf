package dev.ashlar.kernel.data;

/**
 * The isolation level of a transaction ({@code ashlar.transaction(Isolation.SERIALIZABLE, tx -> ...)}); without one,
 * a transaction runs at the server's default, normally read committed. A serializable or repeatable-read
 * transaction that loses a race with a concurrent one fails with a
 * {@link dev.ashlar.api.error.ConcurrencyException} ({@code TRANSACTION_CONFLICT}): run it again, or let
 * {@link TransactionOptions#attempts} do so.
 */
public enum Isolation {
    READ_COMMITTED("READ COMMITTED"),
    REPEATABLE_READ("REPEATABLE READ"),
    SERIALIZABLE("SERIALIZABLE");

    private final String sql;

    Isolation(String sql) {
        this.sql = sql;
    }

    /** The level as {@code SET TRANSACTION ISOLATION LEVEL} and {@code transaction_isolation} spell it. */
    public String sql() {
        return sql;
    }
}
