package dev.ashlar.spi.plugin;

import java.util.List;

/**
 * What the kernel tells a plugin about its data sources and their replication, so that a routing
 * plugin can check health and consistency without JDBC. Implemented by the kernel and handed to
 * {@link RuntimeParticipant#start(Replication)}; each call borrows a connection of the data source it
 * names and may take up to that pool's connection and statement timeouts.
 *
 * <pre>{@code
 * long written = replication.primaryLsn();
 * ReplicaStatus standby = replication.status("replica-1");
 * boolean fresh = standby.reachable() && standby.replayLsn() >= written;
 * }</pre>
 */
public interface Replication {

    /** The name a routing function returns for the primary data source. */
    String PRIMARY = "primary";

    /** The names of the data sources other than the primary, in the order they were given. */
    List<String> dataSources();

    /**
     * The primary's WAL insert position now ({@code pg_current_wal_insert_lsn()}), as a number that
     * orders like a {@code pg_lsn}. Read after a commit, it is at or past that commit's record.
     *
     * @throws dev.ashlar.api.error.AshlarException when the primary cannot be reached
     */
    long primaryLsn();

    /**
     * The primary's WAL flush position now ({@code pg_current_wal_flush_lsn()}): as far as a standby can have
     * received. A connected standby soon replays past it; one that does not for long is cut off or lagging.
     *
     * @throws dev.ashlar.api.error.AshlarException when the primary cannot be reached
     */
    long primaryFlushLsn();

    /**
     * The state of a named data source: whether it answers, how far it has replayed the primary's
     * WAL and how far behind it is. Never throws for an unreachable server: it says so instead.
     */
    ReplicaStatus status(String dataSource);
}
