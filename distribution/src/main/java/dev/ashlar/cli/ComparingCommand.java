package dev.ashlar.cli;

import dev.ashlar.api.error.DatabaseException;
import picocli.CommandLine.Mixin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A command on two live databases, {@code --url} and {@code --reference-url} ({@code diff}, {@code diff-changelog}):
 * opens both, refusing the same database twice and a schema either lacks.
 */
abstract class ComparingCommand extends ProjectCommand {
    // Two databases on one server differ by name; two servers by when their postmaster started and their port.
    private static final String IDENTITY = "SELECT current_database() || ' ' || pg_postmaster_start_time() || ' ' "
            + "|| current_setting('port')";

    @Mixin
    DatabaseOptions connection;

    @Mixin
    ReferenceOptions reference;

    /** The two databases, the target first, then the reference. */
    record Pair(Database target, Database reference) implements AutoCloseable {
        @Override
        public void close() {
            try {
                reference.close();
            } finally {
                target.close();
            }
        }
    }

    /** Opens both databases, checking that they are two and both have {@code schema}. */
    Pair open(String schema) {
        Database target = connection.open(project);
        Database other;
        try {
            other = reference.open(project);
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        Pair pair = new Pair(target, other);
        try {
            if (identity(target).equals(identity(other))) {
                throw DatabaseException.of("--url and --reference-url name the same database (" + target.description()
                        + "): there is nothing to compare. Give --reference-url the database to compare it with, "
                        + "e.g. jdbc:postgresql://host/other_db");
            }
            requireSchema(target, schema, "--url");
            requireSchema(other, schema, "--reference-url");
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private static String identity(Database database) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(IDENTITY);
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw DatabaseException.of("Could not read which database " + database.description() + " is: "
                    + e.getMessage(), e);
        }
    }

    private static void requireSchema(Database database, String schema, String option) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw DatabaseException.of("The " + option + " database " + database.description() + " has no "
                            + "schema " + schema + ": give --schema a schema both databases have (default: public)");
                }
            }
        } catch (SQLException e) {
            throw DatabaseException.of("Could not read the schemas of " + database.description() + ": "
                    + e.getMessage(), e);
        }
    }
}
