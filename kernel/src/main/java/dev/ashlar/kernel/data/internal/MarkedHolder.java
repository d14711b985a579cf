package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A key a write found taken by a record marked deleted ({@code softDelete(...)}). Reads, a merge's match and an
 * upsert's identity leave such a record out, but the primary key and an identity declared with
 * {@code ignoreBaseFilter()} still hold its values, so a create, upsert or merge of them meets the unique index as if
 * the key were free-looking yet taken. PostgreSQL says only that the key exists; the error says which hidden record
 * holds it and the ways out: restore it, destroy it for good, or give another key.
 */
final class MarkedHolder {

    private MarkedHolder() {
    }

    /**
     * The failure with the holder named in its key's field error, when the key it names is one a record marked deleted
     * holds in the writing handle's tenant; else the failure as it was.
     *
     * @param marked whether a record marked deleted holds these values of these fields, as the handle reads them
     *               (false where it cannot tell)
     */
    static InvalidDataException explained(InvalidDataException failure, ResourcePlan plan,
                                          List<? extends Map<String, ?>> records,
                                          Predicate<Map<String, Object>> marked) {
        if (plan.softDelete() == null || !DatabaseError.UNIQUE_VIOLATION.equals(failure.sqlState().orElse(null))
                || !(failure.getCause() instanceof SQLException cause)) {
            return failure;
        }
        OffendingRecords.Taken taken = OffendingRecords.taken(ErrorMapper.describe(cause), plan, records);
        if (taken == null || taken.keys().size() != 1) {
            return failure;
        }
        Map<String, Object> key = new LinkedHashMap<>();
        List<Object> values = taken.keys().iterator().next();
        for (int i = 0; i < taken.fields().size(); i++) {
            key.put(taken.fields().get(i), values.get(i));
        }
        if (!marked.test(key)) {
            return failure;
        }
        List<FieldError> errors = failure.errors().stream().map(error -> taken.fields().contains(error.field())
                ? error.withMessage(error.message() + ": " + why(plan, key)) : error).toList();
        return new InvalidDataException(failure.resource().orElse(plan.name()), failure.action(), errors,
                failure.sqlState().orElse(null), cause);
    }

    private static String why(ResourcePlan plan, Map<String, Object> key) {
        String resource = plan.name();
        String mark = plan.softDelete().name();
        boolean primaryKey = plan.primaryKey().stream().map(ColumnPlan::name).toList().equals(List.copyOf(key.keySet()));
        return key + " is held by a record of " + resource + " marked deleted (reads and merges leave it out). "
                + "Restore it by clearing '" + mark + "' (read(\"" + resource + "\").ignoreBaseFilter().where(...)"
                + ".updateAll(...)), destroy it for good (ashlar.permanently().read(\"" + resource
                + "\").ignoreBaseFilter().where(...).destroyAll()), or give "
                + (primaryKey ? "another key" : "other values, or declare the identity without ignoreBaseFilter() so "
                + "that records marked deleted free them");
    }
}
