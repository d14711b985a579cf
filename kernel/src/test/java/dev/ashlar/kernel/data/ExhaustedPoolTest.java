package dev.ashlar.kernel.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A pool whose every connection is in use for as long as it waits for one: the action says so and what to change,
 * instead of that the database refused it, and nothing runs.
 */
class ExhaustedPoolTest extends BlogDatabaseTest {
    private HikariDataSource pool;
    private Ashlar onePool;
    private CountDownLatch release;
    private CompletableFuture<Object> holder;

    @BeforeEach
    void oneConnectionHeldByAnOpenTransaction() throws InterruptedException {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250);
        pool = new HikariDataSource(config);
        release = new CountDownLatch(1);
        onePool = Ashlar.builder().dataSource(pool).domain(Fixtures.BLOG).build();
        CountDownLatch holding = new CountDownLatch(1);
        holder = CompletableFuture.supplyAsync(() -> onePool.transaction(tx -> {
            tx.create("author", Map.of("email", "held@example.com"));
            holding.countDown();
            await(release);
            return null;
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void releaseAndClose() throws Exception {
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        onePool.close();
        pool.close();
    }

    private static void assertExhausted(Throwable failure, String start) {
        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith(start + ": no connection of the pool was free")
                .hasMessageContaining("Connection is not available, request timed out after")
                .hasMessageContaining("every connection of the pool was in use")
                .hasMessageContaining("maximumPoolSize")
                .hasMessageContaining("Nothing ran")
                .hasMessageNotContaining("The database refused");
    }

    @Test
    void aReadAWriteAndATransactionThatGetNoConnectionInTimeSaySoAndWriteNothing() {
        assertExhausted(catchThrowable(() -> onePool.read("post").list()), "Could not read post");
        assertExhausted(catchThrowable(() -> onePool.createAll("post", List.of(Map.of("title", "a")))),
                "Could not create post");
        assertExhausted(catchThrowable(() -> onePool.transaction(tx -> tx.create("post", Map.of("title", "b")))),
                "The transaction failed");

        release.countDown();
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void theNextActionOnceAConnectionIsFreeRuns() throws Exception {
        catchThrowable(() -> onePool.create("post", Map.of("title", "refused")));
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);

        assertThat(onePool.create("post", Map.of("title", "after")).getString("title")).isEqualTo("after");
        assertThat(db.value("SELECT string_agg(title, ',') FROM posts")).isEqualTo("after");
    }
}
