package dev.ashlar.kernel.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether a schema was made without Ashlar: it holds tables, views, foreign tables, sequences, types or functions, and
 * no migration history (what Flyway calls a non-empty schema without a schema history table). Ashlar's own tables (the
 * lock table, the tenant registry) and an extension's objects (PostGIS's {@code spatial_ref_sys}) do not count: a
 * database where only an extension was created is still empty.
 */
final class UnmanagedSchema {
    /**
     * Flyway's test of an empty PostgreSQL schema: no table, view, foreign table, sequence or composite type, no other
     * type of its own (a table's row type and array types come with what made them) and no function. An object an
     * extension made (pg_depend 'e') and Ashlar's own tables do not count.
     */
    private static final String HOLDS_OBJECTS = "SELECT EXISTS (SELECT 1 FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c') AND c.relname <> ? "
            + "AND NOT (n.nspname = 'public' AND c.relname = 'ashlar_migration_locks') "
            // The tenant registry a tenant run keeps in the main schema, maybe before the main schema's first migrate.
            + "AND c.relname <> 'ashlar_tenant_migrations' "
            + "AND NOT " + byExtension("pg_class", "c.oid")
            + " UNION ALL SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            + "WHERE n.nspname = ? AND t.typcategory NOT IN ('A', 'C') AND NOT " + byExtension("pg_type", "t.oid")
            + " UNION ALL SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            + "WHERE n.nspname = ? AND NOT " + byExtension("pg_proc", "p.oid") + ")";

    private static String byExtension(String catalog, String oid) {
        return "EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" + catalog + "'::regclass AND d.objid = " + oid
                + " AND d.deptype = 'e')";
    }

    private UnmanagedSchema() {
    }

    /** Whether the schema of {@code history} holds objects but that history is missing or empty. */
    static boolean is(Connection connection, History history) throws SQLException {
        String schema = history.schema();
        if (!history.applied(connection).isEmpty()) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement(HOLDS_OBJECTS)) {
            query.setString(1, schema);
            query.setString(2, history.name());
            query.setString(3, schema);
            query.setString(4, schema);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
