package dev.ashlar.benchmarks;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.migrate.MigrationFile;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tenant harness's baseline: the minimal correct loop a team writes by hand with JDBC. A tenant
 * is created in one transaction (its record, its schema, a history table, every file, the history
 * rows); a migration checks a schema's history, then applies the pending files and records them in
 * one transaction. Each file's SQL is sent as one string (one round trip), as
 * {@code statement.execute(Files.readString(file))} does.
 */
final class HandLoop {
    static final String HISTORY = "hand_history";
    /** The hand loop's own tenant table in {@code public}: its records are not Ashlar's tenants. */
    static final String TENANTS = "hand_tenants";

    private final DataSource pool;
    private final List<MigrationFile> files;

    HandLoop(DataSource pool, List<MigrationFile> files) {
        this.pool = pool;
        this.files = files;
    }

    static void createTenantTable(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public." + TENANTS + " (id text PRIMARY KEY)");
        }
    }

    /** Creates the tenant record and its schema with every file, all or nothing. */
    void create(String id, String schema) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO public." + TENANTS + " (id) VALUES (?)");
                 Statement statement = connection.createStatement()) {
                insert.setString(1, id);
                insert.executeUpdate();
                statement.execute("CREATE SCHEMA " + Identifiers.quote(schema));
                statement.execute("CREATE TABLE " + history(schema) + " (version text PRIMARY KEY, checksum text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
                apply(connection, schema, files);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Applies the files a schema's history lacks, in one transaction; does nothing when none is pending. */
    void migrate(String schema) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            Set<String> applied = new HashSet<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT version FROM " + history(schema))) {
                while (rows.next()) {
                    applied.add(rows.getString(1));
                }
            }
            List<MigrationFile> pending = files.stream().filter(f -> !applied.contains(f.version())).toList();
            if (pending.isEmpty()) {
                return;
            }
            connection.setAutoCommit(false);
            try {
                apply(connection, schema, pending);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void apply(Connection connection, String schema, List<MigrationFile> pending) throws SQLException {
        try (PreparedStatement path = connection.prepareStatement("SELECT set_config('search_path', ?, true)");
             Statement statement = connection.createStatement();
             PreparedStatement record = connection.prepareStatement("INSERT INTO " + history(schema)
                     + " (version, checksum) VALUES (?, ?)")) {
            path.setString(1, Identifiers.quote(schema));
            path.execute();
            for (MigrationFile file : pending) {
                statement.execute(file.up());
                record.setString(1, file.version());
                record.setString(2, file.checksum());
                record.executeUpdate();
            }
        }
    }

    private static String history(String schema) {
        return Identifiers.qualify(schema, HISTORY);
    }
}
