package dev.ashlar.testing.kit;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.TestDatabase;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A project folder for a plugin's tests, driven like {@code ashlar codegen} and {@code ashlar migrate}
 * with the plugins given, on a test database whose {@code public} schema starts empty. Plugin test
 * modules extend it with their own catalog queries.
 */
public class ProjectFolder {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private final Path dir;
    private final TestDatabase db;
    private final Plugins plugins;

    public ProjectFolder(Path dir, TestDatabase db, Plugins plugins) {
        this.dir = dir;
        this.db = db;
        this.plugins = plugins;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    public Path dir() {
        return dir;
    }

    public TestDatabase db() {
        return db;
    }

    /** Writes the migrations that bring the folder to the domain. */
    public Codegen.Result generate(Domain domain, String name) {
        return new Codegen(dir, domain, plugins, Renames.none(), CLOCK).generate(name);
    }

    /** Generates the migration to the domain and applies it. */
    public Codegen.Result migrate(Domain domain, String name) {
        Codegen.Result result = generate(domain, name);
        migrator().migrate();
        return result;
    }

    /** The migrator of the folder's main-schema migrations, quiet. */
    public Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(dir, Scope.MAIN)).progress(line -> { });
    }

    /**
     * Runs statements in one transaction that the server must refuse, and returns its error as the
     * data layer hands it to plugins' error mappers.
     */
    public DatabaseError failure(String... statements) {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (PSQLException e) {
                connection.rollback();
                ServerErrorMessage m = e.getServerErrorMessage();
                return new DatabaseError(m.getSQLState(), m.getMessage(), m.getDetail(), m.getSchema(), m.getTable(),
                        m.getColumn(), m.getConstraint());
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected the server to refuse " + List.of(statements));
    }
}
