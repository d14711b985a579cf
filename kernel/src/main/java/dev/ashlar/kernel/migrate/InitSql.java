package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.sql.Literals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL run on every connection a migration opens, right after opening it, as Flyway's {@code initSql} and Boot's
 * {@code spring.flyway.init-sqls}: {@code SET ROLE app_owner} so that the tables belong to the owning role, a
 * {@code SET lock_timeout}, a {@code SET search_path}. It runs on the run's connection, the lock's and each tenant
 * job's, before the migrator reads or writes anything, so the history is read and written as it sets up. What it
 * changes for the session ({@code SET ...}, {@code RESET ...}) is given back when the connection is closed, so a
 * pooled connection goes back to the application's pool as it came.
 *
 * @param statements the statements, each run alone in auto-commit mode; none for no init SQL
 */
public record InitSql(List<String> statements) {
    private static final Logger LOG = LoggerFactory.getLogger(InitSql.class);

    /** No init SQL: connections are used as the data source lends them. */
    public static final InitSql NONE = new InitSql(List.of());

    public InitSql {
        statements = List.copyOf(statements);
    }

    /**
     * The statements of a script, split as a migration's are; blank for none.
     *
     * @throws MigrationException for a statement that begins or ends a transaction, which would leave the migrator's
     *                            connection inside one
     */
    public static InitSql of(String script) {
        List<String> statements = script == null ? List.of() : SqlStatements.split(script);
        for (String statement : statements) {
            if (SqlStatements.controlsTransaction(statement)) {
                throw new MigrationException(ErrorCode.MIGRATION, "The init SQL holds " + statement + ", which "
                        + "begins or ends a transaction: the migrator runs each file in transactions of its own. "
                        + "Give the init SQL (--init-sql, initSql, ashlar.migrate.init-sqls) session settings only, "
                        + "e.g. SET ROLE app_owner", null);
            }
        }
        return new InitSql(statements);
    }

    /**
     * This init SQL, then the session setting that names who applies migrations ({@link History#INSTALLED_BY_SETTING},
     * Flyway's {@code installedBy}), given back on close as the others; itself for null.
     */
    public InitSql installedBy(String user) {
        if (user == null) {
            return this;
        }
        List<String> all = new ArrayList<>(statements);
        all.add("SET " + History.INSTALLED_BY_SETTING + " = " + Literals.quote(user));
        return new InitSql(all);
    }

    /**
     * Runs the statements on a connection just opened, and returns it as one whose {@code close()} first gives back
     * what they changed; the connection itself when there are none.
     *
     * @throws SQLException naming the init SQL and the statement that failed, the connection closed
     */
    public Connection initialise(Connection connection) throws SQLException {
        if (statements.isEmpty()) {
            return connection;
        }
        try {
            SessionSettings saved = SessionSettings.save(connection, SessionSettings.changedBy(statements));
            run(connection);
            return saved == null ? connection : restoredOnClose(connection, saved);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void run(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < statements.size(); i++) {
                try {
                    statement.execute(statements.get(i));
                } catch (SQLException e) {
                    throw new SQLException("The init SQL failed at its statement " + (i + 1) + ", "
                            + statements.get(i) + ": " + e.getMessage() + ". Fix or remove it (--init-sql, initSql, "
                            + "ashlar.migrate.init-sqls); nothing was migrated on this connection", e.getSQLState(), e);
                }
            }
        }
        connection.setAutoCommit(autoCommit);
    }

    private static Connection restoredOnClose(Connection connection, SessionSettings saved) {
        return (Connection) Proxy.newProxyInstance(InitSql.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && !connection.isClosed()) {
                        try {
                            saved.restore(connection);
                        } catch (SQLException e) {
                            // A connection that broke while it migrated cannot be set back; it is closed all the same.
                            LOG.warn("Could not give back what the init SQL set on a migration connection: {}",
                                    e.getMessage());
                        } finally {
                            connection.close();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
