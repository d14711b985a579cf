package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Ending a lock's session only while it still holds the lock: its run may end, and its connection go back to a pool. */
@ExtendWith(PostgresExtension.class)
class MigrationLockReleaseTest {
    @Test
    void aHolderThatGaveTheLockBackSinceItWasListedIsLeftAliveAndTheReleaseRefused(TestDatabase db) throws Exception {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5)).close();
        try (Connection pooled = db.dataSource().getConnection();
             AdvisoryLock other = AdvisoryLock.acquire(db.dataSource(), "migrations:other", Duration.ofSeconds(5))) {
            lock(pooled, "pg_advisory_lock");
            List<MigrationLocks.Held> listed = MigrationLocks.list(db.dataSource());
            MigrationLocks.Held stale = listed.stream().filter(held -> held.name().equals("migrations:public"))
                    .findFirst().orElseThrow();
            // The run ends between the listing and the release; its connection stays open, idle in a pool.
            lock(pooled, "pg_advisory_unlock");

            MigrationException refused = catchThrowableOfType(MigrationException.class,
                    () -> MigrationLocks.release(db.dataSource(), stale));

            assertThat(refused).hasMessageContaining("pid " + stale.pid() + " no longer holds migrations:public")
                    .hasMessageContaining("migrations:other: pid " + other.onConnection(MigrationLockReleaseTest::pid));
            assertThat(pooled.isValid(2)).isTrue();
            assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", stale.pid())).isEqualTo(1L);
            assertThat(other.lost()).isFalse();
        }
    }

    private static void lock(Connection connection, String function) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
            statement.setLong(1, AdvisoryLock.key("migrations:public"));
            statement.execute();
        }
    }

    private static int pid(Connection connection) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }
}
