package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * The schema a migrate or baseline works in, made when it is missing, as Flyway's {@code createSchemas} (on by
 * default there too) makes the schemas it manages: a database restored without {@code public}, or one whose
 * {@code public} was dropped to start again. It holds the history and the migration lock's table, so it is made before
 * the lock is taken.
 */
public final class MainSchema {
    private MainSchema() {
    }

    /**
     * Creates {@code schema} when it is missing and {@code create} allows it, telling {@code progress}.
     *
     * @throws MigrationException when it is missing and {@code create} is false, naming it and both fixes
     */
    public static void ensure(Connection connection, String schema, boolean create, Consumer<String> progress)
            throws SQLException {
        if (exists(connection, schema)) {
            return;
        }
        if (!create) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot migrate: the schema " + schema + " does not "
                    + "exist, and creating schemas is off (--no-create-schemas, migrate.create-schemas = false in "
                    + "ashlar.properties, createSchemas(false)). Create it first (CREATE SCHEMA "
                    + Identifiers.quote(schema) + "), or let the migration create it. Nothing was applied.", null);
        }
        try (Statement statement = connection.createStatement()) {
            // Two runs may both find it missing: IF NOT EXISTS lets the second pass unless both create it at once.
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        } catch (SQLException e) {
            if (!CreationRace.lost(e) || !exists(connection, schema)) {
                throw e;
            }
        }
        progress.accept("created the schema " + schema + ", which did not exist (create schemas)");
    }

    private static boolean exists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace "
                + "WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }
}
