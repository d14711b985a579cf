package dev.ashlar.spi.plugin;

import dev.ashlar.spi.plugin.Reader;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

/**
 * What a custom relationship's loader sees: the domain, the parents' resource, the tenant of the read
 * that asked for the load, and a reader through the data layer that already runs for that tenant.
 *
 * @param tenant the tenant of the parent read, or {@code null}
 */
public record LoadContext(Domain domain, Resource resource, String tenant, Reader reader) {
}
