package dev.ashlar.maven;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;

import static dev.ashlar.api.resource.Type.TEXT;

/** Tenants in schemas of their own (tenant_ + id), listed by the tenants table; each has its notes. */
public final class TenantedDomain implements DomainProvider {
    @Override
    public Domain domain() {
        Resource tenant = Resource.builder("tenant").table("tenants").attribute("id", TEXT, a -> a.primaryKey())
                .with(ManageTenant.template("tenant_", "id")).build();
        Resource note = Resource.builder("note").table("notes").primaryKey("id").attribute("body", TEXT)
                .with(Multitenancy.context()).build();
        return Domain.builder("tenanted").resources(tenant, note).build();
    }
}
