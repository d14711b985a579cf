package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Literals;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import dev.ashlar.spi.plugin.DatabaseError;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs one migration file's up or down section on the connection it is given, in the
 * {@link TransactionMode} it is told, and records it in the schema's history: the one way Ashlar
 * applies a file. It never takes a connection of its own.
 *
 * <pre>{@code
 * new FileRunner("tenant_acme", true).run(connection, file, Direction.UP, TransactionMode.OWN);
 * }</pre>
 */
public final class FileRunner {
    /** Which section of a file runs. */
    public enum Direction {
        UP,
        DOWN
    }

    /** Records a file applied or rolled back somewhere besides the schema's history (the tenant registry). */
    @FunctionalInterface
    public interface Recorder {
        void record(Connection connection, String schema, MigrationFile file, Direction direction) throws SQLException;

        /**
         * A statement that records applied files with their history rows (one round trip instead of two), reading
         * them from {@code rows}, a FROM item with the columns {@code version} and {@code checksum}; its first
         * parameter is the schema, those of {@code rows} come after it. Null (the default) records them with
         * {@link #record}.
         */
        default String recordApplied(String rows) {
            return null;
        }
    }

    /** In the context of an error of a COPY: the line of its rows the server refused. */
    private static final Logger LOG = LoggerFactory.getLogger(FileRunner.class);
    private static final Pattern ALTER_TABLE = Pattern.compile("(?i)\\bALTER\\s+TABLE\\b");
    /** A statement that makes a column required: the rows it meets null are the ones to show. */
    private static final Pattern REQUIRE = Pattern.compile("(?i)\\bSET\\s+NOT\\s+NULL\\b"
            + "|\\bADD\\s+(?:CONSTRAINT\\s+\\S+\\s+)?PRIMARY\\s+KEY\\b");
    /** A statement that may commit or roll back inside it: a procedure's call, a DO block. */
    private static final Pattern MAY_COMMIT = Pattern.compile("(?is)^(?:\\s*--[^\\n]*\\n)*+\\s*(?:CALL|DO)\\b");
    private static final Pattern COPY_ROW = Pattern.compile("^COPY .*?, line (\\d+)");
    /** In the context of an error inside a DO block: the block's line. */
    private static final Pattern DO_BLOCK_LINE = Pattern.compile("function inline_code_block line (\\d+)");
    /** A DO statement, up to the quote that opens its body. */
    private static final Pattern DO_BODY = Pattern.compile("(?is)^(?:\\s*--[^\\n]*\\n)*+\\s*DO\\s+(?:LANGUAGE\\s+\\w+\\s+)?"
            + "(\\$\\w*\\$)");
    /** How many lines of the server's context an error shows: the innermost, where it happened. */
    private static final int CONTEXT_LINES = 5;
    /**
     * The SQL states of a statement that finds its object already there: duplicate table, object, column, schema,
     * function, alias, database.
     */
    private static final Set<String> ALREADY_THERE = Set.of("42P07", "42710", "42701", "42P06", "42723", "42712",
            "42P04");

    private final String schema;
    private final History history;
    private final boolean searchPath;
    private final Timeouts timeouts;
    private final AdvisoryLock lock;
    private final Recorder recorder;
    private final Consumer<String> progress;
    private final Retries retries;
    private final List<String> expected;
    private final MigrationListener listener;
    private final boolean outputQueryResults;
    private final String deployment;

    /**
     * How often a file run in its own transaction is tried again after a statement gave up waiting for a lock
     * (SQL state 55P03), and the pause before the first retry, doubled before each next one. Every attempt is
     * rolled back whole, so a file that gives up leaves nothing applied.
     *
     * @param count   retries after the first attempt
     * @param backoff the pause before the first retry
     */
    public record Retries(int count, Duration backoff) {
        /** Three retries, after half a second, one second and two. */
        public static final Retries DEFAULT = new Retries(3, Duration.ofMillis(500));

        Duration pause(int retry) {
            return backoff.multipliedBy(1L << Math.min(retry - 1, 16));
        }
    }

    /**
     * A runner that records in the schema's {@link History#DEFAULT_TABLE} (another: {@link #historyTable}) and prints
     * no query results ({@link #outputQueryResults} turns them on: the main schema's migrator does).
     *
     * @param schema     where the history is, and with {@code searchPath} where unqualified names resolve
     * @param searchPath whether to run the file with the schema as its search path (tenant files)
     */
    public FileRunner(String schema, boolean searchPath) {
        this(new History(schema, History.DEFAULT_TABLE), searchPath, Timeouts.none(), null, null, line -> { },
                Retries.DEFAULT, null, null, false, null);
        Identifiers.quote(schema);
    }

    private FileRunner(History history, boolean searchPath, Timeouts timeouts, AdvisoryLock lock, Recorder recorder,
                       Consumer<String> progress, Retries retries, List<String> expected, MigrationListener listener,
                       boolean outputQueryResults, String deployment) {
        this.schema = history.schema();
        this.history = history;
        this.searchPath = searchPath;
        this.timeouts = timeouts;
        this.lock = lock;
        this.recorder = recorder;
        this.progress = progress;
        this.retries = retries;
        this.expected = expected;
        this.listener = listener;
        this.outputQueryResults = outputQueryResults;
        this.deployment = deployment;
    }

    /**
     * Writes the history rows of the files it runs in a transaction under the run {@code id} ({@link Deployment}),
     * set for each transaction with its other settings, so that it costs no round trip more; null for none.
     */
    public FileRunner deployment(String id) {
        return new FileRunner(history, searchPath, timeouts, lock, recorder, progress, retries, expected, listener,
                outputQueryResults, id);
    }

    /** Bounds the waits and statements of files run in their own transaction or none. */
    public FileRunner timeouts(Timeouts bounds) {
        return new FileRunner(history, searchPath, bounds, lock, recorder, progress, retries, expected, listener,
                outputQueryResults, deployment);
    }

    /** Records a file only while this lock is held, and reports who a waiting file waits for. */
    public FileRunner lock(AdvisoryLock held) {
        return new FileRunner(history, searchPath, timeouts, held, recorder, progress, retries, expected, listener,
                outputQueryResults, deployment);
    }

    public FileRunner recorder(Recorder also) {
        return new FileRunner(history, searchPath, timeouts, lock, also, progress, retries, expected, listener,
                outputQueryResults, deployment);
    }

    /** Where reports of a long wait for a lock go. */
    public FileRunner progress(Consumer<String> sink) {
        return new FileRunner(history, searchPath, timeouts, lock, recorder, sink, retries, expected, listener,
                outputQueryResults, deployment);
    }

    /** How often a file that timed out waiting for a lock is tried again ({@link Retries#DEFAULT} unless told). */
    public FileRunner retries(Retries policy) {
        return new FileRunner(history, searchPath, timeouts, lock, recorder, progress, policy, expected, listener,
                outputQueryResults, deployment);
    }

    /**
     * Records a file applied only if the schema's history is exactly {@code lines} ({@link History#lines}), checked
     * in the statement that writes its row; otherwise the file is rolled back with a {@link MigrationException}
     * (null: any history).
     */
    public FileRunner expecting(List<String> lines) {
        return new FileRunner(history, searchPath, timeouts, lock, recorder, progress, retries, lines, listener,
                outputQueryResults, deployment);
    }

    /** Told before and after each file runs, inside its transaction ({@link MigrationListener}); null for none. */
    public FileRunner listener(MigrationListener told) {
        return new FileRunner(history, searchPath, timeouts, lock, recorder, progress, retries, expected, told,
                outputQueryResults, deployment);
    }

