package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A migration started beside its database waits for it, as Flyway's connectRetries; other failures fail at once. */
class ConnectRetriesTest {
    @TempDir
    Path folder;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    private Project project(String url, ConnectRetries retries) throws IOException {
        Path migrations = Files.createDirectories(folder.resolve("migrations"));
        Files.writeString(migrations.resolve("20260101000000_create_probes.sql"),
                "-- migrate:up\nCREATE TABLE probes (id bigint);\n-- migrate:down\nDROP TABLE probes;\n");
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(url);
        source.setConnectTimeout(5);
        return Project.open(folder).dataSource(source).progress(progress::add).connectRetries(retries);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aMigrationStartedBeforeItsDatabaseWaitsForItAndApplies() throws Exception {
        int port = freePort();
        CompletableFuture<EmbeddedPostgres> server = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(1_500);
                return EmbeddedPostgres.builder().setPort(port).setDataDirectory(folder.resolve("data")).start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Project project = project("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres",
                    new ConnectRetries(30, Duration.ofSeconds(1)));

            assertThat(project.migrate()).hasSize(1);

            assertThat(progress).filteredOn(line -> line.startsWith("the database does not answer")).isNotEmpty()
                    .allMatch(line -> line.contains("of 30 in "));
        } finally {
            server.get(60, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void retriesGiveUpAfterTheirCountSayingSo() throws IOException {
        Project project = project("jdbc:postgresql://localhost:" + freePort() + "/postgres?user=postgres",
                new ConnectRetries(2, Duration.ofMillis(50)));

        assertThatThrownBy(project::migrate).isInstanceOf(AshlarException.class)
                .hasMessageContaining("refused").hasMessageContaining("after 2 connection retries");
        assertThat(progress).filteredOn(line -> line.startsWith("the database does not answer"))
                .hasSize(2).last().asString().contains("retry 2 of 2 in 50 ms");
    }

    @Test
    void aServerThatRefusesTheConnectionFailsKeepingItsSqlStateAndNamingWhatToCheckAndTheRetriesOption()
            throws IOException {
        Project project = project("jdbc:postgresql://localhost:" + freePort() + "/postgres?user=postgres",
                ConnectRetries.NONE);

        assertThatThrownBy(project::migrate).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Could not migrate: Connection to localhost:")
                .hasMessageContaining("[SQL state 08001]. Check that the server is running and that the URL's host, "
                        + "port and database are right; to wait for a server that is still starting, give "
                        + "--connect-retries N")
                .satisfies(e -> assertThat(((DatabaseException) e).sqlState()).contains("08001"));
    }

    @Test
    @ExtendWith(PostgresExtension.class)
    void aDatabaseThatDoesNotExistFailsAtOnceWithoutRetrying(TestDatabase db) throws IOException {
        String missing = db.jdbcUrl().replaceFirst("/" + db.name() + "(\\?|$)", "/no_such_database$1");
        Project project = project(missing, new ConnectRetries(5, Duration.ofSeconds(1)));
        long start = System.nanoTime();

        assertThatThrownBy(project::migrate).isInstanceOf(AshlarException.class)
                .hasMessageContaining("no_such_database");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(progress).noneMatch(line -> line.startsWith("the database does not answer"));
    }

    @Test
    void theWaitsDoubleFromOneSecondUpToTheLongest() {
        ConnectRetries retries = new ConnectRetries(40, Duration.ofSeconds(5));

        assertThat(List.of(retries.before(1), retries.before(2), retries.before(3), retries.before(4), retries.before(40)))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThatThrownBy(() -> ConnectRetries.of(-1)).hasMessageContaining("connectRetries is -1");
    }
}
