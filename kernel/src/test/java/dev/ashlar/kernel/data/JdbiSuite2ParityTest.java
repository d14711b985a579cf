package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jdbi's core tests walked a second time ({@code transaction/TestTransactions}' isolation and savepoints,
 * {@code TestTransactionsAutoCommit}, {@code TestIterator}'s and {@code TestStream}'s closing, the null binds of
 * {@code TestQueries}), restated against the string API and {@code ashlar.sql(...)}, asserting data and the server's
 * own view of the connection.
 */
class JdbiSuite2ParityTest extends BlogDatabaseTest {

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        ashlar.createAll("post", IntStream.rangeClosed(1, 5).mapToObj(i -> Map.<String, Object>of("title", "p" + i,
                "rating", i)).toList());
    }

    /** {@code inTransaction(TransactionIsolationLevel.SERIALIZABLE, ...)}: the server runs the body at that level. */
    @Test
    void aTransactionRunsAtTheIsolationLevelAskedAndTheNextOneAtTheDefaultAgain() {
        String inside = ashlar.transaction(Isolation.SERIALIZABLE, tx -> tx.sql("SHOW transaction_isolation")
                .value(String.class));
        String repeatable = ashlar.transaction(Isolation.REPEATABLE_READ, tx -> tx.sql("SHOW transaction_isolation")
                .value(String.class));
        String after = ashlar.transaction(tx -> tx.sql("SHOW transaction_isolation").value(String.class));

        assertThat(List.of(inside, repeatable, after)).containsExactly("serializable", "repeatable read",
                "read committed");
    }

    /** {@code TestTransactions.testSavepoint} / {@code rollbackToSavepoint}: the inner failure undoes its own writes. */
    @Test
    void aFailingNestedTransactionRollsBackToItsSavepointAndTheOuterOneCommits() {
        ashlar.transaction(tx -> {
            tx.sql("UPDATE posts SET rating = 10 WHERE title = ?", "p1").execute();
            assertThatThrownBy(() -> tx.transaction(inner -> {
                inner.sql("UPDATE posts SET rating = 20 WHERE title = ?", "p2").execute();
                throw new IllegalStateException("inner failure");
            })).isInstanceOf(IllegalStateException.class).hasMessage("inner failure");
            return tx.sql("UPDATE posts SET rating = 30 WHERE title = ?", "p3").execute();
        });

        assertThat(db.value("SELECT string_agg(title || '=' || rating, ',' ORDER BY id) FROM posts WHERE id <= 3"))
                .isEqualTo("p1=10,p2=2,p3=30");
    }

    /** {@code TestTransactions.testExceptionAbortsTransaction}: a failing body writes nothing at all. */
    @Test
    void aFailingTransactionWritesNothing() {
        assertThatThrownBy(() -> ashlar.transaction(tx -> {
            tx.sql("DELETE FROM posts").execute();
            throw new IllegalStateException("abort");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(ashlar.read("post").count()).isEqualTo(5L);
    }

    /** {@code TestQueries.testNullBind}-like: a null bound for a typed mark is SQL's NULL, found by IS NULL. */
    @Test
    void aNullBoundIsStoredAsNullAndComparedByIsNotDistinctFrom() {
        ashlar.sql("UPDATE posts SET body = ?, rating = ? WHERE title = ?", null, null, "p4").execute();

        List<String> nullRated = ashlar.sql("SELECT title FROM posts WHERE rating IS NOT DISTINCT FROM ?::integer",
                (Object) null).values(String.class);

        assertThat(nullRated).containsExactly("p4");
        assertThat(db.value("SELECT count(*) FROM posts WHERE body IS NULL AND rating IS NULL")).isEqualTo(1L);
    }

    /**
     * {@code TestStream.testStreamClose} and {@code TestIterator}'s early close: a stream left part-way and closed
     * gives its connection back with no transaction left open on the server.
     */
    @Test
    void aStreamClosedPartWayEndsItsCursorAndTransaction() {
        List<String> firstTwo = new ArrayList<>();
        try (Stream<Row> rows = ashlar.read("post").sort(Sort.asc("id")).fetchSize(1).stream()) {
            Iterator<Row> each = rows.iterator();
            for (int i = 0; i < 2 && each.hasNext(); i++) {
                firstTwo.add((String) each.next().get("title"));
            }
        }

        assertThat(firstTwo).containsExactly("p1", "p2");
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'")).isEqualTo(0L);
        assertThat(ashlar.read("post").count()).isEqualTo(5L);
    }
}
