package dev.ashlar.kernel.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether a schema was made without Ashlar: it holds tables, views or foreign tables, and no migration history (what
 * Flyway calls a non-empty schema without a schema history table). Ashlar's own tables and an extension's (PostGIS's
 * {@code spatial_ref_sys}) do not count: a database where only an extension was created is still empty.
 */
final class UnmanagedSchema {
    private static final String HOLDS_TABLES = "SELECT EXISTS (SELECT 1 FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> ? "
            + "AND NOT (n.nspname = 'public' AND c.relname = 'ashlar_migration_locks') "
            + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
            + "AND d.deptype = 'e'))";

    private UnmanagedSchema() {
    }

    /** Whether {@code schema} holds tables but its history is missing or empty. */
    static boolean is(Connection connection, String schema) throws SQLException {
        if (!new History(schema).applied(connection).isEmpty()) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement(HOLDS_TABLES)) {
            query.setString(1, schema);
            query.setString(2, History.TABLE);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
