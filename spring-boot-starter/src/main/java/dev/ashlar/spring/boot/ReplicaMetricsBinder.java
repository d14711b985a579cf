package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.plugins.replicas.ReplicaRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The read replicas plugin's routing in Micrometer: {@code ashlar.replica.reads} (tag {@code data.source}),
 * {@code ashlar.replica.fallbacks} and {@code ashlar.replica.out.of.rotation}. Loaded only when the plugin
 * is on the class path (see {@link AshlarActuatorAutoConfiguration#replicasPresent}).
 */
final class ReplicaMetricsBinder {
    private ReplicaMetricsBinder() {
    }

    static void bind(Ashlar ashlar, MeterRegistry registry) {
        ashlar.runtime(ReplicaRuntime.class).ifPresent(runtime -> {
            for (String source : runtime.metrics().reads().keySet()) {
                FunctionCounter.builder("ashlar.replica.reads", runtime, r -> r.metrics().readsOn(source))
                        .tag("data.source", source).description("Reads routed to each data source").register(registry);
            }
            FunctionCounter.builder("ashlar.replica.fallbacks", runtime, r -> r.metrics().fallbacks())
                    .description("Reads meant for a replica that went to the primary").register(registry);
            Gauge.builder("ashlar.replica.out.of.rotation", runtime, r -> r.metrics().outOfRotation().size())
                    .description("Replicas taken out of rotation at the last check").register(registry);
        });
    }
}
