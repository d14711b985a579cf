package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code ashlar_schema_migrations} table of one schema: what has been applied there. */
public final class History {
    /** The table's name in every schema that has a history. */
    public static final String TABLE = "ashlar_schema_migrations";

    /** {@link #line} in SQL. */
    private static final String LINE = "version || ' ' || checksum";
    // A history made before baselines has no baselined column: read it through the row's JSON.
    // The time comes as microseconds since the epoch: a number, not text for the driver to parse into a calendar.
    private static final String COLUMNS = "version, name, checksum, checksum_algorithm, "
            + "(extract(epoch FROM applied_at) * 1000000)::bigint, duration_ms, "
            + "coalesce((to_jsonb(h) ->> 'baselined')::boolean, false)";

    private final String schema;
    private final String table;

    public History(String schema) {
        this.schema = schema;
        this.table = Identifiers.qualify(schema, TABLE);
    }

    /**
     * One applied migration.
     *
     * @param baselined recorded by {@code ashlar baseline} without running: the database already had it
     */
    public record Entry(String version, String name, String checksum, String algorithm, Instant appliedAt, long millis,
                        boolean baselined) {
    }

    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStatement());
        }
    }

    /** The statement {@link #create} runs, for a caller that sends it with others in one round trip. */
    public String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL, "
                + "baselined boolean NOT NULL DEFAULT false)";
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
                if ("42P01".equals(e.getSQLState())) {
                    return new LinkedHashMap<>();
                }
                throw e;
            }
        }
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet row = exists.executeQuery()) {
                row.next();
                return row.getBoolean(1) ? read(connection) : new LinkedHashMap<>();
            }
        }
    }

    private Map<String, Entry> read(Connection connection) throws SQLException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + COLUMNS + " FROM " + table + " h ORDER BY version")) {
            while (rows.next()) {
                entries.put(rows.getString(1), new Entry(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), Instant.EPOCH.plus(rows.getLong(5), ChronoUnit.MICROS), rows.getLong(6),
                        rows.getBoolean(7)));
            }
        }
        return entries;
    }

    /**
     * Records an applied file; with a holder, only while it still holds the migration lock; with {@code expected},
     * only if the history holds exactly those files ({@link #lines}, in version order) besides this one. With
     * {@code also} (a statement reading the new row from {@code applied(version, checksum)}, whose one parameter is
     * the schema), both are written in one statement.
     *
     * @throws LockLostException  when the holder lost the lock; the caller rolls the file back
     * @throws MigrationException when the history was not the one expected; the caller rolls the file back
     */
    void record(Connection connection, MigrationFile file, long millis, AdvisoryLock.Holder holder, String also,
                List<String> expected) throws SQLException {
        // A tenant run records a file in thousands of schemas: there the statement names the history through the search
        // path, which it sets itself (the schema, then the temporary schema, so no temporary table can stand in for
        // the history), so that its text is the same for every schema, and the driver parses it once.
        boolean onPath = expected != null;
        String target = onPath ? TABLE : table;
        List<String> conditions = new ArrayList<>();
        if (holder != null) {
            conditions.add(AdvisoryLock.Holder.HELD);
        }
        if (expected != null) {
            // One text, not an array: the lines hold no comma (a version's digits, a checksum's hex), and binding a
            // string costs the client a fraction of building an array.
            conditions.add("coalesce((SELECT string_agg(" + LINE + ", ',' ORDER BY version COLLATE \"C\") FROM " + target
                    + "), '') = ?");
        }
        String insert = "INSERT INTO " + target + " (version, name, checksum, checksum_algorithm, duration_ms) "
                + "SELECT ?, ?, ?, ?, ?" + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
        String sql = also == null ? insert : "WITH applied AS (" + insert + " RETURNING version, checksum) " + also;
        try (PreparedStatement statement = connection.prepareStatement(onPath
                ? "SELECT set_config('search_path', ?, true); " + sql : sql)) {
            int next = 1;
            if (onPath) {
                statement.setString(next++, Identifiers.quote(schema) + ", pg_temp");
            }
            statement.setString(next++, file.version());
            statement.setString(next++, file.name());
            statement.setString(next++, file.checksum());
            statement.setString(next++, MigrationFile.CHECKSUM_ALGORITHM);
            statement.setLong(next++, millis);
            if (holder != null) {
                holder.bind(statement, next);
                next += AdvisoryLock.Holder.PARAMETERS;
            }
            if (expected != null) {
                statement.setString(next++, String.join(",", expected));
            }
            if (also != null) {
                statement.setString(next, schema);
            }
            int rows = onPath ? secondCount(statement) : statement.executeUpdate();
            if (rows == 0 && expected != null && (holder == null || held(connection, holder))) {
                throw new MigrationException(ErrorCode.MIGRATION, "Did not record " + file.fileName() + " in " + schema
                        + ": its migration history is not the one the tenant registry holds. Nothing of this file was "
                        + "applied; migrate again to migrate the schema from its own history.", file.fileName());
            }
            requireLock(rows, file, holder != null);
        }
    }

    /** The row count of the second of two statements sent as one, the first a query. */
    private static int secondCount(PreparedStatement statement) throws SQLException {
        statement.execute();
        statement.getMoreResults();
        return statement.getUpdateCount();
    }

    /**
     * Records files applied together in a schema whose history was empty a moment ago, in one statement, each with
     * its share of {@code millis}; with {@code also}, as in {@link #record}.
     */
    void recordAll(Connection connection, List<MigrationFile> files, long millis, String also) throws SQLException {
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(table)
                .append(" (version, name, checksum, checksum_algorithm, duration_ms) VALUES ");
        for (int i = 0; i < files.size(); i++) {
            insert.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
        }
        try (PreparedStatement statement = connection.prepareStatement(also == null ? insert.toString()
                : "WITH applied AS (" + insert + " RETURNING version, checksum) " + also)) {
            int next = 1;
            for (MigrationFile file : files) {
                statement.setString(next++, file.version());
                statement.setString(next++, file.name());
                statement.setString(next++, file.checksum());
                statement.setString(next++, MigrationFile.CHECKSUM_ALGORITHM);
                statement.setLong(next++, millis / files.size());
            }
            if (also != null) {
                statement.setString(next, schema);
            }
            statement.executeUpdate();
        }
    }

    /** A history as the guard of {@link #record} compares it: one line per applied file, "version checksum". */
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

    /** Records a file as already in the database, without running it (a baseline). */
    void baseline(Connection connection, MigrationFile file, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (version, name, checksum, checksum_algorithm, duration_ms, baselined) SELECT ?, ?, ?, ?, 0, true"
                + " WHERE " + AdvisoryLock.Holder.HELD)) {
            insert.setString(1, file.version());
            insert.setString(2, file.name());
            insert.setString(3, file.checksum());
            insert.setString(4, MigrationFile.CHECKSUM_ALGORITHM);
            holder.bind(insert, 5);
            requireLock(insert.executeUpdate(), file, true);
        }
    }

    /**
     * Forgets a rolled-back file; with a holder, only while it still holds the migration lock, checked first in the
     * same transaction (Citus refuses a volatile function in the condition of a delete from a distributed table).
     */
    void forget(Connection connection, MigrationFile file, AdvisoryLock.Holder holder) throws SQLException {
        if (holder != null) {
            if (!held(connection, holder)) {
                throw new LockLostException(file, !file.downTransactional());
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE version = ?")) {
            delete.setString(1, file.version());
            delete.executeUpdate();
        }
    }

    /** Records a changed file's text as the one applied (a repair), only while the holder still holds the lock. */
    void accept(Connection connection, MigrationFile file, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET name = ?, checksum = ?, "
                + "checksum_algorithm = ? WHERE version = ? AND " + AdvisoryLock.Holder.HELD)) {
            update.setString(1, file.name());
            update.setString(2, file.checksum());
            update.setString(3, MigrationFile.CHECKSUM_ALGORITHM);
            update.setString(4, file.version());
            holder.bind(update, 5);
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

    /** Whether the holder still holds the migration lock, asked on its own (it then holds it to the transaction's end). */
    private static boolean held(Connection connection, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement("SELECT " + AdvisoryLock.Holder.HELD)) {
            holder.bind(check, 1);
            try (ResultSet row = check.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private void requireLock(int rows, MigrationFile file, boolean conditional) {
        if (rows == 0 && conditional) {
            throw new LockLostException(file, !file.transactional());
        }
    }

    /** Every schema that has a migration history table. */
    public static List<String> schemasWithHistory(Connection connection) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT n.nspname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relname = ? AND c.relkind = 'r' ORDER BY 1")) {
            query.setString(1, TABLE);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
        }
        return schemas;
    }
}
