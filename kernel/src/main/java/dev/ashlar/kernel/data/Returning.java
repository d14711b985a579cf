package dev.ashlar.kernel.data;

/**
 * What a bulk write ({@code createAll}, {@code upsert}) sends back for each record it wrote.
 *
 * <pre>{@code
 * List<Row> keys = ashlar.createAll("event", records, Returning.KEYS);   // each row holds only "id"
 * }</pre>
 */
public enum Returning {
    /** The stored record: every field, with database defaults and generated keys filled in. */
    ROWS,
    /**
     * Only the primary key fields of each stored record, so that the server sends and the driver parses
     * no more than the caller needs. A resource without a primary key returns its stored records.
     */
    KEYS
}
