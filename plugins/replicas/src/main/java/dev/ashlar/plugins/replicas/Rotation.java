package dev.ashlar.plugins.replicas;

import dev.ashlar.spi.plugin.ReplicaStatus;
import dev.ashlar.spi.plugin.Replication;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The replicas in rotation: those that answered the last check and lag less than the bound. Picks
 * them in turn, and counts where reads went. Thread-safe.
 */
final class Rotation {
    private static final System.Logger LOG = System.getLogger(Rotation.class.getName());

    private final List<String> replicas;
    private final Replication replication;
    private final Duration maxLag;
    private final Set<String> out = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> reads = new ConcurrentHashMap<>();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private final WrittenSince written = new WrittenSince();

    Rotation(List<String> replicas, Replication replication, Duration maxLag) {
        this.replicas = List.copyOf(replicas);
        this.replication = replication;
        this.maxLag = maxLag;
    }

    List<String> replicas() {
        return replicas;
    }

    /** Asks every replica how it is, and takes it out of rotation or puts it back. */
    void check() {
        long now = System.nanoTime();
        written.sample(replication, now, maxLag);
        for (String name : replicas) {
            ReplicaStatus status = ask(name);
            Duration behind = status.reachable() ? written.behind(status, now) : null;
            if (behind != null) {
                lag.put(name, behind);
            }
            String problem = !status.reachable() ? "unreachable: " + status.problem()
                    : behind.compareTo(maxLag) > 0 ? "lagging " + behind + ", more than " + maxLag : null;
            if (problem != null && out.add(name)) {
                LOG.log(Level.WARNING, "Replica ''{0}'' taken out of rotation ({1}); its reads go to "
                        + (out.size() == replicas.size() ? "the primary" : "the other replicas"), name, problem);
            } else if (problem == null && out.remove(name)) {
                LOG.log(Level.INFO, "Replica ''{0}'' is back in rotation (lag {1})", name, status.lag());
            }
        }
    }

    /** A check that fails unexpectedly counts as unreachable: the periodic checks must go on. */
    private ReplicaStatus ask(String name) {
        try {
            return replication.status(name);
        } catch (RuntimeException e) {
            return ReplicaStatus.unreachable(name, e.toString());
        }
    }

    /** The next replica in rotation, in turn, or {@code null} when none is. */
    String next() {
        List<String> healthy = healthy();
        return healthy.isEmpty() ? null : healthy.get(Math.floorMod(next.getAndIncrement(), healthy.size()));
    }

    /** The replicas in rotation, in the order they were given. */
    List<String> healthy() {
        return replicas.stream().filter(name -> !out.contains(name)).toList();
    }

    boolean inRotation(String name) {
        return !out.contains(name);
    }

    /** Counts a read served by this data source. */
    String served(String dataSource) {
        reads.computeIfAbsent(dataSource, name -> new AtomicLong()).incrementAndGet();
        return dataSource;
    }

    /** Counts a read meant for a replica that the primary serves instead. */
    String fellBack() {
        fallbacks.incrementAndGet();
        return served(Replication.PRIMARY);
    }

    ReplicaMetrics metrics() {
        Map<String, Long> counts = new HashMap<>();
        reads.forEach((name, count) -> counts.put(name, count.get()));
        return new ReplicaMetrics(counts, fallbacks.get(), Map.copyOf(lag),
                out.stream().collect(Collectors.toUnmodifiableSet()));
    }
}
