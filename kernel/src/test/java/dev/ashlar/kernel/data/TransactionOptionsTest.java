package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.ashlar.kernel.data.TransactionTest.await;
import static dev.ashlar.kernel.data.TransactionTest.awaitLatch;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionOptionsTest extends BlogDatabaseTest {
    private static final TransactionOptions READ_ONLY = TransactionOptions.defaults().readOnly();

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        db.execute("CREATE OR REPLACE FUNCTION ashlar_test_serialization_failure() RETURNS boolean LANGUAGE plpgsql "
                + "AS $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$");
    }

    @Test
    void aReadOnlyTransactionReadsAndRefusesAWriteNamingTheResourceAndTheOption() {
        ashlar.create("post", Map.of("title", "kept"));

        String mode = ashlar.transaction(READ_ONLY, tx -> setting(tx, "transaction_read_only"));
        long count = ashlar.transaction(READ_ONLY, tx -> tx.read("post").count());

        assertThat(mode).isEqualTo("on");
        assertThat(count).isEqualTo(1);
        assertThatThrownBy(() -> ashlar.inTransaction(READ_ONLY, tx -> tx.create("post", Map.of("title", "never"))))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.sqlState()).contains("25006");
                    assertThat(e.resource()).contains("post");
                })
                .hasMessageContaining("Cannot create post")
                .hasMessageContaining("TransactionOptions.readOnly()");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
        String after = ashlar.transaction(tx -> setting(tx, "transaction_read_only"));
        assertThat(after).as("the pooled connection is not left read only").isEqualTo("off");
    }

    @Test
    void aReadOnlyTransactionRunsAtTheLevelItIsGivenAndSharesItsModeWithTransactionsInside() {
        ashlar.create("post", Map.of("title", "a"));
        TransactionOptions snapshot = READ_ONLY.isolation(Isolation.REPEATABLE_READ);

        String levelAndMode = ashlar.transaction(snapshot, tx -> tx.transaction(READ_ONLY,
                inner -> setting(inner, "transaction_isolation") + "/" + setting(inner, "transaction_read_only")));

        assertThat(levelAndMode).isEqualTo("repeatable read/on");
    }

    @Test
    void aReadOnlyTransactionInsideOneThatWritesIsRefusedAndTheOuterWorkRolledBack() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.create("post", Map.of("title", "lost"));
            tx.transaction(READ_ONLY, inner -> inner.read("post").count());
        })).isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("A read-only transaction cannot run inside one that can write")
                .hasMessageContaining("Make the outermost transaction read only");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aSerializableTransactionThatLosesARaceRunsAgainAndCommitsWithinItsAttempts() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        CountDownLatch bothRead = new CountDownLatch(2);
        AtomicInteger secondRuns = new AtomicInteger();
        TransactionOptions retried = TransactionOptions.defaults().isolation(Isolation.SERIALIZABLE).attempts(3);
        try {
            // Each sees no post and adds one naming what it saw: run alone, the second sees the first's post.
            Future<Long> first = other.submit(() -> ashlar.transaction(Isolation.SERIALIZABLE, tx -> {
                long seen = tx.read("post").count();
                bothRead.countDown();
                awaitLatch(bothRead);
                tx.create("post", Map.of("title", "first saw " + seen));
                return seen;
            }));
            long secondSaw = ashlar.transaction(retried, tx -> {
                long seen = tx.read("post").count();
                if (secondRuns.incrementAndGet() == 1) {
                    bothRead.countDown();
                    awaitLatch(bothRead);
                    await(first);
                }
                tx.create("post", Map.of("title", "second saw " + seen));
                return seen;
            });

            assertThat(first.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(secondRuns).as("the lost race and the run that commits").hasValue(2);
            assertThat(secondSaw).isEqualTo(1);
            assertThat(db.query("SELECT title FROM posts ORDER BY id")).extracting(r -> r.get("title"))
                    .containsExactly("first saw 0", "second saw 1");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aTransactionThatKeepsLosingFailsWithTheLastConflictAfterItsAttempts() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> ashlar.transaction(TransactionOptions.defaults().attempts(3), tx -> {
            runs.incrementAndGet();
            tx.create("post", Map.of("title", "lost"));
            // what a serializable transaction meets when another commits first, every time
            return tx.read("post").where(Filter.sql("ashlar_test_serialization_failure()")).count();
        })).isInstanceOfSatisfying(ConcurrencyException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_CONFLICT);
            assertThat(e.sqlState()).contains("40001");
        });

        assertThat(runs).hasValue(3);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void anotherFailureIsNeverRunAgain() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> ashlar.transaction(TransactionOptions.defaults().attempts(5), tx -> {
            runs.incrementAndGet();
            return tx.get("post", 404);
        })).isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));

        assertThat(runs).hasValue(1);
    }

    @Test
    void attemptsAreRefusedInsideAnotherTransactionAndBelowOne() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> tx.transaction(TransactionOptions.defaults().attempts(2),
                inner -> inner.read("post").count())))
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("cannot run inside another")
                .hasMessageContaining("Give the attempts to the outermost transaction");
        assertThatThrownBy(() -> TransactionOptions.defaults().attempts(0)).isInstanceOf(QueryException.class)
                .hasMessageContaining("attempts(0) would never run the transaction");
    }

    @Test
    void aConflictMetBySqlWrittenByHandRunsTheBodyAgainWithoutTheEarlierAttemptsWrites() {
        AtomicInteger runs = new AtomicInteger();

        long seen = ashlar.transaction(TransactionOptions.defaults().attempts(3), tx -> {
            tx.sql("INSERT INTO posts (title) VALUES (?)", "attempt " + runs.incrementAndGet()).execute();
            if (runs.get() < 3) {
                tx.sql("SELECT ashlar_test_serialization_failure()").list();
            }
            return tx.sql("SELECT count(*) FROM posts").value(Long.class);
        });

        assertThat(runs).hasValue(3);
        assertThat(seen).isEqualTo(1L);
        assertThat(db.query("SELECT title FROM posts")).extracting(r -> r.get("title")).containsExactly("attempt 3");
    }

    @Test
    void aCheckedExceptionThrownByTheBodyRollsItBackAndIsNeverRunAgain() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> ashlar.transaction(TransactionOptions.defaults().attempts(3), tx -> {
            runs.incrementAndGet();
            tx.create("post", Map.of("title", "lost"));
            return TransactionOptionsTest.<Long, RuntimeException>sneaky(new java.io.IOException("disk full"));
        })).isInstanceOf(java.io.IOException.class).hasMessage("disk full");

        assertThat(runs).hasValue(1);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    /** Throws a checked exception undeclared, as Kotlin or Lombok's {@code @SneakyThrows} do. */
    @SuppressWarnings("unchecked")
    private static <T, E extends Throwable> T sneaky(Throwable e) throws E {
        throw (E) e;
    }

    /** A setting of the transaction, read through a read of the post the test stored first. */
    private static String setting(Ashlar tx, String name) {
        return tx.read("post").compute("value", String.class, "current_setting('" + name + "')").first()
                .orElseThrow().getString("value");
    }
}
