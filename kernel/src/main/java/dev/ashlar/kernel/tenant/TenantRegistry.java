package dev.ashlar.kernel.tenant;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Literals;
import dev.ashlar.kernel.migrate.CreationRace;
import dev.ashlar.kernel.migrate.FileRunner;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationFile;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ashlar_tenant_migrations} in the main schema: which tenant migration (version and checksum)
 * each tenant schema has. Each tenant schema keeps its own history too; this central copy lets one
 * query find the schemas with pending work, instead of one round trip per schema, so a no-op run
 * over ten thousand tenants takes a moment.
 */
final class TenantRegistry implements FileRunner.Recorder {
    /** {@link History#line} of a registry row, in SQL. */
    private static final String LINE = "r.version || ' ' || r.checksum";
    /** Whether the schema {@code s.name} does not exist. */
    private static final String MISSING = "NOT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = s.name)";
    /**
     * What the schema {@code s.name} holds: {@code missing} (no such schema), {@code history} (its history table),
     * {@code other} (relations but no history table under the configured name: renamed, or the name changed) or
     * {@code empty} (nothing, not even its history: dropped and created again). Its history table is looked up by name
     * first, on the catalog's index: no index leads with a relation's schema, so the look for any relation at all scans
     * {@code pg_class}, and runs only for a schema whose history is gone (a scan for every schema of a chunk made a run
     * with nothing pending over 3,000 schemas take 15 s). CASE evaluates its branches in order, only as far as needed.
     */
    private final String holds;
    private final String table;
    /** The name of each tenant schema's history table. */
    private final String historyTable;
    /** {@link #recordApplied}'s statements by their FROM item. */
    private final Map<String, String> recordApplied = new ConcurrentHashMap<>();

