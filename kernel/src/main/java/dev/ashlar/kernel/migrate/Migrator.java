package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ControlCharacters;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.MigrationListener.Command;
import dev.ashlar.spi.schema.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.Locale;

/**
 * Applies the migration files of a folder to one schema, in version order, each in its own
 * transaction unless the file says {@code transaction:false}, recording each in that schema's
 * history ({@code ashlar_schema_migrations}, or the table {@link #historyTable} names). Holds an
 * advisory lock for the schema so that two migrators never run at once: the second waits, then
 * finds nothing left to do. Plans with {@link MigrationPlan} and runs each file with
 * {@link FileRunner} on one connection. Usable at application start-up:
 *
 * <pre>{@code
 * new Migrator(dataSource, Path.of("migrations")).migrate();
 * }</pre>
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    /**
     * A progress sink ({@link #progress}) that drops every line: a migrator given it does not build the line it would
     * report for each file applied (a tenant run's, once per schema and file).
     */
    public static final Consumer<String> NO_PROGRESS = line -> { };

    private final DataSource dataSource;
    private final Path folder;
    private final List<Path> folders;
    private final FileRunner runner;
    private final Timeouts timeouts;
    private final Consumer<String> progress;
    private final Consumer<MigrationFile> committed;
    private final MigrationListener listener;
    private final Placeholders placeholders;
    private final JavaMigrations java;

    /** A migrator for the main schema: history in {@code public}, SQL run as written. */
    public Migrator(DataSource dataSource, Path folder) {
        this(dataSource, List.of(folder), new FileRunner("public", false).progress(LOG::info).outputQueryResults(true),
                Timeouts.none(), LOG::info,
                file -> { }, null, Placeholders.NONE, JavaMigrations.NONE);
    }

    private Migrator(DataSource dataSource, List<Path> folders, FileRunner runner, Timeouts timeouts,
                     Consumer<String> progress, Consumer<MigrationFile> committed, MigrationListener listener,
                     Placeholders placeholders, JavaMigrations java) {
        this.dataSource = dataSource;
        this.java = java;
        // ${ashlar:table} names the history this migrator records in, whichever of the two was set last.
        this.placeholders = placeholders.historyTable(runner.history().written());
        this.folders = folders;
        this.folder = folders.get(0);
        this.runner = runner.timeouts(timeouts).listener(listener);
        this.listener = listener;
        this.timeouts = timeouts;
        this.progress = progress;
        this.committed = committed;
    }

    /** The history this migrator records in: its schema's, in the table {@link #historyTable} names. */
    public History history() {
        return runner.history();
    }

    /** The schema this migrator migrates: {@code public}, or a tenant's ({@link #forSchema}). */
    public String schema() {
        return runner.schema();
    }

    /**
     * The same migrator for a tenant schema: history there, and unqualified names resolved there. Its Java migrations
     * are given afterwards ({@link #javaMigrations}): those of the main schema are left behind. It prints no query
     * results, whatever this one does: one table per tenant schema would flood the log with tenants' rows.
     */
    public Migrator forSchema(String tenantSchema) {
        Identifiers.quote(tenantSchema);
        return new Migrator(dataSource, folders, new FileRunner(tenantSchema, true)
                .historyTable(runner.history().name()).progress(progress).outputQueryResults(false), timeouts,
                progress, committed, listener, placeholders, JavaMigrations.NONE);
    }

    /**
     * This tenant schema's migrator ({@link #forSchema}) for another tenant schema, with everything it was given since:
     * a tenant run sets one migrator up and takes it to each schema, rather than building each schema's anew.
     *
     * @throws IllegalStateException for the main schema's migrator, which {@link #forSchema} takes to a tenant schema
     */
    public Migrator forSchemaLikeThis(String tenantSchema) {
        if (!runner.searchPath()) {
            throw new IllegalStateException("forSchemaLikeThis takes a tenant schema's migrator (forSchema) to another "
                    + "tenant schema; this one migrates " + runner.schema() + ": call forSchema");
        }
        return new Migrator(dataSource, folders, runner.inSchema(tenantSchema), timeouts, progress, committed, listener,
                placeholders, java);
    }

    /** How long to wait for the migration lock and, in each statement, for a table lock.
     *
     * @param timeout from 1 ms to 2,147,483,647 ms (about 596 hours), or null for no bound
     * @throws MigrationException when the timeout is under 1 ms or over 2,147,483,647 ms
     */
    public Migrator lockTimeout(Duration timeout) {
        return with(runner, timeouts.withLock(timeout), progress);
    }

    /** The bounds of the lock waits and statements, and when a long wait is reported. */
    public Migrator timeouts(Timeouts bounds) {
        return with(runner, bounds, progress);
    }

    /** How often a file that gave up waiting for a table lock is tried again ({@link FileRunner.Retries#DEFAULT}). */
    public Migrator retries(FileRunner.Retries policy) {
        return with(runner.retries(policy), timeouts, progress);
    }

    /**
     * Writes the history rows of the files it applies and baselines on a lent connection ({@link #migrateOn},
     * {@link #baselineOn}) under the run {@code id} ({@link Deployment}): a tenant run gives every schema its one id.
     * The commands that take their own connection ({@link #migrate()}, {@link #baseline}) give each run an id of its
     * own without it.
     */
    public Migrator deployment(String id) {
        return with(runner.deployment(id), timeouts, progress);
    }

    /** Where progress lines go ("applied 2026..._x.sql in 12 ms"); the log by default. */
    public Migrator progress(Consumer<String> sink) {
        return with(runner.progress(sink), timeouts, sink);
    }

    /** Where only the reports of a long wait for a lock go (the tenant runs print no line per file). */
    public Migrator waits(Consumer<String> sink) {
        return with(runner.progress(sink), timeouts, progress);
    }

    /** Also records applied and rolled-back files elsewhere (the tenant registry), in the same transaction. */
    public Migrator recorder(FileRunner.Recorder recorder) {
        return with(runner.recorder(recorder), timeouts, progress);
    }

    /**
     * Told of each file applied, once it is committed (with the transaction that applied it, or alone outside one):
     * the tenant runs write their registry rows for many schemas at once this way. Not told of files applied in a
     * caller's transaction ({@link #applyWithin}), which the caller may still roll back.
     */
    public Migrator onApplied(Consumer<MigrationFile> listener) {
        return new Migrator(dataSource, folders, runner, timeouts, progress, listener, this.listener, placeholders,
                java);
    }

    /**
     * Tells {@code told} before and after each run and each file, up and down ({@link MigrationListener}); null for
     * none. Files a caller applies inside its own transaction ({@link #applyWithin}) are not told.
     */
    public Migrator listener(MigrationListener told) {
        return new Migrator(dataSource, folders, runner, timeouts, progress, committed, told, placeholders, java);
    }

    /** The values of the files' {@code ${name}} placeholders, and whether they are replaced ({@link Placeholders}). */
    public Migrator placeholders(Placeholders values) {
        return new Migrator(dataSource, folders, runner, timeouts, progress, committed, listener, values, java);
    }

    /**
     * Migrations written in Java, applied in version order with the files ({@link JavaMigration}): those whose
     * {@link JavaMigration#scope()} is {@code MAIN} for the main schema's migrator, {@code TENANT} for a tenant
     * schema's ({@link #forSchema}).
     *
     * @throws MigrationException for a migration of the other scope, or one whose version or name is malformed
     */
    public Migrator javaMigrations(List<JavaMigration> migrations) {
        return new Migrator(dataSource, folders, runner, timeouts, progress, committed, listener, placeholders,
                JavaMigrations.of(runner.searchPath() ? Scope.TENANT : Scope.MAIN, migrations));
    }

    /**
     * Also reads the migration files of these folders, merged by version with those of its own folder for every run
     * (Flyway's several {@code locations}); its own folder's callback files are the only ones run. A version found in
     * two folders is refused before anything runs.
     */
    public Migrator extraFolders(List<Path> extra) {
        List<Path> all = new ArrayList<>();
        all.add(folder);
        all.addAll(extra);
        return new Migrator(dataSource, List.copyOf(all), runner, timeouts, progress, committed, listener,
                placeholders, java);
    }

    /**
     * The folders' files and the Java migrations, in version order (repeatable files last).
     *
     * @throws MigrationException when a Java migration has the version of a file or of another Java migration, or
     *                            two folders hold the same version
     */
    private List<MigrationFile> files() {
        InitScripts.refuseIn(folders.subList(1, folders.size()), folder);
        return java.with(folder, placeholders.read(folders));
    }

    /**
     * Keeps the history in the table {@code name} of each schema it migrates (Flyway's {@code table}), instead of
     * {@link History#DEFAULT_TABLE}.
     *
     * @throws MigrationException for a name {@link History#tableName} refuses
     */
    public Migrator historyTable(String name) {
        return with(runner.historyTable(History.tableName(name)), timeouts, progress);
    }

    /**
     * Whether a history kept in a schema of its own ({@link #historyTable} {@code meta.history}) that does not exist
     * yet starts empty beside a table with a history's columns in the migrated schema (another application's, or an
     * old history left there on purpose), rather than refusing it as a history moved by the setting alone. Off by
     * default. Kept whichever of the two is set first.
     */
    public Migrator acceptHistoryLeftBehind(boolean accept) {
        return accept ? with(runner.acceptingHistoryLeftBehind(), timeouts, progress) : this;
    }

    /**
     * Whether the rows a file's statement returns (a {@code SELECT}, an {@code INSERT ... RETURNING}) go to
     * {@link #progress} as a table (Flyway's {@code outputQueryResults}); on unless told.
     */
    public Migrator outputQueryResults(boolean output) {
        return with(runner.outputQueryResults(output), timeouts, progress);
    }

    private Migrator with(FileRunner fileRunner, Timeouts bounds, Consumer<String> sink) {
        return new Migrator(dataSource, folders, fileRunner, bounds, sink, committed, listener, placeholders, java);
    }

    /**
     * Applies every pending file.
     *
     * @return the files applied, in order; empty when everything was already applied
     * @throws MigrationException naming the file and statement that failed; nothing of that file stays applied
     *                            (unless it runs outside a transaction)
     */
    public List<MigrationFile> migrate() {
        return migrateTo(null);
    }

    /**
     * Applies the pending files up to version {@code upTo} (every one when null), e.g. to deploy in steps; the
     * files after it stay pending.
     *
     * @throws MigrationException when no file has version {@code upTo}, or as {@link #migrate()}
     */
    public List<MigrationFile> migrateTo(String upTo) {
        return migrate(MigrateRun.all().upTo(upTo));
    }

    /**
     * Applies the pending files {@code run} chooses: up to a version, the next few, or every one; first, when it asks
     * for a baseline on migrate and the schema holds objects but no history, records the files up to its baseline
     * version as baselined without running them, under the same lock.
     *
     * @return the files applied (not those baselined), in order
     * @throws MigrationException when no file has the version to migrate or baseline to, naming the nearest, or as
     *                            {@link #migrate()}
     */
    public List<MigrationFile> migrate(MigrateRun run) {
        List<MigrationFile> files = files();
        run.requirePicked(folder, files);
        List<MigrationFile> upTo = upTo(files, run.version(folder, files));
        String baseline = run.baselineOnMigrate() ? run.baselineVersion(folder, files) : null;
        // Read, and a bad one refused, before the run's callbacks and its baseline write anything.
        List<MigrationFile> scripts = InitScripts.read(folder, files);
        Migrator migrator = run.skipDefaultCallbacks() ? this : withCallbacks();
        boolean validate = run.validateOnMigrate();
        if (!validate) {
            progress.accept("warning: the applied files of " + runner.schema() + " were not checked against the history "
                    + "(validate on migrate is off): a changed applied file was not checked; 'ashlar validate' checks "
                    + "them");
        }
        if (run.toTag() != null && run.filtered(files)) {
            // Decided before the listener's first callback and the baseline write anything, as a dry run decides it.
            try (Connection connection = dataSource.getConnection()) {
                String baselined = baseline != null && UnmanagedSchema.is(connection, runner.history()) ? baseline
                        : null;
                run.requireTagSelected(files, counted(runner.history().applied(connection).keySet(), files,
                        baselined));
            } catch (SQLException e) {
                throw database("read the migration history of " + runner.schema(), e);
            }
        }
        // Decided before beforeMigrate.sql runs, as a dry run decides it: what the callback makes is not the schema's.
        return migrator.told(Direction.UP, (lock, connection) -> {
            // On the history as it was, as a dry run checks it: a schema baselined now had no versioned history.
            if (run.minVersion() != null) {
                run.requireMinVersion(runner.schema(), runner.history().applied(connection).keySet());
            }
            refuseUnmanaged(connection, run);
            return baseline != null && UnmanagedSchema.is(connection, runner.history());
        }, (lock, connection, unmanaged) -> {
            if (unmanaged) {
                progress.accept(runner.schema() + " holds objects but no migration history: baselining the files up to "
                        + baseline + " (baseline on migrate)");
                migrator.baselineOn(connection, lock, files, baseline);
            }
            MigrationFile init = migrator.initScript(connection, run, scripts, upTo);
            if (init != null) {
                migrator.checkFromInit(connection, run, init, InitScripts.after(init, run.selected(bounded(run, upTo,
                        Set.of()), Set.of())));
                migrator.initOn(connection, lock, init, InitScripts.covered(init, files));
            }
            Set<String> applied = run.fromHistory() || run.filtered(files)
                    ? runner.history().applied(connection).keySet() : Set.of();
            // 'next' runs one version: the script's, when it ran.
            List<MigrationFile> chosen = run.selected(init != null && run.next() ? InitScripts.upTo(init, upTo)
                    : bounded(run, upTo, applied), applied);
            if (run.steps() > 0 || !run.outOfOrder()) {
                MigrationPlan plan = plan(connection, chosen);
                if (!run.outOfOrder()) {
                    plan.verifyToMigrate(validate).refuseOutOfOrder();
                }
                chosen = run.steps() == 0 ? chosen : plan.nextPending(run.steps());
            }
            if (run.skipExecutingMigrations()) {
                // Flyway's skipExecutingMigrations: files applied by hand, recorded as a baseline records them.
                return migrator.baselineOn(connection, lock, chosen, null);
            }
            List<MigrationFile> done = new ArrayList<>(init == null ? List.of() : List.of(init));
            done.addAll(run.group() ? migrator.grouped(connection, lock, chosen, validate)
                    : migrator.migrateOn(connection, lock, chosen, null, validate));
            return done;
        });
    }

    /**
     * Refuses, when the run asks ({@link MigrateRun#refuseNonEmptySchema}), as Flyway refuses a non-empty schema without
     * a schema history table, to migrate a schema that holds objects but no history: its first file would otherwise fail
     * on what is there, or worse, run beside it. A run that baselines on migrate, or records its files without running
     * them, is for such a schema.
     */
    private void refuseUnmanaged(Connection connection, MigrateRun run) throws SQLException {
        if (!run.refuseNonEmptySchema() || run.baselineOnMigrate() || run.skipExecutingMigrations()) {
            return;
        }
        List<String> found = UnmanagedSchema.found(connection, runner.history());
        if (!found.isEmpty()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot migrate " + runner.schema() + ": it holds "
                    + String.join(", ", found) + ", but no migration history (" + runner.history().name() + " is "
                    + "missing or empty), so it was made by another tool or by hand and its files would meet what is "
                    + "there. Record the files it already has as applied without running them: 'ashlar baseline --to "
                    + "VERSION', or migrate with --baseline-on-migrate=VERSION (MigrateRun.baselineOnMigrate), which "
                    + "does so first and applies the rest. If the files are written to run over what is there, "
                    + "--baseline-on-migrate=" + MigrationVersions.BEFORE_EVERY_FILE + " records none and runs them "
                    + "all. Nothing was applied.", null);
        }
    }

    /**
     * The init script ({@link InitScripts}) a run uses: the newest one at or before the newest version it would apply,
     * when the schema's history is empty and the schema holds nothing (one made by hand is baselined or migrated file
     * by file); null otherwise, and for runs that choose files one by one (steps, cherry-pick, skip executing).
     */
    private MigrationFile initScript(Connection connection, MigrateRun run, List<MigrationFile> scripts,
                                     List<MigrationFile> upTo) throws SQLException {
        if (run.steps() > 0 || !run.cherryPick().isEmpty() || run.skipExecutingMigrations()) {
            return null;
        }
        // A file outside a transaction standing part way is resumed, never run over by a script.
        if (scripts.isEmpty() || !runner.history().applied(connection).isEmpty()
                || !new MigrationProgress(runner.history()).read(connection).isEmpty()
                || UnmanagedSchema.is(connection, runner.history())) {
            return null;
        }
        String target = bounded(run, upTo, Set.of()).stream().filter(f -> !f.repeatable())
                .map(MigrationFile::version).max(String::compareTo).orElse(null);
        return InitScripts.reaching(scripts, target);
    }

    /**
     * Refuses, before an init script runs, the run that would then refuse it or a later file (a statement that cannot
     * run as it should, a newer server needed, a file outside a transaction in a group), as a run checks every file
     * before the first runs: otherwise the script would stay committed behind a refused run.
     */
    private void checkFromInit(Connection connection, MigrateRun run, MigrationFile init, List<MigrationFile> later)
            throws SQLException {
        List<MigrationFile> all = new ArrayList<>(List.of(init));
        all.addAll(later);
        MigrationPlan plan = MigrationPlan.of(runner.schema(), folder, all, Map.of());
        if (plan.requiredServer() > 0) {
            plan.checkServer(connection.getMetaData().getDatabaseMajorVersion());
        }
        if (run.group()) {
            refuseUngroupable(later);
        }
        boolean backslashes = SqlStatements.backslashesIn(connection);
        List<MigrationFile> replaced = replaced(connection, all, Direction.UP);
        for (int i = 0; i < replaced.size(); i++) {
            MigrationFile file = replaced.get(i);
            // The script runs in the transaction that records what it stands for; the files of a group in the group's.
            runner.check(file, Direction.UP, i == 0 || run.group() ? TransactionMode.CALLER : TransactionMode.of(file),
                    backslashes);
        }
    }

    /**
     * Runs an init script in one transaction with the rows that record the files it stands for as baselined, so that
     * a run that dies leaves both or neither; the later files then run as usual.
     */
    private void initOn(Connection connection, AdvisoryLock lock, MigrationFile script, List<MigrationFile> covered)
            throws SQLException {
        History history = runner.history();
        // Planned first, as a baseline is: the history is made, and a table of that name not Ashlar's refused.
        plan(connection, covered);
        history.allowBaselines(connection);
        history.addTags(connection, covered);
        MigrationFile replaced = replaced(connection, List.of(script), Direction.UP).get(0);
        connection.setAutoCommit(false);
        long millis;
        try {
            millis = runner.lock(lock).run(connection, replaced, Direction.UP, TransactionMode.CALLER);
            history.recordCovered(connection, covered);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            Cleanup.run(e, connection::rollback);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        progress.accept("ran the init script " + InitScripts.FOLDER + "/" + script.fileName() + " on "
                + runner.schema() + " in " + millis + " ms instead of the " + covered.size() + " file(s) up to "
                + script.version() + ", recorded as baselined");
    }

    /**
     * Applies the pending ones of these files in one transaction ({@code migrate --group}, Flyway's {@code group}),
     * with their history rows and the run's lock and statement timeouts: all of them, or, when one fails, none, the
     * files before it rolled back with it. A pending {@code transaction:false} file is refused before anything runs.
     */
    private List<MigrationFile> grouped(Connection connection, AdvisoryLock lock, List<MigrationFile> files,
                                        boolean validate) throws SQLException {
        List<MigrationFile> pending = plan(connection, files).verifyToMigrate(validate).pending();
        refuseUngroupable(pending);
        // Before the group's transaction: a history made before tags gets its column with a bounded wait of its own.
        runner.history().addTags(connection, pending);
        connection.setAutoCommit(false);
        List<MigrationFile> done;
        try {
            // The files run in the caller's mode, which sets no bounds of its own: the group's transaction has them.
            // The session's own timeouts are recorded first: a migration's session SET is given back to them.
            try (PreparedStatement bounds = connection.prepareStatement("SELECT "
                    + SessionSettings.recordSql("lock_timeout") + ", " + SessionSettings.recordSql("statement_timeout")
                    + ", set_config('lock_timeout', "
                    + "coalesce(?, current_setting('lock_timeout')), true), set_config('statement_timeout', "
                    + "coalesce(?, current_setting('statement_timeout')), true)")) {
                bounds.setString(1, timeouts.lock() == null ? null : Timeouts.millis(timeouts.lock()));
                bounds.setString(2, timeouts.statement() == null ? null : Timeouts.millis(timeouts.statement()));
                bounds.execute();
            }
            done = migrateOn(connection, lock, files, TransactionMode.CALLER, validate);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            Cleanup.run(e, connection::rollback);
            if (e instanceof MigrationException failed) {
                throw new MigrationException(failed.code(), failed.getMessage() + "\nThe run applied its files in one "
                        + "transaction (group), which was rolled back: none of them stays applied on "
                        + runner.schema() + ".", failed.file().orElse(null), failed.statement().orElse(null),
                        failed.sqlState().orElse(null), failed);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        for (MigrationFile file : done) {
            progress.accept("applied " + file.fileName() + " to " + runner.schema() + " in the group's transaction");
            committed.accept(file);
        }
        return done;
    }

    /** Refuses a run in one transaction when a pending file runs outside one, naming the file and the way out. */
    private void refuseUngroupable(List<MigrationFile> pending) {
        for (MigrationFile file : pending) {
            if (TransactionMode.of(file) == TransactionMode.NONE) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + " on "
                        + runner.schema() + " runs outside a transaction (transaction:false), so it cannot be applied "
                        + "in one transaction with the other pending files (group). Migrate without the group option, "
                        + "or apply the files before it with '--to', then this one alone. Nothing was applied.",
                        file.fileName());
            }
        }
    }

    /** This migrator with the folder's callback files told before its own listener ({@link SqlCallbacks}). */
    private Migrator withCallbacks() {
        Map<String, MigrationFile> callbacks = MigrationDirectory.callbacks(folder);
        if (callbacks.isEmpty()) {
            return this;
        }
        List<MigrationListener> told = new ArrayList<>();
        told.add(new SqlCallbacks(callbacks, runner, placeholders, TransactionMode.OWN));
        if (listener != null) {
            told.add(listener);
        }
        return listener(MigrationListener.all(told));
    }

    /**
     * The files up to a version (all when null, and for {@code current}, which only the history resolves: see
     * {@link #current}), and the repeatable ones, which run after them.
     */
    private List<MigrationFile> upTo(List<MigrationFile> files, String version) {
        if (version == null || version.equals(MigrateRun.CURRENT) || version.equals(MigrateRun.NEXT)) {
            return files;
        }
        MigrationVersions.require(folder, files.stream().filter(f -> !f.repeatable()).toList(), version);
        return files.stream().filter(f -> f.repeatable() || f.version().compareTo(version) <= 0).toList();
    }

    /**
     * The files up to the newest version the history holds ({@code --to current}, Flyway's target {@code current}),
     * a late file among them, and the repeatable ones: no version after what the schema already has. With no history,
     * the repeatable files alone.
     */
    private static List<MigrationFile> current(List<MigrationFile> files, Set<String> applied) {
        String newest = applied.stream().filter(v -> !MigrationFile.repeatable(v)).max(String::compareTo).orElse("");
        return files.stream().filter(f -> f.repeatable() || f.version().compareTo(newest) <= 0).toList();
    }

    /**
     * The files up to the oldest pending version ({@code --to next}, Flyway's target {@code next}), a late one when
     * there is one, and the repeatable ones: that version alone runs. With nothing pending, every file.
     */
    private static List<MigrationFile> next(List<MigrationFile> files, Set<String> applied) {
        Optional<String> oldest = files.stream().filter(f -> !f.repeatable() && !applied.contains(f.version()))
                .map(MigrationFile::version).min(String::compareTo);
        // Nothing pending: every file stays, so that the applied ones are not taken for missing.
        return oldest.isEmpty() ? files : files.stream().filter(f -> f.repeatable()
                || f.version().compareTo(oldest.get()) <= 0).toList();
    }

    /**
     * The files up to the run's bound, resolved from the history for {@code current} and {@code next}; {@code next}
     * is the oldest pending version among the files the run's contexts and labels select.
     */
    private static List<MigrationFile> bounded(MigrateRun run, List<MigrationFile> files, Set<String> applied) {
        return run.current() ? current(files, applied) : run.next() ? next(run.selected(files, applied), applied)
                : files;
    }

    /**
     * Applies the pending ones of these files on a connection the caller lends, while the caller holds
     * {@code lock} (null: the caller protects the schema another way). Each file runs in the mode it
     * asks for, or all in {@code mode} when one is given.
     *
     * @return the files applied
     */
    public List<MigrationFile> migrateOn(Connection connection, AdvisoryLock lock, List<MigrationFile> files,
                                         TransactionMode mode) throws SQLException {
        return migrateOn(connection, lock, files, mode, true);
    }

    /** {@link #migrateOn(Connection, AdvisoryLock, List, TransactionMode)}; changed applied files refused if {@code validate}. */
    private List<MigrationFile> migrateOn(Connection connection, AdvisoryLock lock, List<MigrationFile> files,
                                          TransactionMode mode, boolean validate) throws SQLException {
        MigrationPlan plan = plan(connection, files).verifyToMigrate(validate);
        if (plan.requiredServer() > 0) {
            plan.checkServer(connection.getMetaData().getDatabaseMajorVersion());
        }
        FileRunner locked = runner.lock(lock);
        // Every file is checked before the first runs: a later one refused would leave the earlier ones applied.
        List<MigrationFile> pending = replaced(connection, plan.pending(), Direction.UP);
        boolean backslashes = SqlStatements.backslashesIn(connection);
        for (MigrationFile file : pending) {
            locked.check(file, Direction.UP, mode == null ? TransactionMode.of(file) : mode, backslashes);
        }
        Map<String, Integer> resumed = resumePoints(connection, pending, mode);
        tagsFree(connection, pending);
        List<MigrationFile> done = new ArrayList<>();
        for (MigrationFile file : pending) {
            Precondition precondition = file.filters().precondition();
            if (precondition != null && !precondition.holds(connection, file, runner.schema())
                    && !unmet(connection, lock, file, precondition, mode)) {
                continue;
            }
            int from = resumed.getOrDefault(file.version(), 0);
            if (from > 0) {
                report("resuming " + file.fileName() + " on " + runner.schema() + " at statement " + (from + 1)
                        + ": an earlier run stopped there, and the statements before it stay applied", mode);
            }
            long millis;
            try {
                millis = locked.run(connection, file, Direction.UP, mode == null ? TransactionMode.of(file) : mode,
                        from);
            } catch (MigrationException e) {
                if (file.filters().failOnError() || mode == TransactionMode.CALLER || !refusedStatement(e)) {
                    throw e;
                }
                // Liquibase's failOnError=false: the file was rolled back, is not recorded, and runs again next time.
                report("warning: " + file.fileName() + " failed on " + runner.schema() + " and was rolled back; it "
                        + "stays pending and the run goes on (fail-on-error: false):\n  " + e.getMessage()
                        .replace("\n", "\n  "), mode);
                continue;
            }
            if (reports(mode)) {
                progress.accept("applied " + file.fileName() + " to " + runner.schema() + " in " + millis + " ms");
            }
            if (file.filters().tag() != null) {
                report("tagged " + file.fileName() + " on " + runner.schema() + " as " + file.filters().tag(), mode);
            }
            if (mode != TransactionMode.CALLER) {
                committed.accept(file);
            }
            done.add(file);
        }
        return done;
    }

    /**
     * Whether {@code e} is the server refusing one of the file's statements, the only failure a file's
     * {@code -- fail-on-error: false} header lets the run go past: not a lost lock, nor a connection that broke or a
     * session that was ended (class 08, 57P01-57P03), after which whether the file committed is unknown.
     */
    private static boolean refusedStatement(MigrationException e) {
        String state = e.sqlState().orElse("08");
        return !(e instanceof LockLostException) && e.statement().isPresent() && !state.startsWith("08")
                && !state.matches("57P0[123]");
    }

    /**
     * Refuses, before any file runs, a pending file whose {@code -- tag:} header names a tag that the history already
     * gives another migration: the tag could not mark both (two files with one tag are refused as the folder is read,
     * {@link MigrationDirectory}). A history made before tags gets its column here, once, before the first file runs.
     */
    private void tagsFree(Connection connection, List<MigrationFile> pending) throws SQLException {
        if (pending.stream().allMatch(file -> file.filters().tag() == null)) {
            return;
        }
        History history = runner.history();
        Map<String, String> tags = history.tags(connection);
        for (MigrationFile file : pending) {
            String tag = file.filters().tag();
            String marked = tag == null ? null : tags.get(tag);
            if (marked != null && !marked.equals(file.version())) {
                throw new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + " has the header "
                        + "'-- tag: " + tag + "', but that tag already marks " + marked + " on " + runner.schema()
                        + ". Give the file another tag. Nothing was applied.", file.fileName());
            }
        }
        history.addTags(connection, pending);
    }

    /**
     * What a run does with a file whose precondition does not hold, as its {@code -- on-fail:} header says: stops
     * (halt), leaves it pending (skip), records it as baselined without running it (mark-ran) or warns (warn).
     *
     * @return whether the file runs all the same (warn)
     */
    private boolean unmet(Connection connection, AdvisoryLock lock, MigrationFile file, Precondition precondition,
                          TransactionMode mode) throws SQLException {
        String why = "its precondition '" + precondition.query() + "' does not hold";
        switch (precondition.onFail()) {
            case HALT -> throw new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + " on "
                    + runner.schema() + " stopped the run: " + why + " (on-fail: halt, the default). Make it hold, or "
                    + "give the file '-- on-fail: skip' to leave it pending, '-- on-fail: mark-ran' to record it "
                    + "without running it or '-- on-fail: warn' to run it with a warning. Nothing of it was applied; the files before it stay applied.",
                    file.fileName());
            case SKIP -> report("skipped " + file.fileName() + " on " + runner.schema() + ": " + why + "; it stays "
                    + "pending, and the next migrate checks it again", mode);
            case MARK_RAN -> {
                History history = runner.history();
                history.allowBaselines(connection);
                history.baseline(connection, file, lock.holder());
                report("marked " + file.fileName() + " on " + runner.schema() + " as applied without running it: "
                        + why, mode);
            }
            case WARN -> {
                report("warning: " + file.fileName() + "'s precondition '" + precondition.query() + "' does not hold on "
                        + runner.schema() + "; it runs all the same (on-fail: warn)", mode);
                return true;
            }
        }
        return false;
    }

    /**
     * Where each pending {@code transaction:false} file that an earlier run left part way goes on (statements done, by
     * version), read only when such a file is pending; refuses, before anything runs, one that failed and was not
     * repaired, or that changed since it stopped ({@link MigrationProgress}).
     */
    private Map<String, Integer> resumePoints(Connection connection, List<MigrationFile> pending, TransactionMode mode)
            throws SQLException {
        if (mode != null || pending.stream().noneMatch(f -> TransactionMode.of(f) == TransactionMode.NONE)) {
            return Map.of();
        }
        Map<String, MigrationProgress.Mark> marks = new MigrationProgress(runner.history()).read(connection);
        Map<String, Integer> points = new HashMap<>();
        for (MigrationFile file : pending) {
            MigrationProgress.Mark mark = marks.get(file.version());
            if (mark == null || mark.done() == 0 || TransactionMode.of(file) != TransactionMode.NONE) {
                continue;
            }
            MigrationProgress.Verdict verdict = mark.verdict(file, upStatements(connection, file, false));
            if (verdict != MigrationProgress.Verdict.RESUME) {
                throw stopped(file, mark);
            }
            points.put(file.version(), mark.done());
        }
        return points;
    }

    /**
     * The statements of a file's up section as a run outside a transaction runs them, its placeholders replaced when
     * {@code replace} (a file read for the status; a pending file of a run has them already); empty when it cannot be
     * read so (a placeholder without a value), which no mark matches.
     */
    private List<String> upStatements(Connection connection, MigrationFile file, boolean replace) throws SQLException {
        try {
            MigrationFile read = replace ? replaced(connection, List.of(file), Direction.UP).get(0) : file;
            return SectionStatements.checked(runner.schema(), read, Direction.UP, TransactionMode.NONE,
                    SqlStatements.backslashesIn(connection)).statements();
        } catch (MigrationException e) {
            return List.of();
        }
    }

    /**
     * The refusal of a file that an earlier run left part way and whose statements before that point changed since, so
     * that where to go on is unknown: what is kept, the fixes.
     */
    private MigrationException stopped(MigrationFile file, MigrationProgress.Mark mark) {
        String tenant = runner.searchPath() ? " --tenant " + runner.schema() : "";
        String how = "stopped at " + mark.reached() + " in an earlier run" + (mark.error() == null ? "" : " ("
                + mark.error() + ")") + ", and the statements before it changed since, so where to go on is unknown. "
                + "Restore the text it ran with (a fix after them is kept), and migrate resumes it there; or undo what "
                + "those statements did, or make them safe to run again (IF NOT EXISTS), then run 'ashlar repair"
                + tenant + "', after which migrate runs it from its first statement";
        return new MigrationException(ErrorCode.MIGRATION, "Migration " + file.fileName() + " on " + runner.schema()
                + " " + how + "; or, if the database already has all of it, record it without running it with "
                + "'ashlar baseline" + tenant + " --to " + file.version() + "'. It runs outside a transaction, so "
                + mark.kept() + ", and migrate does not run them again. Nothing was applied.", file.fileName());
    }

    /**
     * The statuses with the pending {@code transaction:false} files that an earlier run left part way shown as
     * {@link MigrationStatus.State#PARTIAL} (the next migrate resumes them) or {@link MigrationStatus.State#FAILED}
     * (its statements before that point changed: it refuses them until a repair), with where they stopped.
     */
    private List<MigrationStatus> withProgress(Connection connection, List<MigrationFile> files,
                                               List<MigrationStatus> statuses) throws SQLException {
        if (files.stream().noneMatch(f -> TransactionMode.of(f) == TransactionMode.NONE)) {
            return statuses;
        }
        Map<String, MigrationProgress.Mark> marks = new MigrationProgress(runner.history()).read(connection);
        if (marks.isEmpty()) {
            return statuses;
        }
        List<MigrationStatus> shown = new ArrayList<>();
        for (MigrationStatus status : statuses) {
            MigrationProgress.Mark mark = marks.get(status.version());
            MigrationFile file = files.stream().filter(f -> f.version().equals(status.version())).findFirst()
                    .orElse(null);
            if (mark == null || mark.done() == 0 || file == null || status.state() != MigrationStatus.State.PENDING) {
                shown.add(status);
                continue;
            }
            MigrationProgress.Verdict verdict = mark.verdict(file, upStatements(connection, file, true));
            boolean resumes = verdict == MigrationProgress.Verdict.RESUME;
            String detail = (mark.error() == null ? "stopped at " : "failed at ") + mark.reached() + ", "
                    + mark.kept() + (mark.error() == null ? "" : ": " + mark.error())
                    + (verdict == MigrationProgress.Verdict.REWRITTEN ? "; the statements before it changed since, "
                    + "and 'ashlar repair' lets migrate run it from its first statement"
                    : mark.error() == null ? "; migrate resumes it there"
                    : "; migrate resumes it at that statement, which fails again until its cause is fixed");
            shown.add(new MigrationStatus(status.version(), status.name(), resumes ? MigrationStatus.State.PARTIAL
                    : MigrationStatus.State.FAILED, null, null, detail));
        }
        return shown;
    }

    /**
     * Applies the pending ones of these files like {@link #migrateOn}, without reading the schema's history first:
     * the caller says what it holds ({@code expected}, as {@link History#lines}, e.g. from the tenant registry). Each
     * file's history row is written only if the history is exactly that, with the files of this call applied before
     * it; the check is in the statement that writes the row, inside the file's transaction. When the history is not
     * what was expected, or a file fails, the history is read: a schema whose history differs is rolled back and
     * migrated from its real history with {@link #migrateOn}; a file that failed on the expected history fails as
     * it would there. Files outside a transaction, pending files older than an expected one, and an empty or unknown
     * history go to {@link #migrateOn} at once.
     *
     * @return the files applied
     */
    public List<MigrationFile> migrateExpecting(Connection connection, AdvisoryLock lock, List<MigrationFile> files,
                                                List<String> expected) throws SQLException {
        // Loops, not streams: this runs once for every schema of a tenant run, where a stream's shared code, profiled
        // with other callers' lambdas, keeps sending the compiled path back to the compiler.
        Set<String> applied = new HashSet<>(expected);
        String newest = "";
        for (String line : expected) {
            String version = line.substring(0, line.indexOf(' '));
            newest = version.compareTo(newest) > 0 && !MigrationFile.repeatable(version) ? version : newest;
        }
        int known = 0;
        boolean direct = !expected.isEmpty();
        List<MigrationFile> unapplied = new ArrayList<>();
        for (MigrationFile file : files) {
            if (applied.contains(History.line(file))) {
                known++;
            } else {
                unapplied.add(file);
                direct &= TransactionMode.of(file) == TransactionMode.OWN && file.version().compareTo(newest) > 0;
            }
        }
        // Only pending files newer than every expected one: a registry that lacks older rows would run them again.
        if (!direct || known != applied.size()) {
            return migrateOn(connection, lock, files, null);
        }
        List<MigrationFile> pending = replaced(connection, unapplied, Direction.UP);
        // A plan (copies of the files) only for a file that needs a server version: not made for every schema.
        for (MigrationFile file : pending) {
            if (file.requires() > 0) {
                new MigrationPlan(runner.schema(), folder, files, List.of(), pending, Map.of())
                        .checkServer(connection.getMetaData().getDatabaseMajorVersion());
                break;
            }
        }
        boolean backslashes = SqlStatements.backslashesIn(connection);
        for (MigrationFile file : pending) {
            runner.check(file, Direction.UP, TransactionMode.OWN, backslashes);
        }
        List<String> history = new ArrayList<>(expected);
        history.sort(null);
        List<MigrationFile> done = new ArrayList<>();
        for (MigrationFile file : pending) {
            long millis;
            try {
                millis = runner.lock(lock).expecting(List.copyOf(history)).run(connection, file, Direction.UP,
                        TransactionMode.OWN);
            } catch (SQLException | RuntimeException e) {
                List<String> actual = actualHistory(connection, e);
                if (actual == null || actual.equals(history) || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                try {
                    done.addAll(migrateOn(connection, lock, files, null));
                } catch (SQLException | RuntimeException again) {
                    again.addSuppressed(e);
                    throw again;
                }
                return done;
            }
            if (reports(null)) {
                progress.accept("applied " + file.fileName() + " to " + runner.schema() + " in " + millis + " ms");
            }
            committed.accept(file);
            done.add(file);
            history.add(History.line(file));
            history.sort(null);
        }
        return done;
    }

    /**
     * Applies every file to this migrator's schema on a connection the caller holds inside its own
     * transaction, e.g. while creating a tenant, so that the schema exists whole or not at all
     * ({@link TransactionMode#CALLER}).
     */
    public List<MigrationFile> applyWithin(Connection connection) throws SQLException {
        return migrateOn(connection, null, files(), TransactionMode.CALLER);
    }

    /**
     * The schema's history as {@link History#lines}, read after {@code failure}; null if that fails, unreadable or
     * locked, its failure then suppressed in {@code failure}, which stays the one reported (it names the file and its
     * statement). Only when the file itself failed waiting for a lock, most likely the history's as it recorded the
     * file, is the locked history reported instead, {@code failure} suppressed in it: it names who holds the lock.
     */
    private List<String> actualHistory(Connection connection, Exception failure) {
        try {
            return History.lines(runner.history().applied(connection));
        } catch (MigrationException locked) {
            if ("55P03".equals(locked.sqlState().orElse(null)) && "55P03".equals(sqlState(failure))) {
                locked.addSuppressed(failure);
                throw locked;
            }
            failure.addSuppressed(locked);
            return null;
        } catch (SQLException read) {
            failure.addSuppressed(read);
            return null;
        }
    }

    private static String sqlState(Exception failure) {
        return failure instanceof SQLException sql ? sql.getSQLState()
                : failure instanceof AshlarException ashlar ? ashlar.sqlState().orElse(null) : null;
    }

    /** Undoes the last {@code steps} applied files with their down sections, newest first. */
    public List<MigrationFile> rollback(int steps) {
        List<MigrationFile> files = files();
        return told(Direction.DOWN, (lock, connection) ->
                rollbackOn(connection, lock, plan(connection, files).lastApplied(steps)));
    }

    /** Undoes the applied files from the newest down to {@code version}, that one included, newest first. */
    public List<MigrationFile> rollbackTo(String version) {
        List<MigrationFile> files = files();
        return told(Direction.DOWN, (lock, connection) ->
                rollbackOn(connection, lock, plan(connection, files).appliedDownTo(version)));
    }

    /**
     * Undoes the files applied after {@code moment}, newest version first (Liquibase's {@code rollback-to-date}); a
     * file applied at that very moment or before stays.
     */
    public List<MigrationFile> rollbackAfter(Instant moment) {
        List<MigrationFile> files = files();
        return told(Direction.DOWN, (lock, connection) ->
                rollbackOn(connection, lock, plan(connection, files).appliedAfter(moment)));
    }

    /**
     * Undoes the migrations one run applied ({@link Deployment}, Liquibase's {@code rollback-one-update}), newest
     * version first; see {@link MigrationPlan#deployment}.
     *
     * @throws MigrationException when no applied migration carries the id, a later run applied migrations after it,
     *                            or one of them has no down section; nothing is rolled back then
     */
    public List<MigrationFile> rollbackDeployment(String id) {
        String deployment = Deployment.requireId(id);
        List<MigrationFile> files = files();
        return told(Direction.DOWN, (lock, connection) ->
                rollbackOn(connection, lock, plan(connection, files).deployment(deployment)));
    }

    /**
     * Undoes what was applied after the migration {@code tag} marks ({@link #tag}), newest version first, keeping that
     * one (Liquibase's {@code rollback} to a tag): the files applied after it, a late one older than it included.
     *
     * @throws MigrationException when no applied migration carries the tag, naming those that do
     */
    public List<MigrationFile> rollbackToTag(String tag) {
        List<MigrationFile> files = files();
        return told(Direction.DOWN, (lock, connection) ->
                rollbackOn(connection, lock, plan(connection, files).appliedAfter(taggedAt(connection, tag))));
    }

    /**
     * Marks the schema's state with {@code tag}, as Liquibase's {@code tag} does: the versioned migration applied last
     * carries it, and {@link #rollbackToTag} comes back to that state. A migration may carry several tags; the tag
     * goes when its migration is rolled back.
     *
     * @return the history row tagged
     * @throws MigrationException when the name is blank, nothing is applied, or the tag marks another migration
     */
    public History.Entry tag(String tag) {
        requireTagName(tag, runner.schema());
        return locked("tag", (lock, connection) -> tagOn(connection, lock, tag));
    }

    /**
     * Refuses a blank tag, and one holding a control character or spaces around it, before any schema is touched: a
     * newline or terminal escape kept in the history would reach every terminal that shows it, and {@code " r1"}
     * could never be found by {@code rollback --to-tag r1}.
     *
     * @param where what would be tagged, for the message
     */
    public static void requireTagName(String tag, String where) {
        if (tag == null || tag.isBlank()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot tag " + where + ": a tag needs a name, such as "
                    + "the release being deployed (ashlar tag release-1.4). Nothing was tagged.", null);
        }
        String shown = ControlCharacters.escape(tag);
        if (!tag.equals(shown) || !tag.equals(tag.strip())) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot tag " + where + " as " + shown + ": a tag is "
                    + "written on one line, without control characters or spaces around it, so that 'rollback "
                    + "--to-tag' finds it as typed (e.g. release-1.4). Nothing was tagged.", null);
        }
    }

    /** {@link #tag} on a connection the caller lends while holding {@code lock} (a tenant run's). */
    public History.Entry tagOn(Connection connection, AdvisoryLock lock, String tag) throws SQLException {
        History history = runner.history();
        History.Entry last = history.applied(connection).values().stream()
                .filter(entry -> !MigrationFile.repeatable(entry.version()))
                .max(Comparator.comparing(History.Entry::appliedAt)
                        .thenComparing(History.Entry::version))
                .orElseThrow(() -> new MigrationException(ErrorCode.MIGRATION, "Cannot tag " + runner.schema()
                        + " as " + tag + ": no migration is applied there, so there is no state to mark. To come "
                        + "back to this empty state later, roll back to the oldest version ('rollback --to VERSION' "
                        + "undoes that one too). Nothing was tagged.", null));
        String marked = history.tags(connection).get(tag);
        if (marked == null) {
            history.tag(connection, last.version(), tag, lock.holder());
        } else if (!marked.equals(last.version())) {
            History.Entry other = history.applied(connection).get(marked);
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot tag " + runner.schema() + " as " + tag
                    + ": that tag already marks " + other.version() + "_" + other.name() + ". Choose another name; "
                    + "nothing was tagged.", null);
        }
        return last;
    }

    /** The tags of the schema with the version each marks, in the order those were applied ({@link #tag}). */
    public Map<String, String> tags() {
        try (Connection connection = dataSource.getConnection()) {
            return runner.history().tags(connection);
        } catch (SQLException e) {
            throw database("read the tags of " + runner.schema(), e);
        }
    }

    /** When the migration {@code tag} marks was applied. */
    public Instant taggedAt(Connection connection, String tag) throws SQLException {
        History history = runner.history();
        Map<String, String> tags = history.tags(connection);
        if (tag == null || tag.isBlank()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back to a tag: the tag given is empty (an "
                    + "unset variable?). Give the name of one (" + (tags.isEmpty() ? "none was given: 'ashlar tag "
                    + "NAME' marks the migration applied last" : "the tags are " + String.join(", ", tags.keySet()))
                    + "). Nothing was rolled back.", null);
        }
        String version = tags.get(tag);
        if (version == null) {
            throw new MigrationException(ErrorCode.MIGRATION, "Cannot roll back to the tag " + tag + ": no applied "
                    + "migration of " + runner.schema() + " carries it (" + (tags.isEmpty() ? "no tag was given: "
                    + "'ashlar tag NAME' marks the migration applied last" : "the tags are "
                    + String.join(", ", tags.keySet())) + "). Nothing was rolled back.", null);
        }
        return history.applied(connection).get(version).appliedAt();
    }

    /** Undoes the applied files among these versions, newest first (used to squash dev migrations). */
    public List<MigrationFile> rollbackVersions(Set<String> versions) {
        List<MigrationFile> files = files();
        return told(Direction.DOWN, (lock, connection) ->
                rollbackOn(connection, lock, plan(connection, files).undo(versions)));
    }

    /** Undoes these applied files, in this order, on a connection the caller lends while holding {@code lock}. */
    public List<MigrationFile> rollbackOn(Connection connection, AdvisoryLock lock, List<MigrationFile> files)
            throws SQLException {
        List<MigrationFile> undo = replaced(connection, files, Direction.DOWN);
        FileRunner locked = runner.lock(lock);
        boolean backslashes = SqlStatements.backslashesIn(connection);
        for (MigrationFile file : undo) {
            locked.check(file, Direction.DOWN, TransactionMode.of(file, Direction.DOWN), backslashes);
        }
        List<MigrationFile> done = new ArrayList<>();
        for (MigrationFile file : undo) {
            long millis;
            try {
                millis = locked.run(connection, file, Direction.DOWN, TransactionMode.of(file, Direction.DOWN));
            } catch (MigrationException e) {
                throw done.isEmpty() ? e : partlyRolledBack(e, done, undo.get(undo.size() - 1));
            }
            done.add(file);
            report("rolled back " + file.fileName() + " in " + runner.schema() + " in " + millis + " ms", null);
        }
        return undo;
    }

    /**
     * A rollback that failed after undoing some of its files: rolled back by the same count again, it would undo as
     * many more, so the message names what is undone and the version to roll back to instead.
     */
    private MigrationException partlyRolledBack(MigrationException failure, List<MigrationFile> done,
                                                MigrationFile oldest) {
        return new MigrationException(failure.code(), failure.getMessage() + "\nThis rollback had already undone "
                + String.join(", ", done.stream().map(MigrationFile::fileName).toList()) + " on " + runner.schema()
                + ", no longer recorded as applied. To undo the rest, roll back to version " + oldest.version()
                + " (rollback --to " + oldest.version() + "), not by the same number of steps, which would undo that "
                + "many more.", failure.file().orElse(null), failure.statement().orElse(null),
                failure.sqlState().orElse(null), failure);
    }

    /**
     * Records the pending files up to {@code upTo} (every one when null) as applied without running
     * them: for a database that already has their schema, made by another tool or by hand. The next
     * {@link #migrate()} starts after them.
     *
     * @return the files recorded, in order
     * @throws MigrationException when {@code upTo} is not 14 digits or is before every versioned file (any other
     *                            version is one, as Flyway's baseline version: the files before it are recorded), or
     *                            the history no longer matches the files
     */
    public List<MigrationFile> baseline(String upTo) {
        List<MigrationFile> files = files();
        if (upTo != null) {
            MigrationVersions.baselineTo(folder, files, upTo, runner.schema());
        }
        return commanded(Command.BASELINE, MigrationFile::fileName,
                (lock, connection) -> baselineOn(connection, lock, files, upTo));
    }

    /**
     * {@link #baseline} up to the file whose {@code -- tag:} header names {@code tag}, that one included (Liquibase's
     * {@code changelog-sync-to-tag}); the file's history row gets the tag.
     *
     * @return the files recorded, in order
     * @throws MigrationException when no file carries the tag, naming the tags the files carry, or as {@link #baseline}
     */
    public List<MigrationFile> baselineToTag(String tag) {
        return baseline(MigrateRun.all().upToTag(tag).version(folder, files()));
    }

    /**
     * {@link #baseline} of these files on a connection the caller lends while holding {@code lock} (a tenant run's).
     *
     * @return the files recorded, in order
     */
    public List<MigrationFile> baselineOn(Connection connection, AdvisoryLock lock, List<MigrationFile> files,
                                          String upTo) throws SQLException {
        if (runner.deployment() == null) {
            return baselineRows(connection, lock, files, upTo);
        }
        // A baseline's rows are written outside a file's transaction: the run's id is set for the session meanwhile.
        Deployment.begin(connection, runner.deployment());
        try {
            return baselineRows(connection, lock, files, upTo);
        } finally {
            Deployment.end(connection);
        }
    }

    private List<MigrationFile> baselineRows(Connection connection, AdvisoryLock lock, List<MigrationFile> files,
                                             String upTo) throws SQLException {
        History history = runner.history();
        // Planned first: reading the history refuses a table of that name that is not Ashlar's, before it is altered.
        MigrationPlan plan = plan(connection, files).verifyToMigrate();
        history.allowBaselines(connection);
        history.addTags(connection, plan.pending());
        List<MigrationFile> marked = baselined(plan, upTo);
        for (MigrationFile file : marked) {
            history.baseline(connection, file, lock.holder());
            if (TransactionMode.of(file) == TransactionMode.NONE) {
                new MigrationProgress(runner.history()).forgetIfAny(connection, file.version());
            }
            progress.accept("baselined " + file.fileName() + " in " + runner.schema() + " (not run)");
        }
        return marked;
    }

    /**
     * The pending files of {@code plan} a baseline up to {@code upTo} (every one when null) records. A repeatable file
     * is not baselined: it runs at the next migrate (CREATE OR REPLACE makes it harmless).
     */
    private static List<MigrationFile> baselined(MigrationPlan plan, String upTo) {
        return plan.pending().stream().filter(f -> !f.repeatable() && (upTo == null || f.version().compareTo(upTo) <= 0))
                .toList();
    }

    /**
     * The files {@link #baseline} would record, refusing what it would refuse; reads the history, writes nothing (not
     * even a missing history table). {@link DryRunText#baselineScript} writes the SQL that records them (Liquibase's
     * {@code changelog-sync-sql}).
     */
    public List<MigrationFile> baselineDryRun(String upTo) {
        List<MigrationFile> files = files();
        if (upTo != null) {
            MigrationVersions.baselineTo(folder, files, upTo, runner.schema());
        }
        try (Connection connection = dataSource.getConnection()) {
            return baselined(MigrationPlan.of(runner.schema(), folder, files, runner.history().applied(connection))
                    .verifyToMigrate(), upTo);
        } catch (SQLException e) {
            throw database("read the migration history of " + runner.schema(), e);
        }
    }

    /** {@link #baselineDryRun} up to the file whose {@code -- tag:} header names {@code tag}, as {@link #baselineToTag}. */
    public List<MigrationFile> baselineDryRunToTag(String tag) {
        return baselineDryRun(MigrateRun.all().upToTag(tag).version(folder, files()));
    }

    /**
     * Makes the history agree with the files once a team has decided the files are right (Flyway's repair): an
     * applied file changed on purpose is recorded with its new text, one renamed with its version kept with its new
     * name, and the row of an applied file deleted on purpose is removed. Nothing is run, and pending files and
     * versions of a newer release stay as they are; {@link #status()} shows what it would do.
     *
     * @return what was repaired, a line each
     */
    public List<String> repair() {
        List<MigrationFile> files = files();
        return commanded(Command.REPAIR, line -> line, (lock, connection) -> repairOn(connection, lock, files));
    }

    /**
     * {@link #repair()} of these files on a connection the caller lends while holding {@code lock} (a tenant run's).
     *
     * @return what was repaired, a line each
     */
    public List<String> repairOn(Connection connection, AdvisoryLock lock, List<MigrationFile> files)
            throws SQLException {
        History history = runner.history();
        Map<String, History.Entry> applied = history.applied(connection);
        MigrationPlan plan = plan(connection, files, applied);
        List<String> done = new ArrayList<>();
        for (MigrationStatus changed : plan.changed()) {
            MigrationFile file = files.stream().filter(f -> f.version().equals(changed.version())).findFirst()
                    .orElseThrow();
            history.accept(connection, file, lock.holder());
            done.add("recorded the new text of " + file.fileName() + " in " + runner.schema() + " (not run)");
        }
        for (MigrationStatus same : plan.statuses()) {
            History.Entry entry = applied.get(same.version());
            boolean renamed = entry != null && !entry.name().equals(same.name());
            if (renamed && same.state() != MigrationStatus.State.CHANGED) {
                MigrationFile file = files.stream().filter(f -> f.version().equals(same.version())).findFirst()
                        .orElseThrow();
                history.rename(connection, file, lock.holder());
                done.add("recorded the new name of " + same.version() + "_" + entry.name() + ", "
                        + file.fileName() + ", in " + runner.schema() + " (not run)");
            }
        }
        for (MigrationStatus missing : plan.missing()) {
            if (!history.forget(connection, missing.version(), lock.holder())) {
                throw new MigrationException(ErrorCode.MIGRATION, "Lost the migration lock of " + runner.schema()
                        + " while repairing; what is listed above was repaired. Run repair again.", null);
            }
            done.add("forgot " + missing.label() + " in " + runner.schema()
                    + " (its file is gone; its schema changes stay)");
        }
        repairProgress(connection, lock, files, applied, done);
        done.forEach(progress);
        return done;
    }

    /**
     * Resolves the {@code transaction:false} files that an earlier run left part way ({@link MigrationProgress}): one
     * whose statements before that point changed since, or whose file is gone, is forgotten (the next migrate runs it from its first statement); the mark
     * of a file applied since is removed.
     */
    private void repairProgress(Connection connection, AdvisoryLock lock, List<MigrationFile> files,
                                Map<String, History.Entry> applied, List<String> done) throws SQLException {
        MigrationProgress table = new MigrationProgress(runner.history());
        for (MigrationProgress.Mark mark : table.read(connection).values()) {
            MigrationFile file = files.stream().filter(f -> f.version().equals(mark.version())).findFirst()
                    .orElse(null);
            String label = file == null ? mark.version() + "_" + mark.name() : file.fileName();
            if (!History.held(connection, lock.holder())) {
                throw new MigrationException(ErrorCode.MIGRATION, "Lost the migration lock of " + runner.schema()
                        + " while repairing; what is listed above was repaired. Run repair again.", null);
            }
            MigrationProgress.Verdict verdict = file == null ? MigrationProgress.Verdict.REWRITTEN
                    : mark.verdict(file, upStatements(connection, file, true));
            if (applied.containsKey(mark.version()) || mark.done() == 0) {
                table.forget(connection, mark.version());
            } else if (verdict == MigrationProgress.Verdict.REWRITTEN) {
                table.forget(connection, mark.version());
                done.add("forgot where " + label + " stopped in " + runner.schema() + " (" + mark.reached() + ", "
                        + mark.kept() + "): " + (file == null ? "its file is gone" : "the next migrate runs it from "
                        + "its first statement"));
            }
        }
    }

    /**
     * Drops everything the migrations made, under the migration lock (Flyway's {@code clean}): every schema with a
     * migration history of its own (tenant schemas), the {@code schemas} given (those of main resources outside this
     * migrator's schema), and in this migrator's schema every table, view, sequence, routine, operator, operator class
     * and family, conversion, type, domain, collation, text search configuration and dictionary, and extension, with
     * the history; the schema itself stays with its
     * owner and grants ({@code SchemaCleaner}). The next {@link #migrate()}
     * applies every file again. Only for development and test databases: a caller decides whether it is allowed.
     *
     * @return what was dropped, a line each
     * @throws MigrationException naming the statement that failed; the schemas dropped before it stay dropped
     */
    public List<String> clean(List<String> schemas) {
        return commanded(Command.CLEAN, line -> line, (lock, connection) -> {
            History history = runner.history();
            Set<String> dropped = new TreeSet<>(History.schemasWithHistory(connection, history.name()));
            // A history kept apart has a schema of its own that is no tenant's: its other objects stay.
            dropped.remove(history.home());
            dropped.addAll(schemas);
            dropped.remove(runner.schema());
            // Never a schema of the server's own, whatever a snapshot names.
            dropped.removeIf(schema -> schema.startsWith("pg_") || schema.equals("information_schema"));
            List<String> done = new ArrayList<>(SchemaCleaner.clean(connection, List.copyOf(dropped), runner.schema()));
            done.addAll(history.dropApart(connection));
            done.forEach(progress);
            return done;
        });
    }

    /** The plan of this schema for these files, on the caller's connection; creates the history table. */
    public MigrationPlan plan(Connection connection, List<MigrationFile> files) throws SQLException {
        return plan(connection, files, runner.history().applied(connection));
    }

    private MigrationPlan plan(Connection connection, List<MigrationFile> files, Map<String, History.Entry> applied)
            throws SQLException {
        History history = runner.history();
        if (applied.isEmpty()) {
            // Missing, or made and left empty: only then is there a table to create.
            history.create(connection);
        } else {
            // A history moved apart by hand, as the refusal of one left behind says, is marked as made apart.
            history.markApart(connection);
        }
        history.recordInstallers(connection, applied);
        return MigrationPlan.of(runner.schema(), folder, files, applied);
    }

    /** What {@link #migrate()} would run, file by file, with the lock each statement takes; changes nothing. */
    public List<DryRun> dryRun() {
        return dryRun(MigrateRun.all());
    }

    /**
     * What {@link #migrateTo} would run; refuses what it would refuse (a changed or missing applied file, a server
     * too old for a pending file), so that a dry run that passes is one the real run follows.
     */
    public List<DryRun> dryRun(String upTo) {
        return dryRun(MigrateRun.all().upTo(upTo));
    }

    /**
     * What {@link #migrate(MigrateRun)} would run, as {@link #dryRun(String)}, its steps counted as that run counts
     * them (the repeatable files after the versioned ones); the files its baseline on migrate would record, which do
     * not run, left out. The folder's callback files are among them where the run runs them, each told by
     * {@link DryRun#when()}; {@link DryRun#migration()} tells the pending files from them.
     */
    public List<DryRun> dryRun(MigrateRun run) {
        List<MigrationFile> every = files();
        run.requirePicked(folder, every);
        List<MigrationFile> all = upTo(every, run.version(folder, every));
        try (Connection connection = dataSource.getConnection()) {
            Map<String, History.Entry> applied = runner.history().applied(connection);
            run.requireMinVersion(runner.schema(), applied.keySet());
            refuseUnmanaged(connection, run);
            String baseline = run.baselineOnMigrate() && UnmanagedSchema.is(connection, runner.history())
                    ? run.baselineVersion(folder, every) : null;
            if (baseline != null) {
                progress.accept(runner.schema() + " holds objects but no migration history: the run would baseline the "
                        + "files up to " + baseline + " (baseline on migrate), running none of them");
                all = all.stream().filter(f -> f.repeatable() || f.version().compareTo(baseline) > 0).toList();
            }
            MigrationFile init = baseline == null ? initScript(connection, run, InitScripts.read(folder, every), all)
                    : null;
            if (init != null) {
                // 'next' runs one version: the script's.
                all = InitScripts.after(init, run.next() ? InitScripts.upTo(init, all) : all);
            }
            Set<String> known = baseline == null ? init == null ? applied.keySet() : Set.of(init.version())
                    : Set.of(baseline);
            run.requireTagSelected(every, counted(applied.keySet(), every, baseline));
            List<MigrationFile> files = run.selected(bounded(run, all, known), applied.keySet());
            MigrationPlan plan = MigrationPlan.of(runner.schema(), folder, files, applied)
                    .verifyToMigrate(run.validateOnMigrate());
            if (run.group()) {
                refuseUngroupable(plan.pending());
            }
            if (!run.outOfOrder()) {
                plan.refuseOutOfOrder();
            }
            if (run.steps() > 0) {
                plan = MigrationPlan.of(runner.schema(), folder, plan.nextPending(run.steps()), applied);
            }
            if (plan.requiredServer() > 0) {
                plan.checkServer(connection.getMetaData().getDatabaseMajorVersion());
            }
            boolean backslashes = SqlStatements.backslashesIn(connection);
            List<MigrationFile> pending = replaced(connection, plan.pending(), Direction.UP);
            pending.forEach(file -> runner.check(file, Direction.UP, TransactionMode.of(file), backslashes));
            List<DryRun> runs = new ArrayList<>();
            if (init != null) {
                MigrationFile script = replaced(connection, List.of(init), Direction.UP).get(0);
                runner.check(script, Direction.UP, TransactionMode.CALLER, backslashes);
                runs.add(DryRun.init(script, InitScripts.covered(init, every), backslashes));
            }
            pending.forEach(file -> runs.add(DryRun.of(file, backslashes)));
            return new SqlCallbacks(run.skipDefaultCallbacks() ? Map.of() : MigrationDirectory.callbacks(folder), runner,
                    placeholders, TransactionMode.OWN).dryRun(connection, runner.schema(), runs, backslashes);
        } catch (SQLException e) {
            throw database("read the migration history of " + runner.schema(), e);
        }
    }

    /**
     * The versions a run counts as applied: the history's, and, when it baselines on migrate ({@code baseline} not
     * null), the versioned files up to that version, which the baseline records before anything runs.
     */
    private static Set<String> counted(Set<String> applied, List<MigrationFile> files, String baseline) {
        Set<String> counted = new HashSet<>(applied);
        if (baseline != null) {
            files.stream().filter(f -> !f.repeatable() && f.version().compareTo(baseline) <= 0)
                    .forEach(f -> counted.add(f.version()));
        }
        return counted;
    }

    /**
     * Refuses, before anything runs, a down section of these files that a rollback would refuse: a blank one under an
     * up section that runs something, a statement that cannot run in its mode, a placeholder without a value
     * ({@code migrate --test-rollback} checks the files it would apply and roll back).
     *
     * @throws MigrationException naming the file and what to write in its down section
     */
    public void checkRollback(List<MigrationFile> files) {
        try (Connection connection = dataSource.getConnection()) {
            boolean backslashes = SqlStatements.backslashesIn(connection);
            for (MigrationFile file : replaced(connection, files, Direction.DOWN)) {
                runner.check(file, Direction.DOWN, TransactionMode.of(file, Direction.DOWN), backslashes);
            }
        } catch (SQLException e) {
            throw database("read the settings of " + runner.schema(), e);
        }
    }

    /**
     * What {@link #rollback} of {@code steps} (or, when {@code version} is given, {@link #rollbackTo} it) would run,
     * newest first, with the lock each statement of each down section takes; refuses what the real rollback would
     * refuse, and changes nothing.
     */
    public List<DryRun> rollbackDryRun(int steps, String version) {
        return rollbackDryRun(plan -> version == null ? plan.lastApplied(steps) : plan.appliedDownTo(version));
    }

    /** What {@link #rollbackToTag} would run, as {@link #rollbackDryRun(int, String)}. */
    public List<DryRun> rollbackDryRunToTag(String tag) {
        Instant moment;
        try (Connection connection = dataSource.getConnection()) {
            moment = taggedAt(connection, tag);
        } catch (SQLException e) {
            throw database("read the tags of " + runner.schema(), e);
        }
        return rollbackDryRun(moment);
    }

    /** What {@link #rollbackDeployment} would run, as {@link #rollbackDryRun(int, String)}. */
    public List<DryRun> rollbackDryRunDeployment(String id) {
        String deployment = Deployment.requireId(id);
        return rollbackDryRun(plan -> plan.deployment(deployment));
    }

    /** What {@link #rollbackAfter} {@code moment} would run, as {@link #rollbackDryRun(int, String)}. */
    public List<DryRun> rollbackDryRun(Instant moment) {
        return rollbackDryRun(plan -> plan.appliedAfter(moment));
    }

    /**
     * What rolling back the files {@link #migrate(MigrateRun)} would apply would run once they are applied (Liquibase's
     * {@code future-rollback-sql}; with {@link MigrateRun#steps} its {@code future-rollback-count-sql}): their down
     * sections, the newest version first, as {@link #rollbackDryRun(int, String)} gives them. Repeatable files, which
     * no rollback runs, are left out; refuses what the migration's dry run refuses, and a down section that the
     * rollback would refuse (a blank one under an up section that runs something).
     */
    public List<DryRun> pendingRollbackDryRun(MigrateRun run) {
        Set<String> pending = Set.copyOf(dryRun(run).stream().filter(DryRun::migration)
                .flatMap(dry -> dry.migrations().stream()).map(MigrationFile::version).toList());
        List<MigrationFile> undo = files().stream()
                .filter(file -> !file.repeatable() && pending.contains(file.version()))
                .sorted(Comparator.comparing(MigrationFile::version).reversed()).toList();
        return rollbackDryRun(plan -> undo);
    }

    private List<DryRun> rollbackDryRun(Function<MigrationPlan, List<MigrationFile>> chosen) {
        List<MigrationFile> files = files();
        try (Connection connection = dataSource.getConnection()) {
            MigrationPlan plan = MigrationPlan.of(runner.schema(), folder, files,
                    runner.history().applied(connection));
            List<MigrationFile> undo = replaced(connection, chosen.apply(plan), Direction.DOWN);
            boolean backslashes = SqlStatements.backslashesIn(connection);
            undo.forEach(file -> runner.check(file, Direction.DOWN, TransactionMode.of(file, Direction.DOWN),
                    backslashes));
            return undo.stream().map(file -> DryRun.down(file, backslashes)).toList();
        } catch (SQLException e) {
            throw database("read the migration history of " + runner.schema(), e);
        }
    }

    /**
     * Checks the schema's history against the files without running or recording anything (Flyway's
     * {@code validate}): every applied file must be there, with the text and the name it was applied with (a file
     * renamed with its version kept, which {@link #migrate()} takes as applied, fails until {@link #repair()}).
     *
     * @return every migration with its state, when the history agrees
     * @throws MigrationException naming the first changed, missing or renamed file and how to fix it
     */
    public List<MigrationStatus> validate() {
        return validate(IgnoreMigrationPatterns.DEFAULT);
    }

    /**
     * {@link #validate()} letting pass the migrations {@code ignored} names (Flyway's {@code ignoreMigrationPatterns}):
     * a missing file it names passes, a pending, late or future one it does not name fails.
     */
    public List<MigrationStatus> validate(IgnoreMigrationPatterns ignored) {
        List<MigrationFile> files = files();
        try (Connection connection = dataSource.getConnection()) {
            return told(Command.VALIDATE, status -> status.version() + "_" + status.name() + " "
                    + status.state().name().toLowerCase(Locale.ROOT), null, connection, (lock, c) -> {
                Map<String, History.Entry> applied = runner.history().applied(c);
                MigrationPlan plan = MigrationPlan.of(runner.schema(), folder, files, applied).verify(ignored);
                replaced(c, plan.pending(), Direction.UP);
                resumePoints(c, plan.pending(), null);
                return withProgress(c, files, plan.statuses());
            });
        } catch (SQLException e) {
            throw database("read the migration history of " + runner.schema(), e);
        }
    }

    /**
     * {@link #status()} against a target, as Flyway's {@code info} with a {@code target}: the pending versioned files
     * after it are {@link MigrationStatus.State#ABOVE_TARGET}, which {@code migrateTo(target)} leaves pending. A null
     * target (or {@code latest}) is {@link #status()}; {@code current} is the newest version the history holds.
     *
     * @throws MigrationException when no file has version {@code target}, naming the nearest
     */
    public List<MigrationStatus> status(String target) {
        String bound = MigrateRun.all().upTo(target).upTo();
        if (bound != null && !bound.equals(MigrateRun.CURRENT) && !bound.equals(MigrateRun.NEXT)) {
            MigrationVersions.require(folder, files().stream().filter(f -> !f.repeatable()).toList(), bound,
                    "Nothing is shown.");
        }
        List<MigrationStatus> statuses = status();
        String last = MigrateRun.CURRENT.equals(bound) ? MigrationStatus.newestApplied(statuses)
                : MigrateRun.NEXT.equals(bound) ? oldestPending(statuses) : bound;
        return bound == null ? statuses : statuses.stream().map(s -> s.state() == MigrationStatus.State.PENDING
                && !MigrationFile.repeatable(s.version()) && (last == null || s.version().compareTo(last) > 0)
                ? new MigrationStatus(s.version(), s.name(), MigrationStatus.State.ABOVE_TARGET, null, null, s.detail())
                : s).toList();
    }

    /**
     * The checksum of the file named {@code file} (its name, or its version) as the history would record it, and the
     * one the history holds for it (Liquibase's {@code calculate-checksum}); reads, changes nothing.
     *
     * @throws MigrationException when no file has that name or version
     */
    public FileChecksum checksum(String file) {
        List<MigrationFile> files = files();
        MigrationFile found = files.stream().filter(f -> f.fileName().equals(file) || f.version().equals(file))
                .findFirst().orElseThrow(() -> new MigrationException(ErrorCode.MIGRATION, "No migration of " + folder
                        + " is named or versioned '" + ControlCharacters.escape(file) + "': give a file's name "
                        + "(20260101000000_create_posts.sql, R__views.sql) or version, as 'ashlar status' lists them.",
                        null));
        try (Connection connection = dataSource.getConnection()) {
            History.Entry entry = runner.history().applied(connection).get(found.version());
            String recorded = entry == null ? null : entry.checksum();
            return FileChecksum.of(found, recorded);
        } catch (SQLException e) {
            throw database("read the migration history of " + runner.schema(), e);
        }
    }

    /** The oldest pending version, or null when none is: the bound of {@code status --target next}. */
    private static String oldestPending(List<MigrationStatus> statuses) {
        return statuses.stream().filter(s -> s.state() == MigrationStatus.State.PENDING
                && !MigrationFile.repeatable(s.version())).map(MigrationStatus::version).min(String::compareTo)
                .orElse(null);
    }

    /** Every file and every applied version, with its state. */
    public List<MigrationStatus> status() {
        List<MigrationFile> files = files();
        try (Connection connection = dataSource.getConnection()) {
            return withProgress(connection, files, StatusReport.of(files,
                    runner.history().applied(connection)));
        } catch (SQLException e) {
            throw database("read the migration history of " + runner.schema(), e);
        }
    }

    /**
     * The files with the placeholders of the section that runs replaced for this schema and the connection's user;
     * refuses one without a value before anything runs. Files applied already are never read for placeholders, so a
     * history made before them (a file that holds a literal {@code ${...}}) stays as it was.
     */
    private List<MigrationFile> replaced(Connection connection, List<MigrationFile> files, Direction direction)
            throws SQLException {
        return placeholders.apply(files, direction, runner.schema(), connection);
    }

    private void report(String line, TransactionMode mode) {
        if (mode != TransactionMode.CALLER) {
            progress.accept(line);
        }
    }

    /** Whether a progress line is told in {@code mode}: not in the caller's transaction, nor to {@link #NO_PROGRESS}. */
    private boolean reports(TransactionMode mode) {
        return mode != TransactionMode.CALLER && progress != NO_PROGRESS;
    }

    /** Runs a migrate or rollback run under the lock, telling the listener before and after it. */
    private List<MigrationFile> told(Direction direction, Work<List<MigrationFile>> work) {
        return told(direction, (lock, connection) -> null, (lock, connection, decided) -> work.run(lock, connection));
    }

    /**
     * {@link #told(Direction, Work)}, {@code decide} run first under the lock, before the listener hears of the run
     * (a {@code beforeMigrate.sql} that creates a table must not make a new schema one made by hand); what it returns
     * is handed to {@code work}.
     */
    private <D> List<MigrationFile> told(Direction direction, Work<D> decide, DecidedWork<D> work) {
        String action = direction == Direction.UP ? "migrate" : "roll back";
        return locked(action, (lock, connection) -> {
            D decided = decide.run(lock, connection);
            return listener == null ? work.run(lock, connection, decided) : around(listener, direction, connection,
                    () -> work.run(lock, connection, decided));
        });
    }

    /** A run's work, given what was decided before the listener heard of it. */
    @FunctionalInterface
    private interface DecidedWork<D> {
        List<MigrationFile> run(AdvisoryLock lock, Connection connection, D decided) throws SQLException;
    }

    /** Runs a run's work on {@code connection}, telling {@code told} before and after it. */
    private List<MigrationFile> around(MigrationListener told, Direction direction, Connection connection,
                                       RunWork work) throws SQLException {
        MigrationEvent event = new MigrationEvent(runner.schema(), direction, null, connection);
        Listeners.call("beforeRun", event, "Nothing was run.", () -> told.beforeRun(event));
        List<MigrationFile> done;
        try {
            done = work.run();
        } catch (SQLException | RuntimeException e) {
            Listeners.afterError(e, () -> told.afterRunError(event, e));
            throw e;
        }
        Listeners.call("afterRun", event, "The run's " + done.size() + " file(s) stay "
                + (direction == Direction.UP ? "applied." : "rolled back."), () -> told.afterRun(event, done));
        return done;
    }

    /**
     * Runs a tenant run's migration of this migrator's schema, on the caller's connection, with the callback files
     * of its folder ({@link MigrationDirectory#callbacks}): {@code beforeMigrate.sql} and {@code afterMigrate.sql}
     * around it in transactions of their own, {@code afterMigrateError.sql} after a failure, and the each-migrate
     * ones in each file's transaction, through the migrator handed to {@code work} (this one when there are none).
     *
     * @return what {@code work} applied
     */
    public List<MigrationFile> withCallbacks(Map<String, MigrationFile> callbacks, Connection connection,
                                             TenantWork work) throws SQLException {
        if (callbacks.isEmpty()) {
            return work.run(this);
        }
        SqlCallbacks sql = new SqlCallbacks(callbacks, runner, placeholders, TransactionMode.OWN);
        Migrator told = listener(listener == null ? sql : MigrationListener.all(List.of(sql, listener)));
        return around(sql, Direction.UP, connection, () -> work.run(told));
    }

    /** The migration of one tenant schema, given the migrator to run it with ({@link #withCallbacks}). */
    @FunctionalInterface
    public interface TenantWork {
        List<MigrationFile> run(Migrator migrator) throws SQLException;
    }

    @FunctionalInterface
    private interface RunWork {
        List<MigrationFile> run() throws SQLException;
    }

    /** Runs a command that runs no file under the lock, telling the listener before and after it. */
    private <T> List<T> commanded(Command command, Function<T, String> line, Work<List<T>> work) {
        return locked(command.name().toLowerCase(Locale.ROOT), (lock, connection) -> told(command, line, lock,
                connection, work));
    }

    /** Runs a command that runs no file, telling the listener before and after it what it did, a line each. */
    private <T> List<T> told(Command command, Function<T, String> line, AdvisoryLock lock, Connection connection,
                             Work<List<T>> work) throws SQLException {
        if (listener == null) {
            return work.run(lock, connection);
        }
        String name = command.name().toLowerCase(Locale.ROOT);
        MigrationEvent event = new MigrationEvent(runner.schema(), null, null, connection);
        Listeners.call("beforeCommand of " + name, event, "The " + name + " did not start.",
                () -> listener.beforeCommand(command, event));
        List<T> done;
        try {
            done = work.run(lock, connection);
        } catch (SQLException | RuntimeException e) {
            Listeners.afterError(e, () -> listener.afterCommandError(command, event, e));
            throw e;
        }
        List<String> lines = done.stream().map(line).toList();
        Listeners.call("afterCommand of " + name, event, "What the " + name + " did stays.",
                () -> listener.afterCommand(command, event, lines));
        return done;
    }

    /**
     * Runs work on a connection of its own while holding the schema's migration lock on another.
     *
     * @param action what the work does to the schema, for the error that stops it ("roll back")
     */
    private <T> T locked(String action, Work<T> work) {
        String name = "migrations:" + runner.schema();
        try (AdvisoryLock lock = AdvisoryLock.acquire(dataSource, name, timeouts.migrationLock(), progress);
             Connection connection = secondConnection()) {
            // A pool may hand out connections outside auto-commit (HikariCP's autoCommit=false): the history table, a
            // baseline's or a repair's rows and a transaction:false file's statements would then sit in a transaction
            // that nobody commits, and a CREATE INDEX CONCURRENTLY would be refused. Each file opens its own.
            connection.setAutoCommit(true);
            Deployment.begin(connection, Deployment.newId());
            String lockWait = null;
            try {
                lockWait = timeouts.boundLockWait(connection);
                return work.run(lock, connection);
            } finally {
                Timeouts.restoreLockWait(connection, lockWait);
                Deployment.end(connection);
            }
        } catch (SQLException e) {
            throw database(action + " " + runner.schema(), e);
        }
    }

    /** The run's working connection, taken while the lock's connection is out: a pool of one has none to lend. */
    private Connection secondConnection() throws SQLException {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + ". A migration takes two connections at once, one holding the "
                    + "migration lock and one running the files: if the pool lends only one, let it lend two "
                    + "(HikariCP's maximumPoolSize)", e.getSQLState(), e);
        }
    }

    private AshlarException database(String action, SQLException e) {
        String schema = Identifiers.quote(runner.schema());
        return MigrationRefusal.of(action, e, "schema " + schema, "GRANT CREATE ON SCHEMA " + schema,
                runner.history().home() + "." + runner.history().name() + " and " + AdvisoryLock.TABLE);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(AdvisoryLock lock, Connection connection) throws SQLException;
    }
}
