package dev.ashlar.kernel.migrate;

import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an interrupted {@code CREATE INDEX CONCURRENTLY} leaves behind, cleared before a
 * {@code transaction:false} file runs it again. Such a build commits its catalog entry first: a
 * build that was cancelled or whose session died leaves an invalid index of that name (dropped
 * here, waiting for a build still running, so that the statement builds it again), and a build that
 * finished after its migrator was killed leaves a valid one, which the statement then keeps
 * ({@code IF NOT EXISTS}) instead of failing on the name. A build that fails while its migrator
 * still runs (a duplicate key, a cancel) has its invalid index dropped at once, so that the failed
 * file changes nothing (PostgreSQL manual, "Building Indexes Concurrently").
 */
final class IndexLeftovers {
    private static final Pattern CREATE_CONCURRENTLY = Pattern.compile(
            // A statement of a generated file starts with the comment that describes its step.
            "^((?:\\s*--[^\\n]*\\n)*\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+)(IF\\s+NOT\\s+EXISTS\\s+)?"
                    + "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)(\\s+ON\\s+(?:ONLY\\s+)?)"
                    + "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)\\.)?", Pattern.CASE_INSENSITIVE);

    private IndexLeftovers() {
    }

    /** The statement to run: unchanged unless it builds an index concurrently that a former run left. */
    static String resume(Connection connection, String statement) throws SQLException {
        Matcher create = CREATE_CONCURRENTLY.matcher(statement);
        if (!create.find()) {
            return statement;
        }
        String name = create.group(3);
        String quoted = indexSql(create);
        Boolean valid = validity(connection, quoted);
        if (valid == null) {
            return statement;
        }
        if (!valid) {
            try (Statement drop = connection.createStatement()) {
                drop.execute("DROP INDEX CONCURRENTLY IF EXISTS " + quoted);
            }
            return statement;
        }
        return create.group(2) != null ? statement
                : create.replaceFirst(Matcher.quoteReplacement(create.group(1) + "IF NOT EXISTS " + name
                + create.group(4) + (create.group(5) == null ? "" : create.group(5))));
    }

    /** Drops the invalid index that a failed concurrent build left, if the statement was one and left one. */
    static void dropAfterFailure(Connection connection, String statement, SQLException failure) {
        Matcher create = CREATE_CONCURRENTLY.matcher(statement);
        if (!create.find()) {
            return;
        }
        String quoted = indexSql(create);
        try {
            if (Boolean.FALSE.equals(validity(connection, quoted))) {
                try (Statement drop = connection.createStatement()) {
                    drop.execute("DROP INDEX CONCURRENTLY IF EXISTS " + quoted);
                }
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The index's name as SQL: in the schema of its table when the statement qualifies the table (an index always
     * lives there), else as the search path finds it.
     */
    private static String indexSql(Matcher create) {
        String name = create.group(3);
        String quoted = name.startsWith("\"") ? name : Identifiers.quote(name.toLowerCase(Locale.ROOT));
        String schema = create.group(5);
        if (schema == null) {
            return quoted;
        }
        return (schema.startsWith("\"") ? schema : Identifiers.quote(schema.substring(0, schema.length() - 1)
                .toLowerCase(Locale.ROOT)) + ".") + quoted;
    }

    /** Whether the index the name resolves to (through the search path) is valid; {@code null} when there is none. */
    private static Boolean validity(Connection connection, String quoted) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)")) {
            query.setString(1, quoted);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getBoolean(1) : null;
            }
        }
    }
}
