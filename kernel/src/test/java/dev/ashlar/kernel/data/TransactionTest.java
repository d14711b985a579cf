package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class TransactionTest extends BlogDatabaseTest {

    /** The body's own failure, to tell it apart from Ashlar's. */
    static final class Abort extends AshlarException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(ErrorCode.INVALID_DATA, "abort");
        }
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
    }

    private long posts() {
        return (Long) db.value("SELECT count(*) FROM posts");
    }

    @Test
    void commitsEverythingTheBodyDidAndReturnsItsResult() {
        Row created = ashlar.transaction(tx -> {
            tx.create("post", Map.of("title", "one"));
            return tx.create("post", Map.of("title", "two"));
        });

        assertThat(created.getString("title")).isEqualTo("two");
        assertThat(posts()).isEqualTo(2);
    }

    @Test
    void rollsBackEverythingWhenTheBodyThrows() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "lost"));
            throw new Abort();
        })).isInstanceOf(Abort.class);

        assertThat(posts()).isZero();
    }

    @Test
    void rollsBackWhenTheBodyThrowsACheckedExceptionUndeclaredAsKotlinOrSneakyThrowsDo() {
        java.io.IOException io = new java.io.IOException("disk full");

        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "lost"));
            throwUnchecked(io);
        })).isSameAs(io);
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "outer"));
            assertThatThrownBy(() -> tx.inTransaction(inner -> {
                inner.create("post", Map.of("title", "inner"));
                throwUnchecked(io);
            })).isSameAs(io);
        });
        assertThatThrownBy(() -> ashlar.read("post").forEach(row -> throwUnchecked(io))).isSameAs(io);

        assertThat(db.query("SELECT title FROM posts")).extracting(r -> r.get("title")).containsExactly("outer");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwUnchecked(Throwable checked) throws E {
        throw (E) checked;
    }

    @Test
    void rollsBackTheInnerSavepointAndKeepsTheOuterWork() {
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "outer"));
            assertThatThrownBy(() -> tx.inTransaction(inner -> {
                inner.create("post", Map.of("title", "inner"));
                throw new Abort();
            })).isInstanceOf(Abort.class);
            tx.inTransaction(inner -> inner.create("post", Map.of("title", "kept")));
        });

        assertThat(db.query("SELECT title FROM posts ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("outer", "kept");
    }

    @Test
    void aTransactionMarkedRollbackOnlyLeavesNothingAndStillReturnsTheBodysResult() {
        Row seen = ashlar.transaction(tx -> {
            Row created = tx.create("post", Map.of("title", "dry run"));
            tx.setRollbackOnly();
            assertThat(tx.read("post").count()).isEqualTo(1);
            return created;
        });

        assertThat(seen.getString("title")).isEqualTo("dry run");
        assertThat(posts()).isZero();
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aSavepointMarkedRollbackOnlyIsRolledBackAloneAndTheOuterWorkCommits() {
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "outer"));
            tx.inTransaction(inner -> {
                inner.create("post", Map.of("title", "inner"));
                inner.setRollbackOnly();
            });
            tx.inTransaction(inner -> inner.create("post", Map.of("title", "kept")));
        });

        assertThat(db.query("SELECT title FROM posts ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("outer", "kept");
        assertThatThrownBy(() -> ashlar.setRollbackOnly()).isInstanceOfSatisfying(AshlarException.class,
                e -> assertThat(e.code()).isEqualTo(dev.ashlar.api.error.ErrorCode.INVALID_QUERY))
                .hasMessageContaining("inside ashlar.transaction(tx -> ...)");
    }

    @Test
    void recoversFromAFailedStatementInsideASavepoint() {
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "first"));
            assertThatThrownBy(() -> tx.inTransaction(inner -> inner.create("post", Map.of("body", "no title"))))
                    .isInstanceOf(AshlarException.class);
            tx.create("post", Map.of("title", "after"));
        });

        assertThat(posts()).isEqualTo(2);
    }

    @Test
    void anActionAfterAFailedStatementOutsideASavepointSaysHowToRecover() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "first"));
            assertThatThrownBy(() -> tx.create("post", Map.of("body", "no title"))).isInstanceOf(AshlarException.class);
            tx.create("post", Map.of("title", "after"));
        })).isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("25P02"))
                .hasMessageContaining("Cannot create post: an earlier statement of this transaction failed")
                .hasMessageContaining("nested transaction");

        assertThat(posts()).isZero();
    }

    @Test
    void everyActionInsideUsesTheTransactionsConnection() {
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "uncommitted"));

            assertThat(tx.read("post").count()).isEqualTo(1);
            assertThat(posts()).as("seen from another connection").isZero();
        });

        assertThat(posts()).isEqualTo(1);
    }

    @Test
    void aRowLockedForUpdateIsSkippedOrRefusedByAnotherTransaction() {
        ashlar.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b"), Map.of("title", "c")));

        whileHolding(Lock.FOR_UPDATE, other -> {
            assertThat(titlesReadElsewhere(other, Lock.FOR_UPDATE_SKIP_LOCKED)).containsExactly("b", "c");
            assertLockNotAvailable(refusalElsewhere(other, Lock.FOR_UPDATE_NOWAIT));
        });
    }

    @Test
    void aReadThatLocksRowsOutsideATransactionIsRefusedWhileForEachHoldsItsLockToTheLastRow() {
        ashlar.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b")));

        assertThatThrownBy(() -> ashlar.read("post").lock(Lock.FOR_UPDATE).list())
                .isInstanceOf(dev.ashlar.api.error.QueryException.class)
                .hasMessageStartingWith("A read of post that locks its rows (FOR_UPDATE) ran outside a transaction")
                .hasMessageContaining("ashlar.transaction(tx -> ...)");
        assertThatThrownBy(() -> ashlar.read("post").lock(Lock.FOR_SHARE_SKIP_LOCKED).first())
                .hasMessageContaining("(FOR_SHARE_SKIP_LOCKED) ran outside a transaction");

        List<Throwable> elsewhere = new ArrayList<>();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            long handed = ashlar.read("post").sort(Sort.asc("id")).lock(Lock.FOR_UPDATE).forEach(row -> {
                if (row.getString("title").equals("b")) {
                    elsewhere.add(refusalElsewhere(other, Lock.FOR_UPDATE_NOWAIT));
                }
            });
            assertThat(handed).isEqualTo(2);
        } finally {
            other.shutdownNow();
        }
        assertLockNotAvailable(elsewhere.get(0));
    }

    @Test
    void aRowLockedForNoKeyUpdateStillTakesKeyShareLocksButRefusesStrongerOnes() {
        ashlar.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b")));

        whileHolding(Lock.FOR_NO_KEY_UPDATE, other -> {
            assertThat(titlesReadElsewhere(other, Lock.FOR_KEY_SHARE)).containsExactly("a", "b");
            assertThat(titlesReadElsewhere(other, Lock.FOR_SHARE_SKIP_LOCKED)).containsExactly("b");
            assertLockNotAvailable(refusalElsewhere(other, Lock.FOR_NO_KEY_UPDATE_NOWAIT));
        });
    }

    @Test
    void aRowLockedForUpdateIsSkippedOrRefusedByAKeyShareLock() {
        ashlar.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b")));

        whileHolding(Lock.FOR_UPDATE, other -> {
            assertThat(titlesReadElsewhere(other, Lock.FOR_KEY_SHARE_SKIP_LOCKED)).containsExactly("b");
            assertLockNotAvailable(refusalElsewhere(other, Lock.FOR_KEY_SHARE_NOWAIT));
        });
    }

    /** Runs the check, on another thread's transactions, while this thread's transaction holds the lock on post "a". */
    private void whileHolding(Lock held, Consumer<ExecutorService> check) {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            ashlar.inTransaction(tx -> {
                tx.read("post").where(eq("title", "a")).lock(held).list();
                check.accept(other);
            });
        } finally {
            other.shutdownNow();
        }
    }

    /** The titles another transaction reads, in key order, taking the given lock on every post. */
    private List<String> titlesReadElsewhere(ExecutorService other, Lock lock) {
        return await(other.submit(() -> ashlar.transaction(t2 -> t2.read("post").sort(Sort.asc("id")).lock(lock)
                .list()))).stream().map(r -> r.getString("title")).toList();
    }

    /** What another transaction's read of post "a" with the given lock throws, or null when it reads. */
    private Throwable refusalElsewhere(ExecutorService other, Lock lock) {
        return await(other.submit(() -> {
            try {
                ashlar.transaction(t2 -> t2.read("post").where(eq("title", "a")).lock(lock).list());
                return null;
            } catch (AshlarException e) {
                return e;
            }
        }));
    }

    @Test
    void servesManyThreadsAtOnceAndReturnsEveryConnectionToThePool() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(threads.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    Row post = ashlar.create("post", Map.of("title", "t" + thread + "-" + i));
                    ashlar.update(ashlar.get("post", post.get("id")), Map.of("rating", i));
                    if (i % 5 == 0) {
                        ashlar.inTransaction(tx -> tx.create("post", Map.of("title", "tx" + thread)));
                    }
                }
                return (int) ashlar.read("post").where(eq("title", "tx" + thread)).count();
            }));
        }
        for (Future<Integer> result : results) {
            assertThat(await(result)).isEqualTo(5);
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(posts()).isEqualTo(8 * 30);
        assertThat(db.activeConnections()).isZero();
    }

    @Test
    void aTransactionRunsAtTheIsolationLevelItIsGiven() {
        ashlar.create("post", Map.of("title", "a"));

        String level = ashlar.transaction(Isolation.SERIALIZABLE, TransactionTest::level);
        String inner = ashlar.transaction(Isolation.REPEATABLE_READ,
                tx -> tx.transaction(Isolation.REPEATABLE_READ, TransactionTest::level));
        String after = ashlar.transaction(TransactionTest::level);

        assertThat(level).isEqualTo("serializable");
        assertThat(inner).isEqualTo("repeatable read");
        assertThat(after).as("the pooled connection keeps no level").isEqualTo("read committed");
    }

    @Test
    void refusesAnotherIsolationLevelInsideATransactionAndRollsItBack() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "lost"));
            tx.transaction(Isolation.SERIALIZABLE, t2 -> t2.create("post", Map.of("title", "never")));
        })).isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("cannot run inside one that is already READ COMMITTED")
                .hasMessageContaining("Give the level to the outermost transaction");

        assertThat(posts()).isZero();
    }

    @Test
    void aSerializableTransactionThatLosesARaceFailsAsAConflictToRunAgain() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        CountDownLatch bothRead = new CountDownLatch(2);
        CountDownLatch firstCommitted = new CountDownLatch(1);
        try {
            // Each sees no post and adds one: together they would break "at most one post", so one must fail.
            Future<Row> first = other.submit(() -> ashlar.transaction(Isolation.SERIALIZABLE, tx -> {
                long seen = tx.read("post").count();
                bothRead.countDown();
                awaitLatch(bothRead);
                return tx.create("post", Map.of("title", "first " + seen));
            }));
            Throwable second = catchThrowable(() -> ashlar.inTransaction(Isolation.SERIALIZABLE, tx -> {
                long seen = tx.read("post").count();
                bothRead.countDown();
                awaitLatch(bothRead);
                await(first);
                firstCommitted.countDown();
                tx.create("post", Map.of("title", "second " + seen));
            }));

            assertThat(firstCommitted.getCount()).isZero();
            assertThat(second).isInstanceOfSatisfying(ConcurrencyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_CONFLICT);
                assertThat(e.sqlState()).contains("40001");
                assertThat(e).hasMessageContaining("Run the whole transaction again");
            });
            assertThat(db.query("SELECT title FROM posts")).extracting(r -> r.get("title")).containsExactly("first 0");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aDeadlockFailsOneTransactionAsAConflictAndTheOtherCommits() throws Exception {
        ashlar.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b")));
        ExecutorService other = Executors.newSingleThreadExecutor();
        CountDownLatch bothLocked = new CountDownLatch(2);
        try {
            Future<Throwable> first = other.submit(() -> catchThrowable(() -> ashlar.inTransaction(tx -> {
                tx.read("post").where(eq("title", "a")).updateAll(Map.of("body", "1"));
                bothLocked.countDown();
                awaitLatch(bothLocked);
                tx.read("post").where(eq("title", "b")).updateAll(Map.of("body", "1"));
            })));
            Throwable second = catchThrowable(() -> ashlar.inTransaction(tx -> {
                tx.read("post").where(eq("title", "b")).updateAll(Map.of("body", "2"));
                bothLocked.countDown();
                awaitLatch(bothLocked);
                tx.read("post").where(eq("title", "a")).updateAll(Map.of("body", "2"));
            }));
            List<Throwable> failures = new ArrayList<>();
            for (Throwable failure : new Throwable[] {await(first), second}) {
                if (failure != null) {
                    failures.add(failure);
                }
            }

            assertThat(failures).singleElement().isInstanceOfSatisfying(ConcurrencyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_CONFLICT);
                assertThat(e.sqlState()).contains("40P01");
                assertThat(e).hasMessageContaining("a deadlock");
            });
            assertThat(db.query("SELECT DISTINCT body FROM posts")).hasSize(1);
        } finally {
            other.shutdownNow();
        }
    }

    /** The isolation level the transaction runs at, as PostgreSQL names it. */
    private static String level(Ashlar tx) {
        return tx.read("post").compute("level", String.class, "current_setting('transaction_isolation')").first()
                .orElseThrow().getString("level");
    }

    /** A read that would have waited for another transaction's row lock, refused as such. */
    private static void assertLockNotAvailable(Throwable refused) {
        assertThat(refused).isInstanceOfSatisfying(ConcurrencyException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.LOCK_NOT_AVAILABLE);
            assertThat(e.sqlState()).contains("55P03");
            assertThat(e.resource()).contains("post");
            assertThat(e).hasMessageContaining("would not wait");
        });
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(20, TimeUnit.SECONDS)).as("the other transaction got there").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