    /** The same runner recording in the schema's history table {@code name} ({@link History#tableName} checked). */
    public FileRunner historyTable(String name) {
        return new FileRunner(history.named(name), searchPath, timeouts, lock, recorder, progress, retries,
                expected, listener, outputQueryResults, deployment);
    }

    /**
     * The same runner, whose history kept in a schema of its own starts empty beside a history left behind in the
     * migrated schema rather than refusing it ({@code --accept-history-left-behind}).
     */
    public FileRunner acceptingHistoryLeftBehind() {
        return new FileRunner(history.acceptingLeftBehind(), searchPath, timeouts, lock, recorder, progress, retries,
                expected, listener, outputQueryResults, deployment);
    }

    /**
     * The same runner, with everything it was given, for another schema: its history there, in the same table. A
     * tenant run or a tenant's creation sets a runner up once and takes it to each schema. What it was told to expect
     * of one schema's history ({@link #expecting}) is not taken: it is that schema's alone.
     */
    public FileRunner inSchema(String other) {
        Identifiers.quote(other);
        return new FileRunner(new History(other, history.name()), searchPath, timeouts, lock, recorder, progress,
                retries, null, listener, outputQueryResults, deployment);
    }

    /**
     * Whether the rows a statement of a file returns (a {@code SELECT}) go to {@link #progress} as a table, as Flyway's
     * {@code outputQueryResults}; off unless told, so that a tenant run prints none.
     */
    public FileRunner outputQueryResults(boolean output) {
        return new FileRunner(history, searchPath, timeouts, lock, recorder, progress, retries, expected, listener,
                output, deployment);
    }

    /** The run whose id the rows it writes carry ({@link #deployment(String)}); null when not set. */
    String deployment() {
        return deployment;
    }

    public String schema() {
        return schema;
    }

    /** The history this runner records in. */
    public History history() {
        return history;
    }

    /** Whether files run with the schema as their search path: a tenant schema's runner. */
    public boolean searchPath() {
        return searchPath;
    }

    /**
     * The search path of a tenant schema's migrations: the schema alone, so that no unqualified name reaches another
     * tenant's tables, with {@code pg_temp} last, where PostgreSQL would otherwise look first for tables (a temporary
     * table must not stand in for the tenant's own).
     */
    public static String tenantSearchPath(String schema) {
        return Identifiers.quote(schema) + ", pg_temp";
    }

    /**
     * Runs a file's section and records it (or forgets it, going down).
     *
     * @return how long the statements took, in milliseconds
     * @throws MigrationException naming the file and statement that failed, or the lost lock; the original
     *                            error is kept, a failure to clean up after it is added as suppressed
     */
    public long run(Connection connection, MigrationFile file, Direction direction, TransactionMode mode)
            throws SQLException {
        return run(connection, file, direction, mode, 0);
    }

