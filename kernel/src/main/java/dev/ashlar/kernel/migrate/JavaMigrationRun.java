package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.FileRunner.Direction;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Runs a {@link JavaMigration}'s {@code up} or {@code down} on the runner's connection, inside the section the runner
 * opened for it (its transaction, settings and search path), and turns what it throws into a failure naming it.
 */
final class JavaMigrationRun {
    /**
     * What the migration may not do to the runner's connection: the runner ends the transaction once the history row
     * is written, and the connection goes on to the next migration.
     */
    private static final Set<String> REFUSED = Set.of("commit", "rollback", "close", "setAutoCommit", "abort");

    private JavaMigrationRun() {
    }

    static void run(MigrationFile file, Direction direction, Connection connection, String schema) {
        JavaMigration migration = file.java();
        Connection guarded = guarded(connection, file);
        try {
            if (direction == Direction.UP) {
                migration.up(guarded);
            } else {
                migration.down(guarded);
            }
        } catch (MigrationException e) {
            throw e;
        } catch (Exception | AssertionError | LinkageError e) {
            // An assertion or a class the migration could not load is its failure, to name; the JVM's own
            // (out of memory, stack overflow) go up as they are.
            String state = e instanceof SQLException sql ? sql.getSQLState() : null;
            throw new MigrationException(ErrorCode.MIGRATION_FAILED, "Java migration " + file.fileName() + " ("
                    + file.version() + "_" + file.name() + ") failed " + (direction == Direction.UP ? "" : "rolling "
                    + "back ") + "on " + schema + ": " + e + (state == null ? "" : " (SQL state " + state + ")") + ". "
                    + (file.transactional() ? "Nothing of it was " + (direction == Direction.UP ? "applied"
                    : "rolled back") + "." : "It runs outside a transaction: what it did before the error stays, "
                    + "and it was not recorded."), file.fileName(), null, state, e);
        }
    }

    /**
     * Whether the migration overrides {@link JavaMigration#down}, whose default has nothing to undo with: asked before
     * a rollback or a rehearsal of one runs anything, which could otherwise stop half way at it. The one place a
     * method's override is looked up, as the interface has no other way to say it (and a new method on it would break
     * the migrations already written).
     */
    static boolean hasDown(JavaMigration migration) {
        try {
            return !migration.getClass().getMethod("down", Connection.class).isDefault();
        } catch (NoSuchMethodException e) {
            return true; // every JavaMigration has a public down(Connection)
        }
    }

    /** The connection as the migration sees it: one that refuses to end the runner's transaction or to close. */
    private static Connection guarded(Connection connection, MigrationFile file) {
        return (Connection) Proxy.newProxyInstance(JavaMigrationRun.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (REFUSED.contains(method.getName())) {
                        throw refused(file, method);
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static MigrationException refused(MigrationFile file, Method method) {
        return new MigrationException(ErrorCode.MIGRATION_FAILED, "Java migration " + file.fileName() + " called "
                + method.getName() + "() on the migration's connection, which the runner owns: it commits or rolls "
                + "back the migration with its history row and goes on with the next one. Remove the call (return "
                + "normally to commit, throw to roll back; for work in transactions of its own, make transactional() "
                + "return false and use a connection of your own). Nothing of it was applied.", file.fileName());
    }
}
