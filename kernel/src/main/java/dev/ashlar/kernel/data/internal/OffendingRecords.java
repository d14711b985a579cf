package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which records of a write of many a violated key belongs to. The server names the key's columns and values
 * ({@code Key (email)=(a@b.c) already exists.}), not the row that broke it: the records whose values read the same
 * are named in each field error, {@code (record 3 of 10)}, or {@code (records 3 and 7 of 10)} for a key repeated
 * within the write. A key over an expression ({@code lower(email)}), or values whose text differs from the server's
 * (a number's scale, a time's format), leave the error as it was.
 */
final class OffendingRecords {
    private static final Pattern KEY = Pattern.compile(
            "^Key \\((.+?)\\)=\\((.*?)\\) (?:already exists|is not present|conflicts)");

    private OffendingRecords() {
    }

    /**
     * @param conflictTarget the columns of an upsert's identity (empty for a create): an upsert that meets one key
     *                       twice is refused by the server without naming the key
     */
    static InvalidDataException named(InvalidDataException failure, ResourcePlan plan,
                                      List<? extends Map<String, ?>> records, List<String> conflictTarget) {
        if (records.size() < 2 || !(failure.getCause() instanceof SQLException cause)) {
            return failure;
        }
        if (ErrorMapper.CARDINALITY_VIOLATION.equals(cause.getSQLState()) && !conflictTarget.isEmpty()) {
            return repeated(failure, cause, plan, records, conflictTarget);
        }
        DatabaseError error = ErrorMapper.describe(cause);
        if (DatabaseError.NOT_NULL_VIOLATION.equals(cause.getSQLState())) {
            return withoutValue(failure, cause, plan, records, error.column());
        }
        Taken taken = taken(error, plan, records);
        // The server writes values unquoted: ("a, b", "c") and ("a", "b, c") read alike, and naming both would
        // blame a record that broke nothing.
        if (taken == null || taken.positions().isEmpty() || taken.keys().size() > 1) {
            return failure;
        }
        return naming(failure, cause, plan, records, taken.positions());
    }

    /**
     * The key a unique or foreign key violation names, read off its detail.
     *
     * @param fields    the key's fields
     * @param positions the records (1-based) whose values of those fields read as the server wrote them
     * @param keys      those records' values of the fields
     */
    record Taken(List<String> fields, List<Integer> positions, Set<List<Object>> keys) {
    }

    /** The key the error's detail names, or null when it names none or a column that is no field (an expression). */
    static Taken taken(DatabaseError error, ResourcePlan plan, List<? extends Map<String, ?>> records) {
        Matcher key = error.detail() == null ? null : KEY.matcher(error.detail());
        if (key == null || !key.find()) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        for (String column : key.group(1).split(", ")) {
            if (!plan.hasColumn(column)) {
                return null;
            }
            fields.add(plan.fieldOf(column));
        }
        List<Integer> positions = new ArrayList<>();
        Set<List<Object>> keys = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            if (key.group(2).equals(text(records.get(i), fields))) {
                positions.add(i + 1);
                keys.add(values(records.get(i), fields));
            }
        }
        return new Taken(fields, positions, keys);
    }

    /** Names the first records of the write that give one value of the upsert's identity (nulls never conflict). */
    private static InvalidDataException repeated(InvalidDataException failure, SQLException cause, ResourcePlan plan,
                                                 List<? extends Map<String, ?>> records, List<String> conflictTarget) {
        List<String> fields = conflictTarget.stream().filter(plan::hasColumn).map(plan::fieldOf).toList();
        Map<List<Object>, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            List<Object> key = values(records.get(i), fields);
            if (!key.contains(null)) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i + 1);
            }
        }
        return byKey.values().stream().filter(positions -> positions.size() > 1).findFirst()
                .map(positions -> naming(failure, cause, plan, records, positions)).orElse(failure);
    }

    /**
     * Names the records that give no value for a required column: the server names the column, not the row. Those
     * that give it as null are named first; those that leave it out only when nothing fills it in for them (a
     * default, an identity), else they are not to blame.
     */
    private static InvalidDataException withoutValue(InvalidDataException failure, SQLException cause,
                                                     ResourcePlan plan, List<? extends Map<String, ?>> records,
                                                     String column) {
        if (column == null || !plan.hasColumn(column)) {
            return failure;
        }
        String field = plan.fieldOf(column);
        boolean filledIn = plan.column(field).attribute().hasDatabaseValue()
                || plan.column(field).attribute().column().migrationDefault() != null;
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).containsKey(field) ? records.get(i).get(field) == null : !filledIn) {
                positions.add(i + 1);
            }
        }
        return positions.isEmpty() ? failure : naming(failure, cause, plan, records, positions, "");
    }

    private static InvalidDataException naming(InvalidDataException failure, SQLException cause, ResourcePlan plan,
                                               List<? extends Map<String, ?>> records, List<Integer> positions) {
        return naming(failure, cause, plan, records, positions, ", which repeat the key");
    }

    private static InvalidDataException naming(InvalidDataException failure, SQLException cause, ResourcePlan plan,
                                               List<? extends Map<String, ?>> records, List<Integer> positions,
                                               String why) {
        List<Integer> shown = positions.size() > 10 ? positions.subList(0, 10) : positions;
        String which = positions.size() == 1 ? " (record " + positions.get(0) + " of " + records.size() + ")"
                : " (records " + String.join(", ", shown.subList(0, shown.size() - 1).stream()
                .map(String::valueOf).toList()) + (positions.size() > shown.size() ? ", " + shown.get(shown.size() - 1)
                + " and " + (positions.size() - shown.size()) + " more" : " and " + shown.get(shown.size() - 1))
                + " of " + records.size() + why + ")";
        List<FieldError> errors = failure.errors().stream().map(field -> field.withMessage(field.message() + which))
                .toList();
        return new InvalidDataException(failure.resource().orElse(plan.name()), failure.action(), errors,
                failure.sqlState().orElse(null), cause);
    }

    private static List<Object> values(Map<String, ?> record, List<String> fields) {
        return fields.stream().map(field -> (Object) record.get(field)).toList();
    }

    /** A record's values of the key's fields as the server writes them in a detail: joined by a comma and a space. */
    private static String text(Map<String, ?> record, List<String> fields) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            Object value = record.get(field);
            if (value == null) {
                return null;
            }
            text.append(text.length() == 0 ? "" : ", ").append(value);
        }
        return text.toString();
    }
}
