package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ConcurrencyException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.query.Filter;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.DraftReport;
import dev.ashlar.kernel.data.Isolation;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A document and its media probed as Ebean's own draft tests probe a draftable graph ({@code TestDraftable},
 * {@code DocLinkTest}): publishing twice, with nothing changed, restoring after a publish, a destroyed draft then
 * published, the dirty flags through the graph, a publish in a caller's transaction that rolls back, and two threads
 * publishing the same document at once. Every case checks the rows of both tables.
 */
@ExtendWith(PostgresExtension.class)
class DraftGraphProbesTest {
    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;
    Object doc;

    @BeforeEach
    void aDocumentWithTwoMediaDrafts(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        HistoryTablesTest.migrate(project, db, DraftElementsTest.documents(true, r -> r), "create");
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DraftElementsTest.documents(true, r -> r))
                .build();
        doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec")).get("id");
        ashlar.create(ashlar.drafts("media"), Map.of("name", "diagram", "document_id", doc));
        ashlar.create(ashlar.drafts("media"), Map.of("name", "notes", "document_id", doc));
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    private List<Map<String, Object>> rows(String table) {
        return db.query("SELECT * FROM " + table + " ORDER BY id");
    }

    private long dirty(String table) {
        return (Long) db.value("SELECT count(*) FROM " + table + " WHERE draft_dirty");
    }

    private DraftReport publish(Ashlar handle) {
        return handle.publishReport("document", Filter.eq("id", doc));
    }

    @Test
    void publishingTwiceWithNothingChangedRewritesTheSameRowsAndAddsNone() {
        DraftReport first = publish(ashlar);
        List<Map<String, Object>> media = rows("document_media");
        List<Map<String, Object>> documents = rows("documents");

        DraftReport second = publish(ashlar);

        assertThat(first.of("media")).isEqualTo(new DraftReport.Counts(2, 0, 0));
        // Rewritten with the values they held: written (count() says so), but none updated.
        assertThat(second.count()).isEqualTo(1);
        assertThat(second.of("document")).isEqualTo(new DraftReport.Counts(0, 0, 0));
        assertThat(second.of("media")).isEqualTo(new DraftReport.Counts(0, 0, 0));
        assertThat(rows("document_media")).isEqualTo(media);
        assertThat(rows("documents")).isEqualTo(documents);
        assertThat(dirty("documents_draft") + dirty("document_media_draft")).isZero();
    }

    @Test
    void restoringRightAfterAPublishLeavesTheDraftsAsPublishedAndClean() {
        publish(ashlar);
        List<Map<String, Object>> drafts = rows("document_media_draft");

        DraftReport report = ashlar.restoreDraftReport("document", Filter.eq("id", doc));

        assertThat(report.of("media")).isEqualTo(new DraftReport.Counts(0, 2, 0));
        assertThat(rows("document_media_draft")).isEqualTo(drafts);
        assertThat(dirty("documents_draft") + dirty("document_media_draft")).isZero();
    }

