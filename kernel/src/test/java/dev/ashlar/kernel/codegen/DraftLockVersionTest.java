package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.DraftReport;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Publishing and restoring drafts of a resource with a lock version, named on the resource or only on
 * {@code Ashlar.builder().optimisticLock(...)}, on tables holding rows: a live record's version only counts up, a
 * writer holding the record read before a publish meets the optimistic-lock conflict, and the drafts are clean after.
 */
@ExtendWith(PostgresExtension.class)
class DraftLockVersionTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    /** Forty live posts with their drafts restored, each live post updated twice since. */
    private Ashlar populated(boolean onResource) {
        ResourceBuilder post = Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT)
                .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1)).draftable();
        Domain domain = Domain.builder("blog").resource((onResource ? post.optimisticLock("lock_version") : post)
                .build()).build();
        HistoryTablesTest.migrate(project, db, domain, "create");
        db.execute("INSERT INTO posts (id, title) SELECT g, 'post ' || g FROM generate_series(1, 40) g");
        Ashlar.Builder builder = Ashlar.builder().dataSource(db.dataSource()).domain(domain);
        Ashlar ashlar = (onResource ? builder : builder.optimisticLock("lock_version")).build();
        assertThat(ashlar.restoreDraft("post", Filter.gt("id", 0))).isEqualTo(40);
        for (int i = 0; i < 2; i++) {
            ashlar.read("post").where(Filter.lte("id", 20)).updateAll(Map.of("title", "edited live " + i));
        }
        return ashlar;
    }

    @ParameterizedTest(name = "lock version named on the resource: {0}")
    @ValueSource(booleans = {true, false})
    void publishCountsTheLiveVersionUpSoAWriterHoldingTheRecordReadBeforeMeetsTheConflict(boolean onResource) {
        try (Ashlar ashlar = populated(onResource)) {
            Row held = ashlar.get("post", 5);
            assertThat(held.get("lock_version")).isEqualTo(3);
            ashlar.read("post").asDraft().where(Filter.lte("id", 10)).updateAll(Map.of("title", "from draft"));

            assertThat(ashlar.publish("post", Filter.lte("id", 10))).isEqualTo(10);

            assertThat(db.value("SELECT string_agg(DISTINCT lock_version::text, ',') FROM posts WHERE id <= 10"))
                    .as("3, counted up once, never the draft's").isEqualTo("4");
            assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'from draft'")).isEqualTo(10L);
            assertThatThrownBy(() -> ashlar.update(held, Map.of("title", "stale writer")))
                    .isInstanceOf(StaleRecordException.class);
            assertThat(db.value("SELECT title FROM posts WHERE id = 5")).isEqualTo("from draft");
            assertThat(db.value("SELECT lock_version FROM posts WHERE id = 30")).as("not published").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "lock version named on the resource: {0}")
    @ValueSource(booleans = {true, false})
    void draftsAreCleanAfterPublishAndRestoreAndDirtyAgainWhenEdited(boolean onResource) {
        try (Ashlar ashlar = populated(onResource)) {
            assertThat(db.value("SELECT count(*) FROM posts_draft WHERE draft_dirty")).as("restored").isEqualTo(0L);
            ashlar.read("post").asDraft().where(Filter.lte("id", 15)).updateAll(Map.of("title", "draft edit"));
            assertThat(db.value("SELECT count(*) FROM posts_draft WHERE draft_dirty")).isEqualTo(15L);

            ashlar.publish("post", Filter.lte("id", 15));

            assertThat(db.value("SELECT count(*) FROM posts_draft WHERE draft_dirty")).as("published").isEqualTo(0L);
            ashlar.read("post").asDraft().where(Filter.eq("id", 3)).updateAll(Map.of("title", "again"));
            assertThat(db.query("SELECT id FROM posts_draft WHERE draft_dirty")).containsExactly(Map.of("id", 3L));
            ashlar.restoreDraft("post", Filter.eq("id", 3));
            assertThat(db.value("SELECT count(*) FROM posts_draft WHERE draft_dirty")).isEqualTo(0L);
            assertThat(db.value("SELECT title FROM posts_draft WHERE id = 3")).isEqualTo("draft edit");
        }
    }

    @Test
    void aBuilderLockVersionInAColumnOfAnotherNameIsNotCountedAsAChangeByPublishReport() {
        Domain domain = Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("title", TEXT).attribute("lockVersion", INTEGER, a -> a.column("lock_ver").notNull()
                        .defaultValue(1)).draftable().build()).build();
        HistoryTablesTest.migrate(project, db, domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).optimisticLock("lockVersion")
                .build()) {
            Row draft = ashlar.create(ashlar.drafts("post"), Map.of("title", "Hello"));
            assertThat(ashlar.publishReport("post", Filter.eq("id", draft.get("id"))).of("post").created())
                    .isEqualTo(1);

            for (int i = 0; i < 2; i++) {
                DraftReport again = ashlar.publishReport("post", Filter.eq("id", draft.get("id")));
                assertThat(again.count()).isEqualTo(1);
                assertThat(again.of("post")).as("publish %d with nothing changed", i + 2)
                        .isEqualTo(new DraftReport.Counts(0, 0, 0));
            }
            assertThat(db.value("SELECT lock_ver FROM posts")).as("each publish counted the version up").isEqualTo(3);
        }
    }
}
