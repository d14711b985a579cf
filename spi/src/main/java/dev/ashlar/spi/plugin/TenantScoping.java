package dev.ashlar.spi.plugin;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.util.Optional;

/**
 * Confines resources to tenants. The plugin says, once per resource, how the resource is scoped
 * ({@link Tenancy}: in every tenant's schema, or behind tenant columns), and, per action, what one
 * tenant's scope is ({@link TenantScope}: its schema, the column values it fixes, the settings of
 * the transaction). The kernel applies that one value the same way to every read, write, upsert,
 * relationship load and filter, identity index and conflict target; a plugin never rewrites queries.
 *
 * <p>The kernel decides which tenant an action runs for: the tenant of the {@code Ashlar} handle,
 * or the one a query names when the handle has none. A handle never acts outside its tenant.
 */
public interface TenantScoping {

    /**
     * How this plugin scopes the resource, asked once per resource for code generation and run time
     * alike; empty when the resource is not this plugin's.
     */
    Optional<Tenancy> tenancy(Domain domain, Resource resource);

    /**
     * One tenant's scope on a resource this plugin scopes. Validates the tenant first (it becomes part
     * of identifiers or settings) and throws an {@link dev.ashlar.api.error.AshlarException} naming it
     * when it is not acceptable.
     *
     * @param tenancy what {@link #tenancy} said for the resource
     * @param tenant  a non-empty tenant name
     */
    TenantScope scope(Resource resource, Tenancy tenancy, String tenant);
}
