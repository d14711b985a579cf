package dev.ashlar.plugins.references;

/** How a composite key with some null columns is matched, as PostgreSQL's {@code MATCH} clause. */
public enum Match {
    /** A row with any null key column is not checked (the default). */
    SIMPLE,
    /** The key columns are either all null or all set, and then must match. */
    FULL
}
