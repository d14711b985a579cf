package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.schema.Scope;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A migration written in Java (Flyway's {@code JavaMigration}, Liquibase's {@code customChange}), for a backfill or a
 * data fix that needs code: hashing, parsing, calling the application's own classes. It is applied in version order
 * with the SQL files of the main schema's {@code migrations/} folder, recorded in the same history (with the checksum
 * algorithm {@code java}), shown by {@code status}, and undone by {@code rollback} through {@link #down}. Register it
 * with {@code Project.javaMigrations(...)} (or {@link Migrator#javaMigrations}); the Spring Boot starter registers
 * every bean of this type. Most migrations extend {@link BaseJavaMigration}, which reads the version and name from
 * the class's name:
 *
 * <pre>{@code
 * public class V20260101120000__backfill_slugs extends BaseJavaMigration {
 *     public void up(Connection connection) throws SQLException {
 *         try (var select = connection.prepareStatement("SELECT id, title FROM posts WHERE slug IS NULL");
 *              var update = connection.prepareStatement("UPDATE posts SET slug = ? WHERE id = ?");
 *              var rows = select.executeQuery()) {
 *             while (rows.next()) {
 *                 update.setString(1, Slugs.of(rows.getString(2)));
 *                 update.setLong(2, rows.getLong(1));
 *                 update.executeUpdate();
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #up} and {@link #down} run on the migration's own connection, under the migration lock, inside the
 * migration's transaction unless {@link #transactional()} is false: they must not commit, roll back, close the
 * connection or change its auto-commit mode (the connection they are given refuses to). Anything they throw stops
 * the run with a {@link MigrationException} naming the migration; in a transaction nothing of it stays applied.
 *
 * <p>A migration whose {@link #scope()} is {@link Scope#TENANT} belongs to {@code tenant_migrations/} instead: it runs
 * once in every tenant schema, in version order with the tenant files, with the search path set to that schema alone
 * (and {@code pg_temp} last), recorded in that schema's history; and in every tenant schema created later.
 */
public interface JavaMigration {
    /** The version, 14 digits like a file's ({@code 20260101120000}); a file with the same version is refused. */
    String version();

    /** The name shown by {@code status} and recorded in the history: lowercase letters, digits and {@code _}. */
    String name();

    /** Applies the migration. */
    void up(Connection connection) throws SQLException;

    /**
     * Undoes the migration for {@code rollback}; by default there is nothing to undo it with, and a rollback (or a
     * {@code migrate --test-rollback}) that would reach it is refused, naming it, before anything is rolled back.
     */
    default void down(Connection connection) throws SQLException {
        throw new MigrationException(ErrorCode.MIGRATION_FAILED, "Java migration " + version()
                + "_" + name() + " (" + getClass().getName() + ") has no down: override down(Connection) with what "
                + "undoes it, or roll back to a later version.", version() + "_" + name());
    }

    /**
     * Which sequence of migrations this one belongs to: {@link Scope#MAIN} (the default) for the main schema's
     * {@code migrations/}, {@link Scope#TENANT} for {@code tenant_migrations/}, run in each tenant schema on a
     * connection whose search path is that schema alone, so that unqualified names reach no other tenant's tables.
     */
    default Scope scope() {
        return Scope.MAIN;
    }

    /** Whether {@link #up} and {@link #down} run in a transaction of their own (true by default). */
    default boolean transactional() {
        return true;
    }

    /**
     * What the history records as the migration's checksum, for {@code validate} and {@code repair}: change it when
     * the migration changes in a way that matters, as an edited file does. Null (the default) records the fixed
     * marker {@code java}, which never reads as changed.
     */
    default String checksum() {
        return null;
    }
}
