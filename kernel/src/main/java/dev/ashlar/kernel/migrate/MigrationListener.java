package dev.ashlar.kernel.migrate;

import java.sql.SQLException;
import java.util.List;

/**
 * Told what a migration run does, as Flyway's callbacks are: before and after the run, and before and after each file
 * (up or down); and before and after the commands that run no file ({@link #beforeCommand}: baseline, repair, clean,
 * validate). Every method gets the run's connection, under the migration lock, so a listener may run SQL of its
 * own: grant privileges after a run, write an audit row with each file, refuse a file. Register one with
 * {@code Project.listener(...)} or {@link Migrator#listener}; every method does nothing by default.
 *
 * <pre>{@code
 * project.listener(new MigrationListener() {
 *     public void afterRun(MigrationEvent event, List<MigrationFile> files) throws SQLException {
 *         try (var grant = event.connection().createStatement()) {
 *             grant.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting");
 *         }
 *     }
 * }).migrate();
 * }</pre>
 *
 * <p>{@link #beforeEach} and {@link #afterEach} run inside the file's transaction (none for a
 * {@code transaction:false} file): what they do commits with the file, and one that throws fails the file, which is
 * then rolled back and not recorded. A file retried after a lock timeout is announced again. {@link #afterEachError}
 * and {@link #afterRunError} run after the rollback, in auto-commit; what they throw is added to the run's error as
 * suppressed, never in its place. A listener's own failure elsewhere stops the run with a {@link MigrationException}
 * naming the listener's step and the file.
 *
 * <p>The callback files of a migrations folder ({@code beforeMigrate.sql}, {@code afterMigrate.sql},
 * {@code beforeEachMigrate.sql}, {@code afterEachMigrate.sql}, {@code afterMigrateError.sql}; see
 * {@link MigrationDirectory#CALLBACKS}) run at the same points of each migrate run, before the listeners. A
 * {@link JavaMigration} is told of as a file whose {@link MigrationFile#java()} is the migration.
 */
public interface MigrationListener {
    /** Before a migrate or rollback run looks at its files, once it holds the migration lock. */
    default void beforeRun(MigrationEvent event) throws SQLException {
    }

    /** Before a file's section runs, inside its transaction. */
    default void beforeEach(MigrationEvent event) throws SQLException {
    }

    /** After a file's section ran, inside its transaction, before its history row is written. */
    default void afterEach(MigrationEvent event, long millis) throws SQLException {
    }

    /** After a file failed and was rolled back (what a {@code transaction:false} file committed stays). */
    default void afterEachError(MigrationEvent event, Exception error) throws SQLException {
    }

    /** After a run ended well, with the files it applied or rolled back, in order (empty when there was nothing). */
    default void afterRun(MigrationEvent event, List<MigrationFile> files) throws SQLException {
    }

    /** After a run stopped on an error, with the connection back in auto-commit. */
    default void afterRunError(MigrationEvent event, Exception error) throws SQLException {
    }

    /** The commands that run no file, told with {@link #beforeCommand} and after it (Flyway's baseline, repair, clean and validate events). */
    enum Command {
        /** {@code baseline}: pending files recorded as applied without running them. */
        BASELINE,
        /** {@code repair}: the history made to agree with the files. */
        REPAIR,
        /** {@code clean}: everything the migrations made dropped. */
        CLEAN,
        /** {@code validate}: the history checked against the files; it takes no lock and changes nothing. */
        VALIDATE
    }

    /**
     * Before a command that runs no file starts, on its connection: under the migration lock, but for
     * {@link Command#VALIDATE}, which takes none. The event names the schema; it has no file and no direction.
     */
    default void beforeCommand(Command command, MigrationEvent event) throws SQLException {
    }

    /**
     * After such a command ended well, with what it did, a line each: the files baselined, what was repaired, what
     * clean dropped, or for validate each migration with its state.
     */
    default void afterCommand(Command command, MigrationEvent event, List<String> done) throws SQLException {
    }

    /** After such a command stopped on an error; what it throws is added to the command's error as suppressed. */
    default void afterCommandError(Command command, MigrationEvent event, Exception error) throws SQLException {
    }

    /** One listener telling each of these in order; null when there are none (a run then makes no events). */
    static MigrationListener all(List<MigrationListener> listeners) {
        return Listeners.of(listeners);
    }
}
