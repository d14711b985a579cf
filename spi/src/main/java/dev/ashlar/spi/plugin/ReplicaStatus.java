package dev.ashlar.spi.plugin;

import java.time.Duration;

/**
 * A data source's replication state, as {@link Replication#status(String)} found it.
 *
 * @param dataSource the data source's name
 * @param reachable  whether a connection and the status query succeeded
 * @param replayLsn  the WAL position it has replayed ({@code pg_last_wal_replay_lsn()}); for a
 *                   server that is not in recovery (a primary), {@link Long#MAX_VALUE}: it has everything
 * @param lag        how far its replay is behind: zero when it has replayed all it received, else the
 *                   age of the last replayed transaction; {@code null} when unreachable
 * @param problem    why it is unreachable, or {@code null}
 */
public record ReplicaStatus(String dataSource, boolean reachable, long replayLsn, Duration lag, String problem) {

    /** The status of a data source that could not be asked. */
    public static ReplicaStatus unreachable(String dataSource, String problem) {
        return new ReplicaStatus(dataSource, false, -1, null, problem);
    }

    /** Whether it has replayed the primary's WAL at least up to this position. */
    public boolean hasReplayed(long lsn) {
        return reachable && replayLsn >= lsn;
    }
}
