package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Applies {@code tenant_migrations/} to many tenant schemas: each schema with its own history, one
 * transaction per schema and file, {@code jobs} schemas at a time. One schema's failure is recorded
 * with its name and does not stop the others (unless fail-fast). The schema list is streamed and
 * the results summarised as they come, so memory does not grow with the number of tenants; one
 * query per thousand schemas finds those with pending work.
 *
 * <pre>{@code
 * TenantReport report = new TenantMigrator(dataSource, Path.of("tenant_migrations"))
 *         .jobs(4).migrate(tenantSchemas.iterator(), tenantSchemas.size());
 * }</pre>
 */
public final class TenantMigrator {
    /** How many failures a report keeps whole; the rest are counted. */
    public static final int KEPT_FAILURES = 100;
    private static final int CHUNK = 1000;

    private final DataSource dataSource;
    private final Path folder;
    private final int jobs;
    private final boolean failFast;
    private final Duration lockTimeout;
    private final Consumer<TenantProgress> progress;

    public TenantMigrator(DataSource dataSource, Path folder) {
        this(dataSource, folder, 4, false, Duration.ofMinutes(10), p -> { });
    }

    private TenantMigrator(DataSource dataSource, Path folder, int jobs, boolean failFast, Duration lockTimeout,
                           Consumer<TenantProgress> progress) {
        if (jobs < 1) {
            throw new AshlarException(ErrorCode.MIGRATION, "--jobs must be at least 1, got " + jobs);
        }
        this.dataSource = dataSource;
        this.folder = folder;
        this.jobs = jobs;
        this.failFast = failFast;
        this.lockTimeout = lockTimeout;
        this.progress = progress;
    }

    /** How many schemas are migrated at once; each takes one connection from the pool. */
    public TenantMigrator jobs(int count) {
        return new TenantMigrator(dataSource, folder, count, failFast, lockTimeout, progress);
    }

    /** Stop starting new schemas after the first failure. */
    public TenantMigrator failFast(boolean stop) {
        return new TenantMigrator(dataSource, folder, jobs, stop, lockTimeout, progress);
    }

