package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.diff.Differ.Placed;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A check, or an index's predicate or expression, that reads a column changing type. PostgreSQL keeps it through
 * {@code ALTER COLUMN ... TYPE} by printing it for the old type and parsing that again for the new one, so it comes out
 * with the old type's casts: a check {@code price > 0} over an integer made numeric and back reads
 * {@code (price)::numeric > (0)::numeric}, which is not what its own text creates, so a rolled-back migration would
 * not give back the catalog it started from, and a type the old casts no longer fit fails the change outright. Such an
 * object is dropped before the columns change and created again from its own text after. A plain index names its
 * columns only, and PostgreSQL rebuilds it as it was.
 */
final class ExpressionsOnRetypedColumns {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private ExpressionsOnRetypedColumns() {
    }

    /**
     * Adds to {@code drop} (and, where it stays, to {@code add}) every object that reads a retyped column.
     *
     * @param retyped the names (old and new) of the columns changing type, by the old key of their table
     */
    static void rebuild(Map<ObjectKey, Placed> oldObjects, Map<ObjectKey, Placed> newObjects,
                        Map<ObjectKey, Set<String>> retyped, Set<ObjectKey> drop, Set<ObjectKey> add) {
        oldObjects.forEach((key, placed) -> {
            Set<String> columns = retyped.get(placed.table().objectKey());
            if (columns != null && reads(placed.object(), columns)) {
                drop.add(key);
                if (newObjects.containsKey(key)) {
                    add.add(key);
                }
            }
        });
    }

    /** Whether one of the object's SQL expressions names one of the columns, quoted or not. */
    static boolean reads(SchemaObject object, Set<String> columns) {
        List<String> expressions = expressions(object);
        return columns.stream().map(ExpressionsOnRetypedColumns::named)
                .anyMatch(name -> expressions.stream().anyMatch(sql -> name.matcher(sql).find()));
    }

    private static List<String> expressions(SchemaObject object) {
        List<String> expressions = new ArrayList<>();
        Map<String, Object> definition = object.definition();
        if (object.kind().equals(ObjectKind.CHECK)) {
            addText(expressions, definition.get("expression"));
            addText(expressions, definition.get("base_filter"));
        } else if (object.kind().equals(ObjectKind.INDEX) || object.kind().equals(ObjectKind.IDENTITY)) {
            addText(expressions, definition.get("where"));
            if (definition.get("fields") instanceof List<?> fields) {
                // A field that is no plain name is an expression ("lower(email)"); a column PostgreSQL rebuilds as it was.
                fields.stream().filter(f -> f instanceof String s && !PLAIN_NAME.matcher(s).matches())
                        .forEach(f -> expressions.add((String) f));
            }
        }
        return expressions;
    }

    private static void addText(List<String> expressions, Object value) {
        if (value instanceof String text) {
            expressions.add(text);
        }
    }

    /** The column as a word of SQL: its name not inside a longer one, bare (any case) or quoted as written. */
    private static Pattern named(String column) {
        return Pattern.compile("(?<![\\w$\"])" + Pattern.quote(column) + "(?![\\w$\"])|"
                + Pattern.quote("\"" + column.replace("\"", "\"\"") + "\""), Pattern.CASE_INSENSITIVE);
    }
}
