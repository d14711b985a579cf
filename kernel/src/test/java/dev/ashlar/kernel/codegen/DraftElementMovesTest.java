package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.DraftReport;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An element whose draft moved to another owner (its {@code document_id} changed in the draft) is published with the
 * owner its draft names: the old owner's live elements lose it, the new owner's gain it, one row, never an orphan.
 * Publishing the old owner without the new one is refused, naming both; restoring either owner puts the draft back
 * below the owner its record has.
 */
@ExtendWith(PostgresExtension.class)
class DraftElementMovesTest {
    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;
    Object spec;
    Object memo;
    Object moved;

    @BeforeEach
    void publishedDocumentsWithAMovedMedium(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        HistoryTablesTest.migrate(project, db, DraftElementsTest.documents(true, r -> r), "create");
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DraftElementsTest.documents(true, r -> r))
                .build();
        spec = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec")).get("id");
        memo = ashlar.create(ashlar.drafts("document"), Map.of("title", "Memo")).get("id");
        moved = medium(spec, "diagram").get("id");
        medium(spec, "notes");
        medium(memo, "scan");
        ashlar.publish("document", Filter.notNil("id"));
        ashlar.read("media").asDraft().where(Filter.eq("id", moved)).updateAll(Map.of("document_id", memo));
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    private Row medium(Object document, String name) {
        return ashlar.create(ashlar.drafts("media"), Map.of("name", name, "document_id", document));
    }

    private List<Object> names(String table, Object document) {
        return db.query("SELECT name FROM " + table + " WHERE document_id = " + document + " ORDER BY name").stream()
                .map(r -> r.get("name")).toList();
    }

