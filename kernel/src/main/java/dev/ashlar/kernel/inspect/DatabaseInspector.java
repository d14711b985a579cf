package dev.ashlar.kernel.inspect;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.inspect.InspectedTable.BelongsTo;
import dev.ashlar.kernel.inspect.InspectedTable.Column;
import dev.ashlar.kernel.inspect.InspectedTable.Identity;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the tables of one schema of a live database from the catalog: columns with their types,
 * nullability and defaults, primary keys, unique indexes (identities) and single-column foreign keys
 * (belongsTo). Ashlar's own tables ({@code ashlar_*}) are left out.
 *
 * <pre>{@code
 * List<InspectedTable> tables = new DatabaseInspector(dataSource, "public").tables();
 * }</pre>
 */
public final class DatabaseInspector {
    private static final String TABLES = "n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'ashlar\\_%'";

    private final DataSource dataSource;
    private final String schema;

    public DatabaseInspector(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** The schema's tables, by name. */
    public List<InspectedTable> tables() {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, List<String[]>> columns = rows(connection, "SELECT c.relname, a.attname, "
                    + "format_type(a.atttypid, a.atttypmod), a.attnotnull::text, (a.attidentity <> '')::text, "
                    + "pg_get_expr(d.adbin, d.adrelid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                    + "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE " + TABLES
                    + " ORDER BY c.relname, a.attnum");
            Map<String, List<String[]>> indexes = rows(connection, "SELECT c.relname, i.relname, x.indisprimary::text, "
                    + "array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(num, pos) "
                    + "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num ORDER BY k.pos), ',') "
                    + "FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + TABLES + " AND x.indisunique "
                    + "AND x.indpred IS NULL AND x.indexprs IS NULL ORDER BY c.relname, i.relname");
            Map<String, List<String[]>> keys = rows(connection, "SELECT c.relname, a.attname, r.relname "
                    + "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
                    + "AND a.attnum = k.conkey[1] WHERE " + TABLES + " AND k.contype = 'f' "
                    + "AND cardinality(k.conkey) = 1 AND r.relnamespace = c.relnamespace ORDER BY c.relname, a.attname");
            List<InspectedTable> tables = new ArrayList<>();
            for (Map.Entry<String, List<String[]>> table : columns.entrySet()) {
                String name = table.getKey();
                tables.add(table(name, table.getValue(), indexes.getOrDefault(name, List.of()),
                        keys.getOrDefault(name, List.of()), columns.keySet()));
            }
            return tables;
        } catch (SQLException e) {
            throw DatabaseException.of("Could not read the catalog of schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private static InspectedTable table(String name, List<String[]> columnRows, List<String[]> indexRows,
                                        List<String[]> keyRows, java.util.Set<String> tables) {
        List<String> primaryKey = indexRows.stream().filter(r -> Boolean.parseBoolean(r[2]))
                .findFirst().map(r -> Arrays.asList(r[3].split(","))).orElse(List.of());
        Map<String, String> references = new LinkedHashMap<>();
        keyRows.stream().filter(r -> tables.contains(r[2]) && !primaryKey.contains(r[1]))
                .forEach(r -> references.putIfAbsent(r[1], r[2]));
        List<Column> columns = new ArrayList<>();
        List<BelongsTo> belongsTo = new ArrayList<>();
        for (String[] row : columnRows) {
            String column = row[1];
            boolean notNull = Boolean.parseBoolean(row[3]);
            if (references.containsKey(column)) {
                String relationship = column.endsWith("_id") ? column.substring(0, column.length() - 3) : column + "_ref";
                belongsTo.add(new BelongsTo(relationship, column, references.get(column), notNull));
                continue;
            }
            ColumnTypes.Mapped type = ColumnTypes.of(name, column, row[2]);
            boolean generated = Boolean.parseBoolean(row[4]);
            columns.add(new Column(column, type.type(), type.source(), notNull, primaryKey.contains(column), generated,
                    generated ? null : row[5]));
        }
        List<Identity> identities = indexRows.stream().filter(r -> !Boolean.parseBoolean(r[2]))
                .map(r -> new Identity(identityName(name, r[1]), Arrays.asList(r[3].split(",")))).toList();
        return new InspectedTable(name, columns, identities, belongsTo);
    }

    /** {@code posts_slug_index} on posts is the identity {@code slug}. */
    private static String identityName(String table, String index) {
        String name = index.startsWith(table + "_") ? index.substring(table.length() + 1) : index;
        return name.replaceAll("_(index|idx|key|unique)$", "");
    }

    /** Rows by their first column (the table), keeping every column as text. */
    private Map<String, List<String[]>> rows(Connection connection, String sql) throws SQLException {
        Map<String, List<String[]>> byTable = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                int width = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = rows.getString(i + 1);
                    }
                    byTable.computeIfAbsent(row[0], t -> new ArrayList<>()).add(row);
                }
            }
        }
        return byTable;
    }
}
