package dev.ashlar.kernel.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ashlar.api.sql.Identifiers;

/**
 * The query that lists the rows breaking a check or a foreign key, for the error of a migration that could not
 * validate it, and how many they are. PostgreSQL names the constraint but not the rows ({@code check constraint ... is
 * violated by some row} has no detail; a foreign key's detail names one key of many), so the reader gets a query to
 * run instead. It is read from the catalog, where a constraint added {@code NOT VALID} by an earlier file already is.
 * For a unique index that could not be built, whose detail names one duplicated key of many, it counts the keys that
 * rows share.
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

    /** The key columns of a unique index's detail: {@code Key ("Org", lower(code))=(1, a) is duplicated.} */
    private static final Pattern DUPLICATED_KEY = Pattern.compile("^Key \\((.+?)\\)=\\(", Pattern.DOTALL);
    private static final Pattern NULLS_NOT_DISTINCT = Pattern.compile("\\bnulls\\s+not\\s+distinct\\b",
            Pattern.CASE_INSENSITIVE);

    /** How many keys rows share in a unique index that could not be built, and over how many rows. */
    record Duplicates(String key, long keys, long rows) {
    }

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

    /** The query listing the rows that hold null in a column a statement could not make required. */
    static String nulls(Connection connection, String schema, String table, String column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT format('SELECT * FROM %I.%I WHERE %I "
                + "IS NULL', ?, ?, ?)")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            statement.setString(3, column);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** How many rows the query of {@link #finder} or {@link #nulls} lists. */
    static long count(Connection connection, String finder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM (" + finder + ") v");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * The keys that rows of the table share among those the unique index of {@code statement} would hold, counted as
     * the index compares them: a key holding null is no duplicate unless the index says {@code NULLS NOT DISTINCT},
     * and a partial index holds only the rows its {@code WHERE} keeps. Null when the detail names no key (a role that
     * may not read the table gets none).
     */
    static Duplicates duplicates(Connection connection, String schema, String table, String detail, String statement)
            throws SQLException {
        Matcher key = detail == null ? null : DUPLICATED_KEY.matcher(detail);
        if (key == null || !key.find()) {
            return null;
        }
        String columns = key.group(1);
        String predicate = predicate(statement);
        String kept = (NULLS_NOT_DISTINCT.matcher(statement).find() ? "true" : "num_nulls(" + columns + ") = 0")
                + (predicate == null ? "" : " AND (" + predicate + ")");
        String sql = "SELECT count(*), coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM "
                + Identifiers.qualify(schema, table) + " WHERE " + kept + " GROUP BY " + columns
                + " HAVING count(*) > 1) d";
        try (PreparedStatement count = connection.prepareStatement(sql); ResultSet row = count.executeQuery()) {
            row.next();
            return new Duplicates("(" + columns + ")", row.getLong(1), row.getLong(2));
        }
    }

    /**
     * The predicate of a partial index's {@code CREATE INDEX}: what follows its {@code WHERE}, the only one outside
     * parentheses, quotes and comments; null for an index over every row, or a constraint.
     */
    static String predicate(String statement) {
        int depth = 0;
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            if (c == '\'' || c == '"') {
                int end = statement.indexOf(c, i + 1);
                i = end < 0 ? statement.length() : end;
            } else if (c == '-' && statement.startsWith("--", i)) {
                int end = statement.indexOf('\n', i);
                i = end < 0 ? statement.length() : end;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && statement.regionMatches(true, i, "where", 0, 5)
                    && (i == 0 || !Character.isLetterOrDigit(statement.charAt(i - 1)))
                    && (i + 5 == statement.length() || !Character.isLetterOrDigit(statement.charAt(i + 5)))) {
                String rest = statement.substring(i + 5).strip();
                return rest.endsWith(";") ? rest.substring(0, rest.length() - 1) : rest;
            }
        }
        return null;
    }
}
