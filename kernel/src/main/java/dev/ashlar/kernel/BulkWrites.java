package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.BulkResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bulk write that stores what it can (see {@link Bulk}): batch by batch, each in a transaction of its own, and a
 * failed batch again record by record. Only a record's own invalid data is collected; anything else stops the
 * write as it would without the option.
 */
final class BulkWrites {
    /** Writes some records on a transaction's handle; returns the rows written. */
    @FunctionalInterface
    interface Write {
        List<Row> write(Ashlar transaction, List<? extends Map<String, ?>> records);
    }

    private final Ashlar ashlar;
    private final Bulk bulk;
    private final Write write;
    private final List<Row> rows = new ArrayList<>();
    private final List<BulkResult.Failure> errors = new ArrayList<>();

    private BulkWrites(Ashlar ashlar, Bulk bulk, Write write) {
        this.ashlar = ashlar;
        this.bulk = bulk;
        this.write = write;
    }

    static BulkResult run(Ashlar ashlar, String resource, List<? extends Map<String, ?>> records, Bulk bulk,
                          Write write) {
        QueryException.required(resource, "resource");
        QueryException.required(records, "records");
        return new BulkWrites(ashlar, QueryException.required(bulk, "bulk"), write).all(records);
    }

    private BulkResult all(List<? extends Map<String, ?>> records) {
        for (int from = 0; from < records.size(); from += bulk.batchSize()) {
            List<? extends Map<String, ?>> batch = records.subList(from, Math.min(records.size(), from + bulk.batchSize()));
            if (stored(batch)) {
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                if (!stored(from + i, batch.get(i)) && bulk.stopAtFirst()) {
                    return new BulkResult(rows, errors, records.size() - from - i - 1);
                }
            }
        }
        return new BulkResult(rows, errors, 0);
    }

    /** Writes a batch whole; false when a record's data failed it, and nothing of it was kept. */
    private boolean stored(List<? extends Map<String, ?>> batch) {
        if (batch.size() == 1) {
            return false;
        }
        try {
            rows.addAll(ashlar.transaction(tx -> write.write(tx, batch)));
            return true;
        } catch (InvalidDataException e) {
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
