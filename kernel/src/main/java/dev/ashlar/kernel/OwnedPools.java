package dev.ashlar.kernel;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

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
     * A pool on the URL.
     *
     * @param required whether building fails when the server cannot be reached now (the primary);
     *                 a replica's pool starts anyway and connects once the replica is back
     */
    HikariDataSource open(String name, String url, String user, String password, Timeouts timeouts, boolean required) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
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
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
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
