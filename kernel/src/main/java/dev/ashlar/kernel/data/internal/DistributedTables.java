package dev.ashlar.kernel.data.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tables Citus distributes by a column (hash distribution): an upsert's conflict target on such a
 * table must include the distribution column. Read from the catalogue once per table and remembered; on
 * a database without Citus every table is local.
 */
final class DistributedTables {
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    /**
     * Finds out, once, whether a table is distributed by a column.
     *
     * @param table the table as SQL, quoted and qualified
     */
    boolean read(Connection connection, String table) throws SQLException {
        Boolean distributed = known.get(table);
        if (distributed == null) {
            distributed = citus(connection) && hashDistributed(connection, table);
            known.put(table, distributed);
        }
        return distributed;
    }

    /** What {@link #read} found for a table; {@code false} before it was read. */
    boolean known(String table) {
        return known.getOrDefault(table, false);
    }

    private static boolean citus(Connection connection) throws SQLException {
        return bool(connection, "SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL", null);
    }

    private static boolean hashDistributed(Connection connection, String table) throws SQLException {
        return bool(connection, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition "
                + "WHERE logicalrelid = to_regclass(?) AND partmethod = 'h')", table);
    }

    private static boolean bool(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
