package dev.ashlar.spring.boot;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.data.ActionObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Times every action in Micrometer as {@code ashlar.actions} (tags {@code resource}, {@code action},
 * {@code data.source}, {@code outcome} = success or error) and counts mapped errors as
 * {@code ashlar.errors} (tags {@code resource}, {@code action}, {@code code}).
 */
final class MicrometerActionObserver implements ActionObserver {
    static final String ACTIONS = "ashlar.actions";
    static final String ERRORS = "ashlar.errors";

    private final MeterRegistry registry;

    MicrometerActionObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Observation start(String resource, String action, String dataSource) {
        Timer.Sample sample = Timer.start(registry);
        return failure -> {
            Tags tags = Tags.of("resource", resource, "action", action);
            sample.stop(registry.timer(ACTIONS, tags.and("data.source", dataSource, "outcome",
                    failure == null ? "success" : "error")));
            if (failure != null) {
                count(tags, failure);
            }
        };
    }

    private void count(Tags tags, AshlarException failure) {
        registry.counter(ERRORS, tags.and("code", failure.code().name())).increment();
    }
}
