package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.DatabaseError;

import java.sql.SQLException;
import java.util.List;

/** Calls the {@link MigrationListener}s of a run, in order, and names a listener's failure. */
final class Listeners implements MigrationListener {
    private final List<MigrationListener> listeners;

    private Listeners(List<MigrationListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** One listener telling all of these, in order; null when there are none (a run then makes no events). */
    static MigrationListener of(List<MigrationListener> listeners) {
        return listeners.isEmpty() ? null : listeners.size() == 1 ? listeners.get(0) : new Listeners(listeners);
    }

    @FunctionalInterface
    interface Call {
        void run() throws SQLException;
    }

    /**
     * Calls a listener's step; its failure stops the run, naming the step, the file and what stays applied.
     *
     * @param outcome what the failure leaves, e.g. "Nothing of the file is applied."
     */
    static void call(String step, MigrationEvent event, String outcome, Call call) {
        try {
            call.run();
        } catch (SqlCallbacks.CallbackException e) {
            throw new MigrationException(ErrorCode.MIGRATION_FAILED, e.getMessage() + "\n" + outcome,
                    e.file().orElse(null), e.statement().orElse(null), e.sqlState().orElse(null), e);
        } catch (SQLException | RuntimeException e) {
            String file = event.file() == null ? null : event.file().fileName();
            String state = sqlState(e);
            // A session ended by the server or an administrator is no fault of the listener's code.
            String fix = DatabaseError.connectionLost(state) ? " Its connection to the database was lost (SQL state "
                    + state + "), which is no fault of the listener: run again once the server answers."
                    : " Fix the listener (Project.listener) and run again.";
            throw new MigrationException(ErrorCode.MIGRATION_FAILED, "A migration listener failed in " + step
                    + (file == null ? "" : " of " + file) + " on " + event.schema() + ": " + e.getMessage() + ". "
                    + outcome + fix, file, null, state, e);
        }
    }

    /**
     * The SQL state behind a listener's failure: its own, an Ashlar exception's (a listener using Ashlar's API), or
     * the first {@code SQLException}'s in its causes (one wrapped by Jdbi, Spring or the listener); null for none.
     */
    private static String sqlState(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (cause instanceof AshlarException ashlar && ashlar.sqlState().isPresent()) {
                return ashlar.sqlState().get();
            }
        }
        return null;
    }

    /** Calls a listener's error step; its own failure is added to the run's error, never in its place. */
    static void afterError(Throwable failure, Call call) {
        try {
            call.run();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void beforeRun(MigrationEvent event) throws SQLException {
        for (MigrationListener listener : listeners) {
            listener.beforeRun(event);
        }
    }

    @Override
    public void beforeEach(MigrationEvent event) throws SQLException {
        for (MigrationListener listener : listeners) {
            listener.beforeEach(event);
        }
    }

    @Override
    public void afterEach(MigrationEvent event, long millis) throws SQLException {
        for (MigrationListener listener : listeners) {
            listener.afterEach(event, millis);
        }
    }

    @Override
    public void afterEachError(MigrationEvent event, Exception error) throws SQLException {
        for (MigrationListener listener : listeners) {
            afterError(error, () -> listener.afterEachError(event, error));
        }
    }

    @Override
    public void afterRun(MigrationEvent event, List<MigrationFile> files) throws SQLException {
        for (MigrationListener listener : listeners) {
            listener.afterRun(event, files);
        }
    }

    @Override
    public void beforeCommand(Command command, MigrationEvent event) throws SQLException {
        for (MigrationListener listener : listeners) {
            listener.beforeCommand(command, event);
        }
    }

    @Override
    public void afterCommand(Command command, MigrationEvent event, List<String> done) throws SQLException {
        for (MigrationListener listener : listeners) {
            listener.afterCommand(command, event, done);
        }
    }

    @Override
    public void afterCommandError(Command command, MigrationEvent event, Exception error) throws SQLException {
        for (MigrationListener listener : listeners) {
            afterError(error, () -> listener.afterCommandError(command, event, error));
        }
    }

    @Override
    public void afterRunError(MigrationEvent event, Exception error) throws SQLException {
        for (MigrationListener listener : listeners) {
            afterError(error, () -> listener.afterRunError(event, error));
        }
    }
}
