package dev.ashlar.spi.plugin;

import dev.ashlar.api.resource.Domain;

import java.util.Optional;

/**
 * Knows every tenant (the guide's {@code all_tenants}), for {@code ashlar migrate --tenants}.
 */
public interface TenantDirectory {

    /**
     * A query listing the schema of every tenant, one text column; empty when this plugin does not
     * know the tenants of this domain. The SQL comes from plugin code, never from request data.
     */
    Optional<String> tenantSchemasQuery(Domain domain);
}
