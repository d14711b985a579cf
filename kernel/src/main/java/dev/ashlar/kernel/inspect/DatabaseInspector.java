package dev.ashlar.kernel.inspect;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.sql.Names;
import dev.ashlar.kernel.inspect.InspectedTable.Check;
import dev.ashlar.kernel.inspect.InspectedTable.Column;
import dev.ashlar.kernel.inspect.InspectedTable.Identity;
import dev.ashlar.kernel.inspect.InspectedTable.Index;
import dev.ashlar.kernel.migrate.History;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.ashlar.kernel.inspect.CatalogRows.LIST;
import static dev.ashlar.kernel.inspect.CatalogRows.TABLES;
import static dev.ashlar.kernel.inspect.CatalogRows.list;

/**
 * Reads the tables of one schema of a live database from the catalog: columns with their types,
 * nullability and defaults, primary keys, unique indexes (identities), foreign keys (belongsTo, with
 * their actions), check constraints and other indexes (partial, expression, covering). Ashlar's own
 * tables ({@code ashlar_*}) and the migration history of the name given are left out.
 *
 * <pre>{@code
 * List<InspectedTable> tables = new DatabaseInspector(dataSource, "public").tables();
 * }</pre>
 */
public final class DatabaseInspector {
    private static final String FROM_TABLES = " JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n "
            + "ON n.oid = c.relnamespace WHERE " + TABLES;
    private static final String COLUMNS = "SELECT c.relname, a.attname, "
            + "format_type(a.atttypid, a.atttypmod), a.attnotnull::text, (a.attidentity <> '')::text, "
            + "pg_get_expr(d.adbin, d.adrelid), t.typtype::text, tn.nspname, t.typname, "
            + "array_to_string(ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid "
            + "ORDER BY e.enumsortorder), " + LIST + "), (SELECT et.typtype::text FROM pg_type et "
            + "WHERE et.oid = t.typelem AND t.typcategory = 'A'), a.attidentity::text, a.attgenerated::text, "
            // An identity's sequence: its start and increment (pg_sequence, PostgreSQL 10+).
            + "(SELECT s.seqstart::text || ' ' || s.seqincrement::text FROM pg_depend dep JOIN pg_sequence s "
            + "ON s.seqrelid = dep.objid WHERE dep.classid = 'pg_class'::regclass AND dep.refobjid = a.attrelid "
            + "AND dep.refobjsubid = a.attnum AND dep.deptype = 'i') "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            + "JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace "
            + "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE " + TABLES
            + " ORDER BY c.relname, a.attnum";
    // indnullsnotdistinct exists from PostgreSQL 15 on: read through to_jsonb so older servers answer too.
    private static final String INDEXES = "SELECT c.relname, i.relname, x.indisprimary::text, x.indisunique::text, "
            + "array_to_string(ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) "
            + "FROM generate_series(1, x.indnkeyatts) k), " + LIST + "), "
            + "array_to_string(ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) "
            + "FROM generate_series(x.indnkeyatts + 1, x.indnatts) k), " + LIST + "), "
            + "pg_get_expr(x.indpred, x.indrelid, true), am.amname, "
            + "(NOT coalesce((to_jsonb(x) ->> 'indnullsnotdistinct')::boolean, false))::text, "
            + "(x.indexprs IS NULL)::text, "
            + "(x.indoption::text ~ '[1-9]' OR EXISTS (SELECT 1 FROM unnest(x.indclass) oc JOIN pg_opclass o "
            + "ON o.oid = oc WHERE NOT o.opcdefault))::text, "
            + "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype = 'u')::text "
            + "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam"
            + FROM_TABLES + " ORDER BY c.relname, i.relname";
    private static final String CHECKS = "SELECT c.relname, x.conname, pg_get_constraintdef(x.oid, true), "
            + "array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = x.conrelid "
            + "AND a.attnum = ANY (x.conkey) ORDER BY a.attnum), " + LIST + ") "
            + "FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid JOIN pg_namespace n "
            + "ON n.oid = c.relnamespace WHERE " + TABLES + " AND x.contype = 'c' ORDER BY c.relname, x.conname";

