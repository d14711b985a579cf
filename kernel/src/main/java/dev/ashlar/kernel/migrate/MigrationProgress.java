package dev.ashlar.kernel.migrate;

import dev.ashlar.api.sql.Identifiers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far the {@code transaction:false} files of one schema's history got, in the schema's
 * {@code ashlar_migration_progress} table (for a history of another name, a table of its own, {@link #table}): a
 * file outside a transaction commits statement by statement, so a run that fails or dies inside one leaves part of it
 * applied. Each statement's row is advanced in the statement's own transaction (or in the transaction the file began),
 * so the count of statements done is exact; a statement PostgreSQL runs only outside a transaction (a concurrent index
 * build) advances it right after. The row goes once the file is recorded in the history. The table is made the first
 * time such a file runs: a schema that never runs one has none.
 */
public final class MigrationProgress {
    /** The table's name in every schema whose default history ran a {@code transaction:false} file. */
    public static final String TABLE = "ashlar_migration_progress";

    private final String table;

    public MigrationProgress(History history) {
        this.table = Identifiers.qualify(history.home(), table(history.name()));
    }

    /**
     * The progress table of the history {@code history}: {@link #TABLE} for the default one, and for another name
     * {@code ashlar_migration_progress_} and the first 8 hex digits of the name's SHA-256, so that two projects
     * sharing a schema, each with its own history, never read, resume or forget each other's files, whatever the
     * length of the name.
     */
    public static String table(String history) {
        if (history.equals(History.DEFAULT_TABLE)) {
            return TABLE;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(history.getBytes(StandardCharsets.UTF_8));
            return TABLE + "_" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where one file outside a transaction stopped.
     *
     * @param checksum   the checksum of the text that ran: another text is another sequence of statements
     * @param statements how many statements its up section holds
     * @param done       how many of them are committed
     * @param line       the line of the file where statement {@code done + 1} starts; 0 when unknown
     * @param error      the error that stopped it, or null when its run died without saying (killed, connection lost)
     * @param prefix     the hash of the statements done ({@link #prefix}): a file whose first statements are still
     *                   those can go on where it stopped, whatever changed after them
     */
    public record Mark(String version, String name, String checksum, int statements, int done, int line, String error,
                       Instant updatedAt, String prefix) {
        /**
         * What the next migrate does with the file, whose up section now holds {@code now}: resumes it when the
         * statements done are still its first ones. One that failed goes on at the statement that failed, which left
         * nothing behind (outside a transaction each statement commits or not as a whole, and the invalid index of a
         * failed concurrent build is dropped): run again before its cause is fixed, it fails again the same way.
         */
        public Verdict verdict(MigrationFile file, List<String> now) {
            return done > now.size() || !MigrationProgress.prefix(now, done).hash().equals(prefix) ? Verdict.REWRITTEN
                    : Verdict.RESUME;
        }

        /** Where it stopped, in words: {@code statement 3 of 5 (line 7)}. */
        public String reached() {
            return "statement " + (done + 1) + " of " + statements + (line > 0 ? " (line " + line + ")" : "");
        }

        /** The statements that stay applied, in words. */
        public String kept() {
            return done == 1 ? "statement 1 stays applied" : "statements 1 to " + done + " stay applied";
        }
    }

    /** What the next migrate does with a file that an earlier run left part way. */
    public enum Verdict {
        /** Goes on at the statement it reached, the ones before not run again. */
        RESUME,
        /** Refused: the statements that ran are no longer its first ones, so where to go on is unknown. */
        REWRITTEN
    }

    /** A hash of a section's first statements, added one at a time. */
    static final class Prefix {
        private final MessageDigest digest;

        private Prefix() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(String statement) {
            digest.update(statement.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }

        String hash() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The hash of the first {@code count} statements, to which more can be added. */
    static Prefix prefix(List<String> statements, int count) {
        Prefix prefix = new Prefix();
        statements.stream().limit(count).forEach(prefix::add);
        return prefix;
    }

    /** The marks by version; empty when the table does not exist. Works inside and outside a transaction. */
    public Map<String, Mark> read(Connection connection) throws SQLException {
        Map<String, Mark> marks = new LinkedHashMap<>();
        if (!History.exists(connection, table)) {
            return marks;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, name, checksum, statements, done, line, error, "
                     + "(extract(epoch FROM updated_at) * 1000000)::bigint, prefix FROM " + table
                     + " ORDER BY version")) {
            while (rows.next()) {
                marks.put(rows.getString(1), new Mark(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getInt(4), rows.getInt(5), rows.getInt(6), rows.getString(7),
                        Instant.EPOCH.plus(rows.getLong(8), ChronoUnit.MICROS), rows.getString(9)));
            }
        }
        return marks;
    }

    /** Starts a file's mark at {@code done} statements (0, or where a resumed run goes on), in autocommit. */
    void start(Connection connection, MigrationFile file, List<String> statements, int done, int line)
            throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + table + " (version text PRIMARY KEY, name text NOT NULL, "
                    + "checksum text NOT NULL, statements int NOT NULL, done int NOT NULL, line int NOT NULL, "
                    + "prefix text NOT NULL, error text, "
                    + "started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table + " (version, name, checksum, "
                + "statements, done, line, prefix) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO UPDATE SET "
                + "name = excluded.name, checksum = excluded.checksum, statements = excluded.statements, "
                + "done = excluded.done, line = excluded.line, prefix = excluded.prefix, error = NULL, "
                + "started_at = excluded.started_at, updated_at = excluded.updated_at")) {
            upsert.setString(1, file.version());
            upsert.setString(2, file.name());
            upsert.setString(3, file.checksum());
            upsert.setInt(4, statements.size());
            upsert.setInt(5, done);
            upsert.setInt(6, line);
            upsert.setString(7, prefix(statements, done).hash());
            upsert.executeUpdate();
        }
    }

    /** Records that {@code done} statements are committed, the next starting at {@code line}, in the caller's transaction. */
    void advance(Connection connection, String version, int done, int line, String prefix) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET done = ?, line = ?, "
                + "prefix = ?, updated_at = now() WHERE version = ?")) {
            update.setInt(1, done);
            update.setInt(2, line);
            update.setString(3, prefix);
            update.setString(4, version);
            update.executeUpdate();
        }
    }

    /** Records the error that stopped a file (its statements before it committed). */
    void fail(Connection connection, String version, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET error = ?, "
                + "updated_at = now() WHERE version = ?")) {
            update.setString(1, error);
            update.setString(2, version);
            update.executeUpdate();
        }
    }

    /**
     * Removes a file's mark: it was recorded in the history, or {@code repair} lets it run from its first statement. The
     * table goes with its last mark, so that a schema holds it only while a file stands part way (a tenant schema then
     * has the tables of one created afresh).
     */
    void forget(Connection connection, String version) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE version = ?")) {
            delete.setString(1, version);
            delete.executeUpdate();
        }
        boolean empty;
        try (Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("SELECT NOT EXISTS (SELECT FROM " + table + ")")) {
            empty = row.next() && row.getBoolean(1);
        }
        if (empty) {
            try (Statement drop = connection.createStatement()) {
                drop.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    /** {@link #forget} when the table may not exist (a baseline in a schema that never ran such a file). */
    void forgetIfAny(Connection connection, String version) throws SQLException {
        if (read(connection).containsKey(version)) {
            forget(connection, version);
        }
    }
}
