package dev.ashlar.kernel.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The query that lists the rows breaking a check or a foreign key, for the error of a migration that could not
 * validate it. PostgreSQL names the constraint but not the rows ({@code check constraint ... is violated by some row}
 * has no detail; a foreign key's detail names one key of many), so the reader gets a query to run instead. It is read
 * from the catalog, where a constraint added {@code NOT VALID} by an earlier file already is.
 */
final class ViolatingRows {
    /*
     * A check is broken where its expression is false (null passes). A foreign key is broken where no parent row
     * matches: under MATCH SIMPLE only when every column is set; under MATCH FULL also when some, not all, are.
     */
    private static final String FINDER = "SELECT CASE c.contype "
            + "WHEN 'c' THEN format('SELECT * FROM %I.%I WHERE NOT (%s)', n.nspname, t.relname, "
            + "pg_get_expr(c.conbin, c.conrelid)) "
            + "WHEN 'f' THEN format('SELECT * FROM %I.%I c WHERE %s(%s) %s AND NOT EXISTS (SELECT FROM %I.%I p WHERE %s)', "
            + "n.nspname, t.relname, CASE c.confmatchtype WHEN 'f' THEN 'num_nonnulls' ELSE 'num_nulls' END, "
            + "(SELECT string_agg(format('c.%I', a.attname), ', ' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY "
            + "k(num, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num), "
            + "CASE c.confmatchtype WHEN 'f' THEN '> 0' ELSE '= 0' END, pn.nspname, p.relname, "
            + "(SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ' ORDER BY k.n) "
            + "FROM unnest(c.conkey, c.confkey) WITH ORDINALITY k(ck, fk, n) "
            + "JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck "
            + "JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.fk)) END "
            + "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            + "LEFT JOIN pg_class p ON p.oid = c.confrelid LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace "
            + "WHERE c.conname = ? AND t.relname = ? AND n.nspname = ? AND c.contype IN ('c', 'f')";

    private ViolatingRows() {
    }

    /** The query listing the rows that break the constraint; null when the catalog does not hold it. */
    static String finder(Connection connection, String schema, String table, String constraint) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FINDER)) {
            statement.setString(1, constraint);
            statement.setString(2, table);
            statement.setString(3, schema);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
