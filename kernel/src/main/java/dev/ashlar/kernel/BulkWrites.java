package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bulk write that stores what it can (see {@link Bulk}): batch by batch, each in a transaction of its own, and a
 * failed batch again by halves, each in a transaction of its own, down to the records that fail it. Only a record's own invalid data is collected; anything else stops the
 * write as it would without the option. A record that stops it (a related key not found, a policy's refusal, a
 * malformed record) is found by halves too, so that the error names its index in the input, and says which
 * records were stored before it and where to go on.
 */
final class BulkWrites {
    /** Writes some records on a transaction's handle; returns the rows written. */
    @FunctionalInterface
    interface Write {
        List<Row> write(Ashlar transaction, List<? extends Map<String, ?>> records);
    }

    private final Ashlar ashlar;
    private final String resource;
    private final Bulk bulk;
    private final Write write;
    /** Whether the write goes through a batch's records one at a time anyway (see {@link #written}). */
    private final boolean recordByRecord;
    private final List<Row> rows = new ArrayList<>();
    private final List<BulkResult.Failure> errors = new ArrayList<>();

    private BulkWrites(Ashlar ashlar, String resource, Bulk bulk, Write write, boolean recordByRecord) {
        this.ashlar = ashlar;
        this.resource = resource;
        this.bulk = bulk;
        this.write = write;
        this.recordByRecord = recordByRecord;
    }

    /**
     * @param inTransaction  whether the caller's transaction holds the batches, which then commit only with it
     * @param recordByRecord whether the write goes through a batch's records one at a time anyway, so that a failed
     *                       batch is written again record by record rather than by halves (see {@link #written})
     */
    static BulkResult run(Ashlar ashlar, boolean inTransaction, String resource, List<? extends Map<String, ?>> records,
                          Bulk bulk, boolean recordByRecord, Write write) {
        QueryException.required(resource, "resource");
        QueryException.required(records, "records");
        BulkWrites writes = new BulkWrites(ashlar, resource, QueryException.required(bulk, "bulk"), write,
                recordByRecord);
        int[] from = {0};
        try {
            return writes.all(records, from);
        } catch (DatabaseException e) {
            throw from[0] == 0 || inTransaction ? e : writes.stoppedAt(from[0], records.size(), false, e);
        } catch (NotFoundException | ForbiddenException | QueryException e) {
            throw from[0] == 0 ? e : writes.stoppedAt(from[0], records.size(), inTransaction, e);
        }
    }

    /** @param from the index of the first record not yet stored, kept up to date for a failure to report */
    private BulkResult all(List<? extends Map<String, ?>> records, int[] from) {
        for (from[0] = 0; from[0] < records.size(); ) {
            List<? extends Map<String, ?>> batch = records.subList(from[0],
                    Math.min(records.size(), from[0] + bulk.batchSize()));
            if (!written(batch, from)) {
                return new BulkResult(rows, errors, records.size() - from[0]);
            }
        }
        return new BulkResult(rows, errors, 0);
    }

    /**
     * Writes the records, which start at {@code from[0]} in the input: whole, in a transaction of its own, and when a
     * record fails them, each half again the same way, until the records that fail are alone and are written (or
     * reported) by themselves. Where an attempt costs a few statements whatever its size (a {@code createAll}, level
     * by level or not), a refused record among 1,000 costs some twenty attempts of ever smaller halves rather than
     * 999 writes of one record each. Where the write goes through the records one at a time anyway ({@code
     * recordByRecord}: an upsert with related records, a management that is not {@code create()}, a joined resource's
     * create or upsert, a {@code createSql} returning the key), an attempt costs
     * a write per record up to the failed one, so halves would write more than the records again each alone, which
     * they then are. Records are written in input order, each half before the next, so each record that can be stored
     * after the ones before it is; a record referring to a later record of its batch may be stored with it or
     * refused, depending on the half it falls in. Returns false when a refusal stops the write
     * ({@link Bulk#stopOnError()}).
     */
    private boolean written(List<? extends Map<String, ?>> records, int[] from) {
        if (records.size() == 1) {
            boolean kept = stored(from[0], records.get(0));
            from[0]++;
            return kept || !bulk.stopAtFirst();
        }
        if (stored(records)) {
            from[0] += records.size();
            return true;
        }
        if (recordByRecord) {
            for (Map<String, ?> record : records) {
                if (!written(List.of(record), from)) {
                    return false;
                }
            }
            return true;
        }
        int half = records.size() / 2;
        return written(records.subList(0, half), from) && written(records.subList(half, records.size()), from);
    }

    /**
     * A bulk write stopped after some records, as the same kind of exception naming the record's index in the input:
     * outside a transaction the batches before {@code from} were each committed and stay stored, which the caller must
     * know to go on without writing them twice.
     */
    private AshlarException stoppedAt(int from, int total, boolean inTransaction, AshlarException e) {
        String message = "The bulk write of " + total + " " + resource + " records stopped at record " + from + ": "
                + e.getMessage() + "\nRecords 0 to " + (from - 1) + " were written, " + (inTransaction
                ? "in the caller's transaction, which keeps them unless it rolls back (" : "each batch committed (")
                + rows.size() + " stored, " + errors.size() + " refused with their errors); records " + from + " to "
                + (total - 1) + " were not" + (e instanceof DatabaseException ? " (unless the error above says the "
                + "outcome of a commit is unknown: then look for record " + from + " first)" : "")
                + ", so once the cause is fixed, go on with records.subList(" + from + ", " + total + ") rather than "
                + "writing them all again";
        String failed = e.resource().orElse(resource);
        if (e instanceof NotFoundException) {
            return NotFoundException.of(failed, message);
        }
        if (e instanceof ForbiddenException forbidden) {
            return new ForbiddenException(failed, forbidden.action(), forbidden.policy(), message);
        }
        if (e instanceof QueryException) {
            return QueryException.of(failed, e.field().orElse(null), message, e);
        }
        return DatabaseException.refused(resource, e.field().orElse(null), message, e.sqlState().orElse(null), e);
    }

    /**
     * Writes a batch whole; false when a record failed it, and nothing of it was kept: its invalid data, to be
     * collected, or a failure that stops the write, to be named by the record's index in the input.
     */
    private boolean stored(List<? extends Map<String, ?>> batch) {
        try {
            rows.addAll(ashlar.transaction(tx -> write.write(tx, batch)));
            return true;
        } catch (InvalidDataException | NotFoundException | ForbiddenException | QueryException e) {
            return false;
        }
    }

    /** Writes one record; false, with its failure noted, when its data was refused. */
    private boolean stored(int index, Map<String, ?> record) {
        try {
            rows.addAll(ashlar.transaction(tx -> write.write(tx, List.of(record))));
            return true;
        } catch (InvalidDataException e) {
            errors.add(new BulkResult.Failure(index, record, e));
            return false;
        }
    }
}
