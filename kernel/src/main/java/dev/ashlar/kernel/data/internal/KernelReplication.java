package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.spi.plugin.ReplicaStatus;
import dev.ashlar.spi.plugin.Replication;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The kernel's answer to {@link Replication}: WAL positions and lag read with one short query on a
 * connection of the data source asked about, never on the transaction in progress.
 */
public final class KernelReplication implements Replication {
    /** Seconds a probe may run on a data source that Ashlar did not configure itself. */
    private static final int PROBE_TIMEOUT_SECONDS = 5;
    // An idle primary sends nothing, so the last replayed transaction ages without the standby falling
    // behind: the lag counts only while WAL is received but not yet replayed.
    private static final String STATUS = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
            + " CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0"
            + " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END";

    private final Connections connections;

    public KernelReplication(Connections connections) {
        this.connections = connections;
    }

    @Override
    public List<String> dataSources() {
        return connections.names();
    }

    @Override
    public long primaryLsn() {
        return primary("pg_current_wal_insert_lsn()");
    }

    @Override
    public long primaryFlushLsn() {
        return primary("pg_current_wal_flush_lsn()");
    }

    private long primary(String position) {
        try (Connection connection = connections.source(null).getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = query(statement, "SELECT " + position + "::text")) {
            row.next();
            return parse(row.getString(1));
        } catch (SQLException e) {
            throw DatabaseException.withState("Reading the primary's WAL position failed: " + e.getMessage()
                    + " [SQL state " + e.getSQLState() + "]", e.getSQLState(), e);
        }
    }

    @Override
    public ReplicaStatus status(String dataSource) {
        DataSource source = connections.source(dataSource);
        try (Connection connection = source.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = query(statement, STATUS)) {
            row.next();
            long replayed = row.getBoolean(1) ? parse(row.getString(2)) : Long.MAX_VALUE;
            Duration lag = Duration.ofMillis(Math.round(row.getDouble(3) * 1000));
            return new ReplicaStatus(dataSource, true, replayed, lag, null);
        } catch (SQLException e) {
            return ReplicaStatus.unreachable(dataSource, Connections.reason(e) + " [SQL state " + e.getSQLState() + "]");
        }
    }

    private static ResultSet query(Statement statement, String sql) throws SQLException {
        statement.setQueryTimeout(PROBE_TIMEOUT_SECONDS);
        return statement.executeQuery(sql);
    }

    /** A {@code pg_lsn} such as {@code 16/B374D848} as one number: high word, then low word. */
    static long parse(String lsn) {
        if (lsn == null) {
            return -1;
        }
        int slash = lsn.indexOf('/');
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }
}
