package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.TestDatabase;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;

/** The isolation tests' start: a domain generated and migrated on an empty database, and its tenants a and b. */
final class TwoTenants {
    /** The tenant resource: a record of id "a" names the schema t_a. */
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey())
            .with(ManageTenant.template("t_", "id"))
            .build();

    private TwoTenants() {
    }

    /**
     * Migrates the domain from nothing, creates the tenant records "a" and "b", and returns Ashlar as the owner, with
     * the tenancy plugin and any others the domain's sections need.
     */
    static Ashlar created(TestDatabase db, Path project, Domain domain, AshlarPlugin... others) {
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE; "
                + "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Plugins plugins = Plugins.none().with(new TenancyPlugin());
        for (AshlarPlugin other : others) {
            plugins = plugins.with(other);
        }
        new Codegen(project, domain, plugins, Renames.none(), Clock.systemUTC()).generate("create");
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        Ashlar.Builder builder = Ashlar.builder().dataSource(db.dataSource()).domain(domain)
                .install(new TenancyPlugin()).tenantMigrations(Codegen.migrations(project, Scope.TENANT));
        for (AshlarPlugin other : others) {
            builder.install(other);
        }
        Ashlar owner = builder.build();
        owner.create("tenant", Map.of("id", "a"));
        owner.create("tenant", Map.of("id", "b"));
        return owner;
    }
}
