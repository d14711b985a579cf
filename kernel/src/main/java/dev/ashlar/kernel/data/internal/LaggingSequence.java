package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.SqlLiterals;
import dev.ashlar.spi.plugin.DatabaseError;

import java.util.List;
import java.util.Map;

/**
 * A generated primary key that is already stored. Rows written with keys of their own (an import, an upsert giving
 * ids) do not move the sequence behind the key, so a later write that lets the database pick the key may get one of
 * theirs. PostgreSQL says only that the key exists; the error says how to move the sequence past the stored keys.
 */
final class LaggingSequence {

    private LaggingSequence() {
    }

    /**
     * The failure with the fix added to its primary key's error, when the key is one the database generated for
     * records that gave none; else the failure as it was.
     *
     * @param schema the schema the write went to, or null for the resource's own
     */
    static InvalidDataException explained(InvalidDataException failure, ResourcePlan plan, String schema,
                                          List<? extends Map<String, ?>> records) {
        List<ColumnPlan> key = plan.primaryKey();
        if (key.size() != 1 || !DatabaseError.UNIQUE_VIOLATION.equals(failure.sqlState().orElse(null))) {
            return failure;
        }
        ColumnPlan column = key.get(0);
        boolean generated = column.attribute().hasDatabaseValue() && column.attribute().type().isNumber();
        if (!generated || records.stream().anyMatch(record -> record.get(column.name()) != null)) {
            return failure;
        }
        List<FieldError> errors = failure.errors().stream().map(error -> column.name().equals(error.field())
                && error.column() != null ? behind(error, plan.table(schema)) : error).toList();
        return errors.equals(failure.errors()) ? failure : new InvalidDataException(failure.resource().orElse(
                plan.name()), failure.action(), errors, failure.sqlState().orElse(null), failure.getCause());
    }

    private static FieldError behind(FieldError error, String table) {
        String columnName = Identifiers.quote(error.column());
        // pg_get_serial_sequence reads its first argument as SQL (quoted identifiers kept), its second as a name.
        String fix = "SELECT setval(pg_get_serial_sequence(" + SqlLiterals.quoted(table) + ", "
                + SqlLiterals.quoted(error.column()) + "), (SELECT max(" + columnName + ") FROM " + table + "))";
        return error.withMessage(error.message() + ": the database generated this key, and its sequence is behind "
                + "the keys already stored (rows written with keys of their own, e.g. by an import). Move it past "
                + "them: " + fix);
    }
}
