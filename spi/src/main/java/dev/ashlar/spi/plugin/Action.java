package dev.ashlar.spi.plugin;

import dev.ashlar.api.query.Operation;

import java.util.Locale;

/** What the data layer is doing when it calls a plugin. */
public enum Action {
    CREATE(Operation.MUTATE),
    UPSERT(Operation.MUTATE),
    READ(Operation.READ),
    UPDATE(Operation.MUTATE),
    DESTROY(Operation.MUTATE);

    private final Operation operation;

    Action(Operation operation) {
        this.operation = operation;
    }

    /** Whether the action reads or changes data, for routing. */
    public Operation operation() {
        return operation;
    }

    /** The action's name as messages show it: {@code create}, {@code read}, ... */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
