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
 *
 * <p>With the system property {@code ashlar.bench.hand=full} (off by default; the goals are measured without it), the
 * loop keeps the bookkeeping Ashlar's tenants keep, to tell what the bookkeeping costs from what the code path does:
 * its history has the columns of Ashlar's (a name, the checksum's algorithm, the duration, who applied it, the baseline
 * flag and tags, three of them with defaults), and each applied file gets a row in a registry of every schema's
 * history in {@code public} (what lets a run with nothing pending skip reading each schema's history).
 */
final class HandLoop {
    static final String HISTORY = "hand_history";
    /** The hand loop's own tenant table in {@code public}: its records are not Ashlar's tenants. */
    static final String TENANTS = "hand_tenants";
    /** The full loop's registry of every schema's applied files, in {@code public}. */
    static final String REGISTRY = "hand_registry";
    /** Whether the harness's loop keeps Ashlar's bookkeeping (the system property {@code ashlar.bench.hand=full}). */
    static final boolean FULL = "full".equals(System.getProperty("ashlar.bench.hand"));

    private final DataSource pool;
    private final List<MigrationFile> files;
    /** Whether this loop keeps Ashlar's bookkeeping: a history of Ashlar's columns and a registry row per file. */
    private final boolean full;

    HandLoop(DataSource pool, List<MigrationFile> files) {
        this(pool, files, FULL);
    }

    HandLoop(DataSource pool, List<MigrationFile> files, boolean full) {
        this.pool = pool;
        this.files = files;
        this.full = full;
    }

    static void createTenantTable(DataSource pool) throws SQLException {
        createTenantTable(pool, FULL);
    }

    /** The loop's tenant table and, for the full loop, its registry. */
    static void createTenantTable(DataSource pool, boolean full) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public." + TENANTS + " (id text PRIMARY KEY)");
            if (full) {
                statement.execute("CREATE TABLE public." + REGISTRY + " (schema_name text NOT NULL, version text NOT NULL,"
                        + " checksum text NOT NULL, PRIMARY KEY (schema_name, version))");
            }
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
                statement.execute("CREATE TABLE " + history(schema) + (full
                        ? " (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, checksum_algorithm text"
                        + " NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL,"
                        + " baselined boolean NOT NULL DEFAULT false, installed_by text DEFAULT current_user,"
                        + " tags text[] NOT NULL DEFAULT '{}')"
                        : " (version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"));
                apply(connection, schema, files, full);
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
                apply(connection, schema, pending, full);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void apply(Connection connection, String schema, List<MigrationFile> pending, boolean full)
            throws SQLException {
        try (PreparedStatement path = connection.prepareStatement("SELECT set_config('search_path', ?, true)");
             Statement statement = connection.createStatement();
             PreparedStatement record = connection.prepareStatement("INSERT INTO " + history(schema) + (full
                     ? " (version, checksum, name, checksum_algorithm, duration_ms) VALUES (?, ?, ?, ?, ?)"
                     : " (version, checksum) VALUES (?, ?)"));
             PreparedStatement registry = full ? connection.prepareStatement("INSERT INTO public." + REGISTRY
                     + " (schema_name, version, checksum) VALUES (?, ?, ?)") : null) {
            path.setString(1, Identifiers.quote(schema));
            path.execute();
            for (MigrationFile file : pending) {
                long start = System.nanoTime();
                statement.execute(file.up());
                record.setString(1, file.version());
                record.setString(2, file.checksum());
                if (full) {
                    record.setString(3, file.name());
                    record.setString(4, file.algorithm());
                    record.setLong(5, (System.nanoTime() - start) / 1_000_000);
                    registry.setString(1, schema);
                    registry.setString(2, file.version());
                    registry.setString(3, file.checksum());
                    registry.executeUpdate();
                }
                record.executeUpdate();
            }
        }
    }

    private static String history(String schema) {
        return Identifiers.qualify(schema, HISTORY);
    }
}