    /**
     * {@link #run(Connection, MigrationFile, Direction, TransactionMode)} of a {@code transaction:false} up section that
     * an earlier run left after {@code from} committed statements ({@link MigrationProgress}): it goes on with the next.
     */
    public long run(Connection connection, MigrationFile file, Direction direction, TransactionMode mode, int from)
            throws SQLException {
        if (Thread.currentThread().isInterrupted()) {
            throw new MigrationException(ErrorCode.MIGRATION, "The thread running the migration was interrupted before "
                    + file.fileName() + " " + (direction == Direction.UP ? "ran" : "was rolled back") + " on " + schema
                    + ": nothing of it ran, and the files before it stay as they were. Run again to go on.",
                    file.fileName());
        }
        InterruptWatch watch = InterruptWatch.start(connection);
        try {
            return runRetried(connection, file, direction, mode, from, watch);
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    /** @param watch the thread's interrupt watch, closed before a file outside a transaction gives settings back */
    private long runRetried(Connection connection, MigrationFile file, Direction direction, TransactionMode mode,
                            int from, InterruptWatch watch)
            throws SQLException {
        for (int retry = 1; ; retry++) {
            try {
                return runOnce(connection, file, direction, mode, from, watch);
            } catch (MigrationException e) {
                if (mode != TransactionMode.OWN || !e.sqlState().filter("55P03"::equals).isPresent()
                        || retry > retries.count()) {
                    throw failed(connection, file, direction, e);
                }
                Duration pause = retries.pause(retry);
                progress.accept("lock timeout: " + file.fileName() + " on " + schema + " was rolled back; retry " + retry
                        + " of " + retries.count() + " in " + pause.toMillis() + " ms");
                sleep(pause, e);
            } catch (SQLException e) {
                throw failed(connection, file, direction, e);
            } catch (RuntimeException e) {
                throw failed(connection, file, direction, e);
            }
        }
    }

    /** Tells the listener that a file failed, once it was rolled back; returns the failure to throw. */
    private <E extends Exception> E failed(Connection connection, MigrationFile file, Direction direction, E failure) {
        if (listener != null) {
            MigrationEvent event = new MigrationEvent(schema, direction, file, connection);
            Listeners.afterError(failure, () -> listener.afterEachError(event, failure));
        }
        return failure;
    }

    private static void sleep(Duration pause, MigrationException failure) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private long runOnce(Connection connection, MigrationFile file, Direction direction, TransactionMode mode,
                         int from, InterruptWatch watch) throws SQLException {
        SectionStatements section = SectionStatements.checked(schema, file, direction, mode,
                SqlStatements.backslashesIn(connection));
        List<String> statements = section.statements();
        if (mode == TransactionMode.NONE) {
            requireLock(connection, file, direction);
        }
        Timeouts bounds = timeouts.lock() == null && file.lockTimeout() != null
                ? timeouts.withLock(file.lockTimeout()) : timeouts;
        String callerPath = mode == TransactionMode.CALLER && searchPath ? searchPath(connection) : null;
        // Outside a transaction the file's settings are the session's: what it had before is given back after it (the
        // run's lock timeout, a pool's own values), not the server's defaults, which a RESET would leave.
        SessionSettings before = mode == TransactionMode.NONE ? SessionSettings.save(connection,
                settings(mode, bounds).stream().map(setting -> setting[0]).toList()) : null;
        SessionSettings session = mode == TransactionMode.CALLER
                ? SessionSettings.saveWithin(connection, saved(file, section))
                : SessionSettings.save(connection, saved(file, section));
        Throwable failure = null;
        if (mode == TransactionMode.OWN) {
            connection.setAutoCommit(false);
        }
        try {
            MigrationEvent event = listener == null ? null : new MigrationEvent(schema, direction, file, connection);
            if (event != null) {
                Listeners.call("beforeEach", event, nothingApplied(mode), () -> listener.beforeEach(event));
            }
            long start = System.nanoTime();
            // A file that becomes another role writes its progress on the lock's connection, as the migrator.
            boolean otherRole = section.settings().contains("role")
                    || section.settings().contains("session_authorization");
            Section running = new Section(file, direction, mode, section.lines(), from,
                    tracked(file, direction, mode, statements) && (lock != null || !otherRole)
                            ? new MigrationProgress(history) : null, otherRole);
            if (running.progress() != null) {
                running.progress().start(connection, file, statements, from, running.line(from + 1));
            }
            apply(connection, running, statements, section.batchable(), bounds);
            if (mode == TransactionMode.NONE && inBlock(connection)) {
                rollBack(connection);
                throw new MigrationException(ErrorCode.MIGRATION_FAILED, "Migration " + file.fileName() + " on "
                        + schema + " ended inside a transaction that it began (a COMMIT AND CHAIN, say): what ran in "
                        + "it was rolled back, and the file was not recorded. End its last transaction with a plain "
                        + "COMMIT; the statements committed before stay applied.", file.fileName());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (session != null) {
                session.restore(connection);
            }
            if (deployment != null && section.settings().contains(Deployment.SETTING)) {
                // The file reset the run's id, which this runner sets with the file's settings: set it again.
                configure(connection, List.<String[]>of(new String[] {Deployment.SETTING, deployment}),
                        mode != TransactionMode.NONE);
            }
            if (event != null) {
                Listeners.call("afterEach", event, nothingApplied(mode), () -> listener.afterEach(event, millis));
            }
            boolean committed;
            try {
                committed = !file.callback() && record(connection, file, direction, millis, mode);
            } catch (SQLException e) {
                throw unrecorded(file, direction, mode, e, false);
            }
            if (mode == TransactionMode.OWN && !committed) {
                try {
                    connection.commit();
                } catch (SQLException e) {
                    throw unrecorded(file, direction, mode, e, true);
                }
            }
            if (running.progress() != null) {
                running.progress().forget(connection, file.version());
            }
            return millis;
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
            if (mode == TransactionMode.OWN) {
                Cleanup.run(failure, connection::rollback);
            } else if (mode == TransactionMode.NONE && session != null) {
                stop(watch);
                Cleanup.run(failure, () -> restoreOrAbort(connection, session));
            }
            throw e;
        } finally {
            if (mode == TransactionMode.NONE) {
                stop(watch);
            }
            restore(connection, mode, before, callerPath, failure);
        }
    }

    /**
     * Whether a section's progress is recorded ({@link MigrationProgress}): an up section of SQL statements run outside
     * a transaction, which commits statement by statement.
     */
    private static boolean tracked(MigrationFile file, Direction direction, TransactionMode mode,
                                   List<String> statements) {
        return mode == TransactionMode.NONE && direction == Direction.UP && file.java() == null && !file.callback()
                && !statements.isEmpty();
    }

    /** What a listener's failure inside a file's run leaves of the file. */
    private static String nothingApplied(TransactionMode mode) {
        return mode == TransactionMode.NONE ? "The file runs outside a transaction: its statements that ran stay "
                + "applied, and it was not recorded." : "The file was rolled back and not recorded.";
    }

    /**
     * Applies the up sections of {@code files}, in order, in the caller's transaction, to a schema created in it a
     * moment ago: their statements in one round trip and their history rows in one more, where {@link #run} takes
     * two round trips a file (a new tenant schema gets every tenant migration this way). When a file changes
     * session settings, which must be given back after it, or how strings read backslashes (the driver refuses
     * such statements in a batch), the files run one by one with {@link #run}.
     *
     * @param pathAfter the search path to set once the files are recorded, in the same round trip (the caller's, as
     *                  its transaction goes on), or null
     * @return whether the search path was set to {@code pathAfter}; when not, the caller sets it
     * @throws MigrationException naming the file and statement that failed; the caller rolls its transaction back
     */
    public boolean runAllWithin(Connection connection, List<MigrationFile> files, String pathAfter)
            throws SQLException {
        Together together = together(connection, files);
        if (together == null) {
            for (MigrationFile each : files) {
                run(connection, each, Direction.UP, TransactionMode.CALLER);
            }
            return false;
        }
        if (files.isEmpty()) {
            return false;
        }
        long start = System.nanoTime();
        if (!together.statements().isEmpty()) {
            StatementBatch.Failure failed = StatementBatch.run(connection, together.statements(),
                    batch -> ServerNotices.report(batch, together.what(schema), progress));
            if (failed != null) {
                throw together.failed(this, failed.index(), failed.cause());
            }
        }
        return recordTogether(connection, files, (System.nanoTime() - start) / 1_000_000, pathAfter);
    }

    /** Reads the row of the first statement sent before a new schema's files ({@link #runAllAfter}). */
    @FunctionalInterface
    public interface Leading {
        /**
         * @param row the first row of the first statement, each column as text; empty when it returned none
         * @return the search path to set once the files are recorded (the caller's, as its transaction goes on), or
         *         null
         */
        String read(List<String> row) throws SQLException;
    }

    /**
     * {@link #runAllWithin}, with the caller's own statements for the new schema (the schema, its history, its search
     * path) sent first, in the same round trip as the files' statements: a new tenant schema takes one round trip
     * for all of them and one for the files' history rows. Nothing is sent, and false is returned, when the files
     * cannot go together ({@link #runAllWithin} runs them one by one) or the connection cannot send statements so
     * (another driver, or no transaction): the caller then sends them its own way.
     *
     * @param leading statements sent first; the first one's row is read, once all ran, by {@code reader}
     * @return whether everything was sent, and the search path {@code reader} returned set
     * @throws SQLException       the error of a leading statement, as the server gave it
     * @throws MigrationException naming the file and statement that failed; the caller rolls its transaction back
     */
    public boolean runAllAfter(Connection connection, List<String> leading, Leading reader, List<MigrationFile> files)
            throws SQLException {
        if (!StatementPipeline.available(connection)) {
            return false;
        }
        Together together = together(connection, files);
        if (together == null) {
            return false;
        }
        List<String> sent = new ArrayList<>(leading);
        sent.addAll(together.statements());
        long start = System.nanoTime();
        StatementPipeline.Outcome outcome = StatementPipeline.run(connection, sent, false);
        ServerNotices.report(outcome.notices(), together.what(schema), progress);
        if (outcome.cause() != null) {
            if (outcome.failed() >= 0 && outcome.failed() < leading.size() || together.statements().isEmpty()) {
                throw outcome.cause();
            }
            throw together.failed(this, outcome.failed() < 0 ? -1 : outcome.failed() - leading.size(),
                    outcome.cause());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String pathAfter = reader.read(outcome.firstRow());
        if (!files.isEmpty() && recordTogether(connection, files, millis, pathAfter)) {
            return true;
        }
        if (pathAfter != null) {
            try (PreparedStatement path = connection.prepareStatement("SELECT set_config('search_path', ?, true)")) {
                path.setString(1, pathAfter);
                path.execute();
            }
        }
        return true;
    }

    /**
     * The statements of files that go to the server together, each with its file; null when a file must run alone:
     * it changes session settings, which must be given back after it, or how strings read backslashes (the driver
     * refuses such statements in a batch), runs Java code between statements, or has a listener to tell.
     */
    private Together together(Connection connection, List<MigrationFile> files) throws SQLException {
        List<String> statements = new ArrayList<>();
        List<MigrationFile> owners = new ArrayList<>();
        boolean backslashes = SqlStatements.backslashesIn(connection);
        for (MigrationFile file : files) {
            SectionStatements section = SectionStatements.checked(schema, file, Direction.UP, TransactionMode.CALLER,
                    backslashes);
            if (!section.settings().isEmpty() || !section.batchable() || searchPath || listener != null
                    || file.java() != null) {
                return null;
            }
            statements.addAll(section.statements());
            section.statements().forEach(statement -> owners.add(file));
        }
        return new Together(statements, owners, files);
    }

    /** The statements of files sent together, each statement's file, and the files. */
    private record Together(List<String> statements, List<MigrationFile> owners, List<MigrationFile> files) {
        String what(String schema) {
            return "the tenant migrations on " + schema;
        }

        /** The failure of statement {@code index} (-1: the driver did not say which), naming its file. */
        MigrationException failed(FileRunner runner, int index, SQLException cause) {
            MigrationFile file = index < 0 ? files.get(0) : owners.get(index);
            return runner.failure(new Section(file, Direction.UP, TransactionMode.CALLER, List.of()),
                    index < 0 ? String.join("\n", statements) : statements.get(index),
                    index < 0 ? 0 : index - owners.indexOf(file) + 1, cause, null, false, List.of());
        }
    }

    /**
     * Records files applied together: their history rows, and the recorder's, in one round trip that also sets the
     * search path to {@code pathAfter} when there is one.
     *
     * @return whether the search path was set to {@code pathAfter}
     */
    private boolean recordTogether(Connection connection, List<MigrationFile> files, long millis, String pathAfter)
            throws SQLException {
        String also = recorder == null ? null : recorder.recordApplied(History.rows(files.size()));
        boolean recordedAlone = recorder != null && also == null;
        history.recordAll(connection, files, millis, also, recordedAlone ? null : pathAfter);
        if (recordedAlone) {
            for (MigrationFile file : files) {
                recorder.record(connection, schema, file, Direction.UP);
            }
        }
        return !recordedAlone && pathAfter != null;
    }

    /**
     * Refuses, before anything runs, a section that cannot run as it should (see {@link SectionStatements#of}): a
     * run of several files checks them all first, so that none runs when a later one would be refused.
     *
     * @param backslashes whether the session reads backslashes in strings as escapes
     *                    ({@link SqlStatements#backslashesIn}), which changes where statements end
     */
    void check(MigrationFile file, Direction direction, TransactionMode mode, boolean backslashes) {
        SectionStatements.checked(schema, file, direction, mode, backslashes);
    }

    /**
     * Runs the statements with the file's settings: inside a transaction, both in one round trip; outside one,
     * the settings first, then the statements one by one.
     */
    private void apply(Connection connection, Section section, List<String> statements, boolean batchable,
                       Timeouts bounds) throws SQLException {
        TransactionMode mode = section.mode();
        List<String[]> settings = settings(mode, bounds);
        boolean batched = mode != TransactionMode.NONE && statements.size() > 1 && batchable;
        if (!batched) {
            configure(connection, settings, mode != TransactionMode.NONE);
        }
        try (LockWatch watch = LockWatch.start(lock, connection, section.file(), schema, bounds, progress)) {
            if (batched) {
                batch(connection, section, settings, statements, watch);
            } else {
                execute(connection, section, statements, watch, mode == TransactionMode.NONE ? bounds.lock() : null);
            }
            if (section.file().java() != null) {
                JavaMigrationRun.run(section.file(), section.direction(), connection, schema);
            }
        }
    }

    /**
     * The section of a file that runs, and how: what a failure's message says was kept and what to do.
     *
     * @param mode the transaction it runs in; outside one (going up or down), a statement may find what an
     *             interrupted run of the same section left
     */
    private record Section(MigrationFile file, Direction direction, TransactionMode mode, List<Integer> lines,
                           int from, MigrationProgress progress, boolean otherRole) {
        Section(MigrationFile file, Direction direction, TransactionMode mode, List<Integer> lines) {
            this(file, direction, mode, lines, 0, null, false);
        }

        /** The line of the file where statement {@code number} (1-based) starts; 0 when unknown. */
        int line(int number) {
            return number > 0 && number <= lines.size() ? lines.get(number - 1) : 0;
        }

        boolean resumable() {
            return mode == TransactionMode.NONE;
        }
    }

    /** @return whether the file's own transaction ({@link TransactionMode#OWN}) was committed with its record */
    private boolean record(Connection connection, MigrationFile file, Direction direction, long millis,
                           TransactionMode mode) throws SQLException {
        AdvisoryLock.Holder holder = lock == null ? null : lock.holder();
        boolean checked = direction == Direction.UP && expected != null;
        String also = recorder != null && direction == Direction.UP
                ? recorder.recordApplied(checked ? History.ROW : History.APPLIED) : null;
        boolean committed = false;
        if (checked) {
            // The registry's row is written in the same statement, or not at all: then the file's transaction
            // goes on for the recorder.
            committed = history.recordExpecting(connection, file, millis, holder, also, expected,
                    mode == TransactionMode.OWN && (recorder == null || also != null));
        } else if (direction == Direction.UP) {
            history.record(connection, file, millis, holder, also);
        } else {
            history.forget(connection, file, holder);
        }
        if (recorder != null && also == null) {
            recorder.record(connection, schema, file, direction);
        }
        return committed;
    }

    /**
     * The failure to record a file that ran, most often because the file dropped the history table, or to commit it.
     *
     * @param atCommit whether the commit failed; otherwise the record did, or the commit sent with it (told by its
     *                 SQL state: a constraint checked at the end of the transaction, or a conflict with another one)
     */
    private MigrationException unrecorded(MigrationFile file, Direction direction, TransactionMode mode,
                                          SQLException e, boolean atCommit) {
        boolean up = direction == Direction.UP;
        String kept = mode == TransactionMode.NONE ? " It runs outside a transaction: its statements stay "
                + (up ? "applied, unrecorded." : "run, and it stays recorded as applied.")
                : " Nothing of this file was " + (up ? "applied." : "rolled back.");
        String why = "42P01".equals(e.getSQLState()) ? " The file dropped the history table "
                + history.qualified() + " (a DROP SCHEMA ... CASCADE, say): drop what it means "
                + "to drop by name, and leave Ashlar's ashlar_* tables alone." : "";
        String state = String.valueOf(e.getSQLState());
        boolean broken = mode == TransactionMode.OWN && state.startsWith("08");
        boolean commit = atCommit || broken || state.startsWith("23") || state.startsWith("40");
        if (broken) {
            kept = " The connection broke during the commit, so whether the file and its record were committed is "
                    + "unknown: migrate again, which reads the history and applies the file only if it is not there.";
        }
        return new MigrationException(ErrorCode.MIGRATION_FAILED, "Migration " + file.fileName() + " ran "
                + (up ? "" : "its down section ") + "on " + schema + ", but "
                + (commit ? "its transaction could not be committed: " : "the history could not record it: ")
                + e.getMessage() + " (SQL state " + e.getSQLState() + ")." + kept + why, file.fileName(), null,
                e.getSQLState(), e);
    }

    /**
     * The session settings to save before a file and give back after it: those its statements change (a Java
     * migration's cannot be read, so the user, role, path and timeouts: {@link SessionSettings#java}; in a caller's
     * transaction given back as {@link SessionSettings#saveWithin} says). The run's id that this runner sets itself with the
     * file's settings (a tenant run's) is not among them: saved before those are set, it would be given back unset,
     * and given back for the session it would stay on the connection after a transaction's {@code SET LOCAL}.
     * {@link #runOnce} sets it again as the file's settings set it instead.
     */
    private List<String> saved(MigrationFile file, SectionStatements section) {
        if (file.java() != null) {
            return SessionSettings.java();
        }
        return deployment == null ? section.settings() : section.settings().stream()
                .filter(name -> !name.equals(Deployment.SETTING)).toList();
    }

    /** A file outside a transaction cannot be undone, so the lock is checked before it starts. */
    private void requireLock(Connection connection, MigrationFile file, Direction direction) throws SQLException {
        if (lock == null) {
            return;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT " + AdvisoryLock.Holder.HELD)) {
            lock.holder().bind(query, 1);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                    throw new LockLostException(file, direction, false);
                }
            }
        }
    }

    /** The search path and the bounds a file runs with, as names and values. */
    private List<String[]> settings(TransactionMode mode, Timeouts timeouts) {
        List<String[]> settings = new ArrayList<>();
        if (searchPath) {
            settings.add(new String[] {"search_path", tenantSearchPath(schema)});
        }
        if (mode != TransactionMode.CALLER && timeouts.lock() != null) {
            settings.add(new String[] {"lock_timeout", Timeouts.millis(timeouts.lock())});
        }
        if (mode != TransactionMode.CALLER && timeouts.statement() != null) {
            settings.add(new String[] {"statement_timeout", Timeouts.millis(timeouts.statement())});
        }
        if (deployment != null) {
            settings.add(new String[] {Deployment.SETTING, deployment});
        }
        return settings;
    }

    /** Sets the settings in one round trip: for the transaction ({@code local}), or for the session without one. */
    private static void configure(Connection connection, List<String[]> settings, boolean local) throws SQLException {
        if (settings.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < settings.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("set_config(?, ?, ").append(local).append(')');
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < settings.size(); i++) {
                statement.setString(2 * i + 1, settings.get(i)[0]);
                statement.setString(2 * i + 2, settings.get(i)[1]);
            }
            statement.execute();
        }
    }

    /** @param before the session's settings before a file outside a transaction set them; null for none */
    private void restore(Connection connection, TransactionMode mode, SessionSettings before, String callerPath,
                         Throwable failure)
            throws SQLException {
        if (mode == TransactionMode.OWN) {
            Cleanup.run(failure, () -> connection.setAutoCommit(true));
        } else if (mode == TransactionMode.CALLER && callerPath != null && failure == null) {
            // The caller's transaction goes on: give it back the search path it had.
            try (PreparedStatement reset = connection.prepareStatement("SELECT set_config('search_path', ?, true)")) {
                reset.setString(1, callerPath);
                reset.execute();
            }
        } else if (before != null) {
            Cleanup.run(failure, () -> restoreOrAbort(connection, before));
        }
    }

    /**
     * Stops cancelling on an interrupt before a file outside a transaction gives the session's settings back: a
     * cancel landing on that restore would leave the run's search path and timeouts on a pooled connection.
     */
    private static void stop(InterruptWatch watch) {
        if (watch != null) {
            watch.close();
        }
    }

    /**
     * Gives the session's settings back, or, when that fails on an open connection (a listener that left it in a
     * failed transaction, say), aborts the connection: a pool drops it rather than hand out the run's search path
     * and timeouts to its next borrower.
     */
    private static void restoreOrAbort(Connection connection, SessionSettings settings) throws SQLException {
        try {
            settings.restore(connection);
        } catch (SQLException | RuntimeException e) {
            try {
                if (!connection.isClosed()) {
                    connection.abort(Runnable::run);
                }
            } catch (SQLException | RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    private static String searchPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('search_path')")) {
            row.next();
            return row.getString(1);
        }
    }

    /**
     * Runs a file's statements inside a transaction in one round trip, after its settings ({@code SET LOCAL}:
     * the names and values are this runner's own, a quoted schema name and numbers of milliseconds). On PostgreSQL's
     * own driver they go as Ashlar split them ({@link StatementPipeline}): a JDBC batch has the driver parse every
     * text again, for every schema of a tenant run, the settings' own text naming the schema.
     */
    private void batch(Connection connection, Section section, List<String[]> settings, List<String> statements,
                       LockWatch watch) throws SQLException {
        List<String> sent = new ArrayList<>(settings.size() + statements.size());
        for (String[] setting : settings) {
            // A deployment id is text, and may begin with a digit: SET reads it whole only as a literal.
            sent.add("SET LOCAL " + setting[0] + " TO " + (setting[0].equals(Deployment.SETTING)
                    ? Literals.quote(setting[1]) : setting[1]));
        }
        sent.addAll(statements);
        StatementBatch.Failure failed;
        if (StatementPipeline.available(connection)) {
            StatementPipeline.Outcome outcome = StatementPipeline.run(connection, sent, outputQueryResults);
            if (outcome.notices() != null) {
                ServerNotices.report(outcome.notices(), section.file().fileName() + " on " + schema, progress);
            }
            failed = outcome.cause() == null ? null : new StatementBatch.Failure(outcome.failed(), outcome.cause());
            if (failed == null) {
                for (QueryResult result : outcome.results()) {
                    report(section, result.index() - settings.size() + 1, result);
                }
            }
        } else {
            failed = StatementBatch.run(connection, sent, batch -> ServerNotices.report(batch,
                    section.file().fileName() + " on " + schema, progress));
        }
        if (failed != null) {
            // Should the driver not say which statement failed (or a setting did), the error shows them all.
            int index = failed.index() - settings.size();
            throw failure(section, index < 0 ? String.join("\n", statements) : statements.get(index), index + 1,
                    failed.cause(), watch == null ? null : watch.lastWait(), false, List.of());
        }
    }

    /**
     * @param lockBound the lock timeout of a file run outside a transaction, where each statement holds only its own
     *                  locks: one whose lock lets reads and writes go on (a concurrent index build or drop, a
     *                  validation) runs without it. Its wait makes no read or write wait behind it, while a concurrent
     *                  build waits for every transaction older than itself, on any table, to end: bounding that
     *                  wait would fail the build whenever some session stays in a transaction that long.
     */
    private void execute(Connection connection, Section section, List<String> statements, LockWatch watch,
                         Duration lockBound) throws SQLException {
        MigrationProgress tracker = section.progress();
        MigrationProgress.Prefix prefix = tracker == null ? null : MigrationProgress.prefix(statements, section.from());
        // A resumed file's session is set as its earlier run had set it (SET ROLE, SET search_path) before it goes on.
        for (String skipped : statements.subList(0, section.from())) {
            if (!SessionSettings.changedBy(List.of(skipped)).isEmpty()) {
                try (Statement statement = connection.createStatement()) {
                    statement.setEscapeProcessing(false);
                    statement.execute(skipped);
                }
            }
        }
        for (int i = section.from(); i < statements.size(); i++) {
            boolean unbounded = lockBound != null && DryRun.letsReadsAndWritesGoOn(statements.get(i));
            // A statement and the count of those done commit together, unless it runs only outside a transaction, may
            // commit (a procedure, a DO block) or controls one (then the count follows it), or the file's own
            // transaction holds both.
            boolean together = tracker != null && !section.otherRole() && !inBlock(connection)
                    && !SqlStatements.runsOutsideTransactionsOnly(statements.get(i))
                    && !SqlStatements.controlsTransaction(statements.get(i)) && !MAY_COMMIT.matcher(statements.get(i)).find();
            try (Statement statement = connection.createStatement()) {
                statement.setEscapeProcessing(false);
                if (together) {
                    try {
                        connection.setAutoCommit(false);
                        runStatement(connection, statement, section, statements.get(i), i + 1, unbounded, lockBound);
                    } catch (SQLException e) {
                        Cleanup.run(e, connection::rollback);
                        Cleanup.run(e, () -> connection.setAutoCommit(true));
                        if (!"25001".equals(e.getSQLState()) && !"2D000".equals(e.getSQLState())) {
                            throw e;
                        }
                        // PostgreSQL runs it only outside a transaction block: alone, the count following it.
                        together = false;
                        runStatement(connection, statement, section, statements.get(i), i + 1, unbounded, lockBound);
                    }
                } else {
                    runStatement(connection, statement, section, statements.get(i), i + 1, unbounded, lockBound);
                }
                if (tracker != null) {
                    prefix.add(statements.get(i));
                    int done = i + 1;
                    String hash = prefix.hash();
                    progressOn(connection, section, c -> tracker.advance(c, section.file().version(), done,
                            section.line(done + 1), hash));
                }
                if (together) {
                    try {
                        connection.commit();
                        connection.setAutoCommit(true);
                    } catch (SQLException e) {
                        Cleanup.run(e, connection::rollback);
                        Cleanup.run(e, () -> connection.setAutoCommit(true));
                        throw e;
                    }
                }
            } catch (SQLException e) {
                // A file outside a transaction may begin its own: one that failed is ended before anything else runs.
                boolean block = section.mode() == TransactionMode.NONE && inBlock(connection);
                if (block) {
                    Cleanup.run(e, () -> rollBack(connection));
                }
                if (section.mode() == TransactionMode.NONE) {
                    IndexLeftovers.dropAfterFailure(connection, statements.get(i), e);
                }
                if (tracker != null && !stopsUnsaid(e.getSQLState())) {
                    String error = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                    Cleanup.run(e, () -> progressOn(connection, section,
                            c -> tracker.fail(c, section.file().version(), error)));
                }
                throw failure(section, statements.get(i), i + 1, e, watch == null ? null : watch.lastWait(), block,
                        block ? List.of() : statements.subList(0, i));
            }
        }
    }

    /** Runs one statement of a file outside a transaction (or in one the caller began for it and its count). */
    private void runStatement(Connection connection, Statement statement, Section section, String sql, int number,
                              boolean unbounded, Duration lockBound) throws SQLException {
        if (SqlStatements.copiesFromStdin(sql)) {
            copyIn(connection, sql);
            return;
        }
        if (unbounded) {
            statement.execute("SET lock_timeout = 0");
        }
        try {
            if (section.resumable()) {
                IndexLeftovers.execute(connection, statement, sql);
            } else {
                statement.execute(sql);
            }
            if (outputQueryResults) {
                try (ResultSet rows = statement.getResultSet()) {
                    if (rows != null) {
                        report(section, number, QueryResult.of(number - 1, rows));
                    }
                }
            }
        } finally {
            ServerNotices.report(statement, section.file().fileName() + " on " + schema, progress);
        }
        if (unbounded) {
            statement.execute("SET lock_timeout = " + Timeouts.millis(lockBound));
        }
    }

    /** Prints the rows statement {@code number} (1-based) of a section returned, unless told not to. */
    private void report(Section section, int number, QueryResult result) {
        if (outputQueryResults) {
            int line = section.line(number);
            progress.accept(result.table("statement " + number + (line > 0 ? " (line " + line + ")" : "") + " of "
                    + section.file().fileName() + " on " + schema));
        }
    }

    /** Writes a section's progress: on its own connection, or as the migrator on the lock's when it became another role. */
    private void progressOn(Connection connection, Section section, ProgressWrite write) throws SQLException {
        if (!section.otherRole()) {
            write.run(connection);
        } else if (!inBlock(connection)) {
            // Not inside the file's own transaction, which may yet roll back: its statements count once it commits.
            lock.onConnection(c -> {
                write.run(c);
                return null;
            });
        }
    }

    /** One write of a section's progress ({@link MigrationProgress}). */
    @FunctionalInterface
    private interface ProgressWrite {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Whether a statement's failure says nothing of the statement itself: the connection was lost or the statement
     * cancelled (Ctrl-C, a statement timeout). Its file then resumes at that statement without a repair.
     */
    private static boolean stopsUnsaid(String sqlState) {
        return DatabaseError.connectionLost(sqlState) || "57014".equals(sqlState);
    }

    /** Sends a {@code COPY ... FROM STDIN} statement's rows through the driver's copy API, as psql does. */
    private static void copyIn(Connection connection, String statement) throws SQLException {
        if (!connection.isWrapperFor(BaseConnection.class)) {
            throw new SQLException("COPY ... FROM STDIN needs the PostgreSQL driver's connection, and this one is a "
                    + connection.getClass().getName() + " that does not wrap one", "0A000");
        }
        try {
            connection.unwrap(BaseConnection.class).getCopyAPI().copyIn(SqlStatements.commandOf(statement),
                    new StringReader(SqlStatements.rowsOf(statement)));
        } catch (IOException e) {
            throw new SQLException("Could not send the rows of a COPY: " + e.getMessage(), "08006", e);
        }
    }

    /**
     * Whether the connection is inside a transaction block that a statement of the file began; false on a connection
     * the pool closed after the statement failed (HikariCP closes it on some SQL states, feature-not-supported 0A000
     * among them), which holds no transaction any more.
     */
    private static boolean inBlock(Connection connection) throws SQLException {
        return !connection.isClosed() && connection.isWrapperFor(BaseConnection.class)
                && connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
    }

    /** Rolls back a transaction block begun by a statement (in auto-commit mode, where JDBC's rollback refuses to). */
    private static void rollBack(Connection connection) throws SQLException {
        try (Statement rollback = connection.createStatement()) {
            rollback.execute("ROLLBACK");
        }
    }

    /**
     * @param block whether the statement failed inside a transaction that the file itself began, rolled back since
     * @param ran   the statements committed before it, outside a transaction
     */
    private MigrationException failure(Section section, String statement, int number, SQLException e,
                                       String blockers, boolean block, List<String> ran) {
        MigrationFile file = section.file();
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String where = server == null || server.getPosition() == 0 ? ""
                : Positions.serverCaret(statement, server.getPosition());
        String kept = section.mode() == TransactionMode.NONE
                ? "This " + (section.direction() == Direction.UP ? "file" : "down section") + " runs outside a "
                + "transaction: " + (block ? "the transaction it began was rolled back, and the statements committed "
                + "before it stay " : "the statements before this one stay ") + (section.direction() == Direction.UP
                ? "applied." + (section.progress() == null ? resumed(number) + rowsWrittenAgain(ran)
                : tracked(section, number, block, e.getSQLState())) : "run, and the file stays recorded as applied."
                + rerun(number))
                : "Nothing of this file was " + (section.direction() == Direction.UP ? "applied." : "rolled back.");
        // A COPY's rows are not shown, only the line of the one the server refused.
        String shown = SqlStatements.copiesFromStdin(statement) ? SqlStatements.commandOf(statement) : statement;
        return new MigrationException(ErrorCode.MIGRATION_FAILED, "Migration " + file.fileName() + " failed on "
                + schema + (number > 0 ? " at statement " + number : " in one of its statements")
                + (section.line(number) > 0 ? " (line " + section.line(number) + ")" : "") + ":\n"
                + Positions.indent(shown, where, Math.max(1, section.line(number))) + "\n"
                + (server == null ? e.getMessage() : server.getSeverity() + ": " + server.getMessage())
                + " (SQL state " + e.getSQLState() + ")\n" + serverNotes(server)
                + context(shown, statement, server, section.line(number)) + kept
                + hint(section, e.getSQLState(), blockers, statement, server == null ? e.getMessage() : server.getMessage())
                + dataHint(server, e.getSQLState())
                + CitusRefusals.hint(server == null ? e.getMessage() : server.getMessage())
                + PsqlVariables.hint(server, statement)
                + violatingRows(server, e.getSQLState(), statement),
                file.fileName(), statement, e.getSQLState(), e);
    }

    /**
     * How a {@code transaction:false} file that failed at statement {@code number} goes on: nothing records how far it
     * got (as in Flyway and Liquibase), so the next run starts it again.
     */
    private static String resumed(int number) {
        return " The file is not recorded: once the cause is fixed, migrate again, and it runs again from its first "
                + "statement" + (number > 1 ? ", so " + before(number) + " must be able to run again "
                + "(CREATE ... IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, DROP ... IF EXISTS; an index that CREATE INDEX "
                + "CONCURRENTLY left invalid is dropped and built again)." : ".");
    }

    /**
     * How a {@code transaction:false} file whose progress is recorded ({@link MigrationProgress}) goes on after it
     * stopped at statement {@code number}: where the next run resumes.
     */
    private String tracked(Section section, int number, boolean block, String sqlState) {
        String where = block ? "the statement that began the transaction that failed" : "statement " + number;
        if (stopsUnsaid(sqlState)) {
            return " Its progress is recorded: migrate again, and it resumes at " + where + ", the statements before it "
                    + "not run again.";
        }
        if (number == 1) {
            return " Nothing of it was applied: migrate again once the cause is fixed.";
        }
        return " It is recorded as failed at " + where + " ('ashlar status' shows it): fix the cause and migrate "
                + "again, and it resumes there, the statements before it not run again.";
    }

    /**
     * The statements already committed that wrote rows ({@code INSERT}, {@code UPDATE}, {@code COPY} ...): running the
     * file again from its first statement would write them again, which, unlike a {@code CREATE} run twice, fails
     * nowhere. Named, so that the rows are not inserted twice unnoticed.
     */
    private static String rowsWrittenAgain(List<String> ran) {
        List<String> writing = new ArrayList<>();
        for (int i = 0; i < ran.size(); i++) {
            String command = SqlStatements.rowsWritten(ran.get(i));
            if (command != null) {
                writing.add((i + 1) + " (" + command + ")");
            }
        }
        if (writing.isEmpty()) {
            return "";
        }
        boolean one = writing.size() == 1;
        return " Of those, statement" + (one ? " " : "s ") + String.join(", ", writing) + " wrote rows, and would "
                + "write them again with nothing to stop " + (one ? "it" : "them") + ": make " + (one ? "it" : "them")
                + " safe to repeat (INSERT ... ON CONFLICT DO NOTHING, a WHERE that skips the rows already written), or "
                + "undo what " + (one ? "it" : "they") + " wrote, before migrating again.";
    }

    /** How a {@code transaction:false} down section that failed at statement {@code number} is run again. */
    private static String rerun(int number) {
        return " Once the cause is fixed, roll it back again, and its down section runs again from its first statement"
                + (number > 1 ? ", so " + before(number) + " must be able to run again (DROP ... IF EXISTS, DROP "
                + "INDEX CONCURRENTLY IF EXISTS)." : ".");
    }

    /** The statements that ran before statement {@code number}, as a phrase. */
    private static String before(int number) {
        return number == 2 ? "statement 1" : "statements 1 to " + (number - 1);
    }

    /**
     * Where inside the statement the server was when it failed, in its own words (the function or DO block and its
     * line, the row of a COPY), with the line of the file that holds that row or that line of a DO block.
     */
    private static String context(String shown, String statement, ServerErrorMessage server, int line) {
        if (server == null || server.getWhere() == null) {
            return "";
        }
        String where = server.getWhere().lines().limit(CONTEXT_LINES).collect(Collectors.joining("\n  "));
        if (!shown.equals(statement)) {
            Matcher row = COPY_ROW.matcher(server.getWhere());
            long below = shown.chars().filter(c -> c == '\n').count();
            return "WHERE: " + where + (row.find() && line > 0
                    ? " (line " + (line + below + Long.parseLong(row.group(1))) + " of the file)" : "") + "\n";
        }
        // PL/pgSQL counts a DO block's lines from the one where its body's quote opens.
        Matcher block = DO_BLOCK_LINE.matcher(server.getWhere());
        Matcher body = DO_BODY.matcher(statement);
        String fileLine = "";
        if (line > 0 && block.find() && body.find()) {
            long before = statement.substring(0, body.start(1)).chars().filter(c -> c == '\n').count();
            fileLine = " (line " + (line + before + Long.parseLong(block.group(1)) - 1) + " of the file)";
        }
        return "WHERE: " + where + fileLine + "\n";
    }

    /**
     * The server's detail and hint, which often say what to change: the duplicated key a unique index met, or the
     * hint a guard of a generated migration raises with its error.
     */
    private static String serverNotes(ServerErrorMessage server) {
        if (server == null) {
            return "";
        }
        return (server.getDetail() == null ? "" : "DETAIL: " + server.getDetail() + "\n")
                + (server.getHint() == null ? "" : "HINT: " + server.getHint() + "\n");
    }

    /** What to do when the rows of the table, not the migration, stop a statement. */
    private static String dataHint(ServerErrorMessage server, String sqlState) {
        String constraint = server == null ? null : server.getConstraint();
        if ("23505".equals(sqlState)) {
            return "\nRows of the table share the values that this statement makes unique (the detail names one such "
                    + "key): change or remove the duplicates, then migrate again.";
        }
        if ("23514".equals(sqlState) && constraint != null && constraint.endsWith("_not_null")) {
            String table = server.getTable();
            // A name at the 63-byte limit may have been cut and hashed (Names.notNullCheck): no column to read there.
            String column = table != null && constraint.startsWith(table + "_")
                    && constraint.getBytes(StandardCharsets.UTF_8).length < Identifiers.MAX_BYTES - 1
                    ? constraint.substring(table.length() + 1, constraint.length() - "_not_null".length()) : null;
            return "\nRows of " + (table == null ? "the table" : table) + " hold null in "
                    + (column == null ? "the column" : "column " + column) + ", which this migration makes required: "
                    + "fill them (UPDATE ... SET ... WHERE ... IS NULL), then migrate again. Check " + constraint
                    + ", added NOT VALID before, already keeps new rows from being null.";
        }
        if ("23502".equals(sqlState)) {
            // Also the undo of a dropped required column: its values went with it, so the column comes back empty.
            return "\nRows of the table hold null in a column that this statement makes required (NOT NULL): fill "
                    + "them, or allow null there, then run it again.";
        }
        String table = server == null || server.getTable() == null ? "the table"
                : (server.getSchema() == null ? "" : server.getSchema() + ".") + server.getTable();
        if ("23514".equals(sqlState)) {
            return "\nRows of " + table + " break " + (constraint == null ? "the check" : "check " + constraint)
                    + ": change or remove them, then migrate again.";
        }
        if ("23503".equals(sqlState) && server.getMessage().startsWith("insert or update on table")) {
            return "\nRows of " + table + " refer to rows that do not exist through " + (constraint == null
                    ? "a foreign key" : "foreign key " + constraint) + " (the detail names one such key): point them at "
                    + "rows that exist, set the key to null, remove them or add the missing rows, then migrate again.";
        }
        if ("2BP01".equals(sqlState)) {
            return "\nOther objects depend on what this statement drops (the detail names them): drop or change them in "
                    + "a migration before this one, then migrate again. CASCADE would drop them too, without a word "
                    + "about what they were.";
        }
        if ("42846".equals(sqlState)) {
            return "\nPostgreSQL cannot convert one of these types to the other: convert the column in a migration of "
                    + "your own, or add an attribute of the new type, copy the values over and remove the old one.";
        }
        return "";
    }

    /**
     * How many rows break the check, foreign key or NOT NULL a statement altering a table could not validate, and the query that
     * lists them; or how many keys rows share in the unique index a statement could not build. Read on the lock's
     * connection (the file's own is in a failed transaction); nothing without a lock or a name.
     */
    private String violatingRows(ServerErrorMessage server, String sqlState, String statement) {
        if (lock == null || server == null || server.getTable() == null || server.getSchema() == null) {
            return "";
        }
        String table = server.getSchema() + "." + server.getTable();
        try {
            if ("23505".equals(sqlState) && server.getConstraint() != null
                    && server.getMessage().startsWith("could not create unique index")) {
                ViolatingRows.Duplicates shared = lock.onConnection(c -> ViolatingRows.duplicates(c, server.getSchema(),
                        server.getTable(), server.getDetail(), statement));
                return shared == null || shared.keys() == 0 ? "" : "\n" + shared.keys() + (shared.keys() == 1
                        ? " key of " + shared.key() + " is" : " keys of " + shared.key() + " are") + " each held by "
                        + "more than one row of " + table + " (" + shared.rows() + " rows in all).";
            }
            if (!ALTER_TABLE.matcher(statement).find()) {
                return "";
            }
            // SET NOT NULL names the column, not a constraint; a check or a foreign key is read from the catalog.
            // Another 23502 (a conversion that makes nulls, a required column added) has no committed rows to show.
            String finder = "23502".equals(sqlState) && server.getColumn() != null
                    && REQUIRE.matcher(statement).find()
                    ? lock.onConnection(c -> ViolatingRows.nulls(c, server.getSchema(), server.getTable(),
                            server.getColumn()))
                    : ("23514".equals(sqlState) || "23503".equals(sqlState)) && server.getConstraint() != null
                    ? lock.onConnection(c -> ViolatingRows.finder(c, server.getSchema(), server.getTable(),
                            server.getConstraint()))
                    : null;
            if (finder == null) {
                return "";
            }
            long rows = lock.onConnection(c -> ViolatingRows.count(c, finder));
            // Rows the file itself made null, or changed, are not committed: a count of 0 would send the reader nowhere.
            if (rows == 0) {
                return "";
            }
            return "\n" + rows + (rows == 1 ? " row of " + table + " breaks it." : " rows of " + table + " break it.")
                    + " Find them with: " + finder + ";";
        } catch (SQLException e) {
            LOG.debug("Could not count the rows breaking {} of {}: {}", server.getConstraint() != null
                    ? server.getConstraint() : "NOT NULL on " + server.getColumn(), table, e.getMessage());
            return "";
        }
    }

    /** The command that records the section's file, and any before it not yet recorded, without running them. */
    private String baseline(Section section) {
        return "'ashlar baseline " + (searchPath ? "--tenant " + schema + " " : "") + "--to "
                + section.file().version() + "' for this file and the ones before it";
    }

    private String hint(Section section, String sqlState, String blockers, String statement, String message) {
        boolean up = section.direction() == Direction.UP;
        if ("55P03".equals(sqlState)) {
            String lock = DryRun.lock(statement);
            return "\nIt waited for a lock" + (blockers == null ? "" : " " + blockers)
                    + (lock.startsWith("unknown") ? "" : "; the statement takes " + lock) + ". "
                    + (section.mode() == TransactionMode.OWN ? "A file in its own transaction is tried "
                    + (retries.count() + 1) + " times, each rolled back. " : "A file outside a transaction is not tried "
                    + "again: once the session is gone, " + (up ? "migrate" : "roll it back") + " again. ")
                    + "End or wait for that session, or raise the lock timeout (--lock-timeout).";
        }
        if (DatabaseError.connectionLost(sqlState)) {
            return "\nThe connection was lost (the session was terminated, or the server stopped): " + (up
                    ? "the file is not recorded as applied, so once the server answers, migrate again to run it"
                    + (section.mode() == TransactionMode.NONE ? " from where it stopped (an index that a CREATE "
                    + "INDEX CONCURRENTLY left invalid is dropped and built again)." : ".")
                    : "the file stays recorded as applied, so once the server answers, roll it back again to run its "
                    + "down section" + (section.mode() == TransactionMode.NONE ? " from its first statement (an index "
                    + "that a CREATE INDEX CONCURRENTLY left invalid is dropped and built again)." : "."));
        }
        if ("57014".equals(sqlState) && Thread.currentThread().isInterrupted()) {
            return "\nThe thread running the migration was interrupted, so its statement was cancelled on the server"
                    + (section.mode() == TransactionMode.NONE ? "." : " and the file rolled back, recorded nowhere.")
                    + " Run again to go on: " + (up ? "migrate" : "roll back") + " again.";
        }
        if ("57014".equals(sqlState) && message != null && message.contains("due to user request")) {
            // Not a timeout: the command was interrupted (Ctrl-C cancels its statement) or another session cancelled it.
            return "\nThe statement was cancelled on request (the command was interrupted, e.g. by Ctrl-C, or another "
                    + "session ran pg_cancel_backend): nothing is wrong with it. Run again to go on: "
                    + (up ? "migrate" : "roll back") + " again.";
        }
        if ("57014".equals(sqlState)) {
            return "\nThe statement was cancelled: if it hit the statement timeout, raise it (--statement-timeout).";
        }
        if ("25001".equals(sqlState)) {
            return switch (section.mode()) {
                case OWN -> up ? "\nPostgreSQL runs this statement only outside a transaction: move it into a "
                        + "file of its own whose up line is '-- migrate:up transaction:false'." : "\nPostgreSQL runs this statement only outside a transaction: write "
                        + "the file's down line as '-- migrate:down transaction:false' to roll it back outside one.";
                case CALLER -> "\nPostgreSQL runs this statement only outside a transaction, and here the file runs "
                        + "inside its caller's (a tenant schema created whole or not at all).";
                case NONE -> "\nPostgreSQL runs this statement only outside a transaction, and the connection the "
                        + "file was given is inside one: give it a connection in auto-commit mode.";
            };
        }
        if (section.mode() == TransactionMode.NONE && up && ALREADY_THERE.contains(sqlState)) {
            return "\nA former run of this file that failed (or whose process died) may have made it: outside a "
                    + "transaction, each statement stays applied. Write the statements so that they can run again "
                    + "(CREATE ... IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, DROP ... IF EXISTS), or undo what the "
                    + "former run left, then migrate again; if it made all of the file, record the file as applied "
                    + "without running it (" + baseline(section) + ").";
        }
        if (section.mode() == TransactionMode.OWN && up && ALREADY_THERE.contains(sqlState)) {
            // Flyway refuses a non-empty schema without a history; here the first CREATE meets what is there.
            return "\nThe database already has it: if its schema was made by another tool or by hand, record the "
                    + "files it already has as applied without running them (" + baseline(section) + "), then "
                    + "migrate again.";
        }
        if ("2D000".equals(sqlState) && section.mode() != TransactionMode.NONE) {
            return "\nA procedure that commits or rolls back runs only outside a transaction block: call it from a "
                    + "file whose " + (up ? "up line is '-- migrate:up" : "down line is '-- migrate:down")
                    + " transaction:false'.";
        }
        if ("55P04".equals(sqlState)) {
            return "\nA value added to an enum type cannot be used in the transaction that added it: add the value in "
                    + "one file and use it in a later one (or add it in a file whose up line is "
                    + "'-- migrate:up transaction:false').";
        }
        return "";
    }
}
