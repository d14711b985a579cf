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
    /** The comments a statement starts with (a generated file's describes its step), then the blanks before it. */
    private static final String COMMENTS = "(?:\\s*(?:--[^\\n]*\\n|/\\*(?:[^*]|\\*(?!/))*+\\*/))*+\\s*";
    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)";

    private static final Pattern CREATE_CONCURRENTLY = Pattern.compile(
            "^(" + COMMENTS + "CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+)(IF\\s+NOT\\s+EXISTS\\s+)?"
                    + "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)(\\s+ON\\s+(?:ONLY\\s+)?)"
                    + "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)\\.)?", Pattern.CASE_INSENSITIVE);

    /**
     * A rebuild: its options (group 1), what it rebuilds (group 2), the CONCURRENTLY keyword (group 3) and the name
     * (group 4, as written; none for SYSTEM).
     */
    private static final Pattern REINDEX = Pattern.compile(
            "^" + COMMENTS + "REINDEX\\s+(\\([^)]*\\)\\s*)?(INDEX|TABLE|SCHEMA|DATABASE|SYSTEM)\\s+"
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

    /** A concurrent build that names no index, PostgreSQL choosing the name ({@code items_code_idx}): its table. */
    private static final Pattern CREATE_UNNAMED = Pattern.compile("^" + COMMENTS
            + "CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+ON\\s+(?:ONLY\\s+)?(" + NAME + "(?:\\." + NAME + ")?)",
            Pattern.CASE_INSENSITIVE);

    /** An index's definition without its name, to know an interrupted build of the same index by. */
    private static final String UNNAMED_DEFINITION = "regexp_replace(pg_get_indexdef(%s), ' INDEX .*? ON ', ' INDEX ON ')";

    /**
     * Each invalid index of the table that was there before the build and defines what the new one does, with the
     * new one's name: what an interrupted run of the same statement left.
     */
    private static final String UNNAMED_LEFTOVERS = "SELECT format('%I.%I', n.nspname, lc.relname), "
            + "format('%I.%I', n.nspname, bc.relname), quote_ident(lc.relname) FROM pg_index li "
            + "JOIN pg_class lc ON lc.oid = li.indexrelid JOIN pg_namespace n ON n.oid = lc.relnamespace "
            + "JOIN pg_index bi ON bi.indrelid = li.indrelid JOIN pg_class bc ON bc.oid = bi.indexrelid "
            + "WHERE li.indrelid = to_regclass(?) AND NOT li.indisvalid AND bi.indisvalid "
            + "AND li.indexrelid::bigint = ANY (?::bigint[]) AND NOT bi.indexrelid::bigint = ANY (?::bigint[]) AND "
            + UNNAMED_DEFINITION.formatted("li.indexrelid") + " = " + UNNAMED_DEFINITION.formatted("bi.indexrelid");

    /** The invalid indexes of the table that were not there before a build that failed: the one it left. */
    private static final String FAILED_BUILD = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i "
            + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE i.indrelid = to_regclass(?) AND NOT i.indisvalid AND NOT i.indexrelid::bigint = ANY (?::bigint[])";

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

    /**
     * Runs a statement of a {@code transaction:false} file, first clearing what an interrupted run of it left. A build
     * whose index PostgreSQL names is known only once it is built: then an invalid index of the same definition is an
     * earlier run's, dropped, its name given to the new one (so that the database ends as if the earlier run had
     * finished); a build that fails drops the invalid index it left.
     */
    static void execute(Connection connection, Statement statement, String sql) throws SQLException {
        Matcher unnamed = CREATE_UNNAMED.matcher(sql);
        if (!unnamed.find()) {
            statement.execute(resume(connection, sql));
            return;
        }
        String table = unnamed.group(1);
        String before = firstColumns(connection, "SELECT coalesce(array_agg(indexrelid::bigint), '{}')::text "
                + "FROM pg_index WHERE indrelid = to_regclass(?)", 1, table).get(0)[0];
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            try {
                dropAll(connection, firstColumns(connection, FAILED_BUILD, 1, table, before));
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        List<String[]> leftovers = firstColumns(connection, UNNAMED_LEFTOVERS, 3, table, before, before);
        dropAll(connection, leftovers);
        if (leftovers.size() == 1) {
            try (Statement rename = connection.createStatement()) {
                rename.execute("ALTER INDEX " + leftovers.get(0)[1] + " RENAME TO " + leftovers.get(0)[2]);
            }
        }
    }

    /** The first {@code width} columns of each row of the query, run with the parameters. */
    private static List<String[]> firstColumns(Connection connection, String query, int width, String... parameters)
            throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String[] columns = new String[width];
                    for (int i = 0; i < width; i++) {
                        columns[i] = row.getString(i + 1);
                    }
                    rows.add(columns);
                }
            }
        }
        return rows;
    }

    /** Drops the indexes named first in each row, waiting for the builds still using them. */
    private static void dropAll(Connection connection, List<String[]> indexes) throws SQLException {
        for (String[] index : indexes) {
            try (Statement drop = connection.createStatement()) {
                drop.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index[0]);
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
