package dev.ashlar.plugins.checks;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.resource.Domain;
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

/** A project folder driven like {@code ashlar codegen} and {@code ashlar migrate}, with the checks plugin installed. */
final class Project {
    static final Plugins PLUGINS = Plugins.none().with(new ChecksPlugin());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private final Path dir;
    private final TestDatabase db;

    Project(Path dir, TestDatabase db) {
        this.dir = dir;
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    Codegen.Result generate(Domain domain, String name) {
        return new Codegen(dir, domain, PLUGINS, Renames.none(), CLOCK).generate(name);
    }

    Codegen.Result migrate(Domain domain, String name) {
        Codegen.Result result = generate(domain, name);
        migrator().migrate();
        return result;
    }

    Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(dir, Scope.MAIN)).progress(line -> { });
    }

    /** The check's definition as PostgreSQL prints it, e.g. {@code CHECK ((amount > 0))}. */
    Object definition(String constraint) {
        return db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = ?", constraint);
    }

    /** Runs a statement the server must refuse and returns its error, as the data layer hands it to plugins. */
    DatabaseError failure(String sql) {
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (PSQLException e) {
            ServerErrorMessage m = e.getServerErrorMessage();
            return new DatabaseError(m.getSQLState(), m.getMessage(), m.getDetail(), m.getSchema(), m.getTable(),
                    m.getColumn(), m.getConstraint());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected the server to refuse " + sql);
    }
}
