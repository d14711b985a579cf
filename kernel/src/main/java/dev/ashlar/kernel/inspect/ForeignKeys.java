package dev.ashlar.kernel.inspect;

import dev.ashlar.api.sql.Names;
import dev.ashlar.kernel.inspect.InspectedTable.BelongsTo;
import dev.ashlar.kernel.inspect.InspectedTable.ColumnPair;
import dev.ashlar.kernel.inspect.InspectedTable.KeyOptions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ashlar.kernel.inspect.CatalogRows.LIST;
import static dev.ashlar.kernel.inspect.CatalogRows.list;

/**
 * The foreign keys of a schema as belongs-to relationships: a key hangs on its first column that is not another
 * relationship's, preferring one outside the primary key, and its other columns match with the references section's
 * {@code matchWith}. A key no resource can say (to another schema or a table left out, {@code MATCH PARTIAL},
 * {@code SET DEFAULT}) becomes a note.
 */
final class ForeignKeys {
    private static final String COLUMNS_OF = "array_to_string(ARRAY(SELECT a.attname FROM unnest(%s) WITH ORDINALITY "
            + "k(num, pos) JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.num ORDER BY k.pos), " + LIST + ")";
    // confdelsetcols (ON DELETE SET NULL (columns)) exists from PostgreSQL 15 on: read through to_jsonb.
    private static final String KEYS = "SELECT c.relname, x.conname, r.relname, (r.relnamespace = c.relnamespace)::text, "
            + COLUMNS_OF.formatted("x.conkey", "x.conrelid") + ", " + COLUMNS_OF.formatted("x.confkey", "x.confrelid")
            + ", x.confdeltype, x.confupdtype, x.condeferrable::text, x.condeferred::text, x.confmatchtype, "
            + COLUMNS_OF.formatted("ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(to_jsonb(x) "
            + "-> 'confdelsetcols') = 'array' THEN to_jsonb(x) -> 'confdelsetcols' ELSE '[]' END)::smallint)",
            "x.conrelid") + ", rn.nspname "
            + "FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_class r ON r.oid = x.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace "
            + "WHERE " + CatalogRows.TABLES + " AND x.contype = 'f' ORDER BY c.relname, x.conname";

    private final Map<String, List<String[]>> rows;
    private final Map<String, List<List<String>>> uniqueKeys;

    private ForeignKeys(Map<String, List<String[]>> rows, Map<String, List<List<String>>> uniqueKeys) {
        this.rows = rows;
        this.uniqueKeys = uniqueKeys;
    }

    /**
     * The keys of a schema whose tables have these unique keys: per table its primary key first (empty when it has
     * none), then the columns of each identity.
     */
    static ForeignKeys read(Connection connection, String schema, String history,
                            Map<String, List<List<String>>> uniqueKeys) throws SQLException {
        return new ForeignKeys(CatalogRows.byTable(connection, KEYS, schema, history), uniqueKeys);
    }

    /** The primary key of an inspected table. */
    List<String> primaryKey(String table) {
        return uniqueKeys.get(table).get(0);
    }

    /** The columns the relationships declare, which are then no attributes of their own. */
    static Set<String> columns(List<BelongsTo> relationships) {
        Set<String> columns = new HashSet<>();
        relationships.forEach(r -> columns.add(r.column()));
        return columns;
    }

    /** The relationships of a table, whose NOT NULL columns are given, adding a note for each key they cannot say. */
    List<BelongsTo> of(String table, Set<String> notNull, List<String> notes) {
        List<BelongsTo> relationships = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (String[] row : rows.getOrDefault(table, List.of())) {
            List<String> columns = list(row[4]);
            List<String> referenced = list(row[5]);
            String problem = problem(row, referenced);
            int at = problem != null ? -1 : anchor(table, columns, referenced, row[2], used);
            if (problem == null && at < 0) {
                problem = "none of its columns is free of another relationship and references a column that is "
                        + "unique alone (the primary key or an identity of " + row[2] + ")";
            }
            if (problem != null) {
                notes.add("foreign key " + row[1] + " (" + String.join(", ", columns) + ") to " + row[12] + "."
                        + row[2] + " is not in the resources: " + problem + "; keep it with a custom statement "
                        + "(CustomStatements)");
                continue;
            }
            String column = columns.get(at);
            used.add(column);
            List<ColumnPair> matchWith = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (i != at) {
                    matchWith.add(new ColumnPair(columns.get(i), referenced.get(i)));
                }
            }
            String destinationColumn = List.of(referenced.get(at)).equals(primaryKey(row[2]))
                    ? null : referenced.get(at);
            relationships.add(new BelongsTo(relationship(column), column, row[2], notNull.contains(column),
                    destinationColumn, matchWith, options(table, column, row)));
        }
        return relationships;
    }

    private String problem(String[] row, List<String> referenced) {
        if (!Boolean.parseBoolean(row[3])) {
            return "it references another schema";
        }
        if (!uniqueKeys.containsKey(row[2])) {
            return "it references " + row[2] + ", a table left out of the inspection: inspect it too";
        }
        if (uniqueKeys.get(row[2]).stream().noneMatch(key -> Set.copyOf(key).equals(Set.copyOf(referenced)))) {
            return "the columns it references are neither the primary key of " + row[2] + " nor one of its "
                    + "identities (a unique index named " + row[2] + "_<identity>_index)";
        }
        if ("p".equals(row[10])) {
            return "MATCH PARTIAL has no equivalent";
        }
        if ("d".equals(row[6]) || "d".equals(row[7])) {
            return "SET DEFAULT has no equivalent";
        }
        return null;
    }

    /**
     * The column a relationship can hang on: not another relationship's, and referencing a column that is unique
     * alone, as a belongs-to's destination attribute must be; one outside the primary key first, else one of it (a
     * join table's key).
     */
    private int anchor(String table, List<String> columns, List<String> referenced, String destination,
                       Set<String> used) {
        List<String> primaryKey = primaryKey(table);
        for (boolean inKey : new boolean[]{false, true}) {
            for (int i = 0; i < columns.size(); i++) {
                if (primaryKey.contains(columns.get(i)) == inKey && !used.contains(columns.get(i))
                        && uniqueKeys.get(destination).contains(List.of(referenced.get(i)))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static KeyOptions options(String table, String column, String[] row) {
        return new KeyOptions(row[1], Names.foreignKey(table, column).equals(row[1]), onDelete(row[6]), list(row[11]),
                onUpdate(row[7]), Boolean.parseBoolean(row[8]), Boolean.parseBoolean(row[9]), "f".equals(row[10]));
    }

    private static String onDelete(String action) {
        return switch (action) {
            case "r" -> "RESTRICT";
            case "c" -> "DELETE";
            case "n" -> "NILIFY";
            default -> "NOTHING";
        };
    }

    private static String onUpdate(String action) {
        return switch (action) {
            case "r" -> "RESTRICT";
            case "c" -> "UPDATE";
            case "n" -> "NILIFY";
            default -> "NOTHING";
        };
    }

    /** {@code author_id} is the relationship {@code author}; a column named otherwise, {@code <column>_ref}. */
    private static String relationship(String column) {
        return column.endsWith("_id") && column.length() > 3 ? column.substring(0, column.length() - 3) : column + "_ref";
    }
}
