package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.migrate.TenantMigrator;
import dev.ashlar.spi.plugin.SchemaAdmin;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Schema work for plugins, on the connection of the write's transaction (bound to this thread), so
 * that a tenant's schema commits or rolls back with its record.
 */
final class KernelSchemaAdmin implements SchemaAdmin {
    private final Connections connections;
    private final Path tenantMigrations;
    private volatile boolean registryReady;

    KernelSchemaAdmin(Connections connections, Path tenantMigrations) {
        this.connections = connections;
        this.tenantMigrations = tenantMigrations;
    }

    @Override
    public void createTenantSchema(String schema) {
        if (!registryReady) {
            run("Creating the tenant registry", () -> TenantMigrator.ensureRegistry(connections.primary()));
            registryReady = true;
        }
        run("Creating tenant schema " + schema, () -> connections.run(null, c -> {
            TenantMigrator.createTenant(c, tenantMigrations, schema);
            return null;
        }));
    }

    @Override
    public void renameSchema(String from, String to) {
        run("Renaming schema " + from, () -> connections.run(null, c -> {
            TenantMigrator.renameTenant(c, from, to);
            return null;
        }));
    }

    @Override
    public void dropSchema(String schema) {
        run("Dropping schema " + schema, () -> connections.run(null, c -> {
            TenantMigrator.dropTenant(c, schema);
            return null;
        }));
    }

    private static void run(String what, SqlWork work) {
        try {
            work.run();
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, what);
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }
}
