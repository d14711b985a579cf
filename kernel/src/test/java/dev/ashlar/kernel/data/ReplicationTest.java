package dev.ashlar.kernel.data;

import dev.ashlar.spi.plugin.RuntimeParticipant;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.ReplicaStatus;
import dev.ashlar.spi.plugin.Replication;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicationTest extends BlogDatabaseTest {

    /** Keeps what the kernel hands plugins when an Ashlar is built, and notes when it closes. */
    static final class Watcher implements AshlarPlugin, RuntimeParticipant {
        final AtomicReference<Replication> replication = new AtomicReference<>();
        final AtomicBoolean stopped = new AtomicBoolean();

        @Override
        public String id() {
            return "watcher";
        }

        @Override
        public AutoCloseable start(Replication kernel) {
            replication.set(kernel);
            return () -> stopped.set(true);
        }
    }

    @Test
    void pluginsReadThePrimarysWalPositionAndEachDataSourcesState() {
        Watcher watcher = new Watcher();
        try (Ashlar routed = Ashlar.builder().dataSource(db.dataSource()).dataSource("same-server", db.dataSource())
                .replica("nowhere", "jdbc:postgresql://localhost:1/none", "nobody", null)
                .timeouts(Duration.ofMillis(300), Duration.ofSeconds(5))
                .domain(Fixtures.BLOG).install(watcher).build()) {
            Replication replication = watcher.replication.get();
            long before = replication.primaryLsn();
            routed.create("post", Map.of("title", "moves the WAL"));

            assertThat(replication.primaryLsn()).isGreaterThan(before);
            assertThat(replication.dataSources()).containsExactly("same-server", "nowhere");
            ReplicaStatus primary = replication.status("same-server");
            assertThat(primary.reachable()).isTrue();
            assertThat(primary.hasReplayed(replication.primaryLsn())).as("a primary has everything").isTrue();
            assertThat(primary.lag()).isZero();
            ReplicaStatus down = replication.status("nowhere");
            assertThat(down.reachable()).isFalse();
            assertThat(down.problem()).isNotBlank();
        }
        assertThat(watcher.stopped).isTrue();
    }

    @Test
    void aReplicaThatRefusesItsCredentialsIsReportedWithTheServersReasonAndNeverThePassword() {
        Watcher watcher = new Watcher();
        String withoutUser = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*", "$1");
        try (Ashlar routed = Ashlar.builder().dataSource(db.dataSource())
                .replica("locked", withoutUser, "no_such_reader", "topsecret")
                .timeouts(Duration.ofMillis(500), Duration.ofSeconds(5))
                .domain(Fixtures.BLOG).install(watcher).build()) {
            ReplicaStatus locked = watcher.replication.get().status("locked");

            assertThat(locked.reachable()).isFalse();
            assertThat(locked.problem()).contains("no_such_reader").doesNotContain("topsecret");
            routed.create("post", Map.of("title", "primary writes"));
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'primary writes'")).isEqualTo(1L);
    }

    @Test
    void aPrimaryGivenAsAPostgresUrlWithItsUserAndPasswordServesWrites() {
        String hostAndDatabase = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
        try (Ashlar byUrl = Ashlar.builder().jdbcUrl("postgres://" + db.user() + ":" + db.password() + "@"
                + hostAndDatabase, null, null).domain(Fixtures.BLOG).build()) {
            byUrl.create("post", Map.of("title", "by a postgres:// URL"));
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'by a postgres:// URL'")).isEqualTo(1L);
    }

    @Test
    void aDataSourceUrlNamingNoDatabaseOrAUserBeforeTheHostIsRefusedNamingTheDataSourceAndNeverThePassword() {
        String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");

        assertThatThrownBy(() -> Ashlar.builder().jdbcUrl("postgres://" + db.user() + ":topsecret@"
                + server + "/", null, null).domain(Fixtures.BLOG).build().close())
                .isInstanceOf(DatabaseException.class).hasMessageStartingWith("The data source 'primary': The database "
                        + "URL 'postgres://" + db.user() + ":****@" + server + "/' names no database")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource())
                .replica("east", "jdbc:postgresql://reader:topsecret@" + server + "/app", null, null)
                .domain(Fixtures.BLOG).build().close())
                .isInstanceOf(DatabaseException.class).hasMessageStartingWith("The data source 'east': The database URL "
                        + "'jdbc:postgresql://reader:****@" + server + "/app' puts a user before the host")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> Ashlar.builder().jdbcUrl("jdbc:postgresql:?user=ada@example.com&password=topsecret",
                null, null).domain(Fixtures.BLOG).build().close())
                .isInstanceOf(DatabaseException.class).hasMessageStartingWith("The data source 'primary': The database "
                        + "URL 'jdbc:postgresql:?user=ada@example.com&password=****' names no database");
    }

    @Test
    void aDataSourceUrlNamingItsDatabaseByPgdbnameOrAmongSeveralHostsServesWritesAndOtherValidFormsAreAccepted() {
        String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        String database = db.jdbcUrl().replaceFirst("^jdbc:postgresql://[^/]*/", "").replaceFirst("\\?.*$", "");
        String credentials = "user=" + db.user() + "&password=" + db.password();
        String[] primaries = {"jdbc:postgresql://" + server + "/?PGDBNAME=" + database + "&" + credentials,
                "jdbc:postgresql://127.0.0.1:1," + server + "/" + database + "?targetServerType=primary&" + credentials};
        for (String primary : primaries) {
            try (Ashlar byUrl = Ashlar.builder().jdbcUrl(primary, null, null)
                    .replica("bare", "jdbc:postgresql:" + database, "nobody", null)
                    .replica("local", "jdbc:postgresql:///" + database, "nobody", null)
                    .replica("v6", "jdbc:postgresql://[::1]:1/" + database, "nobody", null)
                    .replica("by-parameter", "jdbc:postgresql:?PGDBNAME=" + database, "nobody", null)
                    .timeouts(Duration.ofMillis(500), Duration.ofSeconds(5)).domain(Fixtures.BLOG).build()) {
                byUrl.create("post", Map.of("title", "by url " + primary.length()));
            }
        }
        assertThat(db.value("SELECT count(*) FROM posts WHERE title LIKE 'by url %'")).isEqualTo(2L);
    }

    @Test
    void aDataSourceUrlThatCannotBeUsedIsRefusedNamingTheDataSourceAndNeverThePassword() {
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource())
                .replica("east", "jdbc:postgresql://localhost:99999/app?password=topsecret", "reader", null)
                .domain(Fixtures.BLOG).build().close())
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("The URL of the data source 'east', 'jdbc:postgresql://localhost:99999/app?"
                        + "password=****', cannot be read").hasMessageContaining("with a port from 1 to 65535")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> Ashlar.builder().dataSource(db.dataSource())
                .replica("west", "jdbc:mysql://localhost/app", "reader", "topsecret").domain(Fixtures.BLOG).build().close())
                .isInstanceOf(DatabaseException.class).hasMessageContaining("data source 'west'")
                .hasMessageContaining("is not PostgreSQL's: use jdbc:postgresql://");
        assertThatThrownBy(() -> Ashlar.builder().jdbcUrl("postgres://app:topsecret@127.0.0.1:1/app", null, null)
                .timeouts(Duration.ofMillis(300), Duration.ZERO).domain(Fixtures.BLOG).build().close())
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("Cannot connect to the data source 'primary' at postgres://app:****@127.0.0.1:1/app")
                .hasMessageContaining("Connection to 127.0.0.1:1 refused").hasMessageNotContaining("topsecret")
                .hasMessageContaining("check that the server is running and its URL (host, port, database)")
                .satisfies(e -> assertThat(((DatabaseException) e).sqlState()).contains("08001"));
    }

    @Test
    void theNameOfThePrimaryIsNotGivenToAnotherDataSource() {
        assertThatThrownBy(() -> Ashlar.builder().dataSource(Replication.PRIMARY, db.dataSource()))
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DEFINITION))
                .hasMessageContaining("the primary's");
    }
}
