package dev.ashlar.spi.plugin;

import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

/**
 * What a query hook or error mapper sees about the action in progress. Implemented by the kernel.
 *
 * @param action the action's name: {@code create}, {@code read}, {@code update}, {@code destroy}, {@code upsert}, ...
 */
public record QueryContext(Domain domain, Resource resource, String action, Operation operation) {
}