    public TenantMigrator lockTimeout(Duration timeout) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, timeout, progress);
    }

    /** Called after every schema, from the worker threads. */
    public TenantMigrator progress(Consumer<TenantProgress> listener) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, lockTimeout, listener);
    }

    /**
     * Applies pending tenant migrations to every schema.
     *
     * @param total the number of schemas, or -1 if unknown (for progress only)
     */
    public TenantReport migrate(Iterator<String> schemas, long total) {
        List<MigrationFile> files = MigrationDirectory.read(folder);
        return run(schemas, total, files, (migrator, registry, connection, schema) -> {
            if (migrator.migrateOn(connection, files).isEmpty()) {
                registry.sync(connection, schema, files);
            }
        });
    }

    /** Rolls back the last {@code steps} tenant migrations of every schema. */
    public TenantReport rollback(Iterator<String> schemas, long total, int steps) {
        return run(schemas, total, null, (migrator, registry, connection, schema) -> migrator.rollbackUnlocked(steps));
    }

    /**
     * Which schemas have pending tenant migrations, found with one query per thousand schemas, and
     * which schemas hold a tenant migration history but are not in the list (reported, never touched).
     */
    public TenantStatus status(Iterator<String> schemas) {
        List<MigrationFile> files = MigrationDirectory.read(folder);
        TenantRegistry registry = new TenantRegistry("public");
        List<String> pending = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        long count = 0;
        try (Connection connection = dataSource.getConnection()) {
            registry.create(connection);
            while (schemas.hasNext()) {
                List<String> chunk = next(schemas);
                count += chunk.size();
                listed.addAll(chunk);
                pending.addAll(files.isEmpty() ? List.of() : registry.pending(connection, chunk, files));
            }
            List<String> strays = History.schemasWithHistory(connection).stream()
                    .filter(s -> !listed.contains(s) && !s.equals("public")).toList();
            return new TenantStatus(count, pending, strays);
        } catch (SQLException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Could not read the tenant migration status: " + e.getMessage(),
                    null, null, e.getSQLState(), e);
        }
    }

    /**
     * Creates a tenant schema with every tenant migration of {@code folder}, on a connection inside
     * the caller's transaction (creating a tenant record), and records it in the tenant registry.
     */
    public static void createTenant(Connection connection, Path folder, String schema) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + Identifiers.quote(schema));
        }
        TenantRegistry registry = new TenantRegistry("public");
        registry.create(connection);
        new Migrator(null, folder).forSchema(schema).registry(registry).applyWithin(connection);
    }

    /**
     * Creates the tenant registry table if it is missing, on a connection of its own. Tenants created
     * in parallel would otherwise race to create it inside their transactions ({@code CREATE TABLE
     * IF NOT EXISTS} is not safe against a concurrent creator).
     */
    public static void ensureRegistry(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            new TenantRegistry("public").create(connection);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Renames a tenant schema and its registry rows, inside the caller's transaction. */
    public static void renameTenant(Connection connection, String from, String to) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("ALTER SCHEMA " + Identifiers.quote(from) + " RENAME TO " + Identifiers.quote(to));
        }
        new TenantRegistry("public").rename(connection, from, to);
    }

    /** Drops a tenant schema with all its data, and its registry rows, inside the caller's transaction. */
    public static void dropTenant(Connection connection, String schema) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE");
        }
        new TenantRegistry("public").rename(connection, schema, null);
    }

    @SuppressWarnings("try") // the lock is held for the whole run and released on close
    private TenantReport run(Iterator<String> schemas, long total, List<MigrationFile> files, SchemaWork work) {
        long start = System.nanoTime();
        Run run = new Run(total, start);
        TenantRegistry registry = new TenantRegistry("public");
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> new Thread(r, "ashlar-tenant-migrator"));
        try (AdvisoryLock ignored = AdvisoryLock.acquire(dataSource, "tenant-migrations", lockTimeout)) {
            try (Connection connection = dataSource.getConnection()) {
                registry.create(connection);
            }
            Semaphore slots = new Semaphore(jobs * 2);
            while (schemas.hasNext() && !run.stopped.get()) {
                List<String> chunk = next(schemas);
                for (String schema : files == null ? chunk : pending(registry, chunk, files, run)) {
                    slots.acquire();
                    pool.execute(() -> {
                        try {
                            migrateOne(schema, registry, work, run);
                        } finally {
                            slots.release();
                        }
                    });
                }
            }
            pool.shutdown();
            pool.awaitTermination(365, TimeUnit.DAYS);
        } catch (SQLException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Could not migrate the tenant schemas: " + e.getMessage(),
                    null, null, e.getSQLState(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AshlarException(ErrorCode.MIGRATION, "Interrupted while migrating tenant schemas", e);
        } finally {
            pool.shutdownNow();
        }
        return new TenantReport(run.done.get(), run.upToDate.get(), run.failed.get(), new ArrayList<>(run.failures),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private List<String> pending(TenantRegistry registry, List<String> chunk, List<MigrationFile> files, Run run)
            throws SQLException {
        List<String> valid = new ArrayList<>();
        for (String schema : chunk) {
            String problem = Identifiers.problem(schema);
            if (problem == null) {
                valid.add(schema);
            } else {
                run.fail(schema, "the schema name '" + schema + "' " + problem, failFast, progress);
            }
        }
        if (files.isEmpty()) {
            run.skip(valid.size(), progress);
            return List.of();
        }
        try (Connection connection = dataSource.getConnection()) {
            List<String> pending = registry.pending(connection, valid, files);
            run.skip(valid.size() - pending.size(), progress);
            return pending;
        }
    }

    private void migrateOne(String schema, TenantRegistry registry, SchemaWork work, Run run) {
        if (run.stopped.get()) {
            return;
        }
        Migrator migrator = new Migrator(dataSource, folder).forSchema(schema).registry(registry).progress(line -> { });
        try (Connection connection = dataSource.getConnection()) {
            work.run(migrator, registry, connection, schema);
            run.succeed(progress);
        } catch (SQLException | RuntimeException e) {
            run.fail(schema, e.getMessage(), failFast, progress);
        }
    }

    private static List<String> next(Iterator<String> schemas) {
        List<String> chunk = new ArrayList<>(CHUNK);
        while (schemas.hasNext() && chunk.size() < CHUNK) {
            chunk.add(schemas.next());
        }
        return chunk;
    }

    @FunctionalInterface
    private interface SchemaWork {
        void run(Migrator migrator, TenantRegistry registry, Connection connection, String schema) throws SQLException;
    }

    /** The counters of one run, shared by the worker threads. */
    private static final class Run {
        final AtomicLong done = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong upToDate = new AtomicLong();
        final AtomicBoolean stopped = new AtomicBoolean();
        final Queue<TenantReport.Failure> failures = new ConcurrentLinkedQueue<>();
        final long total;
        final long start;

        Run(long total, long start) {
            this.total = total;
            this.start = start;
        }

        void succeed(Consumer<TenantProgress> progress) {
            done.incrementAndGet();
            progress.accept(snapshot());
        }

        void skip(long count, Consumer<TenantProgress> progress) {
            if (count > 0) {
                upToDate.addAndGet(count);
                progress.accept(snapshot());
            }
        }

        void fail(String schema, String message, boolean failFast, Consumer<TenantProgress> progress) {
            if (failed.incrementAndGet() <= KEPT_FAILURES) {
                failures.add(new TenantReport.Failure(schema, message));
            }
            if (failFast) {
                stopped.set(true);
            }
            progress.accept(snapshot());
        }

        TenantProgress snapshot() {
            return new TenantProgress(done.get(), failed.get(), upToDate.get(), total,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
