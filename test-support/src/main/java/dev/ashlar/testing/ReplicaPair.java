package dev.ashlar.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Two embedded PostgreSQL servers, the second a streaming hot standby of the first, for tests of
 * read routing. The standby is made from a copy of the primary's data directory taken while the
 * primary is cleanly stopped (the embedded binaries have no {@code pg_basebackup}), then started
 * with {@code standby.signal} and a {@code primary_conninfo} pointing at the primary.
 *
 * <pre>{@code
 * try (ReplicaPair pair = ReplicaPair.start()) {
 *     pair.primaryUrl(); pair.standbyUrl(); pair.stopStandby(); pair.startStandby();
 * }
 * }</pre>
 */
public final class ReplicaPair implements AutoCloseable {
    private final Path root;
    private final int primaryPort;
    private final int standbyPort;
    private EmbeddedPostgres primary;
    private EmbeddedPostgres standby;

    private ReplicaPair(Path root, int primaryPort, int standbyPort) {
        this.root = root;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** Starts a primary and a standby that replays its WAL. */
    public static ReplicaPair start() {
        try {
            ReplicaPair pair = new ReplicaPair(Files.createTempDirectory("ashlar-replicas-"), freePort(), freePort());
            pair.primary = pair.primaryServer();
            pair.primary.close();
            copy(pair.root.resolve("primary"), pair.root.resolve("standby"));
            Files.deleteIfExists(pair.root.resolve("standby/postmaster.pid"));
            Files.setPosixFilePermissions(pair.root.resolve("standby"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Files.writeString(pair.root.resolve("standby/standby.signal"), "");
            // Set in the file, not on the command line, where the embedded launcher splits values at spaces.
            Files.writeString(pair.root.resolve("standby/postgresql.auto.conf"), "primary_conninfo = 'host=localhost port="
                    + pair.primaryPort + " user=postgres'\n", java.nio.file.StandardOpenOption.APPEND);
            pair.primary = pair.primaryServer();
            pair.startStandby();
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a primary and a standby PostgreSQL", e);
        }
    }

    private EmbeddedPostgres primaryServer() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(root.resolve("primary")).setCleanDataDirectory(false)
                .setPort(primaryPort).setServerConfig("wal_level", "replica").setServerConfig("max_wal_senders", "4")
                .setServerConfig("hot_standby", "on").start();
    }

    /** Starts (or restarts) the standby; it catches up with the primary by streaming. */
    public void startStandby() {
        try {
            standby = EmbeddedPostgres.builder().setDataDirectory(root.resolve("standby")).setCleanDataDirectory(false)
                    .setPort(standbyPort).setServerConfig("hot_standby", "on")
                    .setPGStartupWait(Duration.ofSeconds(30)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the standby", e);
        }
    }

    /** Stops the standby, as if it crashed or was taken down; its data stays for {@link #startStandby()}. */
    public void stopStandby() {
        try {
            standby.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the standby", e);
        }
    }

    public String primaryUrl() {
        return "jdbc:postgresql://localhost:" + primaryPort + "/postgres?user=postgres";
    }

    public String standbyUrl() {
        return "jdbc:postgresql://localhost:" + standbyPort + "/postgres?user=postgres";
    }

    /** Waits until the standby has replayed everything the primary has written so far. */
    public void awaitReplay(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection p = DriverManager.getConnection(primaryUrl());
             Connection s = DriverManager.getConnection(standbyUrl())) {
            // The insert position ends at the last record; the write position may be rounded up to a page end
            // that replay reports only once more WAL arrives.
            String target = single(p, "SELECT pg_current_wal_insert_lsn()::text");
            while (!"t".equals(single(s, "SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The standby did not replay up to " + target + " within " + timeout
                            + " (received " + single(s, "SELECT pg_last_wal_receive_lsn()::text") + ", replayed "
                            + single(s, "SELECT pg_last_wal_replay_lsn()::text") + ")");
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    @Override
    public void close() {
        try {
            if (standby != null) {
                standby.close();
            }
            if (primary != null) {
                primary.close();
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
