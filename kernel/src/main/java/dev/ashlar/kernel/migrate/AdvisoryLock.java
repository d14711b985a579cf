package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own that keeps no
 * transaction open. Waiters poll {@code pg_try_advisory_lock} instead of blocking in
 * {@code pg_advisory_lock}: a {@code CREATE INDEX CONCURRENTLY} run by the lock holder waits for
 * every open transaction to end, so a waiter blocked inside a transaction (or a holder whose lock
 * lives in one) would deadlock with it.
 *
 * <p>The lock lives as long as its session: if that connection dies (a network cut, an idle
 * timeout, {@code pg_terminate_backend}) the lock is gone and a waiting migrator takes it. So every
 * history row is written only while {@link #holder() the holder} still holds it (see
 * {@link History#record}), which stops the run, rolling back the file in progress, when it is lost.
 * The check is two lock-manager calls in the statement that writes the row, touching no table. Each
 * run draws a random key; its lock session holds that key exclusively for as long as it lives, and
 * its workers take the key's twin, shared, to the end of each transaction. A row is written only
 * while this run's session still holds its key (a shared try of it fails), so once that session is
 * gone every later check of the run fails, whoever holds the lock by then; and while the twin can be
 * taken shared. The run's key goes in {@code ashlar_migration_locks}: a migrator that takes the lock
 * next first takes the previous run's twin, exclusively, which waits for the transactions of that run
 * that already passed their check. Two runs never both commit, even when the lock is lost between a
 * check and its commit. (Reading {@code pg_locks} instead gathers every lock of the server on every
 * call; on a run over a thousand tenant schemas it took a quarter of the time.)
 * The idle connection also serves the run's own small queries and looks up who blocks a statement.
 */
public final class AdvisoryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
    private static final long POLL_MILLIS = 100;
    /** How long adding the holder columns to an earlier version's table waits for the sessions reading it. */
    static final long ALTER_WAIT_MILLIS = 3_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One row per lock name: the key of the run that took the lock last. */
    public static final String TABLE = "public.ashlar_migration_locks";

    private final Connection connection;
    private final String name;
    /** The session-level advisory locks this lock's session holds: the name's key, the run's, the previous twin. */
    private final List<Long> held;
    private final Holder holder;

    /**
     * Who holds a lock: the run's own key, held by the lock's session, and its twin, which the run's workers take.
     *
     * @param run this run's key, drawn at random
     */
    public record Holder(long run) {
        /** The SQL condition, with {@value #PARAMETERS} parameters (key, twin), that this run still holds the lock. */
        static final String HELD = "NOT pg_catalog.pg_try_advisory_xact_lock_shared(?) "
                + "AND pg_catalog.pg_try_advisory_xact_lock_shared(?)";
        static final int PARAMETERS = 2;

        /** The key the run's workers take shared and the next run fences off. */
        long twin() {
            return run ^ 1;
        }

        /** Binds {@link #HELD}'s parameters from {@code index} on. */
        void bind(PreparedStatement statement, int index) throws SQLException {
            statement.setLong(index, run);
            statement.setLong(index + 1, twin());
        }
    }

    /** Work on the lock's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private AdvisoryLock(Connection connection, String name, List<Long> held, Holder holder) {
        this.connection = connection;
        this.name = name;
        this.held = held;
        this.holder = holder;
    }

    /** A stable 64-bit key for a name, so every migrator of the same schema contends for the same lock. */
    static long key(String name) {
        CRC32 crc = new CRC32();
        crc.update(("ashlar:" + name).getBytes(StandardCharsets.UTF_8));
        return 0x4153484CL << 32 | crc.getValue();
    }

    /**
     * Waits until the lock is free, then takes it.
     *
     * @throws AshlarException when it is still held after {@code timeout}, naming the holder's pid
     */
    public static AdvisoryLock acquire(DataSource dataSource, String name, Duration timeout) throws SQLException {
        return acquire(dataSource, name, timeout, line -> LOG.info(line));
    }

    /** Like {@link #acquire(DataSource, String, Duration)}, telling {@code waiting} who it waits for. */
    public static AdvisoryLock acquire(DataSource dataSource, String name, Duration timeout, Consumer<String> waiting)
            throws SQLException {
        long key = key(name);
        Connection connection = dataSource.getConnection();
        List<Long> held = new ArrayList<>();
        try {
            connection.setAutoCommit(true);
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean told = false;
            while (!tryLock(connection, key)) {
                if (!told) {
                    waiting.accept("waiting for another migrator of " + name + " to finish (held by pid "
                            + holder(connection, key) + ")");
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    throw new AshlarException(ErrorCode.MIGRATION, "Another migrator of " + name + " (pid "
                            + holder(connection, key) + ") still holds the migration lock after " + shown(timeout)
                            + ". Wait for it to finish, or raise the lock timeout (--lock-timeout).");
                }
                sleep();
            }
            held.add(key);
            boolean holderColumns = ensureTable(connection);
            fencePrevious(connection, name, timeout, waiting, held);
            Holder holder = new Holder(RANDOM.nextLong());
            if (!tryLock(connection, holder.run())) {
                throw new AshlarException(ErrorCode.MIGRATION, "The random key drawn for this run of " + name
                        + " is held by another session; run the migration again.");
            }
            held.add(holder.run());
            claim(connection, name, holder, holderColumns);
            return new AdvisoryLock(connection, name, held, holder);
        } catch (SQLException | RuntimeException e) {
            // The connection goes back to a pool: it must not keep the locks this failed acquisition took.
            Cleanup.run(e, () -> unlock(connection, held));
            connection.close();
            throw e;
        }
    }

    private static void unlock(Connection connection, List<Long> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(key) FROM "
                + "unnest(?::bigint[]) AS k(key)")) {
            unlock.setArray(1, connection.createArrayOf("bigint", keys.toArray()));
            unlock.execute();
        }
    }

    /**
     * Takes the twin of the run that held the lock before, exclusively, until this lock is released: this waits for
     * that run's transactions that already passed their check.
     */
    private static void fencePrevious(Connection connection, String name, Duration timeout, Consumer<String> waiting,
                                      List<Long> held) throws SQLException {
        Long previous = null;
        try (PreparedStatement query = connection.prepareStatement("SELECT run FROM " + TABLE + " WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    previous = row.getLong(1);
                }
            }
        }
        if (previous == null) {
            return;
        }
        long twin = new Holder(previous).twin();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        while (!tryLock(connection, twin)) {
            if (!told) {
                waiting.accept("waiting for the last transactions of the run of " + name + " that lost its lock");
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw new AshlarException(ErrorCode.MIGRATION, "The run of " + name + " that lost its lock still "
                        + "commits after " + shown(timeout) + ". Stop that process, or raise the lock timeout "
                        + "(--lock-timeout).");
            }
            sleep();
        }
        held.add(twin);
    }

    /**
     * Writes this run's key in the lock's row, for the run after it to fence off, and, when the table has the columns,
     * when and by which host and process the lock was taken, for {@link MigrationLocks} to show.
     */
    private static void claim(Connection connection, String name, Holder holder, boolean holderColumns)
            throws SQLException {
        String sql = holderColumns
                ? "INSERT INTO " + TABLE + " (name, run, locked_at, locked_by) VALUES (?, ?, now(), ?) ON CONFLICT "
                        + "(name) DO UPDATE SET run = EXCLUDED.run, locked_at = EXCLUDED.locked_at, "
                        + "locked_by = EXCLUDED.locked_by"
                : "INSERT INTO " + TABLE + " (name, run) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET run = EXCLUDED.run";
        try (PreparedStatement claim = connection.prepareStatement(sql)) {
            claim.setString(1, name);
            claim.setLong(2, holder.run());
            if (holderColumns) {
                claim.setString(3, MigrationLocks.thisProcess());
            }
            claim.executeUpdate();
        }
    }

    /**
     * Creates the table of run keys, or adds to one made by an earlier version the columns saying who took each lock
     * and when; migrators of different names may race to, and the loser uses the winner's.
     *
     * @return whether the table has those columns: a user that does not own an earlier version's table cannot add them
     */
    private static boolean ensureTable(Connection connection) throws SQLException {
        boolean exists;
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL, "
                + "(SELECT count(*) FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass(?) "
                + "AND attname IN ('locked_at', 'locked_by') AND NOT attisdropped)")) {
            query.setString(1, TABLE);
            query.setString(2, TABLE);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                if (row.getInt(2) == 2) {
                    return true;
                }
                exists = row.getBoolean(1);
            }
        }
        if (exists) {
            return addHolderColumns(connection);
        }
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (name text PRIMARY KEY, run bigint NOT NULL, "
                    + "locked_at timestamptz, locked_by text)");
        } catch (SQLException e) {
            CreationRace.requireTable(connection, TABLE, e);
        }
        return true;
    }

    /**
     * Adds to an earlier version's table the columns saying who took each lock. That needs the table to itself, so it
     * waits at most {@link #ALTER_WAIT_MILLIS} for a session that reads it (a dump, a transaction left open), and when
     * that session still holds it, or this user does not own the table, the run goes on without recording who took
     * the lock. The wait is bounded in a transaction of its own, which a failure rolls back whole.
     */
    private static boolean addHolderColumns(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement alter = connection.createStatement()) {
            alter.execute("SET LOCAL lock_timeout = " + ALTER_WAIT_MILLIS);
            alter.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS locked_at timestamptz, "
                    + "ADD COLUMN IF NOT EXISTS locked_by text");
            connection.commit();
            return true;
        } catch (SQLException e) {
            Cleanup.run(e, connection::rollback);
            if ("42501".equals(e.getSQLState())) {
                LOG.debug("{} is another user's, made by an earlier version: who takes the lock is not recorded ({})",
                        TABLE, e.getMessage());
                return false;
            }
            if ("55P03".equals(e.getSQLState())) {
                LOG.warn("{} was in use by another session for {} ms, so the columns saying who takes the lock were "
                        + "not added; this run is not recorded, and a later one adds them ({})", TABLE,
                        ALTER_WAIT_MILLIS, e.getMessage());
                return false;
            }
            if ("42701".equals(e.getSQLState())) {
                return true;
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The session that holds the lock, to check that it still does. */
    public Holder holder() {
        return holder;
    }

    /** What the lock protects, e.g. {@code migrations:public}. */
    public String name() {
        return name;
    }

    /** Runs small queries on the lock's idle connection, one caller at a time. */
    public synchronized <T> T onConnection(Work<T> work) throws SQLException {
        return work.run(connection);
    }

    /** Whether the lock's session has ended (a network cut, {@code pg_terminate_backend}), and the lock with it. */
    public synchronized boolean lost() {
        try {
            return !connection.isValid(5);
        } catch (SQLException e) {
            return true;
        }
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static String holder(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pid FROM pg_locks WHERE "
                + "locktype = 'advisory' AND granted AND classid = ? AND objid = ? LIMIT 1")) {
            statement.setLong(1, key >>> 32);
            statement.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : "unknown";
            }
        }
    }

    /** A wait as a person reads it: "500 ms" rather than "0 s". */
    private static String shown(Duration wait) {
        return wait.toMillis() < 1000 || wait.toMillis() % 1000 != 0 ? wait.toMillis() + " ms" : wait.toSeconds() + " s";
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AshlarException(ErrorCode.MIGRATION, "Interrupted while waiting for the migration lock", e);
        }
    }

    /** Releases the lock; when its session is already gone, so is the lock, and there is nothing to release. */
    @Override
    public synchronized void close() {
        try (connection) {
            unlock(connection, held);
        } catch (SQLException e) {
            LOG.warn("The migration lock of {} was not released ({}); its session ended, which released it", name,
                    e.getMessage());
        }
    }
}
