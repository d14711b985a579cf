package dev.ashlar.spi.plugin;

import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

/**
 * What an error mapper or write listener sees about the action in progress. Made by the kernel.
 *
 * @param tenant the tenant the action runs for, or {@code null} for none
 */
public record QueryContext(Domain domain, Resource resource, Action action, String tenant) {

    /** Whether the action reads or changes data. */
    public Operation operation() {
        return action.operation();
    }
}
