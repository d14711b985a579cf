package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.tenant.TenantProgress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Ashlar's metrics in the application's Micrometer registry, when there is one: actions timed and errors
 * counted ({@link MicrometerActionObserver}), replica routing and fallbacks when the read replicas plugin
 * runs, and the progress of the start-up tenant migration ({@code ashlar.tenants.migration}, tag
 * {@code state} = done, failed, up.to.date or remaining). Without a registry Ashlar observes nothing.
 */
@AutoConfiguration(before = AshlarAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnProperty(prefix = "ashlar", name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = "ashlar.metrics", name = "enabled", matchIfMissing = true)
public class AshlarMetricsAutoConfiguration {

    @Bean
    AshlarBuilderCustomizer ashlarMetricsCustomizer(ObjectProvider<MeterRegistry> registries) {
        return builder -> {
            MeterRegistry registry = registries.getIfUnique();
            if (registry != null) {
                builder.observer(new MicrometerActionObserver(registry));
            }
        };
    }

    @Bean
    TenantProgressListener ashlarTenantProgressMetrics(ObjectProvider<MeterRegistry> registries) {
        AtomicReference<TenantProgress> last = new AtomicReference<>();
        return progress -> {
            MeterRegistry registry = registries.getIfUnique();
            if (registry != null && last.getAndSet(progress) == null) {
                gauge(registry, last, "done", TenantProgress::done);
                gauge(registry, last, "failed", TenantProgress::failed);
                gauge(registry, last, "up.to.date", TenantProgress::upToDate);
                gauge(registry, last, "remaining", TenantProgress::remaining);
            }
        };
    }

    private static void gauge(MeterRegistry registry, AtomicReference<TenantProgress> last, String state,
                              ToDoubleFunction<TenantProgress> value) {
        Gauge.builder("ashlar.tenants.migration", last, l -> value.applyAsDouble(l.get())).tag("state", state)
                .description("Tenant schemas of the start-up migration by state").register(registry);
    }

    @Bean
    SmartInitializingSingleton ashlarReplicaMetrics(ObjectProvider<MeterRegistry> registries,
                                                    ObjectProvider<Ashlar> ashlar) {
        return () -> {
            MeterRegistry registry = registries.getIfUnique();
            Ashlar bean = ashlar.getIfUnique();
            if (registry != null && bean != null && AshlarActuatorAutoConfiguration.replicasPresent()) {
                ReplicaMetricsBinder.bind(bean, registry);
            }
        };
    }
}
