package dev.ashlar.kernel.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code CREATE INDEX CONCURRENTLY} that fails (a duplicate key, a cancel) leaves an invalid index behind
 * (PostgreSQL manual, "Building Indexes Concurrently"): it is maintained on every write, never used, and
 * makes the next try fail with "already exists". Dropping it makes the failed file change nothing.
 */
final class FailedConcurrentIndex {
    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[\\w$]+)";
    private static final Pattern CREATE = Pattern.compile("(?is)^\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+"
            + "(?:IF\\s+NOT\\s+EXISTS\\s+)?(" + NAME + ")\\s+ON\\s+(?:ONLY\\s+)?(" + NAME + "(?:\\s*\\.\\s*" + NAME + ")?)");
    private static final String INVALID = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i "
            + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE NOT i.indisvalid AND i.indrelid = to_regclass(?) AND c.relname = ?";

    private FailedConcurrentIndex() {
    }

    /** Drops the invalid index that {@code statement} left, if it is such a statement and left one. */
    static void dropLeftover(Connection connection, String statement, SQLException failure) {
        Matcher create = CREATE.matcher(statement.replaceAll("(?m)^\\s*--.*$", ""));
        if (!create.find()) {
            return;
        }
        try (PreparedStatement find = connection.prepareStatement(INVALID)) {
            find.setString(1, create.group(2));
            find.setString(2, unquoted(create.group(1)));
            try (ResultSet index = find.executeQuery(); Statement drop = connection.createStatement()) {
                if (index.next()) {
                    drop.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index.getString(1));
                }
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static String unquoted(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name.toLowerCase(java.util.Locale.ROOT);
    }
}
