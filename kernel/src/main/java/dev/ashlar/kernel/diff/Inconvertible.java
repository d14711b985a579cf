package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.kernel.diff.MigrationStep.AlterColumn;

import java.util.List;
import java.util.Map;

/**
 * Type changes between which PostgreSQL has no cast at all ({@code cannot cast type integer to uuid}): the statement
 * fails whatever the rows hold, even on an empty table, so codegen refuses it rather than write it. A conversion that
 * is not a known widening is guarded by casting each value there and back (see {@link TypeConversion#guard}), so a
 * cast is needed both ways. Text ({@code text}, {@code varchar}, {@code citext}) converts to and from every type
 * through its input and output functions, arrays and ranges as their elements do, and {@code integer} to
 * {@code boolean}; otherwise only types of one family do. A type of no known family (an extension's such as
 * {@code vector}) is left to PostgreSQL.
 */
public final class Inconvertible {
    private static final String TEXT = "text";
    private static final Map<String, String> FAMILIES = Map.ofEntries(Map.entry("text", TEXT),
            Map.entry("varchar", TEXT), Map.entry("citext", TEXT), Map.entry("smallint", "number"),
            Map.entry("integer", "number"), Map.entry("bigint", "number"), Map.entry("real", "number"),
            Map.entry("double precision", "number"), Map.entry("numeric", "number"), Map.entry("uuid", "uuid"),
            Map.entry("boolean", "boolean"), Map.entry("date", "time"), Map.entry("timestamp", "time"),
            Map.entry("timestamptz", "time"), Map.entry("time", "clock"), Map.entry("interval", "clock"),
            Map.entry("jsonb", "json"), Map.entry("bytea", "bytes"), Map.entry("ltree", "ltree"));

    private Inconvertible() {
    }

    /** @throws DefinitionException naming every resource and column whose type cannot be converted, and the way out */
    public static void refuse(List<MigrationStep> steps) {
        List<Problem> problems = steps.stream().filter(AlterColumn.class::isInstance).map(AlterColumn.class::cast)
                // Two native enum types convert through text (ColumnChange), label by label.
                .filter(alter -> alter.from().enumType() == null || alter.to().enumType() == null)
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
        boolean fromArray = from.endsWith("[]");
        boolean toArray = to.endsWith("[]");
        if (fromArray && toArray) {
            return impossible(element(from), element(to));
        }
        if (fromArray || toArray) {
            // An array converts only to and from text, through its literal ('{1,2}').
            String family = family(fromArray ? to : from);
            return family != null && !family.equals(TEXT);
        }
        String a = family(from);
        String b = family(to);
        if (a == null || b == null || a.equals(TEXT) || b.equals(TEXT)) {
            return false;
        }
        if (a.equals("range") && b.equals("range")) {
            // Converted bound by bound (TypeConversion.rangeCast).
            return impossible(TypeConversion.rangeElement(base(from)), TypeConversion.rangeElement(base(to)));
        }
        boolean integerAndBoolean = base(from).equals("integer") && b.equals("boolean")
                || a.equals("boolean") && base(to).equals("integer");
        return !a.equals(b) && !integerAndBoolean;
    }

    /**
     * The family of a type that is not an array: a built-in range is a {@code range}, a type of the project's own (a
     * native enum or a composite, written quoted) is a family of its own, and another type of no known family null.
     */
    private static String family(String type) {
        String base = base(type);
        if (TypeConversion.rangeElement(base) != null) {
            return "range";
        }
        return base.startsWith("\"") ? base : FAMILIES.get(base);
    }

    private static String element(String array) {
        return array.substring(0, array.length() - 2);
    }

    /** The type without modifier nor schema: {@code "public".citext} is {@code citext}, {@code varchar(5)} {@code varchar}. */
    private static String base(String type) {
        int parenthesis = type.indexOf('(');
        String bare = parenthesis < 0 ? type : type.substring(0, parenthesis);
        int qualified = bare.lastIndexOf("\".");
        return qualified < 0 ? bare : bare.substring(qualified + 2);
    }
}
