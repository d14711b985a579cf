package dev.ashlar.kernel.tenant;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.migrate.FileRunner;
import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationDirectory;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationPlan;
import dev.ashlar.kernel.migrate.TransactionMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The life of a tenant schema: created with every tenant migration, renamed, dropped, and kept in
 * the central tenant registry, each on the connection of the caller's transaction (creating,
 * renaming or deleting a tenant record), so that the schema and the record commit or roll back
 * together. Needs no other connection: a pool of one connection can create tenants.
 *
 * <pre>{@code
 * new TenantSchemas(Path.of("tenant_migrations")).create(connection, "tenant_acme");
 * }</pre>
 */
public final class TenantSchemas {
    private final Path tenantMigrations;
    private final TenantRegistry registry = new TenantRegistry("public");

    /** @param tenantMigrations the folder of tenant migrations a new schema gets */
    public TenantSchemas(Path tenantMigrations) {
        this.tenantMigrations = tenantMigrations;
    }

    /**
     * Creates a tenant schema with every tenant migration and records it in the registry. On Citus the
     * schema is created distributed: its tables live together on one worker.
     */
    public List<MigrationFile> create(Connection connection, String schema) throws SQLException {
        String quoted = Identifiers.quote(schema);
        // One round trip: the caller's search path (given back at the end, as its transaction goes on), whether
        // the registry exists, Citus's setting, the schema and its history, and the schema as the files' search
        // path (the runner leaves it alone).
        String callerPath;
        boolean registered;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT current_setting('search_path'), " + registry.existsCondition() + ";\n"
                    + Citus.DISTRIBUTE_NEW_SCHEMAS + ";\nCREATE SCHEMA " + quoted + ";\n"
                    + new History(schema).createStatement() + ";\nSET LOCAL search_path TO " + quoted);
            try (ResultSet row = statement.getResultSet()) {
                row.next();
                callerPath = row.getString(1);
                registered = row.getBoolean(2);
            }
        }
        if (!registered) {
            registry.ensure(connection);
        }
        // The schema was created a statement ago: nothing is applied there, no need to read its history.
        MigrationPlan plan = MigrationPlan.of(schema, tenantMigrations, MigrationDirectory.read(tenantMigrations),
                Map.of());
        FileRunner runner = new FileRunner(schema, false).recorder(registry);
        for (MigrationFile file : plan.pending()) {
            runner.run(connection, file, Direction.UP, TransactionMode.CALLER);
        }
        try (PreparedStatement restore = connection.prepareStatement("SELECT set_config('search_path', ?, true)")) {
            restore.setString(1, callerPath);
            restore.execute();
        }
        return plan.pending();
    }

    /** Renames a tenant schema and its registry rows. */
    public void rename(Connection connection, String from, String to) throws SQLException {
        execute(connection, "ALTER SCHEMA " + Identifiers.quote(from) + " RENAME TO " + Identifiers.quote(to));
        registry.rename(connection, from, to);
    }

    /** Drops a tenant schema with all its data, and its registry rows. */
    public void drop(Connection connection, String schema) throws SQLException {
        execute(connection, "DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE");
        registry.rename(connection, schema, null);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
