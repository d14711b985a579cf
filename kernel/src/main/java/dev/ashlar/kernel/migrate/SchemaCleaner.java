package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Drops what migrations made, as Flyway's {@code clean} does: whole schemas made for the project (tenant schemas, the
 * schemas of main resources other than {@code public}), and in {@code public} every table, view, sequence, routine,
 * operator, operator class and family, conversion, type, domain, collation, text search configuration and dictionary,
 * and extension, with the migration history.
 * {@code public} itself stays, with its owner and grants, and so does Ashlar's lock table, which the running clean
 * holds its lock through. Objects that belong to an extension go with the extension, and those that are part of another
 * object (a range type's constructor functions) with that object.
 */
final class SchemaCleaner {
    /**
     * What to drop in a schema that stays, one row an object: its kind for {@code DROP}, and its name. A sequence owned
     * by a column and a partition go with their table ({@code a} or {@code i} dependencies on another relation; a
     * partitioned table depends so on itself).
     */
    private static final String OBJECTS = """
            SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                   WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, format('%I.%I', n.nspname, c.relname), 1
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND NOT c.relispartition
               AND NOT (n.nspname = 'public' AND c.relname = 'ashlar_migration_locks')
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                  AND (d.deptype = 'e' OR d.deptype IN ('a', 'i')
                                       AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid))
            UNION ALL
            SELECT CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                   format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), 2
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                  AND d.deptype IN ('e', 'i'))
            UNION ALL
            SELECT 'OPERATOR', format('%I.%s(%s, %s)', n.nspname, o.oprname,
                   CASE o.oprleft WHEN 0 THEN 'NONE' ELSE o.oprleft::regtype::text END,
                   CASE o.oprright WHEN 0 THEN 'NONE' ELSE o.oprright::regtype::text END), 2
              FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_operator'::regclass AND d.objid = o.oid
                                  AND d.deptype IN ('e', 'i'))
            UNION ALL
            SELECT 'OPERATOR CLASS', format('%I.%I USING %I', n.nspname, c.opcname, am.amname), 2
              FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am am ON am.oid = c.opcmethod
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_opclass'::regclass AND d.objid = c.oid
                                  AND d.deptype IN ('e', 'i'))
            UNION ALL
            SELECT 'OPERATOR FAMILY', format('%I.%I USING %I', n.nspname, f.opfname, am.amname), 2
              FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_opfamily'::regclass AND d.objid = f.oid
                                  AND d.deptype IN ('e', 'i'))
            UNION ALL
            SELECT 'CONVERSION', format('%I.%I', n.nspname, co.conname), 2
              FROM pg_conversion co JOIN pg_namespace n ON n.oid = co.connamespace
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_conversion'::regclass AND d.objid = co.oid
                                  AND d.deptype IN ('e', 'i'))
            UNION ALL
            SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, format('%I.%I', n.nspname, t.typname), 3
              FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = ? AND (t.typtype IN ('e', 'r', 'd')
                   OR t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                                  AND d.deptype IN ('e', 'i'))
            UNION ALL
            SELECT 'COLLATION', format('%I.%I', n.nspname, co.collname), 4
              FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_collation'::regclass AND d.objid = co.oid
                                  AND d.deptype = 'e')
            UNION ALL
            SELECT 'TEXT SEARCH CONFIGURATION', format('%I.%I', n.nspname, ts.cfgname), 4
              FROM pg_ts_config ts JOIN pg_namespace n ON n.oid = ts.cfgnamespace
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_ts_config'::regclass AND d.objid = ts.oid
                                  AND d.deptype = 'e')
            UNION ALL
            SELECT 'TEXT SEARCH DICTIONARY', format('%I.%I', n.nspname, td.dictname), 5
              FROM pg_ts_dict td JOIN pg_namespace n ON n.oid = td.dictnamespace
             WHERE n.nspname = ?
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_ts_dict'::regclass AND d.objid = td.oid
                                  AND d.deptype = 'e')
            UNION ALL
            SELECT 'EXTENSION', format('%I', e.extname), 6
              FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
             WHERE n.nspname = ?
            ORDER BY 3, 2
            """;

    private SchemaCleaner() {
    }

    /**
     * Drops the schemas (those that exist) whole, then empties {@code kept}, on a connection in auto-commit: each
     * schema dropped commits alone, what {@code kept} holds goes in one transaction.
     *
     * @return what was dropped, a line each
     * @throws MigrationException naming the statement that failed (an object the role does not own, say)
     */
    static List<String> clean(Connection connection, List<String> dropped, String kept) throws SQLException {
        List<String> done = new ArrayList<>();
        for (String schema : dropped) {
            if (exists(connection, schema)) {
                run(connection, "DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE", "");
                done.add("dropped schema " + schema);
            }
        }
        List<String[]> objects = objects(connection, kept);
        connection.setAutoCommit(false);
        try {
            for (String[] object : objects) {
                // IF EXISTS and CASCADE: an earlier drop may have taken this one with it (a view on a dropped table).
                run(connection, "DROP " + object[0] + " IF EXISTS " + object[1] + " CASCADE", "; nothing in " + kept
                        + " was dropped");
                done.add("dropped " + object[0].toLowerCase(Locale.ROOT) + " " + object[1]);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            Cleanup.run(e, connection::rollback);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        return done;
    }

    private static boolean exists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static List<String[]> objects(Connection connection, String schema) throws SQLException {
        List<String[]> objects = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(OBJECTS)) {
            for (int i = 1; i <= 11; i++) {
                query.setString(i, schema);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    objects.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
        }
        return objects;
    }

    private static void run(Connection connection, String sql, String outcome) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new MigrationException(ErrorCode.MIGRATION_FAILED, "Clean failed at " + sql + ": " + e.getMessage()
                    + " [SQL state " + e.getSQLState() + "]. The schemas dropped before it stay dropped" + outcome
                    + ". Drop it as its owner, or clean as a role that owns the project's objects.", null, sql,
                    e.getSQLState(), e);
        }
    }
}
