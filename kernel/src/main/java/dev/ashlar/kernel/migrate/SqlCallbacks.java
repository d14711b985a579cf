package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.FileRunner.Direction;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The callback files of a migrations folder ({@link MigrationDirectory#CALLBACKS}), run as a listener of each migrate
 * run: {@code beforeMigrate.sql} and {@code afterMigrate.sql} around every run, in transactions of their own, even with
 * nothing pending; {@code beforeEachMigrate.sql} and {@code afterEachMigrate.sql} inside each migration's transaction;
 * {@code afterMigrateError.sql} after a run failed and was rolled back. Rollbacks run none, and nothing is recorded;
 * a dry run shows them where the run would run them, and runs none.
 * Tenant runs run them in each schema ({@link Migrator#withCallbacks}), and a tenant created at run time inside the
 * creating transaction ({@link #within}).
 */
public final class SqlCallbacks implements MigrationListener {
    private final Map<String, MigrationFile> files;
    private final FileRunner runner;
    private final Placeholders placeholders;
    private final TransactionMode around;

    /**
     * @param runner runs each file, told to no listener (a callback is no migration to tell of)
     * @param around how {@code beforeMigrate.sql} and {@code afterMigrate.sql} run: in their own transactions, or in
     *               the caller's while a tenant is created
     */
    SqlCallbacks(Map<String, MigrationFile> files, FileRunner runner, Placeholders placeholders,
                 TransactionMode around) {
        this.files = Map.copyOf(files);
        this.runner = runner.listener(null);
        this.placeholders = placeholders;
        this.around = around;
    }

    /**
     * The callbacks of a tenant schema created in the caller's transaction: every callback runs in that transaction
     * ({@code afterMigrateError.sql} cannot: the caller rolls back), with the schema as its search path, giving the
     * transaction's own back after it.
     */
    public static MigrationListener within(Map<String, MigrationFile> files, String schema,
                                           Placeholders placeholders) {
        return new SqlCallbacks(files, new FileRunner(schema, true), placeholders, TransactionMode.CALLER);
    }

    @Override
    public void beforeRun(MigrationEvent event) throws SQLException {
        if (event.direction() == Direction.UP) {
            checked(event.connection(), event.schema(), SqlStatements.backslashesIn(event.connection()));
        }
        run("beforeMigrate.sql", event, around);
    }

    /**
     * What a migrate run would run of these callbacks around the dry runs of its {@code files}, in the order it runs
     * them: {@code beforeMigrate.sql}, the each-migrate ones around each file, {@code afterMigrate.sql}; each checked
     * and its placeholders replaced as {@link #beforeRun} does. {@code afterMigrateError.sql} runs only after a failure,
     * and an empty callback runs nothing: neither is shown.
     */
    List<DryRun> dryRun(Connection connection, String schema, List<DryRun> files, boolean backslashes)
            throws SQLException {
        Map<String, MigrationFile> checked = checked(connection, schema, backslashes);
        List<DryRun> all = new ArrayList<>();
        add(all, checked.get("beforeMigrate.sql"), "before the run", true, backslashes);
        for (DryRun file : files) {
            String of = file.file().fileName() + (file.transactional() ? ", in its transaction" : ", outside a "
                    + "transaction");
            add(all, checked.get("beforeEachMigrate.sql"), "before " + of, file.transactional(), backslashes);
            all.add(file);
            add(all, checked.get("afterEachMigrate.sql"), "after " + of, file.transactional(), backslashes);
        }
        add(all, checked.get("afterMigrate.sql"), "after the run", true, backslashes);
        return List.copyOf(all);
    }

    private static void add(List<DryRun> all, MigrationFile callback, String when, boolean transactional,
                            boolean backslashes) {
        if (callback != null) {
            DryRun run = DryRun.callback(callback, when, transactional, backslashes);
            if (!run.statements().isEmpty()) {
                all.add(run);
            }
        }
    }

    /** Every callback with its placeholders replaced for {@code schema}, refused as the run would refuse it. */
    private Map<String, MigrationFile> checked(Connection connection, String schema, boolean backslashes)
            throws SQLException {
        Map<String, MigrationFile> checked = new HashMap<>();
        for (MigrationFile file : files.values()) {
            try {
                MigrationFile replaced = replaced(file, schema, connection);
                runner.check(replaced, Direction.UP, around, backslashes);
                checked.put(file.fileName(), replaced);
            } catch (MigrationException e) {
                throw failed(file, e);
            }
        }
        return checked;
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
        run("afterMigrate.sql", event, around);
    }

    @Override
    public void afterRunError(MigrationEvent event, Exception error) throws SQLException {
        if (around == TransactionMode.OWN) {
            run("afterMigrateError.sql", event, TransactionMode.OWN);
        }
    }

    private void run(String name, MigrationEvent event, TransactionMode mode) throws SQLException {
        MigrationFile file = files.get(name);
        if (file == null || event.direction() != Direction.UP) {
            return;
        }
        try {
            runner.run(event.connection(), replaced(file, event.schema(), event.connection()), Direction.UP, mode);
        } catch (MigrationException e) {
            throw failed(file, e);
        }
    }

    private MigrationFile replaced(MigrationFile file, String schema, Connection connection) throws SQLException {
        return placeholders.apply(file, Direction.UP, schema, connection);
    }

    private static CallbackException failed(MigrationFile file, MigrationException e) {
        return new CallbackException("Callback " + file.fileName() + " (" + file.path() + ") failed: "
                + e.getMessage(), file.fileName(), e);
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
