package dev.ashlar.kernel.migrate;

/** How {@link FileRunner} wraps one migration file in a transaction, chosen by whoever runs it. */
public enum TransactionMode {
    /** A transaction of the file's own, committed when the file and its history row succeed. */
    OWN,
    /** No transaction: each statement commits alone (files marked {@code transaction:false}). */
    NONE,
    /**
     * Inside the caller's open transaction, which the caller commits or rolls back (a tenant schema
     * created with its record). {@code CREATE INDEX CONCURRENTLY} runs as a plain {@code CREATE INDEX}
     * there: PostgreSQL refuses the concurrent form in a transaction, and a new schema's tables are empty.
     */
    CALLER;

    /** The mode a file's up section asks for: its own transaction unless it says {@code transaction:false}. */
    public static TransactionMode of(MigrationFile file) {
        return of(file, FileRunner.Direction.UP);
    }

    /** The mode a file's section asks for: the down section's line may say otherwise than the up line. */
    public static TransactionMode of(MigrationFile file, FileRunner.Direction direction) {
        return (direction == FileRunner.Direction.UP ? file.transactional() : file.downTransactional()) ? OWN : NONE;
    }
}
