package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The migration locks held on a database and who holds them (Liquibase's {@code list-locks}), and ending the session
 * of a holder that is gone (its {@code release-locks}). A lock is a session's advisory lock ({@link AdvisoryLock}): it
 * is released when that session ends, which PostgreSQL notices late for a client whose machine died or whose network
 * was cut. Ending that session is safe for the history: a run that loses its lock records nothing more, its file in
 * progress rolled back.
 */
public final class MigrationLocks {
    private static final String ROWS = "SELECT l.name, l.run, (to_jsonb(l) ->> 'locked_at')::timestamptz, "
            + "to_jsonb(l) ->> 'locked_by' FROM " + AdvisoryLock.TABLE + " l ORDER BY l.name";
    private static final String HIDDEN = "an address hidden from this user";
    // Advisory locks on a bigint key show its high half as classid, its low half as objid, and objsubid 1.
    // A session of another role shows no address, start or state to a user without pg_read_all_stats: its client_port
    // is null too, where a session over a local socket shows -1.
    private static final String HOLDER = "SELECT a.pid, a.usename, coalesce(nullif(a.application_name, ''), 'unnamed'), "
            + "CASE WHEN a.client_addr IS NOT NULL THEN host(a.client_addr) WHEN a.client_port = -1 THEN 'local socket' "
            + "ELSE '" + HIDDEN + "' END, a.backend_start, a.state, EXISTS (SELECT 1 FROM "
            + "pg_catalog.pg_locks r WHERE r.pid = a.pid AND r.locktype = 'advisory' AND r.granted "
            + "AND r.database = k.database AND r.classid = ? AND r.objid = ? AND r.objsubid = 1) "
            + "FROM pg_catalog.pg_locks k JOIN pg_catalog.pg_stat_activity a ON a.pid = k.pid "
            + "WHERE k.locktype = 'advisory' AND k.granted AND k.objsubid = 1 AND k.classid = ? AND k.objid = ? "
            + "AND k.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())";
    /**
     * Ends the session only while it holds the lock, granted, and is the session listed (the same start, when shown):
     * one statement, so that a holder that finished since and went back to a pool, or a new session given its pid, is
     * left alone.
     */
    private static final String TERMINATE = "SELECT pg_catalog.pg_terminate_backend(a.pid) FROM "
            + "pg_catalog.pg_stat_activity a WHERE a.pid = ? AND (?::timestamptz IS NULL OR a.backend_start = ?) "
            + "AND EXISTS (SELECT 1 FROM pg_catalog.pg_locks k WHERE k.pid = a.pid AND k.locktype = 'advisory' "
            + "AND k.granted AND k.objsubid = 1 AND k.classid = ? AND k.objid = ? "
            + "AND k.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))";
    private static final long RELEASE_WAIT_MILLIS = 10_000;

    /** This process as {@code locked_by} records it: the host's name and the process id, as Liquibase's LOCKEDBY. */
    private static final class ThisProcess {
        static final String NAME = host() + " (pid " + ProcessHandle.current().pid() + ")";

        private static String host() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "unknown host";
            }
        }
    }

    /**
     * A migration lock and the session holding it.
     *
     * @param name           what it protects: {@code migrations:SCHEMA}, or {@code tenant-migrations}
     * @param pid            the holding session's process id, as {@code pg_stat_activity} shows it
     * @param user           the database user of that session
     * @param application    its {@code application_name}, {@code unnamed} when it set none
     * @param client         the address it connected from, {@code local socket}, or a note that it is hidden: a
     *                       session of another role shows none to a user without {@code pg_read_all_stats}
     * @param sessionStarted when that session was opened, or null when hidden from this user
     * @param state          its state, e.g. {@code idle} (the lock's session runs no statement while files run), or
     *                       {@code state unknown} when hidden from this user
     * @param lockedAt       when the run took the lock, or null when its table does not record it
     * @param lockedBy       the host and process id of the run, or null when its table does not record it
     */
    public record Held(String name, int pid, String user, String application, String client, Instant sessionStarted,
                       String state, Instant lockedAt, String lockedBy) {
        /** One line for a person: the lock, the session, where from and since when. */
        public String describe() {
            return name + ": pid " + pid + " (user " + user + ", " + application + ", from " + client + ", " + state
                    + ")" + (lockedBy != null ? ", taken by " + lockedBy + " at " + lockedAt
                    : sessionStarted == null ? "" : ", session opened " + sessionStarted);
        }
    }

    private MigrationLocks() {
    }

    /** The value {@link AdvisoryLock} records as who took a lock. */
    static String thisProcess() {
        return ThisProcess.NAME;
    }

    /** The migration locks held on the database now, by name; none when no migration ever ran there. */
    public static List<Held> list(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return list(connection);
        } catch (SQLException e) {
            throw failure("Could not read the migration locks", e);
        }
    }

    private static List<Held> list(Connection connection) throws SQLException {
        List<Held> held = new ArrayList<>();
        if (!tableExists(connection)) {
            return held;
        }
        try (PreparedStatement rows = connection.prepareStatement(ROWS); ResultSet row = rows.executeQuery()) {
            while (row.next()) {
                Timestamp at = row.getTimestamp(3);
                holder(connection, row.getString(1), row.getLong(2), at == null ? null : at.toInstant(),
                        row.getString(4)).ifPresent(held::add);
            }
        }
        return held;
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, AdvisoryLock.TABLE);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** The session holding the lock {@code name}, with who took it when that session is also the one that wrote it. */
    private static Optional<Held> holder(Connection connection, String name, long run, Instant lockedAt,
                                                   String lockedBy) throws SQLException {
        long key = AdvisoryLock.key(name);
        try (PreparedStatement query = connection.prepareStatement(HOLDER)) {
            query.setLong(1, run >>> 32);
            query.setLong(2, run & 0xFFFFFFFFL);
            query.setLong(3, key >>> 32);
            query.setLong(4, key & 0xFFFFFFFFL);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                // A session that took the name's lock but holds no longer the run key of the row (it has not written
                // its own yet) is not the one the row names.
                boolean wrote = row.getBoolean(7);
                OffsetDateTime started = row.getObject(5, OffsetDateTime.class);
                String state = row.getString(6);
                return Optional.of(new Held(name, row.getInt(1), row.getString(2), row.getString(3),
                        row.getString(4), started == null ? null : started.toInstant(),
                        state == null ? "state unknown" : state, wrote ? lockedAt : null, wrote ? lockedBy : null));
            }
        }
    }

    /**
     * Ends the session {@code pid}, which must hold a migration lock of this database ({@code ashlar locks --release
     * PID}), and waits until its locks are given back. Naming the pid, rather than releasing whatever is held, keeps a
     * run that took the lock since it was listed from being ended in its place.
     *
     * @return the lock it held
     * @throws MigrationException when that session holds no migration lock (naming those that do), or may not be
     *                            ended by this user
     */
    public static Held release(DataSource dataSource, int pid) {
        try (Connection connection = dataSource.getConnection()) {
            List<Held> held = list(connection);
            Held listed = held.stream().filter(lock -> lock.pid() == pid).findFirst()
                    .orElseThrow(() -> notHolding(pid, "holds no migration lock of this database", held));
            terminate(connection, listed);
            return listed;
        } catch (SQLException e) {
            throw failure("Could not release the migration lock held by pid " + pid, e);
        }
    }

    /**
     * Ends the session of a lock as it was listed, if it still holds that lock, as {@link #release(DataSource, int)}.
     *
     * @throws MigrationException when that session no longer holds it
     */
    static Held release(DataSource dataSource, Held listed) {
        try (Connection connection = dataSource.getConnection()) {
            terminate(connection, listed);
            return listed;
        } catch (SQLException e) {
            throw failure("Could not release the migration lock held by pid " + listed.pid(), e);
        }
    }

    private static MigrationException notHolding(int pid, String why, List<Held> held) {
        return new MigrationException(ErrorCode.MIGRATION, "The session of pid " + pid + " " + why + ", and was left "
                + "as it is. " + (held.isEmpty() ? "No migration lock is held." : "The locks held: "
                + held.stream().map(Held::describe).collect(Collectors.joining("; ")) + "."), null);
    }

    private static void terminate(Connection connection, Held lock) throws SQLException {
        long key = AdvisoryLock.key(lock.name());
        OffsetDateTime started = lock.sessionStarted() == null ? null
                : OffsetDateTime.ofInstant(lock.sessionStarted(), ZoneOffset.UTC);
        try (PreparedStatement end = connection.prepareStatement(TERMINATE)) {
            end.setInt(1, lock.pid());
            end.setObject(2, started);
            end.setObject(3, started);
            end.setLong(4, key >>> 32);
            end.setLong(5, key & 0xFFFFFFFFL);
            try (ResultSet row = end.executeQuery()) {
                if (!row.next() || !row.getBoolean(1)) {
                    throw notHolding(lock.pid(), "no longer holds " + lock.name() + " (its run ended since it was "
                            + "listed)", list(connection));
                }
            }
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new MigrationException(ErrorCode.MIGRATION, "This user may not end the session of pid "
                        + lock.pid() + ", which holds " + lock.name() + " as user " + lock.user() + ": release it as "
                        + "that user, a superuser or a member of pg_signal_backend. Nothing was released.", null,
                        null, e.getSQLState(), e);
            }
            throw e;
        }
        // The session gives its locks back a moment after the signal, as it ends.
        long deadline = System.nanoTime() + RELEASE_WAIT_MILLIS * 1_000_000;
        while (list(connection).stream().anyMatch(held -> held.pid() == lock.pid())) {
            if (System.nanoTime() > deadline) {
                throw new MigrationException(ErrorCode.MIGRATION, "The session of pid " + lock.pid() + " was told to "
                        + "end but still holds " + lock.name() + " after " + RELEASE_WAIT_MILLIS / 1000 + " s.", null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationException(ErrorCode.MIGRATION, "Interrupted while waiting for pid " + lock.pid()
                        + " to end", null, null, null, e);
            }
        }
    }

    private static MigrationException failure(String what, SQLException e) {
        return new MigrationException(ErrorCode.MIGRATION, what + ": " + e.getMessage(), null, null, e.getSQLState(), e);
    }
}
