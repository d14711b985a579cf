package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Row;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The records of an upsert on a partial identity that were inserted beside a stored record with their values: a
 * record whose row falls outside the identity's {@code where} meets no stored row and is inserted, while a stored row
 * with the same identity values may lie inside the {@code where} (when it reads a field outside the identity). That
 * stored row was not kept by the upsert, so it must not be returned as skipped.
 */
final class InsertedBeside {
    private InsertedBeside() {
    }

    /**
     * The records whose identity values no written row holds, in order: those that may have met a stored row.
     * Values are compared as text, as the server's keys are (a record's {@code 7} and a row's {@code 7L} are one key).
     *
     * @param written the rows the upsert inserted or updated, each holding the identity's fields
     */
    static List<? extends Map<String, ?>> left(List<? extends Map<String, ?>> records, List<String> fields,
                                               List<Row> written) {
        Set<List<String>> insertedKeys = new HashSet<>();
        for (Row row : written) {
            insertedKeys.add(key(fields, row::get));
        }
        List<Map<String, ?>> left = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            if (!insertedKeys.contains(key(fields, record::get))) {
                left.add(record);
            }
        }
        return left;
    }

    /** Whether every row holds the identity's fields (a write returning keys alone does not). */
    static boolean holdFields(List<Row> rows, List<String> fields) {
        return rows.stream().allMatch(row -> fields.stream().allMatch(row::has));
    }

    private static List<String> key(List<String> fields, Function<String, Object> value) {
        List<String> key = new ArrayList<>(fields.size());
        for (String field : fields) {
            key.add(String.valueOf(value.apply(field)));
        }
        return key;
    }
}
