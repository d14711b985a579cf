package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.tenant.TenantSchemas;
import dev.ashlar.spi.plugin.SchemaAdmin;

import java.sql.SQLException;

/**
 * Schema work for plugins, on the connection of the write's transaction (bound to this thread), so
 * that a tenant's schema commits or rolls back with its record.
 */
final class KernelSchemaAdmin implements SchemaAdmin {
    private final Connections connections;
    private final TenantSchemas tenants;

    KernelSchemaAdmin(Connections connections, TenantSchemas tenants) {
        this.connections = connections;
        this.tenants = tenants;
    }

    @Override
    public void createTenantSchema(String schema) {
        run("Creating tenant schema " + schema, () -> connections.run(null, c -> tenants.create(c, schema)));
    }

    @Override
    public void renameSchema(String from, String to) {
        run("Renaming schema " + from, () -> connections.run(null, c -> {
            tenants.rename(c, from, to);
            return null;
        }));
    }

    @Override
    public void dropSchema(String schema) {
        run("Dropping schema " + schema, () -> connections.run(null, c -> {
            tenants.drop(c, schema);
            return null;
        }));
    }

    /** Runs schema work; a lost connection says that the write's transaction, the tenant's record with it, is lost. */
    private void run(String what, SqlWork work) {
        try {
            work.run();
        } catch (SQLException e) {
            throw ErrorMapper.unmapped(e, what, connections.inTransaction());
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }
}
