package dev.ashlar.kernel.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The pool hands out a connection used in the last 500 ms without checking it (HikariCP's alive bypass window), so
 * right after the server ends its sessions (pg_terminate_backend, a restart) the first call can meet a dead one.
 */
class StaleConnectionTest extends BlogDatabaseTest {
    private static final String APPLICATION = "ashlar_stale_test";

    private HikariDataSource pool;
    private Ashlar stale;

    @BeforeEach
    void open() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        stale = withPool(4);
    }

    private Ashlar withPool(int size) {
        if (pool != null) {
            pool.close();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION);
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(size);
        pool = new HikariDataSource(config);
        return Ashlar.builder().dataSource(pool).domain(Fixtures.BLOG).build();
    }

    @AfterEach
    void close() {
        stale.close();
        pool.close();
    }

    /** Makes the pool hold {@code count} connections, each just used. */
    private void warm(int count) throws Exception {
        CountDownLatch together = new CountDownLatch(count);
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reads.add(CompletableFuture.runAsync(() -> stale.transaction(tx -> {
                together.countDown();
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return tx.read("post").list();
            })));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    /** Ends every session of the pool from another connection, and waits for their last words to reach the pool. */
    private void terminateThePoolsSessions(int expected) throws InterruptedException {
        Object ended = db.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?",
                APPLICATION);
        assertThat(ended).isEqualTo((long) expected);
        Thread.sleep(100); // well inside the 500 ms the pool trusts a connection it just had back
    }

    private long poolSessions() {
        return (Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", APPLICATION);
    }

    @Test
    void aReadRightAfterThePoolsSessionsWereTerminatedRunsAgainOnAFreshConnection() throws Exception {
        warm(4);
        terminateThePoolsSessions(4);

        for (int i = 0; i < 4; i++) {
            assertThat(stale.read("post").list()).isEmpty();
        }
        assertThat(poolSessions()).isBetween(1L, 4L);
    }

    @Test
    void aDeadConnectionIsEvictedSoThatTheRetryOfASinglePoolGetsAFreshOne() throws Exception {
        stale.close();
        stale = withPool(1);
        stale.read("post").list();
        terminateThePoolsSessions(1);

        assertThat(stale.read("post").list()).isEmpty();
        assertThat(stale.read("post").count()).isZero();
    }

    @Test
    void aWriteRightAfterThePoolsSessionsWereTerminatedRunsOnceOnAFreshConnection() throws Exception {
        warm(4);
        terminateThePoolsSessions(4);

        assertThat(stale.create("post", Map.of("title", "first")).getString("title")).isEqualTo("first");
        assertThat(stale.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b")))).hasSize(2);
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM posts")).isEqualTo("first,a,b");
    }

    @Test
    void aStatementWrittenByHandRightAfterThePoolsSessionsWereTerminatedRunsOnceOnAFreshConnection() throws Exception {
        warm(4);
        terminateThePoolsSessions(4);

        assertThat(stale.sql("INSERT INTO posts (title) VALUES (?)", "once").execute()).isEqualTo(1);
        assertThat(stale.sql("SELECT count(*) FROM posts").value(Long.class)).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void aWriteWhoseSessionIsTerminatedWhileItRunsIsNotRunAgainAndSaysItsOutcomeIsUnknown() throws Exception {
        stale.read("post").list();
        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<?> write = CompletableFuture.supplyAsync(() -> stale.create("post",
                    Map.of("title", "maybe")));
            awaitWaiting();
            db.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?",
                    APPLICATION);
            Throwable failure = catchThrowable(() -> write.get(30, TimeUnit.SECONDS)).getCause();
            holder.rollback();

            assertThat(failure).isInstanceOf(DatabaseException.class)
                    .hasMessageStartingWith("Could not create post: the connection to the database was lost")
                    .hasMessageContaining("Whether create post was carried out is unknown")
                    .hasMessageContaining("Check the data before running it again");
            assertThat(((DatabaseException) failure).sqlState()).contains("57P01");
        }
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThat(stale.create("post", Map.of("title", "after")).getString("title")).isEqualTo("after");
    }

    private void awaitWaiting() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if ((Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? "
                    + "AND wait_event_type = 'Lock'", APPLICATION) > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the write never waited for the lock");
    }

    @Test
    void aTransactionWhoseConnectionWasTerminatedIsNotRunAgainAndSaysTheTransactionWasLost() throws Exception {
        warm(4);
        int[] runs = new int[1];
        Throwable failure = catchThrowable(() -> stale.transaction(tx -> {
            runs[0]++;
            tx.create("author", Map.of("email", "ann@example.com"));
            db.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?",
                    APPLICATION);
            sleep();
            return tx.read("post").list();
        }));

        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Could not read post: the connection to the database was lost")
                .hasMessageContaining("The transaction was lost and rolled back")
                .hasMessageContaining("run the whole transaction again");
        assertThat(runs[0]).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM authors")).isEqualTo(0L);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
