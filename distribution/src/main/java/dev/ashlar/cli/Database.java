package dev.ashlar.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.DatabaseException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The database a command works on: a JDBC URL (or a {@code postgres://user:pass@host/db} URL), or
 * the word {@code embedded} for an embedded PostgreSQL whose data lives in the project's
 * {@code .ashlar/postgres} folder (or a throw-away folder for the demo).
 */
final class Database implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final String description;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
    }

    static Database open(String url, Path dataDirectory, int poolSize) {
        if (url == null || url.isBlank()) {
            throw DatabaseException.of("No database: pass --url jdbc:postgresql://host/db (or "
                    + "postgres://user:password@host/db, or the word embedded), or set ASHLAR_DATABASE_URL");
        }
        if (url.equals("embedded")) {
            return embedded(dataDirectory, poolSize);
        }
        String jdbc = url.startsWith("postgres://") || url.startsWith("postgresql://") ? jdbcUrl(url) : url;
        if (!jdbc.startsWith("jdbc:postgresql:")) {
            throw DatabaseException.of("Unsupported database URL '" + masked(url) + "': use "
                    + "jdbc:postgresql://host:port/database, postgres://user:password@host/database or embedded");
        }
        return new Database(null, pool(jdbc, null, null, poolSize), masked(url));
    }

    static Database embedded(Path dataDirectory, int poolSize) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).start();
            return new Database(postgres, pool(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", poolSize),
                    "an embedded PostgreSQL (data in " + dataDirectory + ")");
        } catch (IOException e) {
            throw DatabaseException.of("Could not start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
            config.setPassword(password);
        }
        config.setMaximumPoolSize(Math.max(2, size));
        config.setMinimumIdle(0);
        config.setPoolName("ashlar-cli");
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** {@code postgres://user:password@host:port/db?x=y} as the JDBC URL pgjdbc understands. */
    static String jdbcUrl(String url) {
        URI uri = URI.create(url);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost())
                .append(uri.getPort() > 0 ? ":" + uri.getPort() : "").append(uri.getRawPath());
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        if (uri.getRawUserInfo() != null) {
            String[] credentials = uri.getRawUserInfo().split(":", 2);
            query += (query.isEmpty() ? "" : "&") + "user=" + credentials[0]
                    + (credentials.length > 1 ? "&password=" + credentials[1] : "");
        }
        return jdbc + (query.isEmpty() ? "" : "?" + query);
    }

    /** The URL without its password, for messages. */
    static String masked(String url) {
        return URLDecoder.decode(url, StandardCharsets.UTF_8)
                .replaceAll("(?<=://[^:/@]{1,200}:)[^@]*(?=@)", "****")
                .replaceAll("(?i)(password=)[^&]*", "$1****");
    }

    DataSource dataSource() {
        return pool;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw DatabaseException.of("Could not stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }
}