    @Test
    void aDestroyedDocumentDraftPublishesNothingAndRestoreBringsItAndItsMediaBack() {
        publish(ashlar);
        ashlar.read("media").asDraft().destroyAll();
        ashlar.read("document").asDraft().destroyAll();

        DraftReport published = publish(ashlar);

        assertThat(published.count()).isZero();
        assertThat(published.of("media")).as("its media are not reached without it")
                .isEqualTo(new DraftReport.Counts(0, 0, 0));
        assertThat(db.value("SELECT count(*) FROM document_media")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(1L);

        DraftReport restored = ashlar.restoreDraftReport("document", Filter.eq("id", doc));

        assertThat(restored.of("document")).isEqualTo(new DraftReport.Counts(1, 0, 0));
        assertThat(restored.of("media")).isEqualTo(new DraftReport.Counts(2, 0, 0));
        assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_live AND NOT draft_dirty"))
                .isEqualTo(2L);
    }

    @Test
    void theDirtyFlagsFollowEachRecordOfTheGraphThroughEditsPublishAndRestore() {
        assertThat(dirty("documents_draft") + dirty("document_media_draft")).as("new drafts").isEqualTo(3L);
        publish(ashlar);
        assertThat(dirty("documents_draft") + dirty("document_media_draft")).isZero();

        ashlar.read("media").asDraft().where(Filter.eq("name", "notes")).updateAll(Map.of("name", "notes v2"));
        assertThat(dirty("document_media_draft")).isEqualTo(1L);
        assertThat(dirty("documents_draft")).as("an element's edit leaves its document's flag").isZero();

        ashlar.restoreDraft("document", Filter.eq("id", doc));
        assertThat(dirty("document_media_draft")).isZero();
        assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE name = 'notes'")).isEqualTo(1L);
    }

    @Test
    void aPublishInTheCallersTransactionThatRollsBackLeavesTheWholeGraphUnpublished() {
        assertThatThrownBy(() -> ashlar.transaction(tx -> {
            assertThat(publish(tx).of("media").created()).isEqualTo(2);
            throw new IllegalStateException("the caller fails after publishing");
        })).hasMessageContaining("the caller fails");

        assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM document_media")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_dirty AND NOT draft_live"))
                .isEqualTo(2L);
        assertThat(publish(ashlar).of("media")).as("published again, it creates them").isEqualTo(
                new DraftReport.Counts(2, 0, 0));
    }

    @Test
    @Timeout(60)
    void twoThreadsPublishingTheSameDocumentTakeTurnsAndWriteEachRowOnce() throws Exception {
        DraftReport[] reports = racing(handle -> handle.transaction(this::publish));

        assertThat(reports[0].of("document")).isEqualTo(new DraftReport.Counts(1, 0, 0));
        assertThat(reports[0].of("media")).isEqualTo(new DraftReport.Counts(2, 0, 0));
        assertThat(reports[1].of("document")).as("the second waited on the drafts' locks, then found it published")
                .isEqualTo(new DraftReport.Counts(0, 0, 0));
        assertThat(reports[1].of("media")).as("the second waited, then found them published as its drafts hold them")
                .isEqualTo(new DraftReport.Counts(0, 0, 0));
        assertThat(reports[1].count()).as("it rewrote the document all the same").isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM document_media")).isEqualTo(2L);
        assertThat(dirty("documents_draft") + dirty("document_media_draft")).isZero();
    }

    @Test
    @Timeout(60)
    void aRepeatableReadPublishThatLosesTheRaceFailsWithAConflictNamingTheRetryAndWritesNothing() {
        assertThatThrownBy(() -> racing(handle -> handle.transaction(Isolation.REPEATABLE_READ, this::publish)))
                .hasCauseInstanceOf(ConcurrencyException.class)
                .cause().satisfies(e -> assertThat(((ConcurrencyException) e).code())
                        .isEqualTo(ErrorCode.TRANSACTION_CONFLICT))
                .hasMessageContaining("Run the whole transaction again");

        assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM document_media")).isEqualTo(2L);
    }

    /**
     * Publishes in a first thread's transaction held open until a second thread's publish waits on its locks, then
     * commits it; returns both reports, or throws the second's failure wrapped.
     */
    private DraftReport[] racing(Function<Ashlar, DraftReport> second) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch published = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            Future<DraftReport> first = threads.submit(() -> ashlar.transaction(tx -> {
                DraftReport report = publish(tx);
                published.countDown();
                awaitQuietly(commit);
                return report;
            }));
            assertThat(published.await(30, TimeUnit.SECONDS)).isTrue();
            Future<DraftReport> next = threads.submit(() -> second.apply(ashlar));
            while (!next.isDone() && (Long) db.value("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE wait_event_type = 'Lock' AND datname = current_database()") == 0) {
                Thread.sleep(20);
            }
            assertThat(next.isDone()).as("the second publish waits on the first's locks").isFalse();
            commit.countDown();
            return new DraftReport[]{first.get(30, TimeUnit.SECONDS), next.get(30, TimeUnit.SECONDS)};
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
