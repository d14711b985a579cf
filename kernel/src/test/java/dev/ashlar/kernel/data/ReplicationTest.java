package dev.ashlar.kernel.data;

import dev.ashlar.spi.plugin.RuntimeParticipant;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.error.AshlarException;
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
    void theNameOfThePrimaryIsNotGivenToAnotherDataSource() {
        assertThatThrownBy(() -> Ashlar.builder().dataSource(Replication.PRIMARY, db.dataSource()))
                .isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DEFINITION))
                .hasMessageContaining("the primary's");
    }
}
