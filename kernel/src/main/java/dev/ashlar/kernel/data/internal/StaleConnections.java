package dev.ashlar.kernel.data.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.ashlar.spi.plugin.DatabaseError;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Pooled connections whose session the server ended while they lay idle: terminated by {@code pg_terminate_backend},
 * or ended by a restart or an idle timeout. HikariCP checks a connection before handing it out only when it was last
 * used more than 500 ms before (its alive bypass window), so right after such an event the first calls can get one.
 */
final class StaleConnections {
    private static final Logger LOG = LoggerFactory.getLogger(StaleConnections.class);
    /** Borrows before giving up on finding a live connection: the pool's idle ones are dropped after the first. */
    private static final int ATTEMPTS = 3;
    private static final int VALIDATION_SECONDS = 5;
    private static final SocketPath SOCKET = SocketPath.find();

    private StaleConnections() {
    }

    /**
     * A connection of the source that the server has not ended already, as far as can be known without a round trip:
     * a server ending a session sends its reason (57P01, 57P02, 57P03) before it closes the socket, and that report
     * waits unread in the connection. A statement sent on it would certainly not run, so a write gets another
     * connection instead. After {@value #ATTEMPTS} dead ones, the last is handed out, and its failure reported.
     */
    static Connection live(DataSource source) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Connection connection = source.getConnection();
            SQLException ended = endedByServer(connection);
            if (ended == null || attempt == ATTEMPTS) {
                return connection;
            }
            LOG.warn("A pooled connection was ended by the server ({}); taking a fresh one", ended.getMessage());
            discard(source, connection);
        }
    }

    /** A connection of the source checked with a round trip, for running again what lost its connection. */
    static Connection fresh(DataSource source) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Connection connection = source.getConnection();
            if (attempt == ATTEMPTS || connection.isValid(VALIDATION_SECONDS)) {
                return connection;
            }
            discard(source, connection);
        }
    }

    /**
     * Drops the pool's idle connections (a HikariCP pool's; others check theirs as they are configured to): the
     * restart or mass termination that ended one connection most likely ended them too. Connections in use are
     * closed as they come back.
     */
    static void evictIdle(DataSource source) {
        try {
            if (source.isWrapperFor(HikariDataSource.class)) {
                HikariPoolMXBean pool = source.unwrap(HikariDataSource.class).getHikariPoolMXBean();
                if (pool != null) {
                    pool.softEvictConnections();
                }
            }
        } catch (SQLException e) {
            LOG.debug("Could not reach the pool to drop its idle connections: {}", e.getMessage());
        }
    }

    /** The report of a server that ended the connection's session, read without a round trip; null for none. */
    private static SQLException endedByServer(Connection connection) {
        try {
            if (!messageWaiting(connection)) {
                return null;
            }
            // Reads what the server sent already (notifications, or the error it ended the session with), and only
            // when no transaction is open.
            connection.unwrap(PGConnection.class).getNotifications();
            return null;
        } catch (SQLException e) {
            return DatabaseError.connectionLost(e.getSQLState()) || "57P03".equals(e.getSQLState()) ? e : null;
        }
    }

    /**
     * Whether bytes from the server wait unread on an idle pgjdbc connection: a check of the socket's buffer, no
     * system call that waits. pgjdbc's own check ({@code getNotifications()}) waits 1 ms for data on every call that
     * finds none, which would cost each write a millisecond; its socket is reached through its internals instead
     * (looked up once, by name, so that the compiler meets none of their annotations), and without them (another
     * driver version, another driver) nothing is checked and the write runs as before.
     */
    private static boolean messageWaiting(Connection connection) {
        if (SOCKET == null) {
            return false;
        }
        try {
            if (!connection.isWrapperFor(SOCKET.connection())) {
                return false;
            }
            Object executor = SOCKET.executor().invoke(connection.unwrap(SOCKET.connection()));
            if (!SOCKET.stream().getDeclaringClass().isInstance(executor)) {
                return false;
            }
            Socket socket = (Socket) SOCKET.socket().invoke(SOCKET.stream().get(executor));
            return socket.getInputStream().available() > 0;
        } catch (SQLException | IOException | ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** pgjdbc's way from a connection to its socket: connection, its query executor, the executor's stream. */
    private record SocketPath(Class<?> connection, Method executor, Field stream, Method socket) {
        static SocketPath find() {
            try {
                Class<?> connection = Class.forName("org.postgresql.core.BaseConnection");
                Field stream = Class.forName("org.postgresql.core.QueryExecutorBase").getDeclaredField("pgStream");
                stream.setAccessible(true);
                return new SocketPath(connection, connection.getMethod("getQueryExecutor"), stream,
                        Class.forName("org.postgresql.core.PGStream").getMethod("getSocket"));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debug("pgjdbc's connection socket cannot be reached ({}); pooled connections are not checked "
                        + "before a write", e.toString());
                return null;
            }
        }
    }

    /** Takes a dead connection out of its pool for good, and drops the pool's idle ones. */
    private static void discard(DataSource source, Connection connection) throws SQLException {
        try {
            if (source.isWrapperFor(HikariDataSource.class)) {
                source.unwrap(HikariDataSource.class).evictConnection(connection);
            } else {
                connection.abort(Runnable::run);
            }
            evictIdle(source);
        } finally {
            connection.close();
        }
    }
}
