package dev.ashlar.plugins.replicas;

import java.time.Duration;
import java.util.List;

/**
 * The read replicas plugin's configuration, checked and frozen by {@link ReadReplicas.Builder}.
 *
 * @param replicas        the data sources in rotation; empty for every one Ashlar was given
 * @param routing         the function for resources without a {@link ReplicaRoute}
 * @param maxLag          a replica that lags more is out of rotation
 * @param checkEvery      how often replicas are checked
 * @param consistencyWait how long a read-your-writes read waits for a replica to catch up before it
 *                        goes to the primary
 */
record Settings(List<String> replicas, ReplicaRouting routing, Duration maxLag, Duration checkEvery,
                Duration consistencyWait) {
    static final Settings DEFAULT = new Settings(List.of(), ReplicaRouting.DEFAULT, Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ZERO);

    Settings {
        replicas = List.copyOf(replicas);
    }
}
