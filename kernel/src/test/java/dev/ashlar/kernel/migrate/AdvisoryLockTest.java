package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** How a run proves, in the statement that records a file, that it still holds the migration lock. */
@ExtendWith(PostgresExtension.class)
class AdvisoryLockTest {
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static boolean held(Connection connection, AdvisoryLock.Holder holder) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + AdvisoryLock.Holder.HELD)) {
            holder.bind(query, 1);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** Ends the session that holds a migration lock, as a network cut would (the run keys are held shared). */
    private void endLockSession() throws InterruptedException {
        Object ended = db.value("SELECT array_agg(pid)::text FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND mode = 'ExclusiveLock'");
        db.execute("SELECT pg_terminate_backend(pid) FROM unnest('" + ended + "'::int[]) AS pid");
        // The session ends, and gives its locks back, a moment after the signal: wait until it is gone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (?::int[])", ended) > 0) {
            assertThat(System.nanoTime()).as("the lock's session has ended").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void theCheckHoldsWhileTheLockIsHeldAndFailsOnceItsSessionIsGone() throws Exception {
        try (AdvisoryLock lock = AdvisoryLock.acquire(db.dataSource(), "checked", Duration.ofSeconds(5));
             Connection worker = db.dataSource().getConnection()) {
            assertThat(held(worker, lock.holder())).isTrue();
            endLockSession();
            assertThat(held(worker, lock.holder())).isFalse();
        }
    }

    @Test
    void aMigratorTakingALostLockWaitsForTheCheckedTransactionOfTheRunBeforeItWhoseLaterChecksFail() throws Exception {
        try (AdvisoryLock lost = AdvisoryLock.acquire(db.dataSource(), "taken over", Duration.ofSeconds(5));
             Connection worker = db.dataSource().getConnection(); Connection late = db.dataSource().getConnection()) {
            worker.setAutoCommit(false);
            assertThat(held(worker, lost.holder())).isTrue();
            endLockSession();

            CompletableFuture<AdvisoryLock> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return AdvisoryLock.acquire(db.dataSource(), "taken over", Duration.ofSeconds(30));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(700);
            assertThat(next).as("the new run waits for the old run's transaction that checked the lock").isNotDone();
            worker.commit();
            try (AdvisoryLock taken = next.get(10, TimeUnit.SECONDS)) {
                assertThat(held(late, lost.holder())).as("the old run's next check").isFalse();
                assertThat(held(late, taken.holder())).isTrue();
            }
        }
    }

    @Test
    void aRunThatLostItsLockFailsEveryLaterCheckEvenAfterTheRunThatTookOverHasEnded() throws Exception {
        try (AdvisoryLock lost = AdvisoryLock.acquire(db.dataSource(), "generations", Duration.ofSeconds(5));
             Connection late = db.dataSource().getConnection()) {
            endLockSession();
            try (AdvisoryLock next = AdvisoryLock.acquire(db.dataSource(), "generations", Duration.ofSeconds(5))) {
                assertThat(held(late, next.holder())).isTrue();
            }
            try (AdvisoryLock third = AdvisoryLock.acquire(db.dataSource(), "generations", Duration.ofSeconds(5))) {
                assertThat(held(late, lost.holder())).as("the first run, two runs later").isFalse();
                assertThat(held(late, third.holder())).isTrue();
            }
        }
    }

    @Test
    void anAcquisitionThatFailsAfterTakingTheLockGivesItBackToThePool() throws Exception {
        try (AdvisoryLock first = AdvisoryLock.acquire(db.dataSource(), "given back", Duration.ofSeconds(5))) {
            assertThat(first.holder()).isNotNull();
        }
        long run = (Long) db.value("SELECT run FROM ashlar_migration_locks WHERE name = 'given back'");
        try (Connection lingering = db.dataSource().getConnection();
             PreparedStatement twin = lingering.prepareStatement("SELECT pg_advisory_lock(?)")) {
            // A transaction of the earlier run that never ends holds its workers' key.
            twin.setLong(1, run ^ 1);
            twin.execute();

            Throwable failure = catchThrowable(() ->
                    AdvisoryLock.acquire(db.dataSource(), "given back", Duration.ofMillis(300)));

            assertThat(failure).hasMessageContaining("that lost its lock still commits after 300 ms.")
                    .hasMessageContaining("--lock-timeout");
            assertThat(db.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    + "AND pid <> pg_backend_pid()")).as("only the lingering session's lock").isEqualTo(1L);
        }
    }

    @Test
    void aSecondMigratorGivesUpAfterItsLockTimeoutNamingTheHolderAndTheWaitAsGiven() throws Exception {
        try (AdvisoryLock first = AdvisoryLock.acquire(db.dataSource(), "busy", Duration.ofSeconds(5))) {
            assertThat(first.name()).isEqualTo("busy");
            Throwable failure = catchThrowable(() ->
                    AdvisoryLock.acquire(db.dataSource(), "busy", Duration.ofMillis(250)));

            assertThat(failure).hasMessageMatching("Another migrator of busy \\(pid \\d+\\) still holds the migration "
                    + "lock after 250 ms\\. Wait for it to finish, or raise the lock timeout \\(--lock-timeout\\)\\.");
        }
    }
}