    private final DataSource dataSource;
    private final String schema;
    private final String history;

    public DatabaseInspector(DataSource dataSource, String schema) {
        this(dataSource, schema, History.DEFAULT_TABLE);
    }

    /** Leaves out the migration history {@code history} too ({@code --history-table}), as Ashlar's own tables. */
    public DatabaseInspector(DataSource dataSource, String schema, String history) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.history = history;
    }

    /** The schema's tables, by name. */
    public List<InspectedTable> tables() {
        return tables(List.of());
    }

    /**
     * The schema's tables named in {@code only} (all of them when it is empty), by name. A foreign key to a table left
     * out becomes a note, as one to another schema does.
     *
     * @throws DefinitionException naming each table of {@code only} the schema does not have, and the tables it has
     */
    public List<InspectedTable> tables(Collection<String> only) {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, List<String[]>> columns = selected(CatalogRows.byTable(connection, COLUMNS, schema, history),
                    only);
            Map<String, List<String[]>> indexes = CatalogRows.byTable(connection, INDEXES, schema, history);
            Map<String, List<String[]>> checks = CatalogRows.byTable(connection, CHECKS, schema, history);
            Map<String, List<List<String>>> uniqueKeys = new LinkedHashMap<>();
            columns.keySet().forEach(table -> uniqueKeys.put(table, uniqueKeys(table, indexes.getOrDefault(table,
                    List.of()))));
            ForeignKeys keys = ForeignKeys.read(connection, schema, history, uniqueKeys);
            List<InspectedTable> tables = new ArrayList<>();
            for (Map.Entry<String, List<String[]>> table : columns.entrySet()) {
                tables.add(table(schema, table.getKey(), table.getValue(), indexes.getOrDefault(table.getKey(), List.of()),
                        checks.getOrDefault(table.getKey(), List.of()), keys));
            }
            return tables;
        } catch (SQLException e) {
            throw DatabaseException.of("Could not read the catalog of schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private Map<String, List<String[]>> selected(Map<String, List<String[]>> columns, Collection<String> only) {
        if (only.isEmpty()) {
            return columns;
        }
        List<String> missing = only.stream().filter(table -> !columns.containsKey(table)).toList();
        if (!missing.isEmpty()) {
            throw DefinitionException.of(null, null, "Schema " + schema + " has no table "
                    + String.join(", ", missing) + " (its tables: " + (columns.isEmpty() ? "none"
                    : String.join(", ", columns.keySet())) + "). Name tables as the catalog spells them, "
                    + "lower case unless they were created quoted.");
        }
        Map<String, List<String[]>> selected = new LinkedHashMap<>(columns);
        selected.keySet().retainAll(Set.copyOf(only));
        return selected;
    }

    /** The primary key first (empty when there is none), then the columns of each identity. */
    private static List<List<String>> uniqueKeys(String table, List<String[]> indexRows) {
        List<List<String>> keys = new ArrayList<>();
        keys.add(indexRows.stream().filter(r -> Boolean.parseBoolean(r[2])).findFirst().map(r -> list(r[4]))
                .orElse(List.of()));
        // A partial index cannot back a foreign key.
        indexRows.stream().filter(r -> identityName(table, r) != null && r[6] == null)
                .forEach(r -> keys.add(list(r[4])));
        return keys;
    }

    private static InspectedTable table(String schema, String name, List<String[]> columnRows, List<String[]> indexRows,
                                        List<String[]> checkRows, ForeignKeys keys) {
        List<String> primaryKey = keys.primaryKey(name);
        List<String> notes = new ArrayList<>();
        Set<String> notNull = new HashSet<>();
        columnRows.stream().filter(row -> Boolean.parseBoolean(row[3])).forEach(row -> notNull.add(row[1]));
        List<InspectedTable.BelongsTo> belongsTo = keys.of(name, notNull, notes);
        // A key column of the primary key stays an attribute, so that the key keeps the table's column order; its
        // relationship names it with attribute(...).
        Set<String> keyColumns = ForeignKeys.columns(belongsTo);
        keyColumns.removeAll(primaryKey);
        List<Column> columns = new ArrayList<>();
        Set<String> leftOut = new HashSet<>();
        for (String[] row : columnRows) {
            String column = row[1];
            if (keyColumns.contains(column)) {
                continue;
            }
            ColumnTypes.Mapped type = type(schema, name, row, primaryKey, notes);
            boolean generated = Boolean.parseBoolean(row[4]);
            if (type == null) {
                leftOut.add(column);
            } else {
                String[] sequence = row[13] == null ? new String[] {"1", "1"} : row[13].split(" ");
                columns.add(new Column(column, type.type(), type.source(), Boolean.parseBoolean(row[3]),
                        primaryKey.contains(column), generated, generated || computed(row, notes) ? null : row[5],
                        Long.parseLong(sequence[0]), Long.parseLong(sequence[1])));
            }
            if ("a".equals(row[11])) {
                notes.add("column " + column + " is GENERATED ALWAYS AS IDENTITY; the resource says GENERATED BY "
                        + "DEFAULT, as no resource says ALWAYS: keep it (a create that gives " + column + " fails) or "
                        + "ALTER TABLE ... ALTER COLUMN " + column + " SET GENERATED BY DEFAULT");
            }
        }
        List<Identity> identities = new ArrayList<>();
        List<Index> indexes = new ArrayList<>();
        for (String[] row : indexRows) {
            index(name, row, leftOut, identities, indexes, notes);
        }
        List<Check> checks = new ArrayList<>();
        for (String[] row : checkRows) {
            List<String> onLeftOut = list(row[3]).stream().filter(leftOut::contains).toList();
            if (onLeftOut.isEmpty()) {
                checks.add(check(name, row[1], row[2]));
            } else {
                notes.add("check " + row[1] + " (" + check(name, row[1], row[2]).expression() + ") is on "
                        + String.join(", ", onLeftOut) + ", left out of the resource: keep it with a custom statement "
                        + "(CustomStatements)");
            }
        }
        return new InspectedTable(name, columns, identities, belongsTo, checks, indexes, notes);
    }

    /**
     * The type of a column, or null when no resource type maps to it: the column is then left out of the resource with
     * a note, unless it is part of the primary key, without which there is no resource.
     */
    private static ColumnTypes.Mapped type(String schema, String table, String[] row, List<String> primaryKey,
                                           List<String> notes) {
        try {
            return ColumnTypes.of(schema, table, row[1], new ColumnTypes.Catalogued(row[2], row[6], row[7], row[8],
                    list(row[9]), row[10]));
        } catch (DefinitionException e) {
            if (primaryKey.contains(row[1])) {
                throw e;
            }
            boolean required = Boolean.parseBoolean(row[3]) && row[5] == null && !Boolean.parseBoolean(row[4]);
            // Leaving the table out is the fix when the column is in the key; here the column alone is left out.
            String reason = e.problems().get(0).message().replace(", or leave the table out of the domain.", ".");
            notes.add("column " + row[1] + " is left out: " + reason + " The resource reads "
                    + "and writes the other columns" + (required ? "; this one is NOT NULL without a default, so an "
                    + "insert through the resource fails until it is mapped or given a default" : "") + ".");
            return null;
        }
    }

    /**
     * Whether the column is computed ({@code GENERATED ALWAYS AS (...) STORED}), which no resource says: its
     * expression is not a default, so the attribute reads the column and the note keeps the expression.
     */
    private static boolean computed(String[] row, List<String> notes) {
        if (!"s".equals(row[12])) {
            return false;
        }
        notes.add("column " + row[1] + " is GENERATED ALWAYS AS (" + row[5] + ") STORED, which no resource says: "
                + "the attribute reads it; a create or update that gives it fails");
        return true;
    }

    /**
     * A unique btree index or UNIQUE constraint on plain columns becomes an identity; an index with
     * operator classes or orderings of its own cannot be said and becomes a note; any other, an index of the
     * indexes section under its own name.
     */
    private static void index(String table, String[] row, Set<String> leftOut, List<Identity> identities,
                              List<Index> indexes, List<String> notes) {
        String name = row[1];
        String identity = identityName(table, row);
        List<String> onLeftOut = Stream.concat(list(row[4]).stream(), list(row[5]).stream())
                .filter(leftOut::contains).toList();
        if (Boolean.parseBoolean(row[2])) {
            return;
        } else if (!onLeftOut.isEmpty()) {
            notes.add("index " + name + " is on " + String.join(", ", onLeftOut) + ", left out of the resource: keep "
                    + "it with a custom statement (CustomStatements)");
        } else if (Boolean.parseBoolean(row[10])) {
            notes.add("index " + name + " has an operator class, a sort order or a nulls order of its own, which "
                    + "the indexes section cannot say: keep it with a custom statement (CustomStatements)");
        } else if (identity != null) {
            String unique = identity;
            for (int n = 2; taken(identities, unique); n++) {
                unique = identity + "_" + n;
            }
            boolean constraint = Boolean.parseBoolean(row[11]);
            String indexName = name.equals(table + "_" + unique + "_index") ? null : name;
            identities.add(new Identity(unique, list(row[4]), indexName, row[6], Boolean.parseBoolean(row[8]),
                    constraint));
            if (constraint) {
                notes.add("unique constraint " + name + " is the identity " + unique + " with skipIndex, as no "
                        + "resource declares a UNIQUE constraint: the constraint enforces it and codegen makes no "
                        + "index for it; the drift check reports the constraint until it is swapped for a unique "
                        + "index");
            }
        } else {
            if (Boolean.parseBoolean(row[11])) {
                notes.add("unique constraint " + name + " is written as the unique index " + name + ", which holds the "
                        + "same rule, as no resource declares a UNIQUE constraint: the drift check reports the "
                        + "difference until the constraint is swapped for the index");
            }
            indexes.add(new Index(name, list(row[4]), Boolean.parseBoolean(row[3]), row[6],
                    "btree".equals(row[7]) ? null : row[7], list(row[5]), Boolean.parseBoolean(row[8])));
        }
    }

    private static boolean taken(List<Identity> identities, String name) {
        return identities.stream().anyMatch(identity -> identity.name().equals(name));
    }

    /**
     * The identity a unique btree index or UNIQUE constraint on plain columns is (partial or not, nulls distinct or
     * not), or null: named as Ashlar names an identity's index ({@code posts_slug_index} on posts is the identity
     * {@code slug}), else after its columns ({@code users_team_handle_idx} on team, handle is {@code team_handle}).
     */
    private static String identityName(String table, String[] row) {
        boolean plain = Boolean.parseBoolean(row[3]) && !Boolean.parseBoolean(row[2]) && "btree".equals(row[7])
                && list(row[5]).isEmpty() && Boolean.parseBoolean(row[9]) && !Boolean.parseBoolean(row[10]);
        if (!plain) {
            return null;
        }
        String ashlar = between(row[1], table + "_", "_index");
        return ashlar != null ? ashlar : String.join("_", list(row[4]));
    }

    /** {@code CHECK (amount > 0)} named {@code orders_positive_check} on orders is the check {@code positive}. */
    private static Check check(String table, String constraint, String definition) {
        String expression = definition.replaceFirst("^CHECK \\(", "").replaceFirst("\\)( NOT VALID)?$", "");
        String check = between(constraint, table + "_", "_check");
        return check != null ? new Check(check, null, expression) : new Check(constraint, constraint, expression);
    }

    /** The part of a name between a prefix and a suffix ({@link Names}' scheme), or null if it has neither or nothing between. */
    private static String between(String name, String prefix, String suffix) {
        return name.startsWith(prefix) && name.endsWith(suffix) && name.length() > prefix.length() + suffix.length()
                ? name.substring(prefix.length(), name.length() - suffix.length()) : null;
    }
}