    private void assertNoDuplicateNorOrphan(String table, String owners) {
        assertThat(db.value("SELECT count(*) - count(DISTINCT id) FROM " + table)).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM " + table + " m WHERE NOT EXISTS (SELECT 1 FROM " + owners
                + " d WHERE d.id = m.document_id)")).isEqualTo(0L);
    }

    @Test
    void publishingBothOwnersTogetherMovesTheLiveRowToTheNewOwner() {
        DraftReport report = ashlar.publishReport("document", Filter.in("id", List.of(spec, memo)));

        assertThat(names("document_media", spec)).containsExactly("notes");
        assertThat(names("document_media", memo)).containsExactly("diagram", "scan");
        assertThat(db.value("SELECT count(*) FROM document_media")).isEqualTo(3L);
        assertNoDuplicateNorOrphan("document_media", "documents");
        // The moved medium's row changed; the others were rewritten with the values they held.
        assertThat(report.of("media")).isEqualTo(new DraftReport.Counts(0, 1, 0));
        assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_dirty")).isEqualTo(0L);
    }

    @Test
    void publishingOnlyTheNewOwnerMovesTheRowOutOfTheOldOwnersLiveElements() {
        DraftReport report = ashlar.publishReport("document", Filter.eq("id", memo));

        assertThat(names("document_media", spec)).containsExactly("notes");
        assertThat(names("document_media", memo)).containsExactly("diagram", "scan");
        assertNoDuplicateNorOrphan("document_media", "documents");
        assertThat(report.of("media")).isEqualTo(new DraftReport.Counts(0, 1, 0));
        assertThat(ashlar.publish("document", Filter.eq("id", spec))).as("the old owner publishes alone after it")
                .isEqualTo(1);
        assertThat(names("document_media", spec)).containsExactly("notes");
    }

    @Test
    void publishingOnlyTheOldOwnerIsRefusedNamingTheElementAndItsNewOwnerAndWritesNothing() {
        ashlar.read("document").asDraft().where(Filter.eq("id", spec)).updateAll(Map.of("title", "Spec v2"));

        assertThatThrownBy(() -> ashlar.publish("document", Filter.eq("id", spec)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("publish of 'document' is refused")
                .hasMessageContaining("'media' [" + moved + "] (through 'document.media', from " + spec + " to "
                        + memo + ")")
                .hasMessageContaining("publish that owner in the same call")
                .hasMessageContaining("Nothing was published");

        assertThat(db.value("SELECT title FROM documents WHERE id = " + spec)).isEqualTo("Spec");
        assertThat(names("document_media", spec)).containsExactly("diagram", "notes");
        assertThat(names("document_media", memo)).containsExactly("scan");
        assertThat(db.value("SELECT draft_dirty FROM document_media_draft WHERE id = " + moved)).isEqualTo(true);
    }

    @Test
    void theRefusalInsideACallersTransactionRollsBackOnlyThePublishAndTheCallerCommitsTheRest() {
        ashlar.read("document").asDraft().where(Filter.eq("id", spec)).updateAll(Map.of("title", "Spec v2"));

        ashlar.transaction(tx -> {
            assertThatThrownBy(() -> tx.publish("document", Filter.eq("id", spec)))
                    .hasMessageContaining("Nothing was published");
            return tx.create(tx.drafts("document"), Map.of("title", "After"));
        });

        assertThat(db.value("SELECT title FROM documents WHERE id = " + spec)).isEqualTo("Spec");
        assertThat(names("document_media", spec)).containsExactly("diagram", "notes");
        assertThat(names("document_media", memo)).containsExactly("scan");
        assertThat(db.value("SELECT count(*) FROM documents_draft WHERE title = 'After'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM documents_draft WHERE draft_dirty")).isEqualTo(2L);
    }

    @Test
    void anElementMovedToADocumentNotYetPublishedGoesLiveWithThatDocumentOnly() {
        Object fresh = ashlar.create(ashlar.drafts("document"), Map.of("title", "Fresh")).get("id");
        ashlar.read("media").asDraft().where(Filter.eq("id", moved)).updateAll(Map.of("document_id", fresh));

        assertThatThrownBy(() -> ashlar.publish("document", Filter.eq("id", spec)))
                .hasMessageContaining("from " + spec + " to " + fresh);
        assertThat(db.value("SELECT count(*) FROM documents WHERE id = " + fresh)).isEqualTo(0L);

        ashlar.publish("document", Filter.in("id", List.of(spec, fresh)));

        assertThat(names("document_media", fresh)).containsExactly("diagram");
        assertThat(names("document_media", spec)).containsExactly("notes");
        assertNoDuplicateNorOrphan("document_media", "documents");
    }

    @Test
    void restoringTheNewOwnerPutsTheMovedDraftBackBelowTheOwnerItsRecordHas() {
        DraftReport report = ashlar.restoreDraftReport("document", Filter.eq("id", memo));

        assertThat(names("document_media_draft", spec)).containsExactly("diagram", "notes");
        assertThat(names("document_media_draft", memo)).containsExactly("scan");
        assertNoDuplicateNorOrphan("document_media_draft", "documents_draft");
        assertThat(report.of("media")).isEqualTo(new DraftReport.Counts(0, 2, 0));
        assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_dirty")).isEqualTo(0L);
    }

    @Test
    void restoringTheOldOwnerPutsTheMovedDraftBackBelowIt() {
        ashlar.restoreDraft("document", Filter.eq("id", spec));

        assertThat(names("document_media_draft", spec)).containsExactly("diagram", "notes");
        assertThat(names("document_media_draft", memo)).containsExactly("scan");
        assertThat(ashlar.publish("document", Filter.eq("id", spec))).as("nothing is moved any more").isEqualTo(1);
    }

    @Test
    void aNodeMovedOffANodeWhoseDraftWasDestroyedIsMovedBeforeThatNodeIsDestroyedUnderAForeignKey() {
        try (Ashlar tree = tree("ALTER TABLE nodes ADD FOREIGN KEY (parent_id) REFERENCES nodes (id)")) {
            Map<String, Object> ids = publishedTreeWithTheLeafMovedRight(tree);
            Object root = ids.get("root");
            Object right = ids.get("right");
            Object leaf = ids.get("leaf");
            tree.read("node").asDraft().where(Filter.eq("id", ids.get("left"))).destroyAll();

            DraftReport report = tree.publishReport("node", Filter.eq("id", root));

            assertThat(db.query("SELECT name, parent_id FROM nodes ORDER BY id")).extracting(r -> r.get("name"))
                    .containsExactly("root", "right", "leaf");
            assertThat(db.value("SELECT parent_id FROM nodes WHERE id = " + leaf)).isEqualTo(right);
            // Of the three rewritten, only the moved leaf's row changed.
            assertThat(report.of("node")).isEqualTo(new DraftReport.Counts(0, 1, 1));
        }
    }

    @Test
    void aNodeMovedBelowAnotherNodeOfTheSameTreeIsPublishedFromTheirRoot() {
        try (Ashlar tree = tree()) {
            Map<String, Object> ids = publishedTreeWithTheLeafMovedRight(tree);
            Object root = ids.get("root");
            Object left = ids.get("left");
            Object right = ids.get("right");
            Object leaf = ids.get("leaf");

            assertThatThrownBy(() -> tree.publish("node", Filter.eq("id", left)))
                    .hasMessageContaining("'node' [" + leaf + "]");
            tree.publish("node", Filter.eq("id", root));

            assertThat(db.value("SELECT parent_id FROM nodes WHERE id = " + leaf)).isEqualTo(right);
            assertThat(db.value("SELECT count(*) FROM nodes")).isEqualTo(4L);
        }
    }

    @Test
    void restoringTheTreeDiscardsANewNodeAndPutsTheLeafMovedBelowItBackBelowItsRecordsParent() {
        try (Ashlar tree = tree()) {
            Map<String, Object> ids = publishedTreeWithTheLeafMovedRight(tree);
            Object fresh = tree.create(tree.drafts("node"), Map.of("name", "fresh", "parent_id", ids.get("root")))
                    .get("id");
            tree.read("node").asDraft().where(Filter.eq("id", ids.get("leaf"))).updateAll(Map.of("parent_id", fresh));

            DraftReport report = tree.restoreDraftReport("node", Filter.eq("id", ids.get("root")));

            assertThat(db.query("SELECT name FROM nodes_draft ORDER BY id")).extracting(r -> r.get("name"))
                    .containsExactly("root", "left", "right", "leaf");
            assertThat(db.value("SELECT parent_id FROM nodes_draft WHERE name = 'leaf'")).isEqualTo(ids.get("left"));
            assertThat(report.of("node")).isEqualTo(new DraftReport.Counts(0, 4, 1));
            assertThat(db.value("SELECT count(*) FROM nodes_draft WHERE draft_dirty")).isEqualTo(0L);
        }
    }

    /** A handle on the tree of {@link DraftElementsTest#tree()}, migrated afresh, then the statements run. */
    private Ashlar tree(String... statements) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        HistoryTablesTest.migrate(project, db, DraftElementsTest.tree(), "tree");
        for (String statement : statements) {
            db.execute(statement);
        }
        return Ashlar.builder().dataSource(db.dataSource()).domain(DraftElementsTest.tree()).build();
    }

    /** Root with left and right below it and leaf below left, published; then leaf's draft moved below right. */
    private static Map<String, Object> publishedTreeWithTheLeafMovedRight(Ashlar tree) {
        Map<String, Object> ids = new HashMap<>();
        ids.put("root", tree.create(tree.drafts("node"), Map.of("name", "root")).get("id"));
        for (String[] node : new String[][]{{"left", "root"}, {"right", "root"}, {"leaf", "left"}}) {
            ids.put(node[0], tree.create(tree.drafts("node"), Map.of("name", node[0], "parent_id", ids.get(node[1])))
                    .get("id"));
        }
        tree.publish("node", Filter.eq("id", ids.get("root")));
        tree.read("node").asDraft().where(Filter.eq("id", ids.get("leaf"))).updateAll(Map.of("parent_id",
                ids.get("right")));
        return ids;
    }
}
