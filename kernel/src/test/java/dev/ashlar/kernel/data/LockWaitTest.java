package dev.ashlar.kernel.data;

import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A locking read that waits a bounded time for a row another transaction holds (Hibernate's lock timeout,
 * {@code jakarta.persistence.lock.timeout}, as its {@code LockTest} cases on PostgreSQL check), by name and typed.
 */
class LockWaitTest extends DomainDatabaseTest {

    record Job(Integer id, String title) {
        static final Table<Job> JOBS = Table.of("job", Job.class);
        static final Field<Job, Integer> ID = JOBS.integerPrimaryKey("id");
        static final TextField<Job> TITLE = JOBS.attribute("title", TEXT);
        static final Resource RESOURCE = JOBS.builder().table("jobs").add(ID, TITLE).build();
    }

    LockWaitTest() {
        super(Domain.builder("lock_wait").resources(Job.RESOURCE).build());
    }

    @BeforeEach
    void jobs() {
        db.execute("TRUNCATE jobs");
        ashlar.createAll(Job.JOBS, List.of(new Job(null, "a"), new Job(null, "b")));
    }

    @Test
    void aLockingReadGivenAWaitFailsWithLockNotAvailableOnceItRunsOutByNameAndTyped() {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            ashlar.inTransaction(tx -> {
                tx.read("job").where(eq("title", "a")).lock(Lock.FOR_UPDATE).list();

                long started = System.nanoTime();
                Throwable byName = TransactionTest.await(other.submit(() -> catchThrowable(() -> ashlar.transaction(
                        t2 -> t2.read("job").where(eq("title", "a")).lock(Lock.FOR_UPDATE, Duration.ofMillis(300))
                                .list()))));
                long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
                Throwable typed = TransactionTest.await(other.submit(() -> catchThrowable(() -> ashlar.transaction(
                        t2 -> t2.read(Job.JOBS).where(Job.TITLE.eq("a")).lock(Lock.FOR_NO_KEY_UPDATE,
                                Duration.ofMillis(100)).list()))));

                for (Throwable refused : List.of(byName, typed)) {
                    assertThat(refused).isInstanceOfSatisfying(ConcurrencyException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_NOT_AVAILABLE);
                        assertThat(e.sqlState()).contains("55P03");
                        assertThat(e.resource()).contains("job");
                        assertThat(e).hasMessageContaining("lock_timeout ran out");
                    });
                }
                assertThat(waited).as("waited for the lock, then gave up").isBetween(300L, 15_000L);
                // the row the other transaction did not hold is read at once
                List<Job> free = TransactionTest.await(other.submit(() -> ashlar.transaction(t2 -> t2.read(Job.JOBS)
                        .where(Job.TITLE.eq("b")).lock(Lock.FOR_UPDATE, Duration.ofMillis(100)).list())));
                assertThat(free).extracting(Job::title).containsExactly("b");
            });
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aLockingReadGivenAWaitGetsTheRowOnceTheOtherTransactionEndsWithinIt() throws Exception {
        ExecutorService holder = Executors.newSingleThreadExecutor();
        CountDownLatch held = new CountDownLatch(1);
        try {
            Future<?> holding = holder.submit(() -> ashlar.inTransaction(tx -> {
                tx.read("job").where(eq("title", "a")).updateAll(Map.of("title", "a, done"));
                held.countDown();
                sleep(400);
            }));
            TransactionTest.awaitLatch(held);

            List<Job> read = ashlar.transaction(tx -> tx.read(Job.JOBS).where(Job.TITLE.eq("a, done").or(
                    Job.TITLE.eq("a"))).lock(Lock.FOR_UPDATE, Duration.ofSeconds(15)).list());

            holding.get();
            assertThat(read).extracting(Job::title).containsExactly("a, done");
        } finally {
            holder.shutdownNow();
        }
    }

    @Test
    void theWaitBoundsTheReadAloneLaterStatementsOfTheTransactionWaitAsTheServerSays() {
        String after = ashlar.transaction(tx -> {
            tx.read("job").lock(Lock.FOR_UPDATE, Duration.ofMillis(250)).list();
            return tx.sql("SELECT current_setting('lock_timeout')").value(String.class);
        });
        assertThat(after).isEqualTo(db.value("SELECT current_setting('lock_timeout')"));
    }

    @Test
    void aWaitThatRunsOutInANestedTransactionLeavesTheOuterOneToGoOn() {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            ashlar.inTransaction(holding -> {
                holding.read(Job.JOBS).where(Job.TITLE.eq("a")).lock(Lock.FOR_UPDATE).list();
                String outcome = TransactionTest.await(other.submit(() -> ashlar.transaction(tx -> {
                    Throwable inner = catchThrowable(() -> tx.transaction(savepoint -> savepoint.read(Job.JOBS)
                            .lock(Lock.FOR_UPDATE, Duration.ofMillis(100)).list()));
                    List<Job> free = tx.read(Job.JOBS).where(Job.TITLE.eq("b")).lock(Lock.FOR_UPDATE_NOWAIT).list();
                    return inner.getClass().getSimpleName() + " then " + free.get(0).title() + " at "
                            + tx.sql("SELECT current_setting('lock_timeout')").value(String.class);
                })));
                assertThat(outcome).isEqualTo("ConcurrencyException then b at "
                        + db.value("SELECT current_setting('lock_timeout')"));
            });
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aWaitIsRefusedForALockThatDoesNotWaitAndUnderAMillisecond() {
        assertThatThrownBy(() -> ashlar.read("job").lock(Lock.FOR_UPDATE_NOWAIT, Duration.ofSeconds(1)))
                .isInstanceOf(QueryException.class)
                .hasMessage("lock(Lock.FOR_UPDATE_NOWAIT, PT1S) on job: Lock.FOR_UPDATE_NOWAIT never waits, so it has "
                        + "no wait to bound; give a lock that waits, e.g. Lock.FOR_UPDATE");
        assertThatThrownBy(() -> ashlar.read(Job.JOBS).lock(Lock.FOR_SHARE_SKIP_LOCKED, Duration.ofSeconds(1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("skips locked rows rather than wait");
        assertThatThrownBy(() -> ashlar.read("job").lock(Lock.NONE, Duration.ofSeconds(1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("takes no lock");
        assertThatThrownBy(() -> ashlar.read("job").lock(Lock.FOR_UPDATE, Duration.ZERO))
                .isInstanceOf(QueryException.class).hasMessageContaining("the wait must be a millisecond or more");
        assertThatThrownBy(() -> ashlar.read("job").lock(Lock.FOR_UPDATE, null))
                .isInstanceOf(QueryException.class).hasMessageContaining("wait");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
