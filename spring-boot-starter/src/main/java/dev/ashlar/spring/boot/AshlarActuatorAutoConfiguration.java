package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.plugins.replicas.ReplicaRuntime;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.function.BiConsumer;

/** The {@code ashlar} Actuator endpoint and health indicator, when Actuator is on the class path. */
@AutoConfiguration(after = AshlarAutoConfiguration.class)
@ConditionalOnBean(AshlarMigrations.class)
public class AshlarActuatorAutoConfiguration {

    /** The endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        AshlarEndpoint ashlarEndpoint(AshlarMigrations migrations) {
            return new AshlarEndpoint(migrations);
        }
    }

    /** The health indicator, with the replicas' rotation when the read replicas plugin is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnBean(Ashlar.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "ashlarHealthIndicator")
        AshlarHealthIndicator ashlarHealthIndicator(DataSource dataSource, AshlarMigrations migrations, Ashlar ashlar) {
            return new AshlarHealthIndicator(dataSource, migrations, ashlar, replicaDetails());
        }

        private static BiConsumer<Ashlar, Health.Builder> replicaDetails() {
            return replicasPresent() ? Replicas::details : (ashlar, builder) -> { };
        }
    }

    /** Whether the read replicas plugin is on the class path; its classes are loaded only when it is. */
    static boolean replicasPresent() {
        try {
            Class.forName("dev.ashlar.plugins.replicas.ReplicaRuntime", false,
                    AshlarActuatorAutoConfiguration.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Read only when the read replicas plugin is on the class path. */
    static final class Replicas {
        private Replicas() {
        }

        static void details(Ashlar ashlar, Health.Builder builder) {
            ashlar.runtime(ReplicaRuntime.class).ifPresent(runtime -> builder
                    .withDetail("replicasOutOfRotation", runtime.metrics().outOfRotation())
                    .withDetail("replicaFallbacks", runtime.metrics().fallbacks()));
        }
    }
}
