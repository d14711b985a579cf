package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;

/**
 * How a bulk write treats records that fail (Ash's {@code return_errors?}, {@code stop_on_error?} and
 * {@code batch_size}): the records go in batches, each batch in a transaction of its own (a savepoint inside the
 * caller's transaction). A batch that fails is written again by halves, each in its own savepoint and a failed
 * half halved again down to the records that fail it alone, so that every record that can be stored is, and each
 * one that cannot is reported with its position and its error.
 *
 * <pre>{@code
 * BulkResult result = ashlar.createAll("post", records, Bulk.collectErrors().batchSize(500));
 * result.rows();     // the stored records, in input order
 * result.errors();   // each failed record: its index in the input, the record and the error
 * }</pre>
 *
 * <p>Only errors of a record's own data are collected: invalid or missing values, a taken identity, a broken check
 * or reference ({@code InvalidDataException}). A mistake in the write itself (a field the resource lacks, a
 * {@code QueryException}), a lost connection, a lock or serialization conflict, a timeout or a refusal of a plugin
 * stops the write, as without this option; the batches already stored stay stored unless the caller's transaction
 * rolls back.
 *
 * @param batchSize   how many records go in one statement and transaction
 * @param stopAtFirst whether the first failed record stops the write (the batches before it stay stored)
 */
public record Bulk(int batchSize, boolean stopAtFirst) {
    /** The batch size when none is given. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;

    public Bulk {
        if (batchSize < 1) {
            throw QueryException.of(null, null, "A bulk write's batch size must be at least 1, got " + batchSize);
        }
    }

    /** Every record that can be stored is stored; the others are reported. */
    public static Bulk collectErrors() {
        return new Bulk(DEFAULT_BATCH_SIZE, false);
    }

    /** Records go in batches of this many. */
    public Bulk batchSize(int size) {
        return new Bulk(size, stopAtFirst);
    }

    /** The first failed record ends the write, reported like the others; nothing after it is tried. */
    public Bulk stopOnError() {
        return new Bulk(batchSize, true);
    }
}
