package dev.ashlar.plugins.replicas;

import dev.ashlar.spi.plugin.ReplicaStatus;
import dev.ashlar.spi.plugin.Replication;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The primary's WAL flush position at each health check, to bound a replica's lag from the primary's side. A standby
 * reports no lag once it has replayed all it received, and a standby cut off from its primary (its WAL receiver
 * down) receives nothing: it would look current however stale it grows. One that has not replayed what the primary
 * had written at an earlier check is behind by at least the time since that check.
 */
final class WrittenSince {
    /** The primary's WAL position at a moment of {@link System#nanoTime()}. */
    private record Sample(long nanos, long lsn) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Notes the primary's position now, and forgets samples no longer needed to tell a lag beyond the bound. */
    synchronized void sample(Replication replication, long now, Duration maxLag) {
        try {
            samples.addLast(new Sample(now, replication.primaryFlushLsn()));
        } catch (RuntimeException e) {
            return;   // The primary is down: the replicas' own report is all there is.
        }
        // Keep the newest sample older than the bound: it alone shows a lag beyond it.
        while (samples.size() > 1 && now - second().nanos > maxLag.toNanos()) {
            samples.removeFirst();
        }
    }

    private Sample second() {
        return samples.stream().skip(1).findFirst().orElseThrow();
    }

    /** The replica's lag: its own report, or longer when it has not replayed what the primary wrote some time ago. */
    synchronized Duration behind(ReplicaStatus status, long now) {
        for (Sample sample : samples) {
            if (!status.hasReplayed(sample.lsn)) {
                Duration since = Duration.ofNanos(now - sample.nanos);
                return since.compareTo(status.lag()) > 0 ? since : status.lag();
            }
        }
        return status.lag();
    }
}
