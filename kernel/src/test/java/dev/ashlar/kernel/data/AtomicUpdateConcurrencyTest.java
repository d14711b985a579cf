package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's atomic_update_concurrency_test: an update that waits on a concurrent writer's lock computes its new
 * value from the row as that writer left it, whether it is given the record, a query with a limit, or a change that
 * reads an aggregate or an {@code EXISTS} of related records. Two connections, a real lock wait.
 */
class AtomicUpdateConcurrencyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("atomic_concurrency")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", BIGINT)
                    .hasMany("comments", "comment")
                    .count("count_of_comments", "comments")
                    .calculate("score_plus_comments", Long.class,
                            "score + (SELECT count(*) FROM comments AS c WHERE c.post_id = self.id)")
                    .calculate("score_unless_commented", Long.class, "score + CASE WHEN EXISTS (SELECT 1 FROM "
                            + "comments AS c WHERE c.post_id = self.id) THEN 0 ELSE 1 END")
                    .build())
            .resource(Resource.builder("comment").table("comments").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .belongsTo("post", "post")
                    .build())
            .build();

    private Row post;

    AtomicUpdateConcurrencyTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void aPostScoredZero() {
        db.execute("TRUNCATE comments, posts");
        post = ashlar.create("post", Map.of("title", "title", "score", 0));
    }

    /**
     * Adds one to the score in a transaction held open until the update is seen waiting on its lock, then commits;
     * returns the score once both are done.
     */
    private long scoreAfterAConcurrentIncrement(Consumer<Row> update) throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> ashlar.inTransaction(tx -> {
            tx.read("post").where(eq("id", post.get("id"))).updateAll(Map.of("score", Atomic.add(1)));
            written.countDown();
            awaitQuietly(commit);
        }));
        assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> update.accept(post));
        Thread.sleep(300);
        assertThat(second).as("the second update waits on the first writer's lock").isNotDone();
        commit.countDown();
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        return ashlar.get("post", post.get("id")).getLong("score");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anUpdateGivenTheRecordKeepsAConcurrentWrite() throws Exception {
        assertThat(scoreAfterAConcurrentIncrement(p -> ashlar.update(p, Map.of("score", Atomic.add(1)))))
                .isEqualTo(2);
    }

    @Test
    void anUpdateOverAQueryWithALimitAndAnOffsetKeepsAConcurrentWrite() throws Exception {
        assertThat(scoreAfterAConcurrentIncrement(p -> ashlar.read("post").where(eq("id", p.get("id")))
                .sort(Sort.asc("title")).offset(0).limit(1).updateAll(Map.of("score", Atomic.sql("score + 1")))))
                .isEqualTo(2);
    }

    @Test
    void anUpdateWhoseChangeReadsAnAggregateKeepsAConcurrentWrite() throws Exception {
        for (String title : new String[]{"a", "b"}) {
            ashlar.create("comment", Map.of("title", title, "post_id", post.get("id")));
        }

        assertThat(scoreAfterAConcurrentIncrement(p -> ashlar.read("post").where(eq("id", p.get("id")))
                .updateAll(Map.of("score", Atomic.of("score_plus_comments"))))).isEqualTo(3);
    }

    @Test
    void anUpdateWhoseChangeUsesExistsKeepsAConcurrentWrite() throws Exception {
        assertThat(scoreAfterAConcurrentIncrement(p -> ashlar.read("post").where(eq("id", p.get("id"))).limit(1)
                .updateAll(Map.of("score", Atomic.of("score_unless_commented"))))).isEqualTo(2);
    }

    @Test
    void aLimitedUpdateSettingAnAggregateBesideKeepsAConcurrentWrite() throws Exception {
        assertThat(scoreAfterAConcurrentIncrement(p -> ashlar.read("post").where(eq("id", p.get("id"))).limit(1)
                .updateAll(Map.of("score", Atomic.add(1), "title", Atomic.of("count_of_comments"))))).isEqualTo(2);
        assertThat(ashlar.get("post", post.get("id")).getString("title")).isEqualTo("0");
    }
}
