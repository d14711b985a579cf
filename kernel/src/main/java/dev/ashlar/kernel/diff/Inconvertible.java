package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Type changes between which PostgreSQL has no cast at all ({@code cannot cast type integer to uuid}): the statement
 * fails whatever the rows hold, even on an empty table, so codegen refuses it rather than write it. Only families known
 * to have none between them are listed; text converts to and from every type, and {@code integer} to {@code boolean}.
 */
public final class Inconvertible {
    private static final Map<String, String> FAMILIES = Map.ofEntries(Map.entry("smallint", "number"),
            Map.entry("integer", "number"), Map.entry("bigint", "number"), Map.entry("real", "number"),
            Map.entry("double precision", "number"), Map.entry("numeric", "number"), Map.entry("uuid", "uuid"),
            Map.entry("boolean", "boolean"), Map.entry("date", "time"), Map.entry("timestamp", "time"),
            Map.entry("timestamptz", "time"), Map.entry("jsonb", "json"), Map.entry("bytea", "bytes"));

    private Inconvertible() {
    }

    /** @throws DefinitionException naming every resource and column whose type cannot be converted, and the way out */
    public static void refuse(List<MigrationStep> steps) {
        List<Problem> problems = steps.stream().filter(AlterColumn.class::isInstance).map(AlterColumn.class::cast)
                .filter(alter -> impossible(alter.from().type(), alter.to().type()))
                .map(alter -> new Problem(alter.table().resource(), alter.to().attributeName(), "changes column "
                        + alter.table().key() + "." + alter.to().name() + " from " + alter.from().type() + " to "
                        + alter.to().type() + ", between which PostgreSQL has no conversion, so the migration would "
                        + "fail even on an empty table. Add an attribute of the new type, copy the values over in a "
                        + "migration of your own, then remove the old one"))
                .toList();
        if (!problems.isEmpty()) {
            throw new DefinitionException(null, problems);
        }
    }

    static boolean impossible(String from, String to) {
        String a = FAMILIES.get(base(from));
        String b = FAMILIES.get(base(to));
        if (a == null || b == null || a.equals(b) || from.endsWith("[]") || to.endsWith("[]")) {
            return false;
        }
        boolean integerAndBoolean = Objects.equals(base(from), "integer") && b.equals("boolean")
                || a.equals("boolean") && Objects.equals(base(to), "integer");
        // jsonb has casts to and from numbers and booleans (PostgreSQL 11 and later).
        boolean json = a.equals("json") && (b.equals("number") || b.equals("boolean"));
        return !integerAndBoolean && !json;
    }

    private static String base(String type) {
        int parenthesis = type.indexOf('(');
        return parenthesis < 0 ? type : type.substring(0, parenthesis);
    }
}
