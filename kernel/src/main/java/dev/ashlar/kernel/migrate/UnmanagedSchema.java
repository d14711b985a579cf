package dev.ashlar.kernel.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a schema was made without Ashlar: it holds tables, views, foreign tables, sequences, types or functions, and
 * no migration history (what Flyway calls a non-empty schema without a schema history table). Ashlar's own tables (the
 * lock table, the tenant registry, the progress table of a file outside a transaction) and an extension's objects
 * (PostGIS's {@code spatial_ref_sys}) do not count: a database where only an extension was created is still empty. A
 * schema where such a file stands part way is Ashlar's, whose next migrate resumes it.
 */
final class UnmanagedSchema {
    /** How many of the objects found a refusal names; it counts the rest. */
    static final int NAMED = 5;

    /**
     * Flyway's test of an empty PostgreSQL schema: no table, view, foreign table, sequence or composite type, no other
     * type of its own (a table's row type and array types come with what made them) and no function. An object an
     * extension made (pg_depend 'e') and Ashlar's own tables do not count. Each row is one object, with the count of
     * all of them.
     */
    private static final String OBJECTS = "SELECT kind, name, count(*) OVER () FROM ("
            + "SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'f' THEN "
            + "'foreign table' WHEN 'S' THEN 'sequence' WHEN 'c' THEN 'type' ELSE 'table' END AS kind, c.relname AS name "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c') AND c.relname <> ? "
            + "AND NOT (n.nspname = 'public' AND c.relname = 'ashlar_migration_locks') "
            // The tenant registry a tenant run keeps in the main schema, maybe before the main schema's first migrate.
            + "AND c.relname <> 'ashlar_tenant_migrations' "
            // The progress table of this history (MigrationProgress), left empty by a file recorded since.
            + "AND c.relname <> ? "
            + "AND NOT " + byExtension("pg_class", "c.oid")
            + " UNION ALL SELECT 'type', t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            + "WHERE n.nspname = ? AND t.typcategory NOT IN ('A', 'C') AND NOT " + byExtension("pg_type", "t.oid")
            + " UNION ALL SELECT 'function', p.proname || '()' FROM pg_proc p JOIN pg_namespace n "
            + "ON n.oid = p.pronamespace WHERE n.nspname = ? AND NOT " + byExtension("pg_proc", "p.oid")
            + ") found ORDER BY kind, name LIMIT " + NAMED;

    private static String byExtension(String catalog, String oid) {
        return "EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" + catalog + "'::regclass AND d.objid = " + oid
                + " AND d.deptype = 'e')";
    }

    private UnmanagedSchema() {
    }

    /** Whether the schema of {@code history} holds objects but that history is missing or empty. */
    static boolean is(Connection connection, History history) throws SQLException {
        return !found(connection, history).isEmpty();
    }

    /**
     * What the schema of {@code history} holds when that history is missing or empty (empty when it holds nothing, or
     * has a history): at most {@link #NAMED} objects, as {@code table posts}, then {@code and 7 more} when there are.
     */
    static List<String> found(Connection connection, History history) throws SQLException {
        String schema = history.schema();
        // A history kept apart is not in the schema: a table there of its name is the application's. No table is
        // named with nothing.
        String name = history.home().equals(schema) ? history.name() : "";
        String progress = name.isEmpty() ? "" : MigrationProgress.table(name);
        // A file outside a transaction stands part way (its objects made, its row not yet written): Ashlar's run, which
        // the next migrate resumes; neither refused nor baselined as a schema made by hand.
        if (!history.applied(connection).isEmpty() || !new MigrationProgress(history).read(connection).isEmpty()) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        long all = 0;
        try (PreparedStatement query = connection.prepareStatement(OBJECTS)) {
            query.setString(1, schema);
            query.setString(2, name);
            query.setString(3, progress);
            query.setString(4, schema);
            query.setString(5, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1) + " " + rows.getString(2));
                    all = rows.getLong(3);
                }
            }
        }
        if (all > found.size()) {
            found.add("and " + (all - found.size()) + " more");
        }
        return found;
    }
}
