package dev.ashlar.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh database on the test server, for one test class, with a HikariCP pool. Handed to tests by
 * {@link PostgresExtension} as a parameter.
 */
public final class TestDatabase implements AutoCloseable {
    private final PostgresServer server;
    private final String name;
    private final HikariDataSource dataSource;

    TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.urlFor(name));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        config.setPoolName("test-" + name);
        this.dataSource = new HikariDataSource(config);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return server.urlFor(name);
    }

    /** The JDBC URL with the user and password in it, as a command line takes it. */
    public String urlWithCredentials() {
        String url = jdbcUrl().replaceAll("([?&])(user|password)=[^&]*", "$1").replaceAll("[?&]+$", "");
        return url + (url.contains("?") ? "&" : "?") + "user=" + user() + (password().isEmpty() ? "" : "&password=" + password());
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** The server's major version, e.g. 13 or 17. */
    public int serverMajorVersion() {
        return server.majorVersion();
    }

    /** Connections borrowed from the pool and not yet returned. */
    public int activeConnections() {
        return dataSource.getHikariPoolMXBean() == null ? 0 : dataSource.getHikariPoolMXBean().getActiveConnections();
    }

    /** Runs SQL (several statements allowed) on a pooled connection. */
    public void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            try {
                statement.execute(sql);
            } catch (SQLException e) {
                // SQL that opened a transaction with BEGIN and failed inside it would leave the pooled
                // connection in an aborted transaction for the next test.
                statement.execute("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + "\nSQL: " + sql, e);
        }
    }

    /** Runs a query and returns its rows as ordered column-to-value maps. */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> result = new ArrayList<>();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns; c++) {
                        row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + "\nSQL: " + sql, e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public Object value(String sql, Object... parameters) {
        List<Map<String, Object>> rows = query(sql, parameters);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("Expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }

    /** Drops the database (on Citus, on every node; see {@link PostgresServer#dropDatabase}). */
    @Override
    public void close() {
        dataSource.close();
        try {
            server.dropDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A login role that may create objects in schema {@code public}, for the length of a try block: closing it drops
     * what it owns and the role (roles belong to the server, not to the test's database).
     */
    public Role loginRole(String name) {
        execute("DROP ROLE IF EXISTS " + name + "; CREATE ROLE " + name + " LOGIN; GRANT CREATE, USAGE ON SCHEMA public TO "
                + name);
        return new Role(this, name);
    }

    /** A role made by {@link #loginRole}. */
    public record Role(TestDatabase db, String name) implements AutoCloseable {
        @Override
        public void close() {
            db.execute("DROP OWNED BY " + name + "; DROP ROLE " + name);
        }
    }
}
