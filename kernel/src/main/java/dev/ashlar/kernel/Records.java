package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.typed.Change;
import dev.ashlar.api.typed.Conflict;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.data.Returning;
import dev.ashlar.kernel.data.Upsert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the typed API's records, changes and conflicts become the string API's maps, rows and upserts,
 * and rows become records again: the typed API is a translation, so both run the same data layer.
 */
final class Records {

    private Records() {
    }

    static <R extends Record> List<R> of(Table<R> table, List<Row> rows) {
        Class<R> type = table.type();
        List<R> records = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            records.add(rows.get(i).as(type));
        }
        return records;
    }

    /** Rows holding some of the fields (a selection, the keys) as records, their other components null. */
    static <R extends Record> List<R> partial(Table<R> table, List<Row> rows) {
        List<R> records = new ArrayList<>(rows.size());
        for (Row row : rows) {
            records.add(complete(table, row).as(table.type()));
        }
        return records;
    }

    /** Rows a write returned as records: with {@link Returning#KEYS}, records holding only their keys. */
    static <R extends Record> List<R> written(Table<R> table, List<Row> rows, Returning returning) {
        return returning == Returning.KEYS ? partial(table, rows) : of(table, rows);
    }

    /** A row holding some of the fields: the record's other components take null. */
    private static Row complete(Table<?> table, Row row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String field : table.fields()) {
            values.put(field, row.has(field) ? row.get(field) : null);
        }
        Row complete = Row.of(row.resource(), values);
        for (var related : row.relationships().entrySet()) {
            complete = complete.withRelated(related.getKey(), related.getValue());
        }
        return complete;
    }

    static <R extends Record> List<Map<String, Object>> values(Table<R> table, List<R> records) {
        QueryException.required(records, "records");
        List<Map<String, Object>> values = new ArrayList<>(records.size());
        for (R record : records) {
            if (record == null) {
                throw QueryException.of(table.name(), null, "A write of many " + table.name() + " records was given "
                        + "null for record " + (values.size() + 1) + " of " + records.size() + "; leave it out");
            }
            values.add(table.values(record));
        }
        return values;
    }

    /** Records in hand as the rows the data layer finds again by key; a null record is refused naming it. */
    static <R extends Record> List<Row> rows(Table<R> table, List<R> records) {
        QueryException.required(records, "records");
        List<Row> rows = new ArrayList<>(records.size());
        for (R record : records) {
            if (record == null) {
                throw QueryException.of(table.name(), null, "Records in hand of " + table.name() + " hold null at "
                        + (rows.size() + 1) + " of " + records.size() + "; leave it out");
            }
            rows.add(table.row(record));
        }
        return rows;
    }

    static Upsert upsert(Conflict<?> conflict) {
        QueryException.required(conflict, "conflict");
        return new Upsert(conflict.identity(), conflict.update(), conflict.keepStored(), conflict.condition(),
                conflict.changes(), conflict.returnsSkipped(), conflict.touchesUpdateTimes());
    }

    @SafeVarargs
    @SuppressWarnings("varargs")
    static <R extends Record> Map<String, Object> changes(Change<R> first, Change<R>... more) {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put(first.field(), first.value());
        for (Change<R> change : more) {
            changes.put(change.field(), change.value());
        }
        return changes;
    }

    /** The changes that set these fields to their values in the record. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <R extends Record> Map<String, Object> changes(R changed, Field<R, ?> first, Field<R, ?>... more) {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put(first.name(), first.of(changed));
        for (Field<R, ?> field : more) {
            changes.put(field.name(), field.of(changed));
        }
        return changes;
    }

    /**
     * Writes the changes to the record's row. The row handed to the data layer leaves the changed fields
     * out, so every change is written, whatever the record held (a record read with a select holds nulls).
     */
    /** @param guard what the stored record must meet, or null */
    static <R extends Record> R update(Ashlar ashlar, Table<R> table, R record, Map<String, Object> changes,
                                       Filter guard) {
        Map<String, Object> unchanged = new LinkedHashMap<>(table.row(record).toMap());
        unchanged.keySet().removeAll(changes.keySet());
        Row row = Row.of(table.name(), unchanged);
        return (guard == null ? ashlar.update(row, changes) : ashlar.update(row, changes, guard)).as(table.type());
    }
}
