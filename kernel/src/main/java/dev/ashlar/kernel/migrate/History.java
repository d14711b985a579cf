package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Literals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The migration history table of one schema ({@code ashlar_schema_migrations} unless the project names another, as
 * Flyway's {@code table}): what has been applied there.
 */
public final class History {
    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    /** The table's name when the project names none ({@code --history-table}, {@code migrate.history-table}). */
    public static final String DEFAULT_TABLE = "ashlar_schema_migrations";

    /** The FROM item, a statement's {@code WITH} query, that holds the rows a history statement just wrote. */
    static final String APPLIED = "applied";
    /** {@link #rows} by count, each made once: every new tenant schema's record reads its files' rows from one. */
    private static final Map<Integer, String> ROWS = new ConcurrentHashMap<>();
    /** The FROM item of one file's row, bound as version and checksum, for {@link #recordExpecting}'s {@code also}. */
    static final String ROW = rows(1);
    /** A repeatable file run again: its row takes the new text and time (the column list names no later column). */
    private static final String RERUN = " ON CONFLICT (version) DO UPDATE SET name = excluded.name, "
            + "checksum = excluded.checksum, checksum_algorithm = excluded.checksum_algorithm, applied_at = now(), "
            + "duration_ms = excluded.duration_ms";
    /** {@link #RERUN} in a history that has {@code installed_by}: the row also names who ran the file this time. */
    private static final String RERUN_BY = RERUN + ", installed_by = excluded.installed_by";
    /** {@link #RERUN_BY} in a history that has {@code deployment_id} too: the row also names this run. */
    private static final String RERUN_BY_IN = RERUN_BY + ", deployment_id = excluded.deployment_id";
    /** What {@link #recordExpecting}'s check says, failing, when the run lost its lock. */
    private static final String LOCK_LOST = "ashlar: the migration lock was lost";
    /** What {@link #recordExpecting}'s check says, failing, when the history is not the one expected. */
    private static final String HISTORY_DIFFERS = "ashlar: the history is not the one expected";
    /** {@link #line} in SQL. */
    private static final String LINE = "version || ' ' || checksum";
    // A history made before baselines has no baselined column: read it through the row's JSON.
    // The time comes as microseconds since the epoch: a number, not text for the driver to parse into a calendar.
    private static final String COLUMNS = "version, name, checksum, checksum_algorithm, "
            + "(extract(epoch FROM applied_at) * 1000000)::bigint, duration_ms, "
            + "coalesce((to_jsonb(h) ->> 'baselined')::boolean, false), to_jsonb(h) ->> 'installed_by', "
            + "to_jsonb(h) ->> 'deployment_id'";
    /**
     * The session setting that names who applies migrations ({@code installedBy}, Flyway's); unset or empty, the
     * history records the database user ({@code current_user}, as Flyway does), the role an init SQL set included.
     */
    public static final String INSTALLED_BY_SETTING = "ashlar.installed_by";
    /**
     * Who applies a row: the history column's default, so that every statement that records a file, for one schema
     * or thousands of tenant schemas, records it without naming the column (and a history the column could not be
     * added to takes the same statements).
     */
    private static final String INSTALLED_BY = "coalesce(nullif(current_setting('" + INSTALLED_BY_SETTING
            + "', true), ''), current_user)";
    /**
     * The run that writes a row ({@link Deployment}): the history column's default, so that, as with
     * {@link #INSTALLED_BY}, no statement that records a file names the column; null where no run set it.
     */
    private static final String DEPLOYMENT_ID = "nullif(current_setting('" + Deployment.SETTING + "', true), '')";
    /** How long {@link #recordInstallers} waits for a session that reads the history before going on without it. */
    private static final int ALTER_WAIT_MILLIS = 2000;

    /** {@link #recordExpecting}'s statements ({@link #expectingStatements}) by table name, each made once. */
    private static final Map<String, String[]> EXPECTING = new ConcurrentHashMap<>();
    /** {@link #recordAll}'s statements by their shape, each made once: the same text for every new tenant schema. */
    private static final Map<RecordAll, String> RECORD_ALL = new ConcurrentHashMap<>();

    /** What {@link #recordAll}'s statement depends on besides its values. */
    private record RecordAll(String name, int files, boolean pathAfter, String also) {
    }

    private final String schema;
    private final String home;
    private final String name;
    private final String table;
    private final boolean leftBehindAccepted;

    /**
     * @param schema  the schema whose migrations the history records
     * @param setting the table's name, unquoted, or {@code schema.table} for a history kept in a schema of its own
     *                ({@link #tableName} checked it)
     */
    public History(String schema, String setting) {
        this(schema, setting, false);
    }

    private History(String schema, String setting, boolean leftBehindAccepted) {
        this.schema = schema;
        this.home = schemaOf(setting, schema);
        this.name = tableOf(setting);
        this.table = Identifiers.qualify(home, name);
        this.leftBehindAccepted = leftBehindAccepted;
    }

    /**
     * The same history, which takes a history left behind in the migrated schema (a table with a history's columns
     * there while this one, kept apart, is missing) as another's, on purpose: it starts empty rather than being refused.
     */
    History acceptingLeftBehind() {
        return new History(schema, home.equals(schema) ? name : home + "." + name, true);
    }

    /** The same history, in the table of another checked setting, still accepting one left behind if it did. */
    History named(String setting) {
        return new History(schema, setting, leftBehindAccepted);
    }

    /** The table's name in a checked setting ({@link #tableName}): {@code history} of {@code meta.history}. */
    public static String tableOf(String setting) {
        return setting.substring(setting.indexOf('.') + 1);
    }

    /** The schema a checked setting keeps the history of {@code migrated} in: its own unless the setting names one. */
    public static String schemaOf(String setting, String migrated) {
        int dot = setting.indexOf('.');
        return dot < 0 ? migrated : setting.substring(0, dot);
    }

    /**
     * A history table's name as given by a user, checked: one PostgreSQL keeps whole, and not the name of another
     * table of Ashlar's; null for {@link #DEFAULT_TABLE}.
     *
     * @throws MigrationException naming what is wrong and the settings that give the name
     */
    public static String tableName(String given) {
        if (given == null) {
            return DEFAULT_TABLE;
        }
        // schema.table keeps the main schema's history in a schema of its own (Flyway's defaultSchema and table).
        String[] parts = given.split("\\.", -1);
        String table = parts[parts.length - 1];
        String problem = parts.length > 2 ? "holds more than one '.': give a table, or schema.table"
                : parts.length == 2 ? partProblem("schema", parts[0]) : null;
        if (problem == null) {
            problem = partProblem(parts.length == 2 ? "table" : null, table);
        }
        if (problem == null && OTHER_TABLES.contains(table)) {
            problem = "is the name of another of Ashlar's tables";
        }
        if (problem != null) {
            throw new MigrationException(ErrorCode.MIGRATION, "The history table name '" + given.replace("\0", "\\0")
                    + "' " + problem + ". Give another name (--history-table, migrate.history-table in "
                    + "ashlar.properties), or none for " + DEFAULT_TABLE + ".", null);
        }
        // The main schema's own: the history is kept there, as without the schema.
        return parts.length == 2 && parts[0].equals("public") ? table : given;
    }

    /** What is wrong with one part of a history table name (its schema or table, {@code part}; null: the name). */
    private static String partProblem(String part, String given) {
        String problem = given.isBlank() ? "is empty; give it a name" : Identifiers.problem(given);
        if (problem == null && given.startsWith("pg_")) {
            // PostgreSQL looks in pg_catalog first: a tenant's history would be read as its view of that name (and a
            // schema of that name is the server's to make).
            problem = "starts with pg_, as the server's own tables, views and schemas (pg_catalog) do";
        }
        return problem == null || part == null ? problem : "names a " + part + " that " + problem;
    }

    /** The comment of a history kept apart from the schema whose migrations it records ({@link #apartStatement}). */
    static final String APART = "Ashlar migration history kept apart from the schema it records";

    /** Ashlar's tables that a history cannot stand in for: the migration locks, the tenant registry, the progress. */
    private static final Set<String> OTHER_TABLES = Set.of("ashlar_migration_locks", "ashlar_tenant_migrations",
            MigrationProgress.TABLE);

    /** The schema whose migrations the history records. */
    public String schema() {
        return schema;
    }

    /** The schema the history table is in: {@link #schema}, or a schema of its own the setting named. */
    public String home() {
        return home;
    }

    /** The name as its setting writes it: {@code meta.history} for a history kept apart, else the table's name. */
    public String written() {
        return home.equals(schema) ? name : home + "." + name;
    }

    /** The table's name, unquoted. */
    public String name() {
        return name;
    }

    /** The table, schema-qualified and quoted, as SQL names it. */
    public String qualified() {
        return table;
    }

    /**
     * One applied migration.
     *
     * @param baselined   recorded by {@code ashlar baseline} without running: the database already had it
     * @param installedBy  who applied it, or null for a row written before the history recorded it
     * @param deploymentId the run that applied or baselined it ({@link Deployment}), or null for a row written before
     *                     the history recorded it
     */
    public record Entry(String version, String name, String checksum, String algorithm, Instant appliedAt, long millis,
                        boolean baselined, String installedBy, String deploymentId) {
    }

    /**
     * Creates the table if it is not there.
     *
     * @throws MigrationException when the schema does not exist: Ashlar does not guess that a mistyped schema is new
     */
    public void create(Connection connection) throws SQLException {
        if (!home.equals(schema)) {
            // Flyway makes its defaultSchema too; a run that may not create schemas was refused before (Project).
            MainSchema.ensure(connection, home, true, LOG::info);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStatement());
            if (!home.equals(schema)) {
                statement.execute(apartStatement());
            }
        } catch (SQLException e) {
            if ("3F000".equals(e.getSQLState())) {
                throw new MigrationException(ErrorCode.MIGRATION, "Cannot migrate schema " + schema + ": it does not "
                        + "exist. Create it first (CREATE SCHEMA " + Identifiers.quote(schema) + ("public".equals(schema)
                        ? ": Ashlar keeps the main schema's migration history there" : ", or create the tenant, "
                        + "which makes its schema") + "), or check its name. Nothing was applied.", null, null,
                        e.getSQLState(), e);
            }
            throw e;
        }
    }

    /**
     * The comment a history kept apart carries ({@link #APART}), by which {@code clean} and the tenants' listing tell
     * it from a tenant's history: another application's {@code meta_b.history} is not a tenant schema to drop.
     */
    public String apartStatement() {
        return "COMMENT ON TABLE " + table + " IS " + Literals.quote(APART);
    }

    /**
     * Gives a history kept apart the comment {@link #apartStatement} sets, when it lacks it (a history moved there by
     * hand); one catalog read, and nothing for a history kept in the schema it records.
     */
    void markApart(Connection connection) throws SQLException {
        if (home.equals(schema)) {
            return;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT obj_description(to_regclass(?), 'pg_class') "
                + "IS DISTINCT FROM ?")) {
            query.setString(1, table);
            query.setString(2, APART);
            try (ResultSet row = query.executeQuery(); Statement statement = connection.createStatement()) {
                if (row.next() && row.getBoolean(1)) {
                    statement.execute(apartStatement());
                }
            }
        }
    }

    /** The statement {@link #create} runs, for a caller that sends it with others in one round trip. */
    public String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL, "
                + "baselined boolean NOT NULL DEFAULT false, installed_by text DEFAULT " + INSTALLED_BY + ", "
                + "tags text[] NOT NULL DEFAULT '{}', deployment_id text DEFAULT " + DEPLOYMENT_ID + ")";
    }

    /**
     * Gives a history made before tags its {@code tags} column, once, when one of {@code files} has a {@code -- tag:}
     * header (whose row {@link #record} and {@link #baseline} tag) or {@code files} is null ({@link #tag}). A history
     * that has the column costs one catalog read and takes no lock. Adding it needs the table to itself: in auto-commit
     * mode it waits at most {@link #ALTER_WAIT_MILLIS} for a session that reads the history, in a transaction of its
     * own, and refuses the run when that session still holds it, before anything is applied.
     *
     * @throws MigrationException when the column could not be added
     */
    void addTags(Connection connection, List<MigrationFile> files) throws SQLException {
        if (files != null && files.stream().allMatch(file -> file.filters().tag() == null)
                || hasColumn(connection, "tags")) {
            return;
        }
        boolean own = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement alter = connection.createStatement()) {
            if (own) {
                alter.execute("SET LOCAL lock_timeout = " + ALTER_WAIT_MILLIS);
            }
            alter.execute("ALTER TABLE " + table + ADD_TAGS);
            if (own) {
                connection.commit();
            }
        } catch (SQLException e) {
            if (!own || !"55P03".equals(e.getSQLState()) && !"42501".equals(e.getSQLState())) {
                throw e;
            }
            Cleanup.run(e, connection::rollback);
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot tag a migration of " + schema + ": its history "
                    + table + " was made before tags and has no tags column, and it could not be added ("
                    + e.getMessage().lines().findFirst().orElse("") + "). Adding it needs the table to itself for a "
                    + "moment: end the session that reads the history (or run as the table's owner), then migrate "
                    + "again. Nothing was applied.", null, null, e.getSQLState(), e);
        } finally {
            if (own) {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * Gives a history made before {@code installed_by} or {@code deployment_id} the columns, once: its older rows name
     * nobody and no run (null), as nobody knows who applied them or when runs began. Adding them needs the table to itself, so it waits at most {@link #ALTER_WAIT_MILLIS}
     * for a session that reads the history, in a transaction of its own; when that session still holds it, or this
     * user does not own the table, the run goes on, its rows recording nobody, and a later run adds the columns.
     * Asked only of an empty history (one an older version made and left empty has no column either) or one whose
     * newest row names nobody or no run: every row a run writes once the columns are there names both, so a history
     * that has them and has applied a file since costs no round trip more, however many older rows name nobody.
     */
    void recordInstallers(Connection connection, Map<String, Entry> applied) throws SQLException {
        Entry newest = applied.values().stream().max(Comparator.comparing(Entry::appliedAt)).orElse(null);
        if (connection.getAutoCommit() && (newest == null || newest.installedBy() == null
                || newest.deploymentId() == null) && !(hasColumn(connection, "installed_by")
                && hasColumn(connection, "deployment_id"))) {
            addInstalledBy(connection);
        }
    }

    /**
     * Adds {@code installed_by} and {@code deployment_id} to a history known to lack one ({@link
     * #schemasWithoutInstalledBy}), as a migrate does
     * for a history it reads, waiting as boundedly and going on the same way; only on a connection in auto-commit
     * mode. A tenant run that trusts its registry does not read each history, so it asks for this instead.
     */
    public void addInstalledBy(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            return;
        }
        connection.setAutoCommit(false);
        try (Statement alter = connection.createStatement()) {
            alter.execute("SET LOCAL lock_timeout = " + ALTER_WAIT_MILLIS);
            // Added without a default first, then given it: the rows already there keep null, not this run's values.
            alter.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS installed_by text, "
                    + "ADD COLUMN IF NOT EXISTS deployment_id text");
            alter.execute("ALTER TABLE " + table + " ALTER COLUMN installed_by SET DEFAULT " + INSTALLED_BY
                    + ", ALTER COLUMN deployment_id SET DEFAULT " + DEPLOYMENT_ID);
            connection.commit();
        } catch (SQLException e) {
            Cleanup.run(e, connection::rollback);
            if (!"55P03".equals(e.getSQLState()) && !"42501".equals(e.getSQLState())) {
                throw e;
            }
            LOG.warn("Could not add the columns installed_by and deployment_id to {} ({}): the files applied now "
                    + "record nobody and no deployment; a later migrate adds them", table, e.getMessage().lines().findFirst().orElse(""));
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private boolean hasColumn(Connection connection, String column) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_attribute "
                + "WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped")) {
            query.setString(1, table);
            query.setString(2, column);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Gives a history made before baselines existed its {@code baselined} column. */
    void allowBaselines(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS baselined boolean NOT NULL DEFAULT false");
        }
    }

    /** Applied migrations by version, in version order; empty when the table does not exist yet. */
    public Map<String, Entry> applied(Connection connection) throws SQLException {
        if (connection.getAutoCommit()) {
            // One round trip: without a transaction, the error of a missing table leaves nothing to roll back.
            try {
                return read(connection);
            } catch (SQLException e) {
                // 3F000: a history kept apart whose schema is not made yet.
                if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState()) && !home.equals(schema)) {
                    requireNotLeftBehind(connection);
                    return new LinkedHashMap<>();
                }
                throw e;
            }
        }
        if (exists(connection, table)) {
            return read(connection);
        }
        requireNotLeftBehind(connection);
        return new LinkedHashMap<>();
    }

    /**
     * Refuses a history kept apart ({@link #home}) that is missing while the migrated schema still holds a history,
     * under this name or another ({@code ashlar_schema_migrations} before {@code meta.history} was set): the setting
     * moved it, the table stayed. Read as empty, it would have every file applied again from the first.
     *
     * @throws MigrationException naming both tables and how to move the history or keep it where it is
     */
    private void requireNotLeftBehind(Connection connection) throws SQLException {
        String left = home.equals(schema) || leftBehindAccepted ? null : historyIn(connection, schema, name);
        if (left == null) {
            return;
        }
        String behind = Identifiers.qualify(schema, left);
        String rename = left.equals(name) ? "" : "; ALTER TABLE " + Identifiers.qualify(home, left) + " RENAME TO "
                + Identifiers.quote(name);
        throw new MigrationException(ErrorCode.MIGRATION, "The migration history of " + schema + " is set to be kept "
                + "in " + table + ", which does not exist, but " + behind + " does: the history was kept there before. "
                + "Move it (ALTER TABLE " + behind + " SET SCHEMA " + Identifiers.quote(home) + rename
                + ", after CREATE SCHEMA " + Identifiers.quote(home) + " if it is missing; the next migrate marks it as "
                + "kept apart with a comment, which keeps another application's clean from taking " + home
                + " for a tenant schema; the same for "
                + Identifiers.qualify(schema, MigrationProgress.table(left)) + " if it exists), or set the history "
                + "table back to " + left + " (--history-table, migrate.history-table), or, when " + behind + " is "
                + "another application's or an old history left there on purpose, accept it "
                + "(--accept-history-left-behind, migrate.accept-history-left-behind = true) and " + table + " starts "
                + "empty. Nothing was read or applied.",
                null);
    }

    /**
     * A table of {@code schema} with a history's columns, {@code preferred} first: an application's own table of the
     * name has not those columns. Null when there is none.
     */
    private static String historyIn(Connection connection, String schema, String preferred) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT c.relname FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
                + "AND c.relkind IN ('r', 'p') AND (SELECT count(*) FROM pg_catalog.pg_attribute h "
                + "WHERE h.attrelid = c.oid AND NOT h.attisdropped "
                + "AND h.attname IN ('version', 'checksum', 'checksum_algorithm', 'duration_ms')) = 4 "
                + "ORDER BY c.relname <> ?, c.relname LIMIT 1")) {
            query.setString(1, schema);
            query.setString(2, preferred);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /**
     * Drops this history and its progress table when they are kept apart from the schema they record ({@link #home};
     * a clean of that schema): the history's schema and its other objects stay.
     *
     * @return what was dropped, a line each; empty for a history kept in its own schema
     */
    List<String> dropApart(Connection connection) throws SQLException {
        List<String> dropped = new ArrayList<>();
        if (home.equals(schema)) {
            return dropped;
        }
        for (String drop : List.of(table, Identifiers.qualify(home, MigrationProgress.table(name)))) {
            if (exists(connection, drop)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE " + drop);
                }
                dropped.add("dropped table " + drop);
            }
        }
        return dropped;
    }

    private Map<String, Entry> read(Connection connection) throws SQLException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + COLUMNS + " FROM " + table + " h ORDER BY version")) {
            while (rows.next()) {
                entries.put(rows.getString(1), new Entry(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), Instant.EPOCH.plus(rows.getLong(5), ChronoUnit.MICROS), rows.getLong(6),
                        rows.getBoolean(7), rows.getString(8), rows.getString(9)));
            }
        } catch (SQLException e) {
            MigrationException unreadable = "55P03".equals(e.getSQLState()) ? locked(connection, e) : unreadable(e);
            if (unreadable != null) {
                throw unreadable;
            }
            throw e;
        }
        return entries;
    }

    /**
     * Why the history could not be read within the run's lock timeout: another session holds a lock on it that
     * conflicts with reading (a {@code LOCK TABLE}, an {@code ALTER TABLE} or {@code VACUUM FULL} of it), or waits
     * for one ahead of the read; named by pid, with what it runs.
     */
    private MigrationException locked(Connection connection, SQLException e) {
        return new MigrationException(ErrorCode.LOCK_NOT_AVAILABLE, "Could not read the migration history " + table
                + " within the lock timeout: it was kept from being read by " + blockers(connection) + ". End or "
                + "wait for that session (SELECT pg_terminate_backend(pid)), or raise the lock timeout "
                + "(--lock-timeout), and migrate again; nothing was applied.", null, null, e.getSQLState(), e);
    }

    /**
     * The sessions that block a read of the history, described. Only an ACCESS EXCLUSIVE lock conflicts with a read's
     * ACCESS SHARE; one still waiting blocks it too, as PostgreSQL queues later requests behind it
     * ({@code pg_blocking_pids}' soft block), so such a waiter is named with the sessions it waits behind. Other
     * sessions merely reading the history block nothing and are not named. The read timed out and waits no more, so
     * its own {@code pg_blocking_pids} is empty by now: the conflicting requests are read from {@code pg_locks}.
     */
    private String blockers(Connection connection) {
        try (PreparedStatement query = connection.prepareStatement(BLOCKERS)) {
            for (int parameter = 1; parameter <= 3; parameter++) {
                query.setString(parameter, table);
            }
            List<String> sessions = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    sessions.add(row.getString(1) + (row.getBoolean(2) ? "" : ", which waits itself for that lock "
                            + "behind " + (row.getString(3) == null ? "another session" : row.getString(3))));
                }
            }
            return sessions.isEmpty() ? "another session, gone by now" : String.join("; and ", sessions);
        } catch (SQLException failed) {
            return "another session";
        }
    }

    /**
     * A session of {@code pg_stat_activity} {@code a}: its pid, application, user, state and the command tag of its
     * query (the first word: the text itself may hold secrets, such as a password, and is never copied into an
     * error, nor into a lock wait's report ({@link LockWatch}). Another user's state and query are shown only to a
     * superuser or a member of pg_read_all_stats.
     */
    static final String SESSION = "'the session with pid ' || a.pid || ' (application ' "
            + "|| quote_literal(coalesce(nullif(a.application_name, ''), 'unnamed')) "
            + "|| ', user ' || coalesce(a.usename::text, 'unknown') || ', ' "
            + "|| coalesce(a.state || coalesce(', command ' || nullif(upper(substring(a.query FROM '^\\s*(\\w+)')), "
            + "''), ''), 'its state and query hidden from the migrating role: grant it pg_read_all_stats to see them') "
            + "|| ')'";

    /**
     * The sessions holding or awaiting an ACCESS EXCLUSIVE lock on the history table, one of its indexes (a REINDEX,
     * ALTER INDEX or DROP INDEX in an open transaction: planning any read opens every index) or its TOAST table, those
     * holding one first: a row lock ({@code locktype} tuple, whose mode an UPDATE waiting on another also shows as
     * AccessExclusiveLock) and a relation of the same oid in another database block no read and are left out.
     */
    private static final String BLOCKERS = "SELECT " + SESSION + ", l.granted, (SELECT string_agg(" + SESSION
            + ", ', ' ORDER BY a.pid) FROM pg_catalog.pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(l.pid))) "
            + "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
            + "WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_catalog.pg_database "
            + "WHERE datname = current_database()) AND l.mode = 'AccessExclusiveLock' AND l.relation IN "
            + "(SELECT h.oid FROM (SELECT to_regclass(?)::oid AS oid) h UNION ALL SELECT i.indexrelid "
            + "FROM pg_catalog.pg_index i, (SELECT to_regclass(?)::oid AS oid) h WHERE i.indrelid = h.oid "
            + "UNION ALL SELECT c.reltoastrelid FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(?) "
            + "AND c.reltoastrelid <> 0) "
            + "AND l.pid <> pg_backend_pid() "
            + "ORDER BY l.granted DESC, l.pid";

    /**
     * Why the history cannot be read, with the fix, when the table is there but not Ashlar's (another tool's or a
     * person's table of that name); null for other errors.
     */
    private MigrationException unreadable(SQLException e) {
        String state = e.getSQLState();
        // 42809: an index (or another relation that is no table) took the name.
        if ("42703".equals(state) || "42804".equals(state) || "22P02".equals(state) || "42809".equals(state)) {
            return new MigrationException(ErrorCode.MIGRATION, "The table " + home + "." + name + " is not an Ashlar "
                    + "migration history (" + e.getMessage().lines().findFirst().orElse("") + "): another tool or a "
                    + "person made a table of that name. Ashlar's history has the columns version, name, checksum, "
                    + "checksum_algorithm, applied_at, duration_ms, baselined, installed_by, tags and deployment_id. "
                    + "Rename that "
                    + "table (ALTER TABLE " + table + " RENAME TO ...), or keep the history in another table "
                    + "(--history-table, migrate.history-table), and migrate again; nothing was applied.", null, null,
                    state, e);
        }
        return null;
    }

    /**
     * Records an applied file; with a holder, only while it still holds the migration lock. With {@code also} (a
     * {@link FileRunner.Recorder#recordApplied} statement reading {@link #APPLIED}), both are written in one statement.
     *
     * @throws LockLostException when the holder lost the lock; the caller rolls the file back
     */
    void record(Connection connection, MigrationFile file, long millis, AdvisoryLock.Holder holder, String also)
            throws SQLException {
        // A history the column could not be added to yet (another session read it) takes the rerun without it.
        String tag = file.filters().tag();
        String insert = "INSERT INTO " + table + " (version, name, checksum, checksum_algorithm, duration_ms"
                + (tag == null ? "" : ", tags") + ") SELECT ?, ?, ?, ?, ?" + (tag == null ? "" : ", ARRAY[?::text]")
                + (holder == null ? "" : " WHERE " + AdvisoryLock.Holder.HELD)
                + (!file.repeatable() ? "" : !hasColumn(connection, "installed_by") ? RERUN
                : hasColumn(connection, "deployment_id") ? RERUN_BY_IN : RERUN_BY);
        try (PreparedStatement statement = connection.prepareStatement(also == null ? insert
                : "WITH " + APPLIED + " AS (" + insert + " RETURNING version, checksum) " + also)) {
            bindRow(statement, 1, file, millis);
            int next = 6;
            if (tag != null) {
                // The '-- tag:' header tags the row as it is written, in the file's transaction: both or neither.
                statement.setString(next++, tag);
            }
            if (holder != null) {
                holder.bind(statement, next);
                next += AdvisoryLock.Holder.PARAMETERS;
            }
            if (also != null) {
                statement.setString(next, schema);
            }
            requireLock(statement.executeUpdate(), file, holder != null);
        }
    }

    /**
     * Records an applied file, in its transaction, if the history held exactly {@code expected} ({@link #lines}, in
     * version order) before it and the holder (if any) still holds the migration lock; with {@code also} (a
     * {@link FileRunner.Recorder#recordApplied} statement reading {@link #ROW}), the recorder's row goes with it.
     * A tenant run records a file so in thousands of schemas, in one round trip each: the schema's search path
     * (the schema, then the temporary schema, so that no temporary table can stand in for the history; set again,
     * since the file, or a function it calls, may have changed it), the row and the check in one statement (its
     * {@code WITH} query writes the row, its query reads the history as it was before) and, with {@code commit}, the
     * transaction's {@code COMMIT}, as plain statements whose text is the same for every schema, so that the driver
     * parses them once. The server makes the check: when it fails, the statement fails with {@link #LOCK_LOST} or
     * {@link #HISTORY_DIFFERS} in its message, writing nothing, the statements after it do not run, and the caller
     * rolls the file back.
     *
     * @return whether the transaction was committed
     * @throws LockLostException  when the holder lost the lock
     * @throws MigrationException when the history was not the one expected
     */
    boolean recordExpecting(Connection connection, MigrationFile file, long millis, AdvisoryLock.Holder holder,
                            String also, List<String> expected, boolean commit) throws SQLException {
        int shape = (holder == null ? 0 : 2) + (commit ? 1 : 0);
        String sql = also != null ? expectingStatement(name, holder != null, also, commit)
                : EXPECTING.computeIfAbsent(name, History::expectingStatements)[shape];
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, Identifiers.quote(schema) + ", pg_temp");
            bindRow(statement, 2, file, millis);
            int next = 7;
            if (holder != null) {
                holder.bind(statement, next);
                next += AdvisoryLock.Holder.PARAMETERS;
            }
            statement.setString(next++, String.join(",", expected));
            if (also != null) {
                statement.setString(next, schema);
                statement.setString(next + 1, file.version());
                statement.setString(next + 2, file.checksum());
            }
            statement.execute();
            return commit;
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains(LOCK_LOST)) {
                requireLock(0, file, true);
            }
            if (message.contains(HISTORY_DIFFERS)) {
                throw new MigrationException(ErrorCode.MIGRATION, "Did not record " + file.fileName() + " in " + schema
                        + ": its migration history is not the one the tenant registry holds. Nothing of this file was "
                        + "applied; migrate again to migrate the schema from its own history.", file.fileName());
            }
            throw e;
        }
    }

    /**
     * {@link #recordExpecting}'s statements with no {@code also} for the table {@code name}: without and with the
     * lock's check, each without and with the commit. A tenant run records every schema's files with one of these.
     */
    private static String[] expectingStatements(String name) {
        return new String[] {expectingStatement(name, false, null, false), expectingStatement(name, false, null, true),
                expectingStatement(name, true, null, false), expectingStatement(name, true, null, true)};
    }

    /** The text of {@link #recordExpecting}'s statement, naming the table {@code name} through the search path. */
    private static String expectingStatement(String name, boolean locked, String also, boolean commit) {
        String unqualified = Identifiers.quote(name);
        return "SELECT set_config('search_path', ?, true); "
                + "WITH recorded AS (INSERT INTO " + unqualified + " (version, name, checksum, checksum_algorithm, "
                + "duration_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING) "
                + "SELECT (CASE WHEN NOT (" + (locked ? AdvisoryLock.Holder.HELD : "true") + ") THEN '" + LOCK_LOST
                + "' WHEN coalesce(string_agg(" + LINE + ", ',' ORDER BY version COLLATE \"C\"), '') <> ? "
                + "THEN '" + HISTORY_DIFFERS + "' ELSE '0' END)::int FROM " + unqualified
                + (also == null ? "" : "; " + also) + (commit ? "; COMMIT" : "");
    }

    /** Binds a history row's five values (version, name, checksum, algorithm, duration) from {@code index} on. */
    private static void bindRow(PreparedStatement statement, int index, MigrationFile file, long millis)
            throws SQLException {
        statement.setString(index, file.version());
        statement.setString(index + 1, file.name());
        statement.setString(index + 2, file.checksum());
        statement.setString(index + 3, file.algorithm());
        statement.setLong(index + 4, millis);
    }

    /**
     * Records files applied together in a schema whose history was empty a moment ago, in one round trip, each with
     * its share of {@code millis}; with {@code also} (a {@link FileRunner.Recorder#recordApplied} statement reading
     * {@link #rows}), the recorder's rows go with them; with {@code pathAfter}, the transaction's search path is set to
     * it before {@code also}. The statements name the history through the schema's search path (set first, the
     * temporary schema last, so that no temporary table can stand in for the history), so that their text is the same
     * for every schema: the driver parses it once, and the server prepares it once per session.
     */
    void recordAll(Connection connection, List<MigrationFile> files, long millis, String also, String pathAfter)
            throws SQLException {
        String sql = RECORD_ALL.computeIfAbsent(new RecordAll(name, files.size(), pathAfter != null, also),
                History::recordAllStatement);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, Identifiers.quote(schema) + ", pg_temp");
            int next = 2;
            for (MigrationFile file : files) {
                bindRow(statement, next, file, millis / files.size());
                next += 5;
            }
            if (pathAfter != null) {
                statement.setString(next++, pathAfter);
            }
            if (also != null) {
                statement.setString(next++, schema);
                for (MigrationFile file : files) {
                    statement.setString(next++, file.version());
                    statement.setString(next++, file.checksum());
                }
            }
            statement.execute();
        }
    }

    private static String recordAllStatement(RecordAll shape) {
        StringBuilder sql = new StringBuilder("SELECT set_config('search_path', ?, true); INSERT INTO ")
                .append(Identifiers.quote(shape.name()))
                .append(" (version, name, checksum, checksum_algorithm, duration_ms) VALUES ");
        for (int i = 0; i < shape.files(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
        }
        if (shape.pathAfter()) {
            sql.append("; SELECT set_config('search_path', ?, true)");
        }
        if (shape.also() != null) {
            sql.append("; ").append(shape.also());
        }
        return sql.toString();
    }

    /** The FROM item of {@code count} files' rows, each bound as version and checksum, for {@link #recordAll}. */
    static String rows(int count) {
        return ROWS.computeIfAbsent(count, History::rowsItem);
    }

    private static String rowsItem(int count) {
        StringBuilder rows = new StringBuilder("(VALUES ");
        for (int i = 0; i < count; i++) {
            rows.append(i == 0 ? "(?, ?)" : ", (?, ?)");
        }
        return rows.append(") AS ").append(APPLIED).append("(version, checksum)").toString();
    }

    /** A history as the guard of {@link #recordExpecting} compares it: one line per applied file, "version checksum". */
    public static List<String> lines(Map<String, Entry> applied) {
        return applied.values().stream().map(e -> line(e.version(), e.checksum())).sorted().toList();
    }

    /** One line of {@link #lines}. */
    public static String line(String version, String checksum) {
        return version + " " + checksum;
    }

    /** The line of {@link #lines} a file has once applied. */
    public static String line(MigrationFile file) {
        return line(file.version(), file.checksum());
    }

    /** Records a file as already in the database, without running it (a baseline), tagged as its header says. */
    void baseline(Connection connection, MigrationFile file, AdvisoryLock.Holder holder) throws SQLException {
        String tag = file.filters().tag();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (version, name, checksum, checksum_algorithm, duration_ms, baselined" + (tag == null ? "" : ", tags")
                + ") SELECT ?, ?, ?, ?, 0, true" + (tag == null ? "" : ", ARRAY[?::text]") + " WHERE "
                + AdvisoryLock.Holder.HELD)) {
            insert.setString(1, file.version());
            insert.setString(2, file.name());
            insert.setString(3, file.checksum());
            insert.setString(4, file.algorithm());
            if (tag != null) {
                insert.setString(5, tag);
            }
            holder.bind(insert, tag == null ? 5 : 6);
            requireLock(insert.executeUpdate(), file, true);
        }
    }

    /**
     * Records the files an init script stands for ({@link InitScripts}) as baselined, tagged as their headers say, in
     * one statement, in the transaction that ran the script: the row the script's run wrote under its version (that of
     * the newest of them) becomes that file's.
     */
    public void recordCovered(Connection connection, List<MigrationFile> covered) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (version, name, checksum, checksum_algorithm, duration_ms, baselined, tags) SELECT v, n, c, a, 0, "
                + "true, CASE WHEN t IS NULL THEN '{}' ELSE ARRAY[t] END FROM unnest(?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[]) AS f(v, n, c, a, t) ON CONFLICT (version) DO UPDATE SET name = excluded.name, "
                + "checksum = excluded.checksum, checksum_algorithm = excluded.checksum_algorithm, baselined = true, "
                + "tags = excluded.tags")) {
            List<Function<MigrationFile, String>> columns = List.of(MigrationFile::version, MigrationFile::name,
                    MigrationFile::checksum, MigrationFile::algorithm, file -> file.filters().tag());
            for (int i = 0; i < columns.size(); i++) {
                insert.setArray(i + 1, connection.createArrayOf("text", covered.stream().map(columns.get(i))
                        .toArray()));
            }
            insert.executeUpdate();
        }
    }

    /**
     * Forgets a rolled-back file; with a holder, only while it still holds the migration lock, checked first in the
     * same transaction (Citus refuses a volatile function in the condition of a delete from a distributed table).
     */
    void forget(Connection connection, MigrationFile file, AdvisoryLock.Holder holder) throws SQLException {
        if (holder != null) {
            if (!held(connection, holder)) {
                throw new LockLostException(file, FileRunner.Direction.DOWN, !file.downTransactional());
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE version = ?")) {
            delete.setString(1, file.version());
            delete.executeUpdate();
        }
    }

    /** {@link #recordCovered} as a statement whose values are written out, for {@link DryRunText#script}. */
    public String scriptCovering(List<MigrationFile> covered) {
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " (version, name, checksum, checksum_algorithm, "
                + "duration_ms, baselined, tags) VALUES ");
        for (MigrationFile file : covered) {
            String tag = file.filters().tag();
            insert.append(file == covered.get(0) ? "" : ",\n  ").append('(').append(Literals.quote(file.version()))
                    .append(", ").append(Literals.quote(file.name())).append(", ").append(Literals.quote(file.checksum()))
                    .append(", ").append(Literals.quote(file.algorithm())).append(", 0, true, ")
                    .append(tag == null ? "'{}'" : "ARRAY[" + Literals.quote(tag) + "::text]").append(')');
        }
        return insert.append(";").toString();
    }

    /**
     * What {@link #baseline} writes for {@code files}, as statements whose values are written out, for
     * {@link DryRunText#baselineScript}: a history made before baselines or tags gains those columns first, and where a
     * file outside a transaction stopped part way is forgotten, as the baseline forgets it (a rollback of it and a
     * migrate would otherwise resume it there).
     */
    public String scriptBaselining(List<MigrationFile> files) {
        String recorded = "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS baselined boolean NOT NULL DEFAULT false,"
                + ADD_TAGS + ";\n" + scriptCovering(files);
        List<String> outside = files.stream().filter(file -> TransactionMode.of(file) == TransactionMode.NONE)
                .map(file -> Literals.quote(file.version())).toList();
        if (outside.isEmpty()) {
            return recorded;
        }
        String progress = Identifiers.qualify(home, MigrationProgress.table(name));
        // PL/pgSQL resolves a statement's table when it first runs it: a missing progress table is never named.
        return recorded + "\nDO $ashlar_progress$\nBEGIN\n  IF to_regclass(" + Literals.quote(progress)
                + ") IS NOT NULL THEN\n    DELETE FROM " + progress + " WHERE version IN (" + String.join(", ", outside)
                + ");\n    IF NOT EXISTS (SELECT FROM " + progress + ") THEN\n      DROP TABLE " + progress
                + ";\n    END IF;\n  END IF;\nEND\n$ashlar_progress$;";
    }

    /** Adds the tags column ({@code ashlar tag}) to a history made before tags. */
    private static final String ADD_TAGS = " ADD COLUMN IF NOT EXISTS tags text[] NOT NULL DEFAULT '{}'";

    /**
     * What {@link #record} and {@link #forget} write, as statements whose values are written out, for a script that
     * a person runs by hand ({@link DryRunText#script}): a file applied is recorded as the run records it (a repeatable
     * one replacing its earlier text and naming who ran it, where the history has {@code installed_by} when the script
     * runs), a file rolled back is forgotten.
     */
    public String scriptRecording(MigrationFile file, FileRunner.Direction direction) {
        String version = Literals.quote(file.version());
        if (direction == FileRunner.Direction.DOWN) {
            return "DELETE FROM " + table + " WHERE version = " + version + ";";
        }
        String insert = "INSERT INTO " + table + " (version, name, checksum, checksum_algorithm, duration_ms) VALUES ("
                + version + ", " + Literals.quote(file.name()) + ", " + Literals.quote(file.checksum()) + ", "
                + Literals.quote(file.algorithm()) + ", 0)";
        if (!file.repeatable()) {
            String tag = file.filters().tag();
            // A '-- tag:' header tags the row, as the run does (tag); a history made before tags gets the column.
            return insert + ";" + (tag == null ? "" : "\nALTER TABLE " + table + ADD_TAGS + ";\nUPDATE " + table
                    + " SET tags = array_append(tags, " + Literals.quote(tag) + "::text) WHERE version = " + version
                    + ";");
        }
        // PL/pgSQL resolves a statement's columns when it first runs it: the branch not taken names no missing column.
        return "DO $ashlar_record$\nBEGIN\n  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
                + Literals.quote(table) + "::regclass AND attname = 'installed_by' AND NOT attisdropped) THEN\n    "
                + insert + RERUN_BY + ";\n  ELSE\n    " + insert + RERUN + ";\n  END IF;\nEND\n$ashlar_record$;";
    }

    /** Records a changed file's text as the one applied (a repair), only while the holder still holds the lock. */
    void accept(Connection connection, MigrationFile file, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET name = ?, checksum = ?, "
                + "checksum_algorithm = ? WHERE version = ? AND " + AdvisoryLock.Holder.HELD)) {
            update.setString(1, file.name());
            update.setString(2, file.checksum());
            update.setString(3, file.algorithm());
            update.setString(4, file.version());
            holder.bind(update, 5);
            requireLock(update.executeUpdate(), file, true);
        }
    }

    /** Records the new name of a file renamed with its version and text kept (a repair), while the lock is held. */
    void rename(Connection connection, MigrationFile file, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET name = ? WHERE version = ? "
                + "AND " + AdvisoryLock.Holder.HELD)) {
            update.setString(1, file.name());
            update.setString(2, file.version());
            holder.bind(update, 3);
            requireLock(update.executeUpdate(), file, true);
        }
    }

    /**
     * Removes the row of an applied version whose file is gone (a repair), only while the holder still holds the
     * lock; false when the lock was lost.
     */
    boolean forget(Connection connection, String version, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE version = ? AND "
                + AdvisoryLock.Holder.HELD)) {
            delete.setString(1, version);
            holder.bind(delete, 2);
            return delete.executeUpdate() == 1;
        }
    }

    /**
     * The tags of this history ({@code ashlar tag}), each with the version of the migration it marks, in the order
     * those were applied; empty when no tag was given or the table does not exist yet. A history made before tags has
     * no {@code tags} column: it is read through the row's JSON.
     */
    public Map<String, String> tags(Connection connection) throws SQLException {
        Map<String, String> tags = new LinkedHashMap<>();
        if (!exists(connection, table)) {
            return tags;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT h.version, t.tag FROM " + table + " h CROSS JOIN LATERAL "
                     + "jsonb_array_elements_text(coalesce(to_jsonb(h) -> 'tags', '[]')) WITH ORDINALITY AS t(tag, n) "
                     + "ORDER BY h.applied_at, h.version, t.n")) {
            while (rows.next()) {
                tags.put(rows.getString(2), rows.getString(1));
            }
        }
        return tags;
    }

    /** Whether the table {@code qualified} (quoted as needed) exists; works inside a transaction too. */
    static boolean exists(Connection connection, String qualified) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, qualified);
            try (ResultSet row = exists.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** The tags among {@code tags} ({@link #tags}) that mark {@code version}, in their order. */
    public static List<String> marking(Map<String, String> tags, String version) {
        return tags.entrySet().stream().filter(tag -> tag.getValue().equals(version)).map(Map.Entry::getKey).toList();
    }

    /** Adds {@code tag} to the tags of {@code version}'s row, only while the holder still holds the migration lock. */
    void tag(Connection connection, String version, String tag, AdvisoryLock.Holder holder) throws SQLException {
        addTags(connection, null);
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET tags = "
                + "array_append(tags, ?::text) WHERE version = ? AND " + AdvisoryLock.Holder.HELD)) {
            update.setString(1, tag);
            update.setString(2, version);
            holder.bind(update, 3);
            if (update.executeUpdate() != 1) {
                throw new MigrationException(ErrorCode.MIGRATION, "Lost the migration lock of " + schema + " while "
                        + "tagging it as " + tag + ": nothing was tagged. Tag it again.", null);
            }
        }
    }

    /** Whether the holder still holds the migration lock, asked on its own (it then holds it to the transaction's end). */
    static boolean held(Connection connection, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement("SELECT " + AdvisoryLock.Holder.HELD)) {
            holder.bind(check, 1);
            try (ResultSet row = check.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private void requireLock(int rows, MigrationFile file, boolean conditional) {
        if (rows == 0 && conditional) {
            throw new LockLostException(file, FileRunner.Direction.UP, !file.transactional());
        }
    }

    /**
     * Every schema whose migration history (the table {@code name}) was made before {@code installed_by} or
     * {@code deployment_id}, in one query for them all.
     */
    public static Set<String> schemasWithoutInstalledBy(Connection connection, String name) throws SQLException {
        return new HashSet<>(schemasWhoseHistory(connection, name, " AND (SELECT count(*) FROM pg_attribute a "
                + "WHERE a.attrelid = c.oid AND a.attname IN ('installed_by', 'deployment_id') AND NOT a.attisdropped) "
                + "< 2"));
    }

    /**
     * Every schema that has a migration history table of the name {@code name}: a table of that name with the history's
     * columns, so that another application's table of the same name ({@code migrations}) is never taken for one, and not
     * a history kept apart ({@link #APART}): that schema is no tenant's, whichever application keeps its history there.
     */
    public static List<String> schemasWithHistory(Connection connection, String name) throws SQLException {
        return schemasWhoseHistory(connection, name, "");
    }

    /**
     * The schemas, in order, whose history table {@code c} (of the name {@code name}) meets {@code condition} (SQL of
     * ours, binding nothing). The tables are found through {@code pg_class}'s index on the name, not a scan of every
     * schema; {@code condition} is checked on them first (the subquery's {@code OFFSET 0} keeps the planner from
     * merging it), and the history's four columns (four index probes a table) only on the tables that meet it.
     */
    private static List<String> schemasWhoseHistory(Connection connection, String name, String condition)
            throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT n.nspname FROM (SELECT c.oid, c.relnamespace "
                + "FROM pg_class c WHERE c.relname = ? AND c.relkind = 'r'" + condition
                + " AND obj_description(c.oid, 'pg_class') IS DISTINCT FROM " + Literals.quote(APART)
                + " OFFSET 0) c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE (SELECT count(*) FROM pg_attribute h WHERE h.attrelid = c.oid "
                + "AND NOT h.attisdropped AND h.attname IN ('version', 'checksum', 'checksum_algorithm', 'duration_ms')) = 4 "
                + "ORDER BY 1")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
        }
        return schemas;
    }
}
