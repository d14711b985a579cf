package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The list partitions of a partitioned resource's table, as AshPostgres's {@code create_partition} makes them: the
 * partition of key {@code 1} of {@code "posts"} is {@code "posts_1"}, in the table's schema (the tenant's for a
 * tenant's resource). The table is read from the catalog, so a table partitioned by {@code createTableOptions} works
 * too. The key is a value: the server writes it as a literal ({@code format('%L')}), never Ashlar.
 */
final class Partitions {
    private static final String PARENT = "SELECT n.nspname, c.relname, pt.partstrat, (SELECT a.attname "
            + "FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = pt.partattrs[0]) "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid WHERE c.oid = to_regclass(?)";
    /** The key as the server writes a value of the key's column: {@code 1} for "01" in an integer column. */
    private static final String KEY_TEXT = "SELECT to_jsonb(json_populate_record(NULL::%s, json_build_object(?, ?))) "
            + "->> ?";
    private static final String CHILD = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i "
            + "JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE i.inhparent = to_regclass(?) AND n.nspname = ? AND c.relname = ?)";
    private static final String CREATE = "SELECT format('CREATE TABLE %s PARTITION OF %s FOR VALUES IN (%L)', ?, ?, ?)";
    private static final String DUPLICATE_TABLE = "42P07";

    private final String table;
    private final String schema;
    private final String name;
    private final String key;

    private Partitions(String table, String schema, String name, String key) {
        this.table = table;
        this.schema = schema;
        this.name = name;
        this.key = key;
    }

    /**
     * The key read as a value of its column and written back as text by the server, so that one value has one
     * partition name however it is given ("01" and 1, an upper-case uuid); a text that is no value of the column
     * fails as a write of it would.
     */
    private static String keyText(Connection connection, String table, String column, Object key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(String.format(KEY_TEXT, table))) {
            statement.setString(1, column);
            statement.setString(2, String.valueOf(key));
            statement.setString(3, column);
            try (ResultSet text = statement.executeQuery()) {
                text.next();
                return text.getString(1);
            }
        }
    }

    /**
     * The partition of {@code key} of the resource's table.
     *
     * @param table the table, quoted and qualified as the resource's statements name it
     * @throws QueryException when the table is missing or not partitioned by list, or the name is too long
     */
    static Partitions of(Connection connection, String resource, String table, Object key) throws SQLException {
        if (key == null) {
            throw QueryException.of(resource, null, "A partition of " + resource + " is made for a key value; give "
                    + "one that is not null");
        }
        try (PreparedStatement statement = connection.prepareStatement(PARENT)) {
            statement.setString(1, table);
            try (ResultSet parent = statement.executeQuery()) {
                if (!parent.next()) {
                    throw QueryException.of(resource, null, "The table of " + resource + ", " + table + ", does not "
                            + "exist: migrate (or create the tenant) before making its partitions");
                }
                String method = parent.getString(3);
                if (!"l".equals(method)) {
                    throw QueryException.of(resource, null, "The table of " + resource + ", " + table + ", is "
                            + (method == null ? "not partitioned: declare partitionBy(PartitionMethod.LIST, ...) "
                            + "on the resource before it is created" : "partitioned by " + ("r".equals(method) ? "range"
                            : "hash") + ": createPartition makes list partitions; make its partitions in a "
                            + "migration's statement"));
                }
                String column = parent.getString(4);
                if (column == null) {
                    throw QueryException.of(resource, null, "The table of " + resource + ", " + table + ", is "
                            + "partitioned by an expression: make its partitions in a migration's statement");
                }
                String text = keyText(connection, table, column, key);
                String name = parent.getString(2) + "_" + text;
                String problem = Identifiers.problem(name);
                if (problem != null) {
                    throw QueryException.of(resource, null, "The partition of " + resource + " for " + key + " would "
                            + "be named '" + name + "', which " + problem);
                }
                return new Partitions(table, parent.getString(1), name, text);
            }
        }
    }

    boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CHILD)) {
            statement.setString(1, table);
            statement.setString(2, schema);
            statement.setString(3, name);
            try (ResultSet found = statement.executeQuery()) {
                found.next();
                return found.getBoolean(1);
            }
        }
    }

    /** Creates the partition; false when it was there already, made before or by a caller at the same time. */
    boolean create(Connection connection) throws SQLException {
        if (exists(connection)) {
            return false;
        }
        String ddl;
        try (PreparedStatement statement = connection.prepareStatement(CREATE)) {
            statement.setString(1, Identifiers.qualify(schema, name));
            statement.setString(2, table);
            statement.setString(3, key);
            try (ResultSet formatted = statement.executeQuery()) {
                formatted.next();
                ddl = formatted.getString(1);
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(ddl);
            return true;
        } catch (SQLException e) {
            // Inside a caller's transaction the failure aborted it: there is nothing more to ask.
            if (DUPLICATE_TABLE.equals(e.getSQLState()) && connection.getAutoCommit() && exists(connection)) {
                return false;
            }
            throw e;
        }
    }
}
