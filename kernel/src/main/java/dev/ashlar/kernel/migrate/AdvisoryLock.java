package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
 * The idle connection also serves the run's own small queries and looks up who blocks a statement.
 */
public final class AdvisoryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
    private static final long POLL_MILLIS = 100;

    private final Connection connection;
    private final String name;
    private final Holder holder;

    /**
     * Who holds a lock: the backend process of the lock's session and the lock's key.
     *
     * @param pid the backend of the lock's session
     * @param key the 64-bit advisory lock key
     */
    public record Holder(int pid, long key) {
        /** The SQL condition, with three parameters (pid, classid, objid), that the lock is still held. */
        static final String HELD = "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND pid = ? AND classid = ? AND objid = ? AND objsubid = 1)";

        /** Binds {@link #HELD}'s parameters from {@code index} on. */
        void bind(PreparedStatement statement, int index) throws SQLException {
            statement.setInt(index, pid);
            statement.setLong(index + 1, key >>> 32);
            statement.setLong(index + 2, key & 0xFFFFFFFFL);
        }
    }

    /** Work on the lock's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private AdvisoryLock(Connection connection, String name, Holder holder) {
        this.connection = connection;
        this.name = name;
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
                            + holder(connection, key) + ") still holds the migration lock after " + timeout.toSeconds()
                            + " s. Wait for it to finish, or raise the lock timeout (--lock-timeout).");
                }
                sleep();
            }
            return new AdvisoryLock(connection, name, new Holder(connection.unwrap(PGConnection.class).getBackendPID(), key));
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
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
        try (connection; PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, holder.key());
            statement.execute();
        } catch (SQLException e) {
            LOG.warn("The migration lock of {} was not released ({}); its session ended, which released it", name,
                    e.getMessage());
        }
    }
}
