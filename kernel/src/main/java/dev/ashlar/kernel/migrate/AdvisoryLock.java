package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own that keeps no
 * transaction open. Waiters poll {@code pg_try_advisory_lock} instead of blocking in
 * {@code pg_advisory_lock}: a {@code CREATE INDEX CONCURRENTLY} run by the lock holder waits for
 * every open transaction to end, so a waiter blocked inside a transaction (or a holder whose lock
 * lives in one) would deadlock with it.
 */
final class AdvisoryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
    private static final long POLL_MILLIS = 100;

    private final Connection connection;
    private final long key;

    private AdvisoryLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
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
    static AdvisoryLock acquire(DataSource dataSource, String name, Duration timeout) throws SQLException {
        long key = key(name);
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean told = false;
            while (!tryLock(connection, key)) {
                if (!told) {
                    LOG.info("Waiting for another migrator of {} to finish (held by pid {})", name, holder(connection, key));
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    throw new AshlarException(ErrorCode.MIGRATION, "Another migrator of " + name + " (pid "
                            + holder(connection, key) + ") still holds the migration lock after " + timeout.toSeconds()
                            + " s. Wait for it to finish, or raise the lock timeout (--lock-timeout).");
                }
                sleep();
            }
            return new AdvisoryLock(connection, key);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
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

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AshlarException(ErrorCode.MIGRATION, "Interrupted while waiting for the migration lock", e);
        }
    }

    @Override
    public void close() throws SQLException {
        try (connection; PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, key);
            statement.execute();
        }
    }
}
