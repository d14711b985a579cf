package dev.ashlar.kernel.tenant;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.TenantSchemaNames;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.AdvisoryLock;
import dev.ashlar.kernel.migrate.Deployment;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.IgnoreMigrationPatterns;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.FileFilters;
import dev.ashlar.kernel.migrate.JavaMigrations;
import dev.ashlar.kernel.migrate.LockLostException;
import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationDirectory;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationVersions;
import dev.ashlar.kernel.migrate.MigrationPlan;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.kernel.migrate.MigrationRefusal;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.migrate.Placeholders;
import dev.ashlar.kernel.migrate.Timeouts;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.schema.Scope;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Applies {@code tenant_migrations/} to many tenant schemas: each schema with its own history, one
 * transaction per schema and file, {@code jobs} schemas at a time, each on one connection of the
 * pool (the run's lock holds one more, which also serves the run's own queries: a pool of
 * {@code jobs + 1} connections is enough). One schema's failure is recorded with its name and does
 * not stop the others (unless fail-fast). The schema list is streamed and the results summarised as
 * they come, so memory does not grow with the number of tenants; one query per thousand schemas
 * finds those with pending work and what the registry holds for each (the first lists a hundred, so
 * that the workers start at once, and each next one runs while they work). A schema's history is not
 * read before its files run: the statement that writes each history row checks that the history is
 * what the registry said, and a schema where it is not is rolled back and migrated from its real
 * history ({@link Migrator#migrateExpecting}). The registry's rows of the files applied are written
 * {@value RegistryRows#BATCH} at a time once their files commit ({@link RegistryRows}).
 *
 * <pre>{@code
 * TenantReport report = new TenantMigrator(dataSource, Path.of("tenant_migrations"))
 *         .jobs(4).migrate(tenantSchemas.iterator(), tenantSchemas.size());
 * }</pre>
 */
public final class TenantMigrator {
    /** How many failures a report keeps whole; the rest are counted. */
    public static final int KEPT_FAILURES = 100;
    /** How many schemas one query lists, finding those with pending work. */
    private static final int CHUNK = 1000;
    /** How long an interrupted run waits for its workers to end their cancelled files. */
    private static final Duration WORKERS_END = Duration.ofSeconds(10);
    /**
     * How many schemas the first query lists: the workers start once it is read, and the next {@value #CHUNK} are
     * listed while they migrate these. A first query of a thousand schemas kept every worker idle while the server
     * ran it (17 ms for 400 schemas in PostgreSQL 15's statement log, in a migration of 0.84 s on 4 jobs).
     */
    static final int FIRST_LISTING = 100;

    private final DataSource dataSource;
    private final Path folder;
    private final int jobs;
    private final boolean failFast;
    private final Timeouts timeouts;
    private final Consumer<TenantProgress> progress;
    private final Consumer<String> messages;
    private final MigrationListener listener;
    private final Placeholders placeholders;
    private final JavaMigrations java;
    /** The name of each tenant schema's history table. */
    /** The history's setting, as given ({@code meta.history} keeps the main schema's history apart). */
    private final String historyTable;
    /** The table of each tenant schema's history: the setting's table, in the tenant's own schema. */
    private final String table;
    private final TenantRegistry registry;

    public TenantMigrator(DataSource dataSource, Path folder) {
        this(dataSource, folder, 4, false, Timeouts.none(), p -> { }, line -> { }, null, Placeholders.NONE,
                JavaMigrations.NONE, History.DEFAULT_TABLE);
    }

    private TenantMigrator(DataSource dataSource, Path folder, int jobs, boolean failFast, Timeouts timeouts,
                           Consumer<TenantProgress> progress, Consumer<String> messages, MigrationListener listener,
                           Placeholders placeholders, JavaMigrations java, String historyTable) {
        if (jobs < 1) {
            throw new AshlarException(ErrorCode.MIGRATION, "--jobs must be at least 1, got " + jobs);
        }
        this.dataSource = dataSource;
        this.folder = folder;
        this.jobs = jobs;
        this.failFast = failFast;
        this.timeouts = timeouts;
        this.progress = progress;
        this.messages = messages;
        this.listener = listener;
        // Each tenant keeps its history in its own schema: a schema the setting names is the main schema's alone.
        this.table = History.tableOf(historyTable);
        this.placeholders = placeholders.historyTable(table);
        this.java = java;
        this.historyTable = historyTable;
        this.registry = new TenantRegistry("public", table);
    }

    /** How many schemas are migrated at once; each takes one connection from the pool. */
    public TenantMigrator jobs(int count) {
        return new TenantMigrator(dataSource, folder, count, failFast, timeouts, progress, messages, listener,
                placeholders, java, historyTable);
    }

    /** Stop starting new schemas after the first failure. */
    public TenantMigrator failFast(boolean stop) {
        return new TenantMigrator(dataSource, folder, jobs, stop, timeouts, progress, messages, listener,
                placeholders, java, historyTable);
    }

    /** How long to wait for the run's lock and, in each statement, for a table lock.
     *
     * @param timeout from 1 ms to 2,147,483,647 ms (about 596 hours), or null for no bound
     * @throws MigrationException when the timeout is under 1 ms or over 2,147,483,647 ms
     */
    public TenantMigrator lockTimeout(Duration timeout) {
        return timeouts(timeouts.withLock(timeout));
    }

    /** The bounds of the lock waits and statements, and when a long wait is reported. */
    public TenantMigrator timeouts(Timeouts bounds) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, bounds, progress, messages, listener,
                placeholders, java, historyTable);
    }

    /** Called after every schema, from the worker threads. */
    public TenantMigrator progress(Consumer<TenantProgress> sink) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, timeouts, sink, messages, listener,
                placeholders, java, historyTable);
    }

    /**
     * Told before and after each file of each schema ({@link MigrationListener#beforeEach}, {@code afterEach},
     * {@code afterEachError}), from the worker threads, several at once; null for none.
     */
    public TenantMigrator listener(MigrationListener told) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, timeouts, progress, messages, told,
                placeholders, java, historyTable);
    }

    /** The values of the files' placeholders; {@code ${ashlar:schema}} is each tenant's schema. */
    public TenantMigrator placeholders(Placeholders values) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, timeouts, progress, messages, listener,
                values, java, historyTable);
    }

    /**
     * Java migrations of the tenant schemas ({@link JavaMigration#scope()} {@code TENANT}), run in each schema in
     * version order with the files, with that schema alone as the search path (and {@code pg_temp} last).
     *
     * @throws MigrationException for a migration of the main schema, or one whose version or name is malformed
     */
    public TenantMigrator javaMigrations(List<JavaMigration> migrations) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, timeouts, progress, messages, listener,
                placeholders, JavaMigrations.of(Scope.TENANT, migrations), historyTable);
    }

    /**
     * Keeps each tenant schema's history in the table {@code name} (Flyway's {@code table}), instead of
     * {@link History#DEFAULT_TABLE}; the tenant registry keeps its name.
     *
     * @throws MigrationException for a name {@link History#tableName} refuses
     */
    public TenantMigrator historyTable(String name) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, timeouts, progress, messages, listener,
                placeholders, java, History.tableName(name));
    }

    /** Where reports of a long wait for a lock, and a repair's lines, go, from the worker threads. */
    public TenantMigrator messages(Consumer<String> sink) {
        return new TenantMigrator(dataSource, folder, jobs, failFast, timeouts, progress, sink, listener,
                placeholders, java, historyTable);
    }

    /**
     * Applies pending tenant migrations to every schema.
     *
     * @param total the number of schemas, or -1 if unknown (for progress only)
     */
    public TenantReport migrate(Iterator<String> schemas, long total) {
        return migrate(schemas, total, true);
    }

    /**
     * Applies pending tenant migrations to every schema; with {@code outOfOrder} false, a schema with a pending file
     * older than the newest one it has applied (a branch merged late) fails naming it, nothing applied to it, as the
     * main schema's {@code --no-out-of-order} run does, while the other schemas migrate.
     *
     * @param total the number of schemas, or -1 if unknown (for progress only)
     */
    public TenantReport migrate(Iterator<String> schemas, long total, boolean outOfOrder) {
        List<MigrationFile> files = files();
        Map<String, MigrationFile> callbacks = MigrationDirectory.callbacks(folder);
        WithoutInstalledBy withoutInstalledBy = new WithoutInstalledBy(table);
        // Callbacks run at every run: every schema is visited, also those whose files the registry holds all of.
        return run("migrate", schemas, total, files, !callbacks.isEmpty(), withoutInstalledBy,
                deployed((plain, lock, connection, behind) ->
                plain.withCallbacks(callbacks, connection, migrator -> {
                    if (withoutInstalledBy.holds(lock, behind.schema())) {
                        migrator.history().addInstalledBy(connection);
                    }
                    if (!outOfOrder) {
                        migrator.plan(connection, files).verifyToMigrate().refuseOutOfOrder();
                    }
                    List<String> recorded = behind.recorded();
                    List<MigrationFile> applied = recorded == null ? migrator.migrateOn(connection, lock, files, null)
                            : migrator.migrateExpecting(connection, lock, files, recorded);
                    // The registry learns what the schema held besides what was applied: a schema migrated before it
                    // existed, or whose registry rows were lost, is then planned from the registry again next time.
                    if (applied.isEmpty() || recorded != null && !covers(recorded, applied, files)) {
                        registry.sync(connection, behind.schema(), files);
                    }
                    return applied;
                })));
    }

    /**
     * {@code work} with the history rows it writes carrying the run's deployment id ({@link Deployment}), the same in
     * every schema of the run, so that {@link #rollbackDeployment} undoes the run in each. The id goes with each file's
     * other settings ({@link Migrator#deployment}): no round trip more for a schema.
     */
    private static SchemaWork deployed(SchemaWork work) {
        String id = Deployment.newId();
        return (migrator, lock, connection, behind) -> work.run(migrator.deployment(id), lock, connection, behind);
    }

    /**
     * Undoes, in every schema, the tenant migrations the run {@code id} applied there ({@link Migrator#rollbackDeployment}),
     * newest version first; a schema that run did not migrate is left alone, and one where a later run applied
     * migrations after it fails naming them. Each schema's history is read alone: no other schema's rows count.
     */
    public TenantReport rollbackDeployment(Iterator<String> schemas, long total, String id) {
        String deployment = Deployment.requireId(id);
        List<MigrationFile> files = files();
        return run("roll back", schemas, total, null, (migrator, lock, connection, behind) -> {
            MigrationPlan plan = migrator.plan(connection, files);
            if (plan.applied().values().stream().anyMatch(entry -> deployment.equals(entry.deploymentId()))) {
                migrator.rollbackOn(connection, lock, plan.deployment(deployment));
            }
        });
    }

    /** Rolls back the last {@code steps} tenant migrations of every schema. */
    public TenantReport rollback(Iterator<String> schemas, long total, int steps) {
        List<MigrationFile> files = files();
        return run("roll back", schemas, total, null, (migrator, lock, connection, behind) ->
                migrator.rollbackOn(connection, lock, migrator.plan(connection, files).lastApplied(steps)));
    }

    /** Rolls back, in every schema, the applied tenant migrations from the newest down to {@code version}, included. */
    public TenantReport rollbackTo(Iterator<String> schemas, long total, String version) {
        List<MigrationFile> files = files();
        return run("roll back", schemas, total, null, (migrator, lock, connection, behind) ->
                migrator.rollbackOn(connection, lock, migrator.plan(connection, files).appliedDownTo(version)));
    }

    /**
     * Rolls back, in every schema, the tenant migrations applied there after {@code moment}, newest version first
     * (Liquibase's {@code rollback-to-date}); each schema's own history says when its files were applied.
     */
    public TenantReport rollbackAfter(Iterator<String> schemas, long total, Instant moment) {
        List<MigrationFile> files = files();
        return run("roll back", schemas, total, null, (migrator, lock, connection, behind) ->
                migrator.rollbackOn(connection, lock, migrator.plan(connection, files).appliedAfter(moment)));
    }

    /**
     * Marks every schema's state with {@code tag} ({@link Migrator#tag}): in each, the tenant migration applied last
     * carries it. A schema with nothing applied, or where the tag marks another migration, fails naming it.
     */
    public TenantReport tag(Iterator<String> schemas, long total, String tag) {
        Migrator.requireTagName(tag, "the tenant schemas");
        return run("tag", schemas, total, null, (migrator, lock, connection, behind) -> {
            History.Entry tagged = migrator.tagOn(connection, lock, tag);
            messages.accept("tagged " + tagged.version() + "_" + tagged.name() + " in " + behind.schema() + " as " + tag);
        });
    }

    /**
     * Undoes, in every schema, what was applied there after the tenant migration {@code tag} marks, keeping that one
     * ({@link Migrator#rollbackToTag}); a schema where no migration carries the tag fails naming it.
     */
    public TenantReport rollbackToTag(Iterator<String> schemas, long total, String tag) {
        List<MigrationFile> files = files();
        return run("roll back", schemas, total, null, (migrator, lock, connection, behind) -> migrator.rollbackOn(
                connection, lock, migrator.plan(connection, files).appliedAfter(migrator.taggedAt(connection, tag))));
    }

    /** Rolls back the applied ones among these versions in every schema, newest first (squashing dev migrations). */
    public TenantReport rollbackVersions(Iterator<String> schemas, long total, Set<String> versions) {
        List<MigrationFile> files = files();
        return run("roll back", schemas, total, null, (migrator, lock, connection, behind) ->
                migrator.rollbackOn(connection, lock, migrator.plan(connection, files).undo(versions)));
    }

    /**
     * Makes every schema's history agree with the tenant files ({@link Migrator#repair()}): each line repaired goes to
     * the messages, and the registry learns the new checksums. Nothing is run.
     */
    public TenantReport repair(Iterator<String> schemas, long total) {
        List<MigrationFile> files = files();
        return run("repair", schemas, total, null, (migrator, lock, connection, behind) -> {
            migrator.repairOn(connection, lock, files).forEach(messages);
            registry.sync(connection, behind.schema(), files);
        });
    }

    /**
     * Records in every schema the tenant files up to {@code upTo} (every one when null) as applied without running them
     * ({@link Migrator#baseline}): for tenant schemas that already have their tables. Each file recorded goes to the
     * messages.
     *
     * @throws MigrationException when no tenant file has version {@code upTo}, before any schema is touched
     */
    public TenantReport baseline(Iterator<String> schemas, long total, String upTo) {
        List<MigrationFile> files = files();
        if (upTo != null) {
            MigrationVersions.baselineTo(folder, files, upTo, "the tenant schemas");
        }
        return run("baseline", schemas, total, null, deployed((migrator, lock, connection, behind) -> {
            for (MigrationFile file : migrator.baselineOn(connection, lock, files, upTo)) {
                messages.accept("baselined " + file.fileName() + " in " + behind.schema() + " (not run)");
            }
            registry.sync(connection, behind.schema(), files);
        }));
    }

    /**
     * Checks every schema's history against the tenant files ({@link Migrator#validate()}): a schema with a changed or
     * missing file fails, naming it. Nothing is run or recorded.
     */
    public TenantReport validate(Iterator<String> schemas, long total) {
        return validate(schemas, total, IgnoreMigrationPatterns.DEFAULT);
    }

    /** {@link #validate(Iterator, long)} letting pass the migrations {@code ignored} names. */
    public TenantReport validate(Iterator<String> schemas, long total, IgnoreMigrationPatterns ignored) {
        List<MigrationFile> files = files();
        return run("validate", schemas, total, null, (migrator, lock, connection, behind) -> placeholders.apply(
                MigrationPlan.of(behind.schema(), folder, files, migrator.history().applied(connection))
                        .verify(ignored).pending(),
                Direction.UP, behind.schema(), connection));
    }

    /** The schemas whose registry rows hold one of these versions (the tenants a dev migration reached). */
    public List<String> schemasWith(List<String> versions) {
        try (Connection connection = dataSource.getConnection()) {
            return registry.schemasWith(connection, versions);
        } catch (SQLException e) {
            throw database("read the tenant registry", e);
        }
    }

    /**
     * Which schemas have pending tenant migrations, found with one query per thousand schemas, and
     * which schemas hold a tenant migration history but are not in the list (reported, never touched).
     */
    public TenantStatus status(Iterator<String> schemas) {
        List<MigrationFile> files = files();
        List<String> pending = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        long count = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            registry.ensure(connection);
            while (schemas.hasNext()) {
                List<String> chunk = next(schemas, CHUNK).stream().filter(listed::add).toList();
                count += chunk.size();
                if (!files.isEmpty()) {
                    registry.pending(connection, chunk, files).forEach(behind -> pending.add(behind.schema()));
                }
            }
            String main = History.schemaOf(historyTable, "public");
            List<String> strays = History.schemasWithHistory(connection, table).stream()
                    .filter(s -> !listed.contains(s) && !s.equals("public") && !s.equals(main)).toList();
            return new TenantStatus(count, pending, strays);
        } catch (SQLException e) {
            throw database("read the tenant migration status", e);
        }
    }

    /**
     * The schemas whose history was made before {@code installed_by}, read once for the run, on the lock's connection,
     * by the run's thread before its first schema goes to a worker ({@link #readFirst}), so that no worker waits for
     * it behind the next listing; a run with nothing pending does not read it. A schema migrated from the registry's
     * rows is not read, so its history is given the column from this list before its files run. No connection of its
     * own: a run needs its lock's and its jobs' alone, also where a connection limit counts a session that has just
     * closed.
     */
    private static final class WithoutInstalledBy {
        private final String historyTable;
        private Set<String> schemas;

        WithoutInstalledBy(String historyTable) {
            this.historyTable = historyTable;
        }

        /**
         * Reads the list if it is not read yet. An error (the lock's session lost) is left to the workers: the first
         * schema that asks ({@link #holds}) reads it again and fails with it, as a schema does without this.
         */
        void readFirst(AdvisoryLock lock) {
            try {
                holds(lock, null);
            } catch (SQLException e) {
                // Met again, and reported for its schema, by the first worker that asks.
            }
        }

        synchronized boolean holds(AdvisoryLock lock, String schema) throws SQLException {
            if (schemas == null) {
                schemas = lock.onConnection(connection -> History.schemasWithoutInstalledBy(connection, historyTable));
            }
            return schemas.contains(schema);
        }
    }

    /** The tenant files and the Java migrations, in version order. */
    private List<MigrationFile> files() {
        return FileFilters.noneIn(java.with(folder, placeholders.read(folder)));
    }

    private TenantReport run(String action, Iterator<String> schemas, long total, List<MigrationFile> files,
                             SchemaWork work) {
        return run(action, schemas, total, files, false, null, work);
    }

    /**
     * @param everySchema        whether every schema is visited, not only those with pending files
     * @param withoutInstalledBy read before the first schema goes to a worker, if not null
     */
    private TenantReport run(String action, Iterator<String> schemas, long total, List<MigrationFile> files,
                             boolean everySchema, WithoutInstalledBy withoutInstalledBy, SchemaWork work) {
        long start = System.nanoTime();
        TenantRun run = new TenantRun(total, start, failFast, progress);
        // A migration's registry rows are written in batches after their files commit; a rollback's at once.
        RegistryRows rows = files == null ? null : new RegistryRows(registry, messages);
        Migrator tenants = tenants(rows);
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> new Thread(r, "ashlar-tenant-migrator"));
        try (AdvisoryLock lock = AdvisoryLock.acquire(dataSource, "tenant-migrations", timeouts.migrationLock(), messages)) {
            try {
                // On Citus the check that a schema's history is the registry's cannot share the statement that checks
                // the lock: Citus would run both on the worker that holds the schema. There each history is read first.
                boolean trusted = lock.onConnection(c -> {
                    registry.ensure(c);
                    return !Citus.present(c);
                });
                // The workers' queue holds up to one listing: the next one is read while the workers migrate it.
                Semaphore slots = new Semaphore(CHUNK + jobs);
                Set<String> seen = new HashSet<>();
                int listing = FIRST_LISTING;
                while (schemas.hasNext() && !run.stopped()) {
                    List<String> listed = next(schemas, listing);
                    listing = CHUNK;
                    // A schema listed twice (a template naming two tenants alike, --tenant given twice) runs once: two
                    // jobs on one schema would apply its files at the same time and fail on each other's tables.
                    List<String> chunk = listed.stream().filter(seen::add).toList();
                    run.skip(listed.size() - chunk.size());
                    List<String> valid = valid(chunk, run);
                    List<TenantRegistry.Behind> behind = files == null
                            ? valid.stream().map(schema -> new TenantRegistry.Behind(schema, null)).toList()
                            : pendingUnlessLost(lock, valid, files, run, trusted, everySchema);
                    if (withoutInstalledBy != null && !behind.isEmpty()) {
                        withoutInstalledBy.readFirst(lock);
                    }
                    for (TenantRegistry.Behind schema : behind) {
                        slots.acquire();
                        pool.execute(() -> {
                            try {
                                migrateOne(schema, tenants, lock, work, run, rows);
                            } finally {
                                slots.release();
                            }
                        });
                    }
                }
                pool.shutdown();
                pool.awaitTermination(365, TimeUnit.DAYS);
                if (rows != null) {
                    writeRows(rows, lock, run);
                }
                if (run.lockLost()) {
                    run.notStarted(remaining(schemas));
                    throw run.lockLostError();
                }
            } catch (InterruptedException e) {
                throw interrupted(pool, e);
            }
        } catch (SQLException e) {
            throw database(action + " the tenant schemas", e);
        } finally {
            pool.shutdownNow();
        }
        return run.report();
    }

    /**
     * Ends the workers of a run whose thread was interrupted, while the lock is still held, so that no statement of
     * the run goes on after it returns: each worker's statement is cancelled (a file watches its thread for an
     * interrupt) and its file rolled back. The thread keeps its interrupt.
     *
     * @return the error to throw
     */
    private static AshlarException interrupted(ExecutorService pool, InterruptedException cause) {
        pool.shutdownNow();
        Thread.interrupted();
        boolean ended;
        try {
            ended = pool.awaitTermination(WORKERS_END.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            ended = false;
        }
        Thread.currentThread().interrupt();
        return new AshlarException(ErrorCode.MIGRATION, "The thread running the tenant migration was interrupted: "
                + "the file each schema in progress ran was cancelled and rolled back, recorded nowhere, and the "
                + "schemas migrated before stay migrated. Run again to go on." + (ended ? "" : " Some workers were "
                + "still running after " + WORKERS_END.toSeconds() + " s; their statements were cancelled, and "
                + "their files roll back when they end."), cause);
    }

    /** The schemas of a chunk whose names can be tenants; the others fail with the reason. */
    private static List<String> valid(List<String> chunk, TenantRun run) {
        List<String> valid = new ArrayList<>();
        for (String schema : chunk) {
            String problem = TenantSchemaNames.problem(schema);
            if (problem == null) {
                valid.add(schema);
            } else {
                run.fail(schema, "the schema name '" + schema + "' " + problem);
            }
        }
        return valid;
    }

    /**
     * {@link #pending}, or none when the lock's session, which lists them, has ended: the run then stops, and these
     * schemas are not started.
     */
    private List<TenantRegistry.Behind> pendingUnlessLost(AdvisoryLock lock, List<String> valid,
                                                          List<MigrationFile> files, TenantRun run, boolean trusted,
                                                          boolean everySchema) throws SQLException {
        try {
            return pending(lock, valid, files, run, trusted, everySchema);
        } catch (SQLException e) {
            if (!lock.lost()) {
                throw e;
            }
            run.loseLock(null, null);
            run.notStarted(valid.size());
            return List.of();
        }
    }

    /**
     * Writes the registry rows of the files that committed: on the lock's connection, or on a new one when the lock's
     * session has ended, so that the registry agrees with each schema's history either way.
     */
    private void writeRows(RegistryRows rows, AdvisoryLock lock, TenantRun run) throws SQLException {
        if (!run.lockLost()) {
            lock.onConnection(c -> {
                rows.write(c);
                return null;
            });
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            rows.write(connection);
        } catch (SQLException e) {
            messages.accept("Could not connect to write the rows of the tenant registry: " + e.getMessage() + " (SQL "
                    + "state " + e.getSQLState() + "). The schemas are migrated; the next tenant run reads their "
                    + "histories and writes the rows.");
        }
    }

    /** How many schemas the list still names (counted, not started). */
    private static long remaining(Iterator<String> schemas) {
        long count = 0;
        for (; schemas.hasNext(); schemas.next()) {
            count++;
        }
        return count;
    }

    /** The schemas with pending work among valid names; each with what the registry holds for it when {@code trusted}. */
    private List<TenantRegistry.Behind> pending(AdvisoryLock lock, List<String> valid, List<MigrationFile> files,
                                                TenantRun run, boolean trusted, boolean everySchema)
            throws SQLException {
        if (files.isEmpty() && !everySchema) {
            run.skip(valid.size());
            return List.of();
        }
        List<TenantRegistry.Behind> lacking = lock.onConnection(c -> registry.pending(c, valid, files));
        List<TenantRegistry.Behind> pending = everySchema ? every(valid, lacking) : lacking;
        run.skip(valid.size() - pending.size());
        List<TenantRegistry.Behind> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (TenantRegistry.Behind behind : pending) {
            if (behind.missing()) {
                run.fail(behind.schema(), missing(behind));
                missing.add(behind.schema());
            } else if (behind.lost() > 0) {
                run.fail(behind.schema(), historyElsewhere(behind));
            } else {
                present.add(trusted ? behind : new TenantRegistry.Behind(behind.schema(), null));
            }
        }
        if (!missing.isEmpty()) {
            lock.onConnection(c -> {
                registry.forgetMissing(c, missing);
                return null;
            });
        }
        return present;
    }

    /** Every schema of {@code valid}, in order: those behind as they are, the others planned from their history. */
    private static List<TenantRegistry.Behind> every(List<String> valid, List<TenantRegistry.Behind> behind) {
        Map<String, TenantRegistry.Behind> byName = new HashMap<>();
        behind.forEach(b -> byName.put(b.schema(), b));
        return valid.stream().map(schema -> byName.getOrDefault(schema, new TenantRegistry.Behind(schema, null)))
                .toList();
    }

    /** Why a listed schema that does not exist fails, and how to bring it back. */
    private static String missing(TenantRegistry.Behind behind) {
        return "Cannot migrate tenant schema " + behind.schema() + ": it does not exist"
                + (behind.recorded().isEmpty() ? "" : ", though the tenant registry records " + behind.recorded().size()
                + " tenant migration(s) applied to it (was it dropped by hand?)") + ". Create it (CREATE SCHEMA "
                + Identifiers.quote(behind.schema()) + ") and run again to give it every tenant migration, or remove "
                + "the tenant that names it. Nothing was applied.";
    }

    /**
     * Why a schema whose history is not under the configured name fails: the registry records its files applied, so
     * neither the registry's rows nor an empty history may plan it. The registry does not keep the name the history
     * was written under; the schema's own tables say whether it is still there under another one.
     */
    private String historyElsewhere(TenantRegistry.Behind behind) {
        String schema = Identifiers.quote(behind.schema());
        return "Cannot migrate tenant schema " + behind.schema() + ": it has no history table "
                + Identifiers.qualify(behind.schema(), table) + ", though the tenant registry records "
                + behind.lost() + " of these tenant migration(s) applied to it: its history is under another name "
                + "(the table renamed, or --history-table / historyTable changed since it was migrated). Rename its "
                + "history table to the configured name (ALTER TABLE " + schema + ".<old name> RENAME TO "
                + Identifiers.quote(table) + "), or set the history table back to the name it was migrated "
                + "with. Nothing was applied.";
    }

    /**
     * The migrator a run takes to each schema ({@link Migrator#forSchemaLikeThis}), set up once for the run; the
     * schema it names here is replaced for each.
     */
    private Migrator tenants(RegistryRows rows) {
        Migrator migrator = new Migrator(dataSource, folder).historyTable(historyTable).forSchema("public")
                .timeouts(timeouts).progress(Migrator.NO_PROGRESS).waits(messages).listener(listener)
                .placeholders(placeholders);
        return rows == null ? migrator.recorder(registry) : migrator;
    }

    private void migrateOne(TenantRegistry.Behind behind, Migrator tenants, AdvisoryLock lock, SchemaWork work,
                            TenantRun run, RegistryRows rows) {
        if (run.stopped()) {
            if (run.lockLost()) {
                run.notStarted(1);
            }
            return;
        }
        String schema = behind.schema();
        Migrator migrator = tenants.forSchemaLikeThis(schema);
        if (rows != null) {
            migrator = migrator.onApplied(file -> rows.add(schema, file));
        }
        try (Connection connection = dataSource.getConnection()) {
            // As Migrator's own connection: whatever the pool's default, what runs outside a file's transaction commits.
            connection.setAutoCommit(true);
            String lockWait = timeouts.boundLockWait(connection);
            try {
                work.run(migrator, lock, connection, behind);
            } finally {
                Timeouts.restoreLockWait(connection, lockWait);
            }
            run.succeed();
            if (rows != null) {
                rows.writeIfFull(connection);
            }
        } catch (SQLException | RuntimeException e) {
            LockLostException lost = lockLost(e);
            if (lost != null) {
                run.loseLock(schema, lost.getMessage());
            } else {
                run.fail(schema, failure(schema, e));
            }
        }
    }

    /** The loss of the run's lock behind a schema's failure, if that is what it was. */
    private static LockLostException lockLost(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof LockLostException lost) {
                return lost;
            }
        }
        return null;
    }

    /**
     * A schema's failure as its report shows it: one to connect says why, and that fewer jobs take fewer connections;
     * a privilege or a read-only database, the grant or the setting.
     */
    private String failure(String schema, Exception e) {
        if (!(e instanceof SQLException sql)) {
            return e.getMessage();
        }
        if (DatabaseError.connectionRefusal(sql.getSQLState()) != null) {
            return e.getMessage() + ". " + DatabaseError.connectionRefusal(sql.getSQLState()) + ", or migrate fewer "
                    + "schemas at once (--jobs: each job holds a connection, and the run one more for its lock)";
        }
        String quoted = Identifiers.quote(schema);
        return e.getMessage() + MigrationRefusal.hint(sql, "schema " + quoted, "GRANT USAGE, CREATE ON SCHEMA " + quoted,
                Identifiers.qualify(schema, table) + ", public.ashlar_tenant_migrations and "
                        + AdvisoryLock.TABLE);
    }

    /** Whether the registry's rows and the files just applied make up every file. */
    private static boolean covers(List<String> recorded, List<MigrationFile> applied, List<MigrationFile> files) {
        Set<String> held = new HashSet<>(recorded);
        for (MigrationFile file : applied) {
            held.add(History.line(file));
        }
        for (MigrationFile file : files) {
            if (!held.contains(History.line(file))) {
                return false;
            }
        }
        return true;
    }

    private AshlarException database(String action, SQLException e) {
        return MigrationRefusal.of(action, e, "the tenant schemas and schema \"public\"",
                "GRANT USAGE, CREATE ON SCHEMA each", "public.ashlar_tenant_migrations, " + AdvisoryLock.TABLE
                        + " and each tenant schema's " + table);
    }

    private static List<String> next(Iterator<String> schemas, int size) {
        List<String> chunk = new ArrayList<>(size);
        while (schemas.hasNext() && chunk.size() < size) {
            chunk.add(schemas.next());
        }
        return chunk;
    }

    @FunctionalInterface
    private interface SchemaWork {
        void run(Migrator migrator, AdvisoryLock lock, Connection connection, TenantRegistry.Behind schema)
                throws SQLException;
    }
}
