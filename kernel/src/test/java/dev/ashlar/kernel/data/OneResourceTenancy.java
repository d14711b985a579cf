package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.TenantScoping;

import java.util.Optional;
import java.util.function.Function;

/** A tenancy plugin that scopes one resource of the domain, for the data layer's tests. */
final class OneResourceTenancy implements AshlarPlugin, TenantScoping {
    private final String resource;
    private final Tenancy tenancy;
    private final Function<String, TenantScope> scope;

    private OneResourceTenancy(String resource, Tenancy tenancy, Function<String, TenantScope> scope) {
        this.resource = resource;
        this.tenancy = tenancy;
        this.scope = scope;
    }

    /** The resource in the schema named after the tenant. */
    static OneResourceTenancy schemas(String resource) {
        return new OneResourceTenancy(resource, Tenancy.schemaPerTenant(), TenantScope::schema);
    }

    /** The resource's rows of a tenant hold it in the column; {@code global} lets a handle without one reach all. */
    static OneResourceTenancy column(String resource, String column, boolean global) {
        return new OneResourceTenancy(resource, Tenancy.column(column, global), t -> TenantScope.column(column, t));
    }

    @Override
    public String id() {
        return resource + "-tenancy";
    }

    @Override
    public Optional<Tenancy> tenancy(Domain domain, Resource declared) {
        return declared.name().equals(resource) ? Optional.of(tenancy) : Optional.empty();
    }

    @Override
    public TenantScope scope(Resource declared, Tenancy declaredTenancy, String tenant) {
        return scope.apply(tenant);
    }
}