    /**
     * @param schema       the schema the registry is in
     * @param historyTable the name of each tenant schema's history table
     */
    TenantRegistry(String schema, String historyTable) {
        this.table = Identifiers.qualify(schema, "ashlar_tenant_migrations");
        this.historyTable = historyTable;
        String inSchema = "SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = s.name";
        this.holds = "CASE WHEN " + MISSING + " THEN 'missing' WHEN EXISTS (" + inSchema + " AND c.relname = "
                + Literals.quote(historyTable) + ") THEN 'history' WHEN EXISTS (" + inSchema + ") THEN 'other' "
                + "ELSE 'empty' END";
    }

    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (schema_name text NOT NULL, version text NOT NULL,"
                    + " checksum text NOT NULL, PRIMARY KEY (schema_name, version))");
        }
    }

    /**
     * A schema with pending work, and what the registry holds for it.
     *
     * @param recorded its files as {@link History#lines}, in version order; null when not read (a rollback)
     * @param missing  whether the schema does not exist at all
     * @param lost     how many of the files the registry records applied to the schema, whose history table under the
     *                 configured name is gone while it holds other tables (the table renamed, or the name changed);
     *                 0 otherwise
     */
    record Behind(String schema, List<String> recorded, boolean missing, int lost) {
        Behind(String schema, List<String> recorded) {
            this(schema, recorded, false, 0);
        }
    }

    /**
     * The schemas among these that lack one of the files, or have it with another checksum, in the given order,
     * each with the files the registry holds for it. A schema that does not exist is among them whatever the registry
     * holds (dropped by hand, say): visited, it fails naming itself, instead of passing for a migrated one. A schema
     * that exists and holds nothing while the registry holds files for it (dropped and created again by hand) is among
     * them too, with no files recorded ({@code null}): it is planned from its empty history, so it gets every file. A
     * schema that holds tables but no history table of the configured name, while the registry records some of these
     * files applied to it, is among them with {@link Behind#lost}: its history is under another name, and planning
     * from the registry or from no history would pass it for migrated or run its files a second time.
     */
    List<Behind> pending(Connection connection, List<String> schemas, List<MigrationFile> files) throws SQLException {
        // Rows of this schema that are these files, version and checksum: another project's rows do not count.
        String held = "(SELECT count(*) FROM " + table + " r JOIN unnest(?::text[], ?::text[]) AS f(version, checksum) "
                + "ON r.version = f.version AND r.checksum = f.checksum WHERE r.schema_name = s.name)";
        String recorded = "EXISTS (SELECT FROM " + table + " r WHERE r.schema_name = s.name)";
        // The lines as one text, one a line: the driver reads a text array by parsing its literal, a text as it is.
        // OFFSET 0 keeps the inner query whole, so that each schema's catalog look-up runs once, not once per use.
        String sql = "SELECT t.name, CASE WHEN t.holds = 'empty' THEN NULL ELSE coalesce((SELECT string_agg(" + LINE
                + ", E'\\n' ORDER BY r.version COLLATE \"C\") FROM " + table + " r WHERE r.schema_name = t.name), '') END, "
                + "t.holds = 'missing', CASE WHEN t.holds = 'other' THEN t.held ELSE 0 END "
                + "FROM (SELECT s.name, s.n, " + holds + " AS holds, " + held + " AS held, " + recorded + " AS recorded "
                + "FROM unnest(?::text[]) WITH ORDINALITY AS s(name, n) OFFSET 0) t "
                + "WHERE t.held < ? OR t.holds = 'missing' OR t.recorded AND t.holds = 'empty' "
                + "OR t.held > 0 AND t.holds = 'other' ORDER BY t.n";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setArray(1, texts(connection, files.stream().map(MigrationFile::version).toList()));
            query.setArray(2, texts(connection, files.stream().map(MigrationFile::checksum).toList()));
            query.setArray(3, texts(connection, schemas));
            query.setInt(4, files.size());
            List<Behind> pending = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String lines = rows.getString(2);
                    pending.add(new Behind(rows.getString(1), lines == null ? null
                            : lines.isEmpty() ? List.of() : List.of(lines.split("\n")), rows.getBoolean(3),
                            rows.getInt(4)));
                }
            }
            return pending;
        }
    }

    @Override
    public String recordApplied(String rows) {
        // Every new tenant schema asks, with one of a few FROM items: each text is made once.
        return recordApplied.computeIfAbsent(rows, from -> "INSERT INTO " + table + " (schema_name, version, checksum) "
                + "SELECT ?, version, checksum FROM " + from + " ON CONFLICT (schema_name, version) DO UPDATE SET "
                + "checksum = EXCLUDED.checksum");
    }

    @Override
    public void record(Connection connection, String schema, MigrationFile file, FileRunner.Direction direction)
            throws SQLException {
        boolean applied = direction == FileRunner.Direction.UP;
        String sql = applied
                ? "INSERT INTO " + table + " (schema_name, version, checksum) VALUES (?, ?, ?) "
                + "ON CONFLICT (schema_name, version) DO UPDATE SET checksum = EXCLUDED.checksum"
                : "DELETE FROM " + table + " WHERE schema_name = ? AND version = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, file.version());
            if (applied) {
                statement.setString(3, file.checksum());
            }
            statement.executeUpdate();
        }
    }

    /**
     * Creates the table on the caller's connection, inside its transaction if it has one. Tenants
     * created in parallel, and tenant runs started together, race to create it ({@link CreationRace}), so
     * the creation runs in a savepoint and the loser goes on with the winner's table (a type of its name fails).
     */
    void ensure(Connection connection) throws SQLException {
        if (exists(connection)) {
            return;
        }
        boolean inTransaction = !connection.getAutoCommit();
        Savepoint savepoint = inTransaction ? connection.setSavepoint() : null;
        try {
            create(connection);
            if (inTransaction) {
                connection.releaseSavepoint(savepoint);
            }
        } catch (SQLException e) {
            if (!CreationRace.lost(e)) {
                throw e;
            }
            if (inTransaction) {
                connection.rollback(savepoint);
            }
            CreationRace.requireTable(connection, table, e);
        }
    }

    /** A condition that says whether the table exists, for a caller that asks it with other things in one query. */
    String existsCondition() {
        return "to_regclass(" + Literals.quote(table) + ") IS NOT NULL";
    }

    private boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The schemas that have one of these versions recorded. */
    List<String> schemasWith(Connection connection, List<String> versions) throws SQLException {
        if (!exists(connection)) {
            return List.of();
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT DISTINCT schema_name FROM " + table
                + " WHERE version = ANY (?::text[]) ORDER BY 1")) {
            query.setArray(1, texts(connection, versions));
            List<String> schemas = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
            return schemas;
        }
    }

    /** Writes rows for applied files, each given as its schema, version and checksum, in one statement. */
    void recordAll(Connection connection, List<String> schemas, List<String> versions, List<String> checksums)
            throws SQLException {
        String sql = "INSERT INTO " + table + " (schema_name, version, checksum) "
                + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[]) "
                + "ON CONFLICT (schema_name, version) DO UPDATE SET checksum = EXCLUDED.checksum";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, texts(connection, schemas));
            statement.setArray(2, texts(connection, versions));
            statement.setArray(3, texts(connection, checksums));
            statement.executeUpdate();
        }
    }

    /** Copies a schema's own history of these files into the registry (schemas migrated before it existed). */
    void sync(Connection connection, String schema, List<MigrationFile> files) throws SQLException {
        String sql = "INSERT INTO " + table + " (schema_name, version, checksum) SELECT ?, h.version, h.checksum FROM "
                + Identifiers.qualify(schema, historyTable) + " h WHERE h.version = ANY (?::text[]) "
                + "ORDER BY h.version COLLATE \"C\" "
                + "ON CONFLICT (schema_name, version) DO UPDATE SET checksum = EXCLUDED.checksum";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setArray(2, texts(connection, files.stream().map(MigrationFile::version).toList()));
            statement.executeUpdate();
        }
    }

    private static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    /** Moves a schema's rows to a new name, or deletes them when {@code to} is null. */
    /**
     * Forgets the rows of these schemas that do not exist (dropped by hand): a schema of that name created again is
     * then planned as a new one, with every file, instead of passing for migrated.
     */
    void forgetMissing(Connection connection, List<String> schemas) throws SQLException {
        String sql = "DELETE FROM " + table + " r WHERE r.schema_name = ANY (?::text[]) AND NOT EXISTS "
                + "(SELECT FROM pg_catalog.pg_namespace WHERE nspname = r.schema_name)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, texts(connection, schemas));
            statement.executeUpdate();
        }
    }

    void rename(Connection connection, String from, String to) throws SQLException {
        ensure(connection);
        String sql = to == null ? "DELETE FROM " + table + " WHERE schema_name = ?"
                : "UPDATE " + table + " SET schema_name = ? WHERE schema_name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (to == null) {
                statement.setString(1, from);
            } else {
                statement.setString(1, to);
                statement.setString(2, from);
            }
            statement.executeUpdate();
        }
    }
}
