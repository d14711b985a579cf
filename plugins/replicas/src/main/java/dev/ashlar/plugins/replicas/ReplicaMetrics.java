package dev.ashlar.plugins.replicas;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What the read replicas plugin has done so far, for a metrics system to read.
 *
 * @param reads          the reads routed to each data source ({@link ReadReplicas#PRIMARY} included),
 *                       counting where they were sent after any fallback; a read that the kernel moves
 *                       to the primary because its replica failed between two checks (it logs a
 *                       warning) still counts for the replica
 * @param fallbacks      the reads meant for a replica that went to the primary instead: no healthy
 *                       replica, or none that had replayed the session's writes in time
 * @param lag            the last lag observed on each replica that answered
 * @param outOfRotation  the replicas taken out of rotation at the last check
 */
public record ReplicaMetrics(Map<String, Long> reads, long fallbacks, Map<String, Duration> lag,
                             Set<String> outOfRotation) {

    public ReplicaMetrics {
        reads = Map.copyOf(reads);
        lag = Map.copyOf(lag);
        outOfRotation = Set.copyOf(outOfRotation);
    }

    /** The reads routed to this data source. */
    public long readsOn(String dataSource) {
        return reads.getOrDefault(dataSource, 0L);
    }
}
