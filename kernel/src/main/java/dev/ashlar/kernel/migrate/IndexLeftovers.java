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
 * file changes nothing (PostgreSQL manual, "Building Indexes Concurrently"). An interrupted
 * {@code REINDEX ... CONCURRENTLY} leaves invalid copies named {@code ..._ccnew} (and {@code ..._ccold}) beside
 * what it rebuilt: they are dropped the same way, before it runs again and after it fails.
 */
final class IndexLeftovers {
    private static final Pattern CREATE_CONCURRENTLY = Pattern.compile(
            // A statement of a generated file starts with the comment that describes its step.
            "^((?:\\s*--[^\\n]*\\n)*+\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+)(IF\\s+NOT\\s+EXISTS\\s+)?"
                    + "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)(\\s+ON\\s+(?:ONLY\\s+)?)"
                    + "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)\\.)?", Pattern.CASE_INSENSITIVE);

    /**
     * A rebuild: its options (group 1), what it rebuilds (group 2), the CONCURRENTLY keyword (group 3) and the name
     * (group 4, as written; none for SYSTEM).
     */
    private static final Pattern REINDEX = Pattern.compile(
            "^(?:\\s*--[^\\n]*\\n)*+\\s*REINDEX\\s+(\\([^)]*\\)\\s*)?(INDEX|TABLE|SCHEMA|DATABASE|SYSTEM)\\s+"
                    + "(CONCURRENTLY\\b)?\\s*((?:(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)\\.)?"
                    + "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*))?", Pattern.CASE_INSENSITIVE);

    /**
     * The invalid indexes an interrupted {@code REINDEX ... CONCURRENTLY} left among what it rebuilds: the new copy
     * ({@code _ccnew}, its build cut short) and the old one ({@code _ccold}, replaced but not dropped), as SQL names.
     */
    /** In a rebuild's options (PostgreSQL 14+): CONCURRENTLY, unless set false. */
    private static final Pattern CONCURRENTLY_OPTION = Pattern.compile(
            "\\bCONCURRENTLY\\b(?!\\s+(?:FALSE|OFF|0)\\b)", Pattern.CASE_INSENSITIVE);

    private static final String REINDEX_LEFTOVERS = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i "
            + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE NOT i.indisvalid AND c.relname ~ '_cc(new|old)[0-9]*$' AND CASE ? "
            + "WHEN 'index' THEN i.indrelid = (SELECT indrelid FROM pg_index WHERE indexrelid = to_regclass(?)) "
            + "WHEN 'table' THEN i.indrelid = to_regclass(?) WHEN 'schema' THEN n.oid = to_regnamespace(?) "
            + "ELSE n.nspname NOT IN ('pg_catalog', 'pg_toast') END ORDER BY 1";

    private IndexLeftovers() {
    }

    /**
     * Drops what an interrupted {@code REINDEX ... CONCURRENTLY} of the same objects left (PostgreSQL manual, REINDEX,
     * "Rebuilding Indexes Concurrently"), before the statement runs or after it failed; nothing unless it is one.
     *
     * @throws MigrationException naming the leftovers that could not be dropped and what to do
     */
    static void dropReindexLeftovers(Connection connection, String statement) throws SQLException {
        Matcher reindex = REINDEX.matcher(statement);
        if (!reindex.find() || reindex.group(3) == null
                && (reindex.group(1) == null || !CONCURRENTLY_OPTION.matcher(reindex.group(1)).find())) {
            return;
        }
        String kind = reindex.group(2).toLowerCase(Locale.ROOT);
        String name = reindex.group(4);
        List<String> leftovers = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(REINDEX_LEFTOVERS)) {
            query.setString(1, kind);
            for (int i = 2; i <= 4; i++) {
                query.setString(i, name);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    leftovers.add(rows.getString(1));
                }
            }
        }
        for (String leftover : leftovers) {
            try (Statement drop = connection.createStatement()) {
                drop.execute("DROP INDEX CONCURRENTLY IF EXISTS " + leftover);
            } catch (SQLException e) {
                throw new MigrationException(ErrorCode.MIGRATION, "An interrupted REINDEX CONCURRENTLY left the invalid "
                        + "indexes " + String.join(", ", leftovers) + ", and " + leftover + " could not be dropped: "
                        + e.getMessage() + ". Drop them (DROP INDEX CONCURRENTLY name; a _ccnew index is the unfinished "
                        + "copy, a _ccold one the replaced original), then migrate again.", null);
            }
        }
    }

    /** The statement to run: unchanged unless it builds an index concurrently that a former run left. */
    static String resume(Connection connection, String statement) throws SQLException {
        dropReindexLeftovers(connection, statement);
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
        try {
            dropReindexLeftovers(connection, statement);
        } catch (SQLException | MigrationException e) {
            failure.addSuppressed(e);
        }
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
