package dev.ashlar.kernel.plugin;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.ErrorMapper;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.TenantScoping;

import java.util.Optional;

/** A plugin and one capability in one type, for tests that write a plugin as an anonymous class. */
public final class TestPlugins {
    private TestPlugins() {
    }

    /** A plugin that maps errors. */
    public interface Mapper extends AshlarPlugin, ErrorMapper {
    }

    /** A plugin that scopes resources to tenants. */
    public interface Scoping extends AshlarPlugin, TenantScoping {
    }

    /** A plugin that puts every resource in the tenant schemas, one schema a tenant. */
    public static Scoping everyTableInTenants() {
        return new Scoping() {
            @Override
            public String id() {
                return "every-table-in-tenants";
            }

            @Override
            public Optional<Tenancy> tenancy(Domain domain, Resource resource) {
                return Optional.of(Tenancy.schemaPerTenant());
            }

            @Override
            public TenantScope scope(Resource resource, Tenancy tenancy, String tenant) {
                return TenantScope.schema(tenant);
            }
        };
    }

    /** A plugin that contributes schema objects. */
    public interface Contributor extends AshlarPlugin, SchemaContributor {
    }
}
