package dev.ashlar.spring.boot;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class AshlarMetricsTest {
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void actionsAreTimedByResourceActionAndOutcomeAndErrorsCountedByCode() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, WithRegistry.class)) {
            Ashlar ashlar = app.getBean(Ashlar.class);
            MeterRegistry registry = app.getBean(MeterRegistry.class);

            Row note = ashlar.create("note", Map.of("id", 1, "body", "first"));
            ashlar.get("note", note.get("id"));
            ashlar.get("note", note.get("id"));
            AshlarException taken = (AshlarException) org.assertj.core.api.Assertions.catchThrowable(
                    () -> ashlar.create("note", Map.of("id", 1, "body", "again")));

            assertThat(timer(registry, "create", "success")).isEqualTo(1);
            assertThat(timer(registry, "read", "success")).isEqualTo(2);
            assertThat(timer(registry, "create", "error")).isEqualTo(1);
            assertThat(registry.get(MicrometerActionObserver.ERRORS).tags("resource", "note", "action", "create",
                    "code", taken.code().name()).counter().count()).isEqualTo(1.0);
            assertThat(registry.get(MicrometerActionObserver.ACTIONS).tag("action", "read").timer().getId()
                    .getTag("data.source")).isEqualTo("primary");
        }
    }

    @Test
    void withMetricsDisabledNothingIsRecorded() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, WithRegistry.class,
                "ashlar.metrics.enabled=false")) {
            app.getBean(Ashlar.class).create("note", Map.of("body", "quiet"));

            assertThat(app.getBean(MeterRegistry.class).find(MicrometerActionObserver.ACTIONS).timers()).isEmpty();
        }
    }

    @Test
    void aReadThatFindsNoRecordIsTimedAsASuccessfulStatement() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, WithRegistry.class)) {
            Ashlar ashlar = app.getBean(Ashlar.class);
            assertThatThrownBy(() -> ashlar.get("note", 404)).isInstanceOf(AshlarException.class);

            assertThat(app.getBean(MeterRegistry.class).find(MicrometerActionObserver.ACTIONS)
                    .tags("action", "read", "outcome", "success").timer().count()).isEqualTo(1);
        }
    }

    private static long timer(MeterRegistry registry, String action, String outcome) {
        return registry.get(MicrometerActionObserver.ACTIONS).tags("resource", "note", "action", action, "outcome",
                outcome).timer().count();
    }

    /** The notes application with a meter registry. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(NotesApplication.class)
    static class WithRegistry {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
