package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies the migration files of a folder to one schema, in version order, each in its own
 * transaction unless the file says {@code transaction:false}, recording each in that schema's
 * {@code ashlar_schema_migrations}. Holds an advisory lock for the schema so that two migrators
 * never run at once: the second waits, then finds nothing left to do. Usable at application
 * start-up:
 *
 * <pre>{@code
 * new Migrator(dataSource, Path.of("migrations")).migrate();
 * }</pre>
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    private final DataSource dataSource;
    private final Path folder;
    private final String schema;
    private final boolean searchPath;
    private final Duration lockTimeout;
    private final Consumer<String> progress;
    private final TenantRegistry registry;

    /** A migrator for the main schema: history in {@code public}, SQL run as written. */
    public Migrator(DataSource dataSource, Path folder) {
        this(dataSource, folder, "public", false, Duration.ofMinutes(10), LOG::info, null);
    }

    private Migrator(DataSource dataSource, Path folder, String schema, boolean searchPath, Duration lockTimeout,
                     Consumer<String> progress, TenantRegistry registry) {
        this.dataSource = dataSource;
        this.folder = folder;
        this.schema = schema;
        this.searchPath = searchPath;
        this.lockTimeout = lockTimeout;
        this.progress = progress;
        this.registry = registry;
    }

    /** The same migrator for a tenant schema: history there, and unqualified names resolved there. */
    public Migrator forSchema(String tenantSchema) {
        Identifiers.quote(tenantSchema);
        return new Migrator(dataSource, folder, tenantSchema, true, lockTimeout, progress, registry);
    }

    public Migrator lockTimeout(Duration timeout) {
        return new Migrator(dataSource, folder, schema, searchPath, timeout, progress, registry);
    }

    /** Where progress lines go ("applied 2026..._x.sql in 12 ms"); the log by default. */
    public Migrator progress(Consumer<String> sink) {
        return new Migrator(dataSource, folder, schema, searchPath, lockTimeout, sink, registry);
    }

    /** Also records applied tenant migrations in the central registry, in the same transaction. */
    Migrator registry(TenantRegistry tenantRegistry) {
        return new Migrator(dataSource, folder, schema, searchPath, lockTimeout, progress, tenantRegistry);
    }

    /**
     * Applies every pending file.
     *
     * @return the files applied, in order; empty when everything was already applied
     * @throws MigrationException naming the file and statement that failed; nothing of that file stays applied
     *                            (unless it runs outside a transaction)
     */
    public List<MigrationFile> migrate() {
        List<MigrationFile> files = MigrationDirectory.read(folder);
        return locked(() -> migrateUnlocked(files));
    }

    /** Applies the pending ones of these files; the caller holds whatever lock protects the schema. */
    List<MigrationFile> migrateUnlocked(List<MigrationFile> files) throws SQLException {
        Map<String, History.Entry> applied = applied();
        verify(files, applied);
        List<MigrationFile> pending = files.stream().filter(f -> !applied.containsKey(f.version())).toList();
        checkServer(pending);
        List<MigrationFile> done = new ArrayList<>();
        for (MigrationFile file : pending) {
            long millis = run(file, file.up(), true);
            progress.accept("applied " + file.fileName() + " to " + schema + " in " + millis + " ms");
            done.add(file);
        }
        return done;
    }

    /**
     * Applies every file to this migrator's schema on a connection the caller holds inside its own
     * transaction, e.g. while creating a tenant, so that the schema exists whole or not at all.
     * Statements of files marked {@code transaction:false} run plainly inside that transaction: a
     * new schema's tables are empty, so {@code CREATE INDEX CONCURRENTLY} is run as a plain
     * {@code CREATE INDEX} (PostgreSQL refuses the concurrent form in a transaction).
     */
    public List<MigrationFile> applyWithin(Connection connection) throws SQLException {
        List<MigrationFile> files = MigrationDirectory.read(folder);
        History history = new History(schema);
        history.create(connection);
        String previousPath = searchPath(connection);
        setSearchPath(connection, true);
        for (MigrationFile file : files) {
            long start = System.nanoTime();
            execute(connection, file, file.transactional() ? file.up() : SqlStatements.withoutConcurrently(file.up()));
            history.record(connection, file, (System.nanoTime() - start) / 1_000_000);
            if (registry != null) {
                registry.record(connection, schema, file, true);
            }
        }
        // The caller's transaction goes on: give it back the search path it had.
        try (PreparedStatement restore = connection.prepareStatement("SELECT set_config('search_path', ?, true)")) {
            restore.setString(1, previousPath);
            restore.execute();
        }
        return files;
    }

    /**
     * Applies the pending ones of these files on one connection the caller lends, one transaction
     * per file: the tenant runs' fast path, a few round trips per schema. Files that run outside a
     * transaction take the ordinary path.
     *
     * @return the files applied
     */
    List<MigrationFile> migrateOn(Connection connection, List<MigrationFile> files) throws SQLException {
        History history = new History(schema);
        history.create(connection);
        Map<String, History.Entry> applied = history.applied(connection);
        verify(files, applied);
        List<MigrationFile> pending = files.stream().filter(f -> !applied.containsKey(f.version())).toList();
        if (pending.stream().anyMatch(f -> !f.transactional())) {
            return migrateUnlocked(files);
        }
        checkServer(pending, connection);
        for (MigrationFile file : pending) {
            runOn(connection, file, file.up(), true);
        }
        return pending;
    }

    /** Undoes the last {@code steps} applied files with their down sections, newest first. */
    public List<MigrationFile> rollback(int steps) {
        return locked(() -> rollbackUnlocked(steps));
    }

    List<MigrationFile> rollbackUnlocked(int steps) throws SQLException {
        List<String> versions = new ArrayList<>(applied().keySet());
        List<String> last = versions.subList(Math.max(0, versions.size() - steps), versions.size());
        return undo(Set.copyOf(last));
    }

    /** Undoes the applied files among these versions, newest first (used to squash dev migrations). */
    public List<MigrationFile> rollbackVersions(Set<String> versions) {
        return locked(() -> undo(versions));
    }

    private List<MigrationFile> undo(Set<String> versions) throws SQLException {
        List<MigrationFile> files = MigrationDirectory.read(folder);
        Map<String, History.Entry> applied = applied();
        List<String> order = new ArrayList<>(applied.keySet());
        java.util.Collections.reverse(order);
        List<MigrationFile> undone = new ArrayList<>();
        for (String version : order) {
            if (!versions.contains(version)) {
                continue;
            }
            MigrationFile file = files.stream().filter(f -> f.version().equals(version)).findFirst()
                    .orElseThrow(() -> new MigrationException(ErrorCode.MIGRATION, "Cannot roll back " + version
                            + ": its file is not in " + folder + ". Restore it from version control.", version));
            long millis = run(file, file.down(), false);
            progress.accept("rolled back " + file.fileName() + " in " + schema + " in " + millis + " ms");
            undone.add(file);
        }
        return undone;
    }

    /** Every file and every applied version, with its state. */
    public List<MigrationStatus> status() {
        List<MigrationFile> files = MigrationDirectory.read(folder);
        try (Connection connection = dataSource.getConnection()) {
            return StatusReport.of(files, new History(schema).applied(connection));
        } catch (SQLException e) {
            throw database("read the migration history of " + schema, e);
        }
    }

    private Map<String, History.Entry> applied() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            History history = new History(schema);
            history.create(connection);
            return history.applied(connection);
        }
    }

    private void verify(List<MigrationFile> files, Map<String, History.Entry> applied) {
        for (MigrationStatus status : StatusReport.of(files, applied)) {
            if (status.state() == MigrationStatus.State.CHANGED) {
                throw new MigrationException(ErrorCode.CHECKSUM_MISMATCH, "Migration " + status.version() + "_"
                        + status.name() + ".sql was changed after it was applied to " + schema + ". Restore the file "
                        + "from version control; to change the schema, generate a new migration.",
                        status.version() + "_" + status.name() + ".sql");
            }
            if (status.state() == MigrationStatus.State.MISSING) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + status.version() + "_" + status.name()
                        + ".sql is applied to " + schema + " but missing from " + folder + ". Restore it from version "
                        + "control (or roll it back with a copy of it) before migrating.", status.version());
            }
        }
    }

    private void checkServer(List<MigrationFile> pending) throws SQLException {
        if (pending.stream().anyMatch(f -> f.requires() > 0)) {
            try (Connection connection = dataSource.getConnection()) {
                checkServer(pending, connection);
            }
        }
    }

    private void checkServer(List<MigrationFile> pending, Connection connection) throws SQLException {
        if (pending.stream().noneMatch(f -> f.requires() > 0)) {
            return;
        }
        int actual = connection.getMetaData().getDatabaseMajorVersion();
        for (MigrationFile file : pending) {
            if (file.requires() > actual) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + " needs PostgreSQL "
                        + file.requires() + (file.requiresReason() == null ? "" : " for " + file.requiresReason())
                        + ", but this server is PostgreSQL " + actual + ". Nothing was applied. Upgrade the server, or "
                        + "change the resource so it does not need that feature.", file.fileName());
            }
        }
    }

    /** Runs one section of a file and records (or forgets) it; returns the time it took. */
    private long run(MigrationFile file, String sql, boolean forward) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return runOn(connection, file, sql, forward);
        }
    }

    private long runOn(Connection connection, MigrationFile file, String sql, boolean forward) throws SQLException {
        long start = System.nanoTime();
        boolean transactional = file.transactional();
        connection.setAutoCommit(!transactional);
        try {
            setSearchPath(connection, transactional);
            execute(connection, file, sql);
            long millis = (System.nanoTime() - start) / 1_000_000;
            History history = new History(schema);
            if (forward) {
                history.record(connection, file, millis);
            } else {
                history.forget(connection, file.version());
            }
            if (registry != null) {
                registry.record(connection, schema, file, forward);
            }
            if (transactional) {
                connection.commit();
            }
            return millis;
        } catch (SQLException | RuntimeException e) {
            if (transactional) {
                connection.rollback();
            }
            throw e;
        } finally {
            if (searchPath && !transactional) {
                try (Statement reset = connection.createStatement()) {
                    reset.execute("RESET search_path");
                }
            }
            connection.setAutoCommit(true);
        }
    }

    private static String searchPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("SELECT current_setting('search_path')")) {
            row.next();
            return row.getString(1);
        }
    }

    private void setSearchPath(Connection connection, boolean local) throws SQLException {
        if (searchPath) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET " + (local ? "LOCAL " : "") + "search_path TO " + Identifiers.quote(schema));
            }
        }
    }

    private void execute(Connection connection, MigrationFile file, String sql) {
        List<String> statements = SqlStatements.split(sql);
        for (int i = 0; i < statements.size(); i++) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(statements.get(i));
            } catch (SQLException e) {
                if (!file.transactional()) {
                    FailedConcurrentIndex.dropLeftover(connection, statements.get(i), e);
                }
                throw failure(file, statements.get(i), i + 1, e);
            }
        }
    }

    private MigrationException failure(MigrationFile file, String statement, int number, SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String where = server == null || server.getPosition() == 0 ? "" : Positions.caret(statement, server.getPosition());
        String kept = file.transactional() ? "Nothing of this file was applied."
                : "This file runs outside a transaction: the statements before this one stay applied.";
        return new MigrationException(ErrorCode.MIGRATION_FAILED, "Migration " + file.fileName() + " failed on "
                + schema + " at statement " + number + ":\n" + Positions.indent(statement, where) + "\n"
                + (server == null ? e.getMessage() : server.getSeverity() + ": " + server.getMessage())
                + " (SQL state " + e.getSQLState() + ")\n" + kept, file.fileName(), statement, e.getSQLState(), e);
    }

    @SuppressWarnings("try") // the lock is held for the body's duration and released on close
    private <T> T locked(Work<T> work) {
        try (AdvisoryLock ignored = AdvisoryLock.acquire(dataSource, "migrations:" + schema, lockTimeout)) {
            return work.run();
        } catch (SQLException e) {
            throw database("migrate " + schema, e);
        }
    }

    private static AshlarException database(String action, SQLException e) {
        return new AshlarException(ErrorCode.DATABASE, "Could not " + action + ": " + e.getMessage(), null, null,
                e.getSQLState(), e);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }
}
