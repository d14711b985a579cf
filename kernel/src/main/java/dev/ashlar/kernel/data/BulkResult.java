package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;

import java.util.List;
import java.util.Map;

/**
 * What a bulk write with {@link Bulk} stored and what it could not.
 *
 * @param rows    the stored records, in input order (for an upsert, the records it wrote)
 * @param errors  the records that failed, in input order
 * @param skipped how many records were not tried, after the first error under {@link Bulk#stopOnError()}
 */
public record BulkResult(List<Row> rows, List<Failure> errors, int skipped) {

    public BulkResult {
        rows = List.copyOf(rows);
        errors = List.copyOf(errors);
    }

    /**
     * A record that was not stored.
     *
     * @param index  its position in the input list
     * @param record the record as given
     * @param error  why, with its field errors
     */
    public record Failure(int index, Map<String, ?> record, InvalidDataException error) {
    }

    /** Whether every record was stored. */
    public boolean complete() {
        return errors.isEmpty() && skipped == 0;
    }

    /** The stored records mapped onto a Java record class by component names. */
    public <R extends Record> List<R> rows(Class<R> type) {
        return rows.stream().map(row -> row.as(type)).toList();
    }
}
