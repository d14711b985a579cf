package dev.ashlar.cli;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.error.AshlarException;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.query.Operation;
import dev.ashlar.spi.resource.Domain;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The demo's last act: rows that break the blog's rules, refused by PostgreSQL and explained by the
 * plugins' error mappers, then a nilify and a cascade at work.
 */
final class DemoData {
    private static final String ADA = "'00000000-0000-0000-0000-00000000000a'";
    private static final String BOB = "'00000000-0000-0000-0000-00000000000b'";

    private final PrintWriter out;
    private final Domain domain;
    private final Plugins plugins;

    DemoData(PrintWriter out, Domain domain, Plugins plugins) {
        this.out = out;
        this.domain = domain;
        this.plugins = plugins;
    }

    void show(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO users (id, email) VALUES (" + ADA + ", 'ada@example.com'), (" + BOB
                    + ", 'bob@example.com')");
            statement.execute("INSERT INTO posts (id, title, author_id) VALUES (1, 'Hello', " + ADA + ")");
            statement.execute("INSERT INTO comments (id, body, rating, post_id, author_id) VALUES (1, 'First!', 5, 1, "
                    + BOB + ")");
            out.println("  Ada wrote a post; Bob commented on it.");
            refused(statement, "comment", "create", "INSERT INTO comments (id, body, rating, post_id) "
                    + "VALUES (2, 'Best post ever', 9, 1)");
            refused(statement, "comment", "create", "INSERT INTO comments (id, body, post_id) VALUES (3, 'Lost', 42)");
            refused(statement, "user", "destroy", "DELETE FROM users WHERE id = " + ADA);
            statement.execute("DELETE FROM users WHERE id = " + BOB);
            out.println("  DELETE Bob -> his comment stays, without an author (nilify): author_id is "
                    + value(statement, "SELECT author_id FROM comments WHERE id = 1"));
            statement.execute("DELETE FROM posts WHERE id = 1");
            out.println("  DELETE the post -> its comments go with it (cascade): "
                    + value(statement, "SELECT count(*) FROM comments") + " comments left");
        }
    }

    private void refused(Statement statement, String resource, String action, String sql) {
        out.println("  " + sql);
        try {
            statement.execute(sql);
            out.println("    -> accepted, which the demo did not expect");
        } catch (SQLException e) {
            ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
            DatabaseError error = m == null ? new DatabaseError(e.getSQLState(), e.getMessage(), null, null, null,
                    null, null) : new DatabaseError(m.getSQLState(), m.getMessage(), m.getDetail(), m.getSchema(),
                    m.getTable(), m.getColumn(), m.getConstraint());
            QueryContext context = new QueryContext(domain, domain.resource(resource), action, Operation.MUTATE);
            Optional<AshlarException> mapped = plugins.all().stream().map(p -> p.mapError(error, context))
                    .flatMap(Optional::stream).findFirst();
            out.println("    -> " + mapped.map(Throwable::getMessage).orElse(error.message()));
        }
    }

    private static Object value(Statement statement, String sql) throws SQLException {
        try (var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getObject(1);
        }
    }
}
