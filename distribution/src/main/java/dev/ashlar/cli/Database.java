package dev.ashlar.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.DatabaseException;
import com.zaxxer.hikari.pool.HikariPool;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.project.ConnectRetries;
import dev.ashlar.kernel.project.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The database a command works on: a JDBC URL (or a {@code postgres://user:pass@host/db} URL), or
 * the word {@code embedded} for an embedded PostgreSQL whose data lives in the project's
 * {@code .ashlar/postgres} folder (or a throw-away folder for the demo).
 */
final class Database implements AutoCloseable {
    /** How long an interrupted command is given to stop its statements and close its database. */
    static final Duration INTERRUPT_WAIT = Duration.ofSeconds(10);
    /** The sessions of this process, by the application name they show in pg_stat_activity. */
    private static final String SESSIONS = "ashlar-cli-" + ProcessHandle.current().pid();
    private static final Set<Database> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Database::interrupted, "ashlar-interrupted"));
    }

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final String description;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Database(EmbeddedPostgres embedded, HikariDataSource pool, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
        OPEN.add(this);
    }

    /**
     * The JVM ends while a command works on a database (Ctrl-C, SIGTERM): the server would run the statement in
     * progress to its end for a client that is gone, holding its locks. So every statement of this process is
     * cancelled, again each time the command starts one, until the command has closed its database (at most
     * {@link #INTERRUPT_WAIT}): the file in progress rolls back, recorded nowhere, the files before it stay recorded,
     * and the migration lock is released.
     */
    static void interrupted() {
        if (OPEN.isEmpty()) {
            return;
        }
        System.err.println("Interrupted: cancelling the statement in progress. A migration's file in progress is "
                + "rolled back and not recorded; the files applied before it stay. Run the command again to go on.");
        System.err.flush();
        long deadline = System.nanoTime() + INTERRUPT_WAIT.toNanos();
        OPEN.forEach(database -> database.cancelUntilClosed(deadline));
    }

    private void cancelUntilClosed(long deadline) {
        PGSimpleDataSource server = new PGSimpleDataSource();
        try {
            server.setUrl(pool.getJdbcUrl());
            if (pool.getUsername() != null) {
                server.setUser(pool.getUsername());
            }
            if (pool.getPassword() != null) {
                server.setPassword(pool.getPassword());
            }
            server.setConnectTimeout(2);
            try (Connection connection = server.getConnection();
                 PreparedStatement cancel = connection.prepareStatement("SELECT pg_cancel_backend(pid) FROM "
                         + "pg_stat_activity WHERE application_name = ? AND state = 'active' "
                         + "AND pid <> pg_backend_pid()")) {
                cancel.setString(1, SESSIONS);
                do {
                    cancel.executeQuery().close();
                } while (!closed.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
            }
        } catch (SQLException | RuntimeException e) {
            // The server is gone or stopping (an embedded one stops itself): its sessions end with it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The user and password given beside the URL ({@code --user}, {@code --password}), each {@code null} when not
     * given; the URL's own win over the {@code ASHLAR_DATABASE_USER} and {@code ASHLAR_DATABASE_PASSWORD} variables.
     */
    record Login(String user, String password) {
        private static final Pattern USER = Pattern.compile("(^|&)user=");
        private static final Pattern PASSWORD = Pattern.compile("(^|&)password=");

        static Login of(String user, String password) {
            return new Login(user, password);
        }

        /** The login a connection to {@code jdbc} uses: refused where it and the URL both name a user or password. */
        Login against(String jdbc, String shown) {
            String query = jdbc.indexOf('?') < 0 ? "" : jdbc.substring(jdbc.indexOf('?') + 1);
            boolean urlUser = USER.matcher(query).find();
            boolean urlPassword = PASSWORD.matcher(query).find();
            if (user != null && urlUser || password != null && urlPassword) {
                throw DatabaseException.of("The database URL '" + shown + "' names its " + (user != null && urlUser
                        ? "user" : "password") + ", and --" + (user != null && urlUser ? "user" : "password")
                        + " gives one too: give it once, in the URL or in the option");
            }
            String chosenUser = user != null ? user : urlUser ? null : System.getenv("ASHLAR_DATABASE_USER");
            String chosenPassword = password != null ? password
                    : urlPassword ? null : System.getenv("ASHLAR_DATABASE_PASSWORD");
            return new Login(chosenUser, chosenPassword);
        }
    }

    /** The database at {@code url}, waited for as {@code retries} says while it does not answer, each wait told. */
    static Database open(String url, Login login, Path dataDirectory, int poolSize, ConnectRetries retries,
                         Consumer<String> waits) {
        if (url == null || url.isBlank()) {
            throw DatabaseException.of("No database: pass --url jdbc:postgresql://host/db (or "
                    + "postgres://user:password@host/db, or the word embedded), or set ASHLAR_DATABASE_URL");
        }
        if (url.equals("embedded")) {
            if (login.user() != null || login.password() != null) {
                throw DatabaseException.of("--url embedded starts a PostgreSQL of its own, with its own user: leave out "
                        + "--user and --password");
            }
            return embedded(dataDirectory, poolSize);
        }
        String jdbc = DatabaseUrl.jdbc(url);
        String shown = DatabaseUrl.masked(url);
        if (!jdbc.startsWith("jdbc:postgresql:")) {
            throw DatabaseException.of("Unsupported database URL '" + shown + "': use "
                    + "jdbc:postgresql://host:port/database, postgres://user:password@host/database or embedded");
        }
        DatabaseUrl.requireUserOutsideHostAndDatabase(jdbc, shown);
        Login chosen = login.against(jdbc, shown);
        awaitAnswer(jdbc, chosen, retries, waits);
        return new Database(null, pool(jdbc, chosen.user(), chosen.password(), poolSize, shown), shown);
    }

    static Database embedded(Path dataDirectory, int poolSize) {
        return embedded(EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false),
                "an embedded PostgreSQL (data in " + dataDirectory + ")", poolSize);
    }

    /** An embedded PostgreSQL whose data, in a temporary folder, is deleted when it closes (for the demo). */
    static Database throwaway(int poolSize) {
        return embedded(EmbeddedPostgres.builder().setCleanDataDirectory(true), "a throw-away embedded PostgreSQL",
                poolSize);
    }

    private static Database embedded(EmbeddedPostgres.Builder builder, String description, int poolSize) {
        try {
            EmbeddedPostgres postgres = builder.start();
            try {
                return new Database(postgres, pool(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", poolSize,
                        description), description);
            } catch (AshlarException e) {
                postgres.close();
                throw e;
            }
        } catch (IOException e) {
            throw DatabaseException.of("Could not start the embedded PostgreSQL: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            // The embedded server's lock on its data folder, held by the process (or, overlapping, the JVM) using it.
            if (e instanceof OverlappingFileLockException
                    || String.valueOf(e.getMessage()).startsWith("could not lock")) {
                throw DatabaseException.of("Cannot start " + description + ": another ashlar command is using it. Run "
                        + "one command at a time on a project's embedded PostgreSQL, or give --url a running server", e);
            }
            throw e;
        }
    }

    /**
     * Waits, as {@code retries} says, until the database answers a connection. Whatever the last try says is left to
     * the pool's first connection to report, in the words a command without retries uses.
     */
    private static void awaitAnswer(String jdbc, Login login, ConnectRetries retries, Consumer<String> waits) {
        if (retries.count() == 0) {
            return;
        }
        PGSimpleDataSource probe = new PGSimpleDataSource();
        try {
            probe.setUrl(jdbc);
        } catch (IllegalArgumentException e) {
            return;   // the pool reports the malformed URL
        }
        if (login.user() != null) {
            probe.setUser(login.user());
        }
        if (login.password() != null) {
            probe.setPassword(login.password());
        }
        probe.setConnectTimeout(10);
        try (Connection connection = retries.around(probe, waits).getConnection()) {
            connection.isValid(1);
        } catch (SQLException e) {
            // reported by the pool below
        }
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int size, String description) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(Math.max(2, size));
        config.setMinimumIdle(1);
        config.setPoolName("ashlar-cli");
        config.addDataSourceProperty("ApplicationName", SESSIONS);
        config.setConnectionTimeout(10_000);
        // One attempt when the pool starts: a wrong URL fails at once with the server's reason
        // (database "x" does not exist, password authentication failed), not after the pool's time-out.
        config.setInitializationFailTimeout(1);
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new AshlarException(ErrorCode.DATABASE, "Cannot connect to " + description + ": " + reason(e)
                    + "\nCheck --url (or ASHLAR_DATABASE_URL): host, port and database name; and the user and password "
                    + "(in the URL, or --user and --password).", e);
        } catch (RuntimeException e) {
            // pgjdbc declines a URL it cannot parse (a port out of range, say), and the pool finds no driver for it;
            // HikariCP's message shows the URL whole, password and all, so it is not kept as the cause.
            throw DatabaseUrl.malformed(description, null);
        }
    }

    /**
     * The driver's reason, with the one behind it when the driver's says nothing of it: pgjdbc reports a host that
     * does not resolve only as "The connection attempt failed.", the host's name being in its cause.
     */
    private static String reason(HikariPool.PoolInitializationException failure) {
        Throwable reason = failure.getCause() == null ? failure : failure.getCause();
        Throwable behind = reason.getCause();
        if (behind instanceof UnknownHostException) {
            return reason.getMessage() + " (unknown host " + behind.getMessage() + ")";
        }
        if (behind == null || behind.getMessage() == null
                || String.valueOf(reason.getMessage()).contains(behind.getMessage())) {
            return reason.getMessage();
        }
        return reason.getMessage() + " (" + behind.getMessage() + ")";
    }

    DataSource dataSource() {
        return pool;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        OPEN.remove(this);
        pool.close();
        closed.countDown();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw DatabaseException.of("Could not stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }
}
