package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.DraftReport;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code publishReport} and {@code restoreDraftReport} say they did, resource by resource, checked against the
 * rows of the live and draft tables before and after (Ebean's {@code publish} returns the beans it published).
 */
@ExtendWith(PostgresExtension.class)
class DraftReportTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private Ashlar migrated() {
        HistoryTablesTest.migrate(project, db, DraftElementsTest.documents(true, r -> r), "create");
        return Ashlar.builder().dataSource(db.dataSource()).domain(DraftElementsTest.documents(true, r -> r)).build();
    }

    /** Documents and media that both refuse live writes, migrated. */
    private Ashlar migratedRefusingLiveWrites() {
        Domain domain = DraftElementsTest.documents(true, ResourceBuilder::refuseLiveWrites);
        HistoryTablesTest.migrate(project, db, domain, "create");
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    private Set<Object> ids(String table) {
        return new HashSet<>(db.query("SELECT id FROM " + table).stream().map(r -> r.get("id")).toList());
    }

    private static Row medium(Ashlar ashlar, Object document, String name) {
        return ashlar.create(ashlar.drafts("media"), Map.of("name", name, "document_id", document));
    }

    private static Row draft(Ashlar ashlar, String resource, Object id) {
        return ashlar.read(resource).asDraft().where(Filter.eq("id", id)).one().orElseThrow();
    }

    /** The counts the rows show: keys only after (created), in both (kept), only before (destroyed). */
    private static DraftReport.Counts shown(Set<Object> before, Set<Object> after) {
        Set<Object> created = new HashSet<>(after);
        created.removeAll(before);
        Set<Object> kept = new HashSet<>(after);
        kept.retainAll(before);
        Set<Object> destroyed = new HashSet<>(before);
        destroyed.removeAll(after);
        return new DraftReport.Counts(created.size(), kept.size(), destroyed.size());
    }

    @Test
    void publishReportCountsTheLiveRowsCreatedUpdatedAndDestroyedOfTheRecordAndItsElements() {
        try (Ashlar ashlar = migrated()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            Row changed = medium(ashlar, doc.get("id"), "diagram");
            Row removed = medium(ashlar, doc.get("id"), "notes");
            medium(ashlar, doc.get("id"), "kept");

            DraftReport first = ashlar.publishReport("document", Filter.eq("id", doc.get("id")));

            assertThat(first.count()).isEqualTo(1);
            assertThat(first.of("document")).isEqualTo(new DraftReport.Counts(1, 0, 0));
            assertThat(first.of("media")).isEqualTo(new DraftReport.Counts(3, 0, 0));
            assertThat(first.resources().keySet()).containsExactly("document", "media");

            ashlar.update(draft(ashlar, "media", changed.get("id")), Map.of("name", "diagram v2"));
            ashlar.destroy(draft(ashlar, "media", removed.get("id")));
            medium(ashlar, doc.get("id"), "photo");
            Set<Object> before = ids("document_media");

            DraftReport second = ashlar.publishReport("document", Filter.eq("id", doc.get("id")));

            // "diagram" changed and "kept" was rewritten as it was: one updated, as the rows' values say.
            assertThat(shown(before, ids("document_media"))).isEqualTo(new DraftReport.Counts(1, 2, 1));
            assertThat(second.of("media")).isEqualTo(new DraftReport.Counts(1, 1, 1));
            assertThat(second.of("document")).as("unchanged").isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_dirty")).isEqualTo(0L);
            assertThat(ashlar.publish("document", Filter.eq("id", doc.get("id")))).as("the int form is unchanged")
                    .isEqualTo(1);
        }
    }

    @Test
    void publishWithdrawingDestroysTheRecordOfADestroyedDraftAndItsElementsAndCountsThem() {
        try (Ashlar ashlar = migratedRefusingLiveWrites()) {
            Row withdrawn = ashlar.create(ashlar.drafts("document"), Map.of("title", "Withdrawn"));
            medium(ashlar, withdrawn.get("id"), "scan");
            Row kept = ashlar.create(ashlar.drafts("document"), Map.of("title", "Kept"));
            medium(ashlar, kept.get("id"), "photo");
            ashlar.publish("document", Filter.notNil("id"));
            ashlar.read("media").asDraft().where(Filter.eq("document_id", withdrawn.get("id"))).destroyAll();
            ashlar.destroy(draft(ashlar, "document", withdrawn.get("id")));
            Set<Object> before = ids("documents");

            DraftReport report = ashlar.publishWithdrawing("document", Filter.notNil("id"));

            assertThat(shown(before, ids("documents"))).isEqualTo(new DraftReport.Counts(0, 1, 1));
            assertThat(report.of("document")).as("Kept was rewritten unchanged").isEqualTo(
                    new DraftReport.Counts(0, 0, 1));
            assertThat(report.of("media")).isEqualTo(new DraftReport.Counts(0, 0, 1));
            assertThat(report.count()).as("records written, as publish returns").isEqualTo(1);
            assertThat(db.query("SELECT title FROM documents")).extracting(r -> r.get("title"))
                    .containsExactly("Kept");
            assertThat(db.query("SELECT name FROM document_media")).extracting(r -> r.get("name"))
                    .containsExactly("photo");
        }
    }

    @Test
    void aDestroyedDraftTheFilterDoesNotSelectLeavesItsRecord() {
        try (Ashlar ashlar = migratedRefusingLiveWrites()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            ashlar.publish("document", Filter.notNil("id"));
            ashlar.destroy(draft(ashlar, "document", doc.get("id")));

            DraftReport other = ashlar.publishWithdrawing("document", Filter.eq("title", "Other"));

            assertThat(other.of("document")).isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(1L);
        }
    }

    @Test
    void aPlainPublishLeavesTheRecordsWithoutADraftOfAResourceRefusingLiveWrites() {
        try (Ashlar ashlar = migratedRefusingLiveWrites()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Destroyed draft"));
            ashlar.publish("document", Filter.notNil("id"));
            ashlar.destroy(draft(ashlar, "document", doc.get("id")));
            // A row that never had a draft: from before draftable(), or written by hand-written SQL.
            db.execute("INSERT INTO documents (id, title) VALUES (900, 'Never drafted')");

            DraftReport report = ashlar.publishReport("document", Filter.notNil("id"));

            assertThat(report.of("document")).isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(db.query("SELECT title FROM documents ORDER BY id")).extracting(r -> r.get("title"))
                    .containsExactly("Destroyed draft", "Never drafted");
        }
    }

    @Test
    void aDestroyedDraftOfAResourceTakingLiveWritesLeavesItsRecordAsEbeanDoes() {
        try (Ashlar ashlar = migrated()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Live writes"));
            ashlar.publish("document", Filter.notNil("id"));
            ashlar.destroy(draft(ashlar, "document", doc.get("id")));

            assertThat(ashlar.publishReport("document", Filter.notNil("id")).of("document"))
                    .isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThatThrownBy(() -> ashlar.publishWithdrawing("document", Filter.notNil("id")))
                    .isInstanceOf(QueryException.class).hasMessageContaining("publishWithdrawing of 'document' is "
                            + "refused").hasMessageContaining(".draftable().refuseLiveWrites()");
            assertThat(db.value("SELECT count(*) FROM documents WHERE title = 'Live writes'")).isEqualTo(1L);
        }
    }

    @Test
    void publishReportCountsAsUpdatedOnlyTheRecordsWhoseStoredValuesChanged() {
        try (Ashlar ashlar = migrated()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            Row same = medium(ashlar, doc.get("id"), "same");
            Row edited = medium(ashlar, doc.get("id"), "edited");
            Row nulled = medium(ashlar, doc.get("id"), "nulled");
            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            // Written again with the value it holds: no change, though the draft was written (and is dirty).
            ashlar.update(draft(ashlar, "media", same.get("id")), Map.of("name", "same"));
            ashlar.update(draft(ashlar, "media", edited.get("id")), Map.of("name", "edited v2"));
            ashlar.update(draft(ashlar, "media", nulled.get("id")), java.util.Collections.singletonMap("name", null));

            DraftReport report = ashlar.publishReport("document", Filter.eq("id", doc.get("id")));

            assertThat(report.count()).isEqualTo(1);
            assertThat(report.of("media")).isEqualTo(new DraftReport.Counts(0, 2, 0));
            assertThat(report.of("media").written()).isEqualTo(2);
            assertThat(report.of("document")).isEqualTo(new DraftReport.Counts(0, 0, 0));
            // The document was rewritten with the values it held: in count(), not in written().
            assertThat(report.of("document").written()).isZero();
            assertThat(report.count()).isGreaterThan(report.of("document").written());
            assertThat(db.query("SELECT name FROM document_media ORDER BY id")).extracting(r -> r.get("name"))
                    .containsExactly("same", "edited v2", null);
        }
    }

    @Test
    void aNumericRewrittenWithAnEqualValueOfAnotherScaleIsNotCountedAsUpdatedAsTheDirtyFlagSays() {
        Domain amounts = DraftElementsTest.documents(true,
                r -> r.attribute("amount", dev.ashlar.api.resource.Type.DECIMAL));
        HistoryTablesTest.migrate(project, db, amounts, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(amounts).build()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec", "amount",
                    new java.math.BigDecimal("1.0")));
            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            ashlar.update(draft(ashlar, "document", doc.get("id")), Map.of("amount", new java.math.BigDecimal("1.00")));
            assertThat(db.value("SELECT amount::text || ' ' || draft_dirty FROM documents_draft"))
                    .isEqualTo("1.00 false");

            DraftReport report = ashlar.publishReport("document", Filter.eq("id", doc.get("id")));

            assertThat(report.count()).isEqualTo(1);
            assertThat(report.of("document")).isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(db.value("SELECT amount::text FROM documents")).isEqualTo("1.00");
        }
    }

    @Test
    void aPublishReportByAnActorFromWhomAFieldPolicyHidesTheChangedFieldIsRefusedRatherThanCountedUnchanged() {
        Domain secrets = DraftElementsTest.documents(true,
                r -> r.attribute("secret", dev.ashlar.api.resource.Type.TEXT).refuseLiveWrites());
        HistoryTablesTest.migrate(project, db, secrets, "create");
        // The secret is the admin's (actor 1) to see; every other actor reads it as NULL.
        Policy policy = Policy.on("document").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW)
                .update(Policy.EVERY_ROW).destroy(Policy.EVERY_ROW)
                .field("secret", actor -> actor.id().equals(1L) ? Policy.ANY_ROW : Policy.NO_ROW);
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(secrets).policies(policy).build()) {
            Ashlar admin = policed.withUser(1L);
            Row doc = admin.create(admin.drafts("document"), Map.of("title", "Spec", "secret", "v1"));
            admin.publish("document", Filter.eq("id", doc.get("id")));
            admin.update(draft(admin, "document", doc.get("id")), Map.of("secret", "v2"));

            assertThatThrownBy(() -> policed.withUser(2L).publishReport("document", Filter.eq("id", doc.get("id"))))
                    .isInstanceOfSatisfying(ForbiddenException.class,
                            e -> assertThat(e.getMessage()).contains("document", "secret", "bypassPolicies"));
            assertThat(db.value("SELECT secret FROM documents")).isEqualTo("v1");
            assertThat(admin.publishReport("document", Filter.eq("id", doc.get("id"))).of("document"))
                    .isEqualTo(new DraftReport.Counts(0, 1, 0));
            assertThat(db.value("SELECT secret FROM documents")).isEqualTo("v2");
        }
    }

    @Test
    void aPublishOverwritingASoftDeletedLiveRecordReportsItUpdatedNotCreated() {
        Domain soft = DraftElementsTest.documents(true, r -> r.attribute("deleted_at",
                dev.ashlar.api.resource.Type.TIMESTAMPTZ).softDelete("deleted_at"));
        HistoryTablesTest.migrate(project, db, soft, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(soft).build()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            db.execute("UPDATE documents SET deleted_at = now()");
            ashlar.update(draft(ashlar, "document", doc.get("id")), Map.of("title", "Spec v2"));

            DraftReport report = ashlar.publishReport("document", Filter.eq("id", doc.get("id")));

            assertThat(report.of("document")).isEqualTo(new DraftReport.Counts(0, 1, 0));
            assertThat(db.query("SELECT title, deleted_at IS NULL AS live FROM documents"))
                    .extracting(r -> r.get("title") + " " + r.get("live")).containsExactly("Spec v2 true");
        }
    }

    @Test
    void aNewDraftIsNotPublishedOverASoftDeletedLiveRecordOfItsKeyCreatedInTheTableDirectly() {
        Domain soft = DraftElementsTest.documents(true, r -> r.attribute("deleted_at",
                dev.ashlar.api.resource.Type.TIMESTAMPTZ).softDelete("deleted_at"));
        HistoryTablesTest.migrate(project, db, soft, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(soft).build()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "New"));
            db.execute("INSERT INTO documents (id, title, deleted_at) VALUES (" + doc.get("id") + ", 'made directly', "
                    + "now())");

            assertThatThrownBy(() -> ashlar.publishReport("document", Filter.eq("id", doc.get("id"))))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage())
                            .contains("created there directly", "Nothing was published"));
            assertThat(db.value("SELECT title FROM documents")).isEqualTo("made directly");
        }
    }

    @Test
    void restoreDraftReportCountsTheDraftsCreatedOverwrittenAndDestroyed() {
        try (Ashlar ashlar = migrated()) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            Row changed = medium(ashlar, doc.get("id"), "diagram");
            Row destroyed = medium(ashlar, doc.get("id"), "notes");
            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            ashlar.update(draft(ashlar, "media", changed.get("id")), Map.of("name", "diagram v2"));
            ashlar.destroy(draft(ashlar, "media", destroyed.get("id")));
            medium(ashlar, doc.get("id"), "created since");
            Set<Object> before = ids("document_media_draft");

            DraftReport report = ashlar.restoreDraftReport("document", Filter.eq("id", doc.get("id")));

            assertThat(report.count()).isEqualTo(1);
            assertThat(report.of("media")).isEqualTo(shown(before, ids("document_media_draft")))
                    .isEqualTo(new DraftReport.Counts(1, 1, 1));
            assertThat(db.query("SELECT name FROM document_media_draft ORDER BY id")).extracting(r -> r.get("name"))
                    .containsExactly("diagram", "notes");
        }
    }

    @Test
    void aFilterThatSelectsNoDraftReportsNothingAndWritesNothing() {
        try (Ashlar ashlar = migrated()) {
            DraftReport report = ashlar.publishReport("document", Filter.eq("id", 404));

            assertThat(report.count()).isZero();
            assertThat(report.of("document")).isEqualTo(new DraftReport.Counts(0, 0, 0));
            assertThat(report.of("media").written()).isZero();
            assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(0L);
        }
    }

    @Test
    void aTreePublishedFromItsRootCountsEveryNodeOnceAndTheRootsCountAlone() {
        HistoryTablesTest.migrate(project, db, DraftElementsTest.tree(), "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DraftElementsTest.tree()).build()) {
            Row root = ashlar.create(ashlar.drafts("node"), Map.of("name", "root"));
            Row child = ashlar.create(ashlar.drafts("node"), Map.of("name", "child", "parent_id", root.get("id")));
            ashlar.create(ashlar.drafts("node"), Map.of("name", "grandchild", "parent_id", child.get("id")));

            DraftReport fromRoot = ashlar.publishReport("node", Filter.eq("id", root.get("id")));
            ashlar.read("node").asDraft().updateAll(Map.of("name", "renamed"));
            DraftReport whole = ashlar.publishReport("node", Filter.notNil("id"));

            assertThat(fromRoot.count()).isEqualTo(1);
            assertThat(fromRoot.of("node")).isEqualTo(new DraftReport.Counts(3, 0, 0));
            assertThat(whole.count()).isEqualTo(3);
            assertThat(whole.of("node")).as("each node reached twice counts once").isEqualTo(
                    new DraftReport.Counts(0, 3, 0));
            assertThat(db.value("SELECT count(*) FROM nodes")).isEqualTo(3L);
        }
    }
}
