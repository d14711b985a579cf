package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.FileRunner.Direction;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The callback files of a migrations folder ({@link MigrationDirectory#CALLBACKS}), run as a listener of each migrate
 * run: {@code beforeMigrate.sql} and {@code afterMigrate.sql} around every run, in transactions of their own, even with
 * nothing pending; {@code beforeEachMigrate.sql} and {@code afterEachMigrate.sql} inside each migration's transaction;
 * {@code afterMigrateError.sql} after a run failed and was rolled back. Rollbacks run none, and nothing is recorded.
 */
final class SqlCallbacks implements MigrationListener {
    private final Map<String, MigrationFile> files;
    private final FileRunner runner;
    private final Placeholders placeholders;

    /** @param runner runs each file, told to no listener (a callback is no migration to tell of) */
    SqlCallbacks(Map<String, MigrationFile> files, FileRunner runner, Placeholders placeholders) {
        this.files = Map.copyOf(files);
        this.runner = runner.listener(null);
        this.placeholders = placeholders;
    }

    @Override
    public void beforeRun(MigrationEvent event) throws SQLException {
        run("beforeMigrate.sql", event, TransactionMode.OWN);
    }

    @Override
    public void beforeEach(MigrationEvent event) throws SQLException {
        run("beforeEachMigrate.sql", event, TransactionMode.CALLER);
    }

    @Override
    public void afterEach(MigrationEvent event, long millis) throws SQLException {
        run("afterEachMigrate.sql", event, TransactionMode.CALLER);
    }

    @Override
    public void afterRun(MigrationEvent event, List<MigrationFile> applied) throws SQLException {
        run("afterMigrate.sql", event, TransactionMode.OWN);
    }

    @Override
    public void afterRunError(MigrationEvent event, Exception error) throws SQLException {
        run("afterMigrateError.sql", event, TransactionMode.OWN);
    }

    private void run(String name, MigrationEvent event, TransactionMode mode) throws SQLException {
        MigrationFile file = files.get(name);
        if (file == null || event.direction() != Direction.UP) {
            return;
        }
        Connection connection = event.connection();
        MigrationFile replaced = placeholders.apply(file, Direction.UP, event.schema(),
                connection.getMetaData().getUserName());
        try {
            runner.run(connection, replaced, Direction.UP, mode);
        } catch (MigrationException e) {
            throw new CallbackException("Callback " + name + " (" + file.path() + ") failed: " + e.getMessage(), name,
                    e);
        }
    }

    /** A callback file's failure, told as it is: it names the file, the statement and its line already. */
    static final class CallbackException extends MigrationException {
        private static final long serialVersionUID = 1L;

        CallbackException(String message, String file, MigrationException cause) {
            super(ErrorCode.MIGRATION_FAILED, message, file, cause.statement().orElse(null),
                    cause.sqlState().orElse(null), cause);
        }
    }
}
