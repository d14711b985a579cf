package dev.ashlar.plugins.references;

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
import java.util.List;
import java.util.Map;

/** A project folder driven like {@code ashlar codegen} and {@code ashlar migrate}, with the references plugin installed. */
final class Project {
    static final Plugins PLUGINS = Plugins.none().with(new ReferencesPlugin());
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

    /** Generates the migration to the domain and applies it. */
    Codegen.Result migrate(Domain domain, String name) {
        Codegen.Result result = generate(domain, name);
        migrator().migrate();
        return result;
    }

    Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(dir, Scope.MAIN)).progress(line -> { });
    }

    /** One foreign key as the catalog describes it. */
    Map<String, Object> constraint(String name) {
        return db.query("""
                SELECT k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update, k.condeferrable AS deferrable,
                       k.condeferred AS deferred, k.confmatchtype::text AS match, pg_get_constraintdef(k.oid) AS definition,
                       (SELECT string_agg(a.attname, ',' ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
                          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS columns,
                       (SELECT string_agg(a.attname, ',' ORDER BY u.i) FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
                          JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) AS referenced
                  FROM pg_constraint k WHERE k.conname = ?
                """, name).get(0);
    }

    List<String> constraintNames() {
        return db.query("SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY conname").stream()
                .map(row -> (String) row.get("conname")).toList();
    }

    /** Runs statements in one transaction and returns the error the server reported, as the data layer hands it to plugins. */
    DatabaseError failure(String... statements) {
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
