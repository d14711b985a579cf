package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionTest extends BlogDatabaseTest {

    /** The body's own failure, to tell it apart from Ashlar's. */
    static final class Abort extends AshlarException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(dev.ashlar.api.error.ErrorCode.INVALID_DATA, "abort");
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
    void everyActionInsideUsesTheTransactionsConnection() {
        ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "uncommitted"));

            assertThat(tx.read("post").count()).isEqualTo(1);
            assertThat(posts()).as("seen from another connection").isZero();
        });

        assertThat(posts()).isEqualTo(1);
    }

    @Test
    void aRowLockedForUpdateIsSkippedOrRefusedByAnotherTransaction() throws Exception {
        ashlar.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b"), Map.of("title", "c")));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            ashlar.inTransaction(tx -> {
                tx.read("post").where(eq("title", "a")).lock(Lock.FOR_UPDATE).list();

                List<String> free = await(other.submit(() -> ashlar.transaction(t2 -> t2.read("post")
                        .sort(Sort.asc("id")).lock(Lock.FOR_UPDATE_SKIP_LOCKED).list())))
                        .stream().map(r -> r.getString("title")).toList();
                Throwable refused = await(other.submit(() -> {
                    try {
                        ashlar.transaction(t2 -> t2.read("post").where(eq("title", "a"))
                                .lock(Lock.FOR_UPDATE_NOWAIT).list());
                        return null;
                    } catch (AshlarException e) {
                        return e;
                    }
                }));

                assertThat(free).containsExactly("b", "c");
                assertThat(refused).isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.sqlState()).contains("55P03"));
            });
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aRowLockedForNoKeyUpdateStillTakesKeyShareLocksButRefusesStrongerOnes() throws Exception {
        ashlar.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b")));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            ashlar.inTransaction(tx -> {
                tx.read("post").where(eq("title", "a")).lock(Lock.FOR_NO_KEY_UPDATE).list();

                int keyShared = await(other.submit(() -> ashlar.transaction(t2 -> t2.read("post")
                        .where(eq("title", "a")).lock(Lock.FOR_KEY_SHARE).list()))).size();
                List<String> shareable = await(other.submit(() -> ashlar.transaction(t2 -> t2.read("post")
                        .sort(Sort.asc("id")).lock(Lock.FOR_SHARE_SKIP_LOCKED).list())))
                        .stream().map(r -> r.getString("title")).toList();
                Throwable refused = await(other.submit(() -> {
                    try {
                        ashlar.transaction(t2 -> t2.read("post").where(eq("title", "a"))
                                .lock(Lock.FOR_NO_KEY_UPDATE_NOWAIT).list());
                        return null;
                    } catch (AshlarException e) {
                        return e;
                    }
                }));

                assertThat(keyShared).isEqualTo(1);
                assertThat(shareable).containsExactly("b");
                assertThat(refused).isInstanceOfSatisfying(AshlarException.class,
                        e -> assertThat(e.sqlState()).contains("55P03"));
            });
        } finally {
            other.shutdownNow();
        }
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

    private static <T> T await(Future<T> future) {
        try {
            return future.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
