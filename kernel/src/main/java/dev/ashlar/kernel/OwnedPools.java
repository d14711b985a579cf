package dev.ashlar.kernel;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.project.DatabaseUrl;
import dev.ashlar.spi.plugin.DatabaseError;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection pools that Ashlar makes from JDBC URLs, and closes with it. Each has a connection
 * timeout and a statement timeout, so that a replica that is down or stuck makes a read wait a
 * bounded time rather than hang.
 */
final class OwnedPools implements AutoCloseable {
    private final List<HikariDataSource> pools = new ArrayList<>();

    /**
     * A pool on the URL: a JDBC URL, or {@code postgres://user:password@host/db} as the command line takes it.
     *
     * @param required whether building fails when the server cannot be reached now (the primary);
     *                 a replica's pool starts anyway and connects once the replica is back
     * @throws DatabaseException naming the data source, for a URL that is not PostgreSQL's or cannot be read, and
     *                           for a required server that cannot be reached; never showing the password
     */
    HikariDataSource open(String name, String url, String user, String password, Timeouts timeouts, boolean required) {
        String shown = DatabaseUrl.masked(url);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(name, jdbc(name, url, shown), user, password, timeouts, required));
        } catch (HikariPool.PoolInitializationException e) {
            Throwable reason = e.getCause() == null ? e : e.getCause();
            String refusal = reason instanceof SQLException sql ? DatabaseError.connectionRefusal(sql.getSQLState())
                    : null;
            String state = reason instanceof SQLException sql ? sql.getSQLState() : null;
            throw DatabaseException.withState("Cannot connect to the data source '" + name + "' at " + shown + ": "
                    + reason.getMessage() + (refusal == null ? "; check that the server is running and its URL (host, "
                    + "port, database), user and password" : ". " + refusal)
                    + (state == null ? "" : " [SQL state " + state + "]"), state, e);
        } catch (DatabaseException e) {
            throw e;
        } catch (RuntimeException e) {
            // pgjdbc declines a URL it cannot parse (a port out of range, say), and the pool then finds no driver for
            // it; HikariCP's message shows the URL whole, password and all, so it is not kept as the cause.
            throw unreadable(name, shown);
        }
        pools.add(pool);
        return pool;
    }

    private static String jdbc(String name, String url, String shown) {
        String jdbc;
        try {
            jdbc = DatabaseUrl.jdbc(url);
        } catch (DatabaseException e) {
            throw unreadable(name, shown);
        }
        if (!jdbc.startsWith("jdbc:postgresql:")) {
            throw DatabaseException.of("The URL of the data source '" + name + "', '" + shown + "', is not PostgreSQL's: "
                    + "use jdbc:postgresql://host:port/database or postgres://user:password@host:port/database");
        }
        try {
            DatabaseUrl.requireUserOutsideHostAndDatabase(jdbc, shown);
        } catch (DatabaseException e) {
            throw DatabaseException.of("The data source '" + name + "': " + e.getMessage());
        }
        return jdbc;
    }

    private static HikariConfig config(String name, String jdbc, String user, String password, Timeouts timeouts,
                                       boolean required) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbc);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("ashlar-" + name);
        config.setConnectionTimeout(timeouts.connect().toMillis());
        config.setValidationTimeout(Math.min(timeouts.connect().toMillis(), 5_000));
        config.setInitializationFailTimeout(required ? 1 : -1);
        config.addDataSourceProperty("connectTimeout", Math.max(1, timeouts.connect().toSeconds()));
        if (!timeouts.statement().isZero()) {
            config.addDataSourceProperty("options", "-c statement_timeout=" + timeouts.statement().toMillis());
        }
        return config;
    }

    private static DatabaseException unreadable(String name, String shown) {
        return DatabaseException.of("The URL of the data source '" + name + "', '" + shown + "', cannot be read: "
                + DatabaseUrl.FORMS);
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }

    /**
     * How long a pool Ashlar makes waits for a connection, and how long a statement may run on it
     * (zero: no limit).
     */
    record Timeouts(Duration connect, Duration statement) {
        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ZERO);
    }
}
