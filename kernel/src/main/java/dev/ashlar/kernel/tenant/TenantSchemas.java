package dev.ashlar.kernel.tenant;

import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.migrate.FileFilters;
import dev.ashlar.kernel.migrate.FileRunner;
import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.InitScripts;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.JavaMigrations;
import dev.ashlar.kernel.migrate.MigrationDirectory;
import dev.ashlar.kernel.migrate.MigrationEvent;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.kernel.migrate.Placeholders;
import dev.ashlar.kernel.migrate.SqlCallbacks;
import dev.ashlar.spi.schema.Scope;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final Placeholders placeholders;
    private final JavaMigrations java;
    /** The name of each tenant schema's history table. */
    private final String historyTable;
    private final TenantRegistry registry;
    /** The runner a new schema's files take, set up once and taken to each schema: for files alone, with Java ones. */
    private final FileRunner alone;
    private final FileRunner withJava;
    /** The first statement before a new schema's: the caller's search path, and whether the registry exists. */
    private final String callerAndRegistry;

    /** @param tenantMigrations the folder of tenant migrations a new schema gets */
    public TenantSchemas(Path tenantMigrations) {
        this(tenantMigrations, Placeholders.NONE);
    }

    /**
     * @param tenantMigrations the folder of tenant migrations a new schema gets
     * @param placeholders     the values of their placeholders; {@code ${ashlar:schema}} is the new schema
     */
    public TenantSchemas(Path tenantMigrations, Placeholders placeholders) {
        this(tenantMigrations, placeholders, JavaMigrations.NONE, History.DEFAULT_TABLE);
    }

    private TenantSchemas(Path tenantMigrations, Placeholders placeholders, JavaMigrations java, String historyTable) {
        this.tenantMigrations = tenantMigrations;
        this.placeholders = placeholders.historyTable(historyTable);
        this.java = java;
        this.historyTable = historyTable;
        this.registry = new TenantRegistry("public", historyTable);
        this.alone = new FileRunner("public", false).historyTable(historyTable).recorder(registry);
        this.withJava = new FileRunner("public", true).historyTable(historyTable).recorder(registry);
        this.callerAndRegistry = "SELECT current_setting('search_path'), " + registry.existsCondition();
    }

    /**
     * The same, with Java migrations of the tenant schemas ({@link JavaMigration#scope()} {@code TENANT}) that a new
     * schema gets in version order with the files.
     *
     * @throws dev.ashlar.kernel.migrate.MigrationException for a migration of the main schema, or a malformed one
     */
    public TenantSchemas javaMigrations(List<JavaMigration> migrations) {
        return new TenantSchemas(tenantMigrations, placeholders, JavaMigrations.of(Scope.TENANT, migrations),
                historyTable);
    }

    /**
     * The same, keeping a new schema's history in the table {@code name} ({@code Ashlar.Builder.historyTable}), as
     * the tenant runs do ({@code TenantMigrator.historyTable}); the tenant registry keeps its name.
     *
     * @throws dev.ashlar.kernel.migrate.MigrationException for a name {@link History#tableName} refuses
     */
    public TenantSchemas historyTable(String name) {
        // Each tenant keeps its history in its own schema: a schema the name gives is the main schema's alone.
        return new TenantSchemas(tenantMigrations, placeholders, java, History.tableOf(History.tableName(name)));
    }

    /**
     * Creates a tenant schema with every tenant migration and records it in the registry. On Citus the
     * schema is created distributed: its tables live together on one worker.
     *
     * @throws ProjectFileException when the folder of tenant migrations does not exist (see {@link #missingFolder})
     * @throws DatabaseException    when a schema of that name exists already
     */
    public List<MigrationFile> create(Connection connection, String schema) throws SQLException {
        // Placeholders first: one without a value is refused before the schema is made.
        List<MigrationFile> read = FileFilters.noneIn(placeholders.read(tenantMigrations));
        List<MigrationFile> files = placeholders.apply(java.with(tenantMigrations, read), Direction.UP, schema,
                connection);
        if (read.isEmpty()) {
            Optional<String> missing = missingFolder(tenantMigrations);
            if (missing.isPresent()) {
                throw ProjectFileException.of(describe(tenantMigrations), "Cannot create tenant schema " + schema
                        + ": " + missing.get());
            }
        }
        // A new schema holds nothing: the newest init script, if any, runs instead of the files up to its version.
        MigrationFile init = InitScripts.reaching(InitScripts.read(tenantMigrations, files), files.stream()
                .filter(f -> !f.repeatable()).map(MigrationFile::version).max(String::compareTo).orElse(null));
        List<MigrationFile> covered = init == null ? List.of() : InitScripts.covered(init, files);
        if (init != null) {
            List<MigrationFile> run = new ArrayList<>(List.of(placeholders.apply(init, Direction.UP, schema,
                    connection)));
            run.addAll(InitScripts.after(init, files));
            files = run;
        }
        String quoted = Identifiers.quote(schema);
        // A Java migration's runner saves the search path it finds and gives it back for the session: it must find
        // the caller's, so with one the runner sets the schema's path around each file instead.
        boolean javaRuns = files.stream().anyMatch(file -> file.java() != null);
        FileRunner runner = (javaRuns ? withJava : alone).inSchema(schema);
        // The caller's search path (given back at the end, as its transaction goes on), whether the registry exists,
        // Citus's setting, the schema and its history, and the schema as the files' search path (the runner leaves
        // it alone).
        List<String> leading = new ArrayList<>(List.of(callerAndRegistry, Citus.DISTRIBUTE_NEW_SCHEMAS,
                "CREATE SCHEMA " + quoted, runner.history().createStatement()));
        if (!javaRuns) {
            leading.add("SET LOCAL search_path TO " + FileRunner.tenantSearchPath(schema));
        }
        Map<String, MigrationFile> callbacks = MigrationDirectory.callbacks(tenantMigrations);
        try {
            // The usual case: all of it and every file's statements in one round trip, the history rows in one more.
            if (callbacks.isEmpty() && runner.runAllAfter(connection, leading, row -> {
                if (!"t".equals(row.get(1))) {
                    registry.ensure(connection);
                }
                return row.get(0);
            }, files)) {
                return recordCovered(connection, runner, schema, covered, files);
            }
        } catch (SQLException e) {
            throw taken(e, "Cannot create tenant schema " + schema);
        }
        String callerPath;
        boolean registered;
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(String.join(";\n", leading));
            try (ResultSet row = statement.getResultSet()) {
                row.next();
                callerPath = row.getString(1);
                registered = row.getBoolean(2);
            }
        } catch (SQLException e) {
            throw taken(e, "Cannot create tenant schema " + schema);
        }
        if (!registered) {
            registry.ensure(connection);
        }
        // The schema was created a statement ago: nothing is applied there, every file is pending.
        boolean restored = false;
        if (callbacks.isEmpty()) {
            restored = runner.runAllWithin(connection, files, callerPath);
        } else {
            MigrationListener told = SqlCallbacks.within(callbacks, schema, placeholders);
            MigrationEvent event = new MigrationEvent(schema, Direction.UP, null, connection);
            told.beforeRun(event);
            runner.listener(told).runAllWithin(connection, files, null);
            told.afterRun(event, files);
        }
        if (!restored) {
            try (PreparedStatement restore = connection.prepareStatement("SELECT set_config('search_path', ?, true)")) {
                restore.setString(1, callerPath);
                restore.execute();
            }
        }
        return recordCovered(connection, runner, schema, covered, files);
    }

    /**
     * Records the files an init script ran instead of as baselined, in the schema's history and the registry (the
     * script's own rows, under the version of the newest of them, become that file's).
     *
     * @return the files that ran
     */
    private List<MigrationFile> recordCovered(Connection connection, FileRunner runner, String schema,
                                              List<MigrationFile> covered, List<MigrationFile> ran)
            throws SQLException {
        if (!covered.isEmpty()) {
            runner.history().recordCovered(connection, covered);
            registry.recordAll(connection, Collections.nCopies(covered.size(), schema),
                    covered.stream().map(MigrationFile::version).toList(),
                    covered.stream().map(MigrationFile::checksum).toList());
        }
        return ran;
    }

    /**
     * The error for a tenant's new schema name that a schema holds already (never adopted, since its tables and rows
     * may be another tenant's), thrown; any other error returned as it is, for the caller to throw.
     */
    private static SQLException taken(SQLException e, String what) {
        // Two creations of one name at once: the second waits for the first, then breaks the catalog's key.
        if (!"42P06".equals(e.getSQLState()) && !("23505".equals(e.getSQLState())
                && String.valueOf(e.getMessage()).contains("pg_namespace_nspname_index"))) {
            return e;
        }
        throw DatabaseException.withState(what + ": a schema of that name already exists (left by a tenant destroyed "
                + "without dropping its schema, or made by hand), and a tenant never takes over its tables. Drop or "
                + "rename that schema, or give the tenant another name. Nothing was written.", e.getSQLState(), e);
    }

    /**
     * What is wrong with a folder of tenant migrations that does not exist, naming the folder looked at and how to
     * set it; empty when it exists. A tenant schema made without the folder would be empty, with no error: what a
     * wrong working directory or an unset location looks like (an existing empty folder says the schema starts empty).
     */
    public static Optional<String> missingFolder(Path tenantMigrations) {
        if (Files.isDirectory(tenantMigrations)) {
            return Optional.empty();
        }
        return Optional.of("there is no tenant migrations folder at " + describe(tenantMigrations)
                + ", so a new tenant schema would have none of its tables. Name the project's tenant_migrations "
                + "folder with Ashlar.builder().tenantMigrations(folder) (in Spring Boot, ashlar.migrate.location "
                + "names the project holding it, classpath:db/ashlar by default); create the folder, even empty, if "
                + "tenant schemas start empty.");
    }

    /** A folder as a reader finds it: absolute, or the jar and the folder inside it. */
    private static String describe(Path folder) {
        return folder.getFileSystem() == FileSystems.getDefault() ? folder.toAbsolutePath().toString()
                : folder.toUri().toString();
    }

    /** Renames a tenant schema and its registry rows. */
    public void rename(Connection connection, String from, String to) throws SQLException {
        try {
            execute(connection, "ALTER SCHEMA " + Identifiers.quote(from) + " RENAME TO " + Identifiers.quote(to));
        } catch (SQLException e) {
            throw taken(e, "Cannot rename tenant schema " + from + " to " + to);
        }
        registry.rename(connection, from, to);
    }

    /**
     * Drops a tenant schema with all its data, and its registry rows. A schema already gone (dropped by hand) is no
     * error: what the caller asks for holds, and its tenant's record can still be destroyed.
     */
    public void drop(Connection connection, String schema) throws SQLException {
        execute(connection, "DROP SCHEMA IF EXISTS " + Identifiers.quote(schema) + " CASCADE");
        registry.rename(connection, schema, null);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
