package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.Merge;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Draft elements (Ebean's {@code @DraftableElement}, as {@code org.tests.draftable}'s {@code Document} and its
 * {@code DocumentMedia} in {@code TestDraftable}): a document's media published and restored with its draft as one
 * graph, in one transaction; and {@code refuseLiveWrites()}, Ebean's refusal to save a live bean of a draftable type.
 */
@ExtendWith(PostgresExtension.class)
class DraftElementsTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    static Domain documents(boolean drafts, UnaryOperator<ResourceBuilder> document) {
        ResourceBuilder doc = Resource.builder("document").table("documents").primaryKey("id").attribute("title", TEXT)
                .hasMany("media", "media", r -> {
                    if (drafts) {
                        r.draftElement();
                    }
                });
        ResourceBuilder media = Resource.builder("media").table("document_media").primaryKey("id")
                .attribute("name", TEXT).belongsTo("document", "document", r -> r.allowNil(false));
        return Domain.builder("docs").resource((drafts ? document.apply(doc.draftable()) : doc).build())
                .resource((drafts ? media.draftable().refuseLiveWrites() : media).build()).build();
    }

    private Ashlar migrated(Domain domain) {
        HistoryTablesTest.migrate(project, db, domain, "create");
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    private static Row medium(Ashlar ashlar, Row doc, String name) {
        return ashlar.create(ashlar.drafts("media"), Map.of("name", name, "document_id", doc.get("id")));
    }

    private List<Object> live(String table) {
        return db.query("SELECT name FROM " + table + " ORDER BY id").stream().map(r -> r.get("name")).toList();
    }

    @Test
    void publishingADocumentPublishesItsCreatedChangedAndRemovedMediaWithIt() {
        try (Ashlar ashlar = migrated(documents(true, r -> r))) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            Row kept = medium(ashlar, doc, "diagram");
            Row removed = medium(ashlar, doc, "draft notes");

            assertThat(ashlar.publish("document", Filter.eq("id", doc.get("id")))).isEqualTo(1);
            assertThat(live("document_media")).containsExactly("diagram", "draft notes");
            assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_dirty")).isEqualTo(0L);

            ashlar.update(ashlar.read("media").asDraft().where(Filter.eq("id", kept.get("id"))).one().orElseThrow(),
                    Map.of("name", "diagram v2"));
            ashlar.destroy(ashlar.read("media").asDraft().where(Filter.eq("id", removed.get("id"))).one()
                    .orElseThrow());
            medium(ashlar, doc, "photo");
            assertThat(live("document_media")).as("drafts only until publish").containsExactly("diagram", "draft notes");

            assertThat(ashlar.publish("document", Filter.eq("id", doc.get("id")))).isEqualTo(1);
            assertThat(live("document_media")).containsExactly("diagram v2", "photo");
            assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_dirty OR NOT draft_live"))
                    .isEqualTo(0L);
        }
    }

    @Test
    void publishingOneDocumentLeavesAnotherDocumentsMediaAlone() {
        try (Ashlar ashlar = migrated(documents(true, r -> r))) {
            Row spec = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            Row memo = ashlar.create(ashlar.drafts("document"), Map.of("title", "Memo"));
            medium(ashlar, spec, "diagram");
            medium(ashlar, memo, "memo scan");

            ashlar.publish("document", Filter.eq("id", spec.get("id")));

            assertThat(live("document_media")).containsExactly("diagram");
            assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(1L);
            assertThat(db.value("SELECT draft_dirty FROM document_media_draft WHERE name = 'memo scan'"))
                    .isEqualTo(true);
        }
    }

    @Test
    void restoringADocumentRestoresItsMediaAndDiscardsMediaCreatedSince() {
        try (Ashlar ashlar = migrated(documents(true, r -> r))) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            Row changed = medium(ashlar, doc, "diagram");
            Row destroyed = medium(ashlar, doc, "notes");
            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            ashlar.updateAll(ashlar.read("media").asDraft().where(Filter.eq("id", changed.get("id"))).list(),
                    Map.of("name", "diagram v2"));
            ashlar.destroyAll(ashlar.read("media").asDraft().where(Filter.eq("id", destroyed.get("id"))).list());
            medium(ashlar, doc, "photo");

            assertThat(ashlar.restoreDraft("document", Filter.eq("id", doc.get("id")))).isEqualTo(1);

            assertThat(live("document_media_draft")).containsExactly("diagram", "notes");
            assertThat(db.value("SELECT count(*) FROM document_media_draft WHERE draft_dirty")).isEqualTo(0L);
            assertThat(live("document_media")).containsExactly("diagram", "notes");
        }
    }

    @Test
    void anElementThatCannotBePublishedRollsBackTheWholeGraphDocumentIncluded() {
        try (Ashlar ashlar = migrated(documents(true, r -> r))) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            db.execute("INSERT INTO document_media (name, document_id) VALUES ('made live directly', "
                    + doc.get("id") + ")");
            ashlar.updateAll(ashlar.read("document").asDraft().list(), Map.of("title", "Spec v2"));
            medium(ashlar, doc, "same key as the live one");

            assertThatThrownBy(() -> ashlar.publish("document", Filter.eq("id", doc.get("id"))))
                    .isInstanceOf(QueryException.class).hasMessageContaining("publish of 'media' is refused");

            assertThat(db.value("SELECT title FROM documents")).isEqualTo("Spec");
            assertThat(live("document_media")).containsExactly("made live directly");
            assertThat(db.value("SELECT draft_dirty FROM documents_draft")).isEqualTo(true);
        }
    }

    @Test
    void turningDraftsAndElementsOnForTablesWithRowsKeepsThemAndRestoreMakesTheGraphsDrafts() {
        HistoryTablesTest.migrate(project, db, documents(false, r -> r), "create");
        db.execute("INSERT INTO documents (title) VALUES ('Spec'), ('Memo')");
        db.execute("INSERT INTO document_media (name, document_id) VALUES ('diagram', 1), ('photo', 1), ('scan', 2)");
        Domain drafts = documents(true, r -> r);

        HistoryTablesTest.migrate(project, db, drafts, "drafts");

        assertThat(live("document_media")).containsExactly("diagram", "photo", "scan");
        assertThat(HistoryTablesTest.columns(db, "document_media_draft"))
                .containsExactly("id", "name", "document_id", "draft_dirty", "draft_live");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(drafts).build()) {
            assertThat(ashlar.restoreDraft("document", Filter.eq("title", "Spec"))).isEqualTo(1);
            assertThat(live("document_media_draft")).containsExactly("diagram", "photo");
            Row medium = ashlar.create(ashlar.drafts("media"), Map.of("name", "new", "document_id", 1L));
            assertThat(medium.get("id")).as("the element drafts' keys moved past the restored 1 and 2").isEqualTo(3L);
        }
    }

    @Test
    void refuseLiveWritesRefusesEveryWriteOfTheTableButPublishNamingTheResourceAndTheFix() {
        try (Ashlar ashlar = migrated(documents(true, r -> r.refuseLiveWrites()))) {
            assertThatThrownBy(() -> ashlar.create("document", Map.of("title", "live")))
                    .isInstanceOf(QueryException.class).hasMessageContaining("Resource 'document' refuses live writes")
                    .hasMessageContaining("ashlar.publish(\"document\", filter)")
                    .hasMessageContaining("remove refuseLiveWrites()");
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            medium(ashlar, doc, "diagram");
            assertThat(ashlar.publish("document", Filter.eq("id", doc.get("id")))).isEqualTo(1);
            Row live = ashlar.get("document", doc.get("id"));

            assertThatThrownBy(() -> ashlar.update(live, Map.of("title", "edited live")))
                    .hasMessageContaining("takes no update");
            assertThatThrownBy(() -> ashlar.updateAll(ashlar.read("document").list(), Map.of("title", "x")))
                    .isInstanceOf(QueryException.class);
            assertThatThrownBy(() -> ashlar.destroy(live)).hasMessageContaining("takes no destroy");
            assertThatThrownBy(() -> ashlar.destroyAll(ashlar.read("document").list()))
                    .isInstanceOf(QueryException.class);
            assertThat(db.value("SELECT title FROM documents")).isEqualTo("Spec");
            assertThatThrownBy(() -> ashlar.create("media", Map.of("name", "live", "document_id", doc.get("id"))))
                    .hasMessageContaining("Resource 'media' refuses live writes");

            ashlar.updateAll(ashlar.read("document").asDraft().list(), Map.of("title", "Spec v2"));
            assertThat(ashlar.publish("document", Filter.eq("id", doc.get("id")))).isEqualTo(1);
            assertThat(db.value("SELECT title FROM documents")).isEqualTo("Spec v2");
            assertThat(ashlar.restoreDraft("document", Filter.eq("id", doc.get("id")))).isEqualTo(1);
        }
    }

    @Test
    void elementsAndLiveWriteRefusalWithoutDraftsAreRefusedNamingTheResourceAndTheFix() {
        assertThatThrownBy(() -> Resource.builder("document").table("documents").primaryKey("id")
                .hasMany("media", "media", r -> r.draftElement()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'media' as a draft element")
                .hasMessageContaining("add .draftable()");
        assertThatThrownBy(() -> Resource.builder("document").table("documents").primaryKey("id")
                .refuseLiveWrites().build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("refuses live writes")
                .hasMessageContaining("add .draftable()");
        assertThatThrownBy(() -> Resource.builder("media").table("document_media").primaryKey("id").draftable()
                .belongsTo("document", "document", r -> r.draftElement()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("draftElement");
        assertThatThrownBy(() -> Domain.builder("docs").resource(Resource.builder("document").table("documents")
                        .primaryKey("id").draftable().hasMany("media", "media", r -> r.draftElement()).build())
                .resource(Resource.builder("media").table("document_media").primaryKey("id")
                        .attribute("document_id", BIGINT).build()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("media")
                .hasMessageContaining("declare media with .draftable(), or remove draftElement()");
    }

    @Test
    void anElementResourceThatTakesLiveWritesIsRefusedNamingItAndTheFix() {
        assertThatThrownBy(() -> Domain.builder("docs").resource(Resource.builder("document").table("documents")
                        .primaryKey("id").draftable().hasMany("media", "media", r -> r.draftElement()).build())
                .resource(Resource.builder("media").table("document_media").primaryKey("id")
                        .attribute("document_id", BIGINT).draftable().build()).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("media")
                .hasMessageContaining("which takes live writes")
                .hasMessageContaining("Declare media with .draftable().refuseLiveWrites()");
    }

    @Test
    void anElementRelationshipWithAFilterALimitOrAHasOnesSortIsRefusedNamingItAndTheFix() {
        ResourceBuilder document = Resource.builder("document").table("documents").primaryKey("id").draftable();
        assertThatThrownBy(() -> document.hasMany("images", "media", r -> r.filter(Filter.eq("kind", "image"))
                .draftElement()))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("images")
                .hasMessageContaining("the option filter").hasMessageContaining("draftElement() hasMany")
                .hasMessageContaining("remove it, or draftElement()");
        assertThatThrownBy(() -> document.hasMany("top", "media", r -> r.sort(Sort.asc("id")).limit(2)
                .draftElement())).isInstanceOf(DefinitionException.class).hasMessageContaining("top")
                .hasMessageContaining("the option limit");
        assertThatThrownBy(() -> document.hasOne("cover", "media", r -> r.sort(Sort.asc("id")).draftElement()))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("cover")
                .hasMessageContaining("the option sort");
        assertThat(document.hasMany("media", "media", r -> r.sort(Sort.asc("id")).draftElement()).build()
                .tableOptions().draftElements()).as("a hasMany's sort orders its elements, selects none")
                .containsExactly("media");
    }

    @Test
    void elementsOfElementsFollowAndARemovedElementsOwnElementsAreDestroyedBeforeIt() {
        Domain domain = Domain.builder("docs").resource(Resource.builder("document").table("documents")
                        .primaryKey("id").attribute("title", TEXT).draftable()
                        .hasMany("media", "media", r -> r.draftElement()).build())
                .resource(Resource.builder("media").table("document_media").primaryKey("id").attribute("name", TEXT)
                        .belongsTo("document", "document", r -> r.allowNil(false)).draftable().refuseLiveWrites()
                        .hasOne("caption", "caption", r -> r.draftElement()).build())
                .resource(Resource.builder("caption").table("captions").primaryKey("id").attribute("name", TEXT)
                        .belongsTo("media", "media", r -> r.allowNil(false)).draftable().refuseLiveWrites()
                        .build()).build();
        try (Ashlar ashlar = migrated(domain)) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            Row medium = medium(ashlar, doc, "diagram");
            ashlar.create(ashlar.drafts("caption"), Map.of("name", "Figure 1", "media_id", medium.get("id")));

            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            assertThat(live("captions")).containsExactly("Figure 1");

            ashlar.destroyAll(ashlar.read("caption").asDraft().list());
            ashlar.destroyAll(ashlar.read("media").asDraft().list());
            assertThat(ashlar.publish("document", Filter.eq("id", doc.get("id")))).isEqualTo(1);

            assertThat(live("document_media")).isEmpty();
            assertThat(live("captions")).as("destroyed before the media it belongs to").isEmpty();
            assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(1L);
        }
    }
    /** A tree of nodes whose children are elements of their parent's draft: a cycle of definitions, which is fine. */
    static Domain tree() {
        return Domain.builder("tree").resource(Resource.builder("node").table("nodes").primaryKey("id")
                .attribute("name", TEXT).draftable().refuseLiveWrites()
                .belongsTo("parent", "node", r -> r.attribute("parent_id"))
                .hasMany("children", "node", r -> r.destinationAttribute("parent_id").draftElement()).build()).build();
    }

    @Test
    @Timeout(60)
    void publishingARecordThatIsItsOwnElementIsRefusedNamingTheResourceAndTheRecordsAndWritesNothing() {
        try (Ashlar ashlar = migrated(tree())) {
            Row one = ashlar.create(ashlar.drafts("node"), Map.of("name", "one"));
            Row two = ashlar.create(ashlar.drafts("node"), Map.of("name", "two", "parent_id", one.get("id")));
            ashlar.updateAll(ashlar.read("node").asDraft().where(Filter.eq("id", one.get("id"))).list(),
                    Map.of("parent_id", two.get("id")));

            assertThatThrownBy(() -> ashlar.publish("node", Filter.eq("id", one.get("id"))))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("publish of 'node' is refused: its draft elements form a cycle")
                    .hasMessageContaining("record [" + one.get("id") + "] of 'node'")
                    .hasMessageContaining("[" + two.get("id") + "]")
                    .hasMessageContaining("remove draftElement() from 'children'");
            assertThat(db.value("SELECT count(*) FROM nodes")).as("the publish rolled back").isEqualTo(0L);

            Row self = ashlar.create(ashlar.drafts("node"), Map.of("name", "self"));
            ashlar.updateAll(ashlar.read("node").asDraft().where(Filter.eq("id", self.get("id"))).list(),
                    Map.of("parent_id", self.get("id")));
            assertThatThrownBy(() -> ashlar.publish("node", Filter.eq("id", self.get("id"))))
                    .isInstanceOf(QueryException.class).hasMessageContaining("record [" + self.get("id") + "]");
            assertThat(db.value("SELECT count(*) FROM nodes")).isEqualTo(0L);
        }
    }

    @Test
    @Timeout(60)
    void restoringARecordThatIsItsOwnElementIsRefusedAndLeavesTheDraftsAsTheyWere() {
        try (Ashlar ashlar = migrated(tree())) {
            db.execute("INSERT INTO nodes (name) VALUES ('one'); "
                    + "INSERT INTO nodes (name, parent_id) VALUES ('two', 1); UPDATE nodes SET parent_id = 2 WHERE id = 1");
            Row two = ashlar.get("node", 2L);

            assertThatThrownBy(() -> ashlar.restoreDraft("node", Filter.eq("id", two.get("id"))))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("restoreDraft of 'node' is refused: its draft elements form a cycle")
                    .hasMessageContaining("record [" + two.get("id") + "] of 'node'");
            assertThat(db.value("SELECT count(*) FROM nodes_draft")).isEqualTo(0L);
        }
    }

    @Test
    void aTreeWhoseParentsAndChildrenTheFilterBothSelectsIsPublishedWhole() {
        try (Ashlar ashlar = migrated(tree())) {
            Row root = ashlar.create(ashlar.drafts("node"), Map.of("name", "root"));
            Row child = ashlar.create(ashlar.drafts("node"), Map.of("name", "child", "parent_id", root.get("id")));
            ashlar.create(ashlar.drafts("node"), Map.of("name", "grandchild", "parent_id", child.get("id")));

            assertThat(ashlar.publish("node", Filter.in("name", List.of("root", "child", "grandchild"))))
                    .isEqualTo(3);

            assertThat(live("nodes")).containsExactly("root", "child", "grandchild");
            assertThat(db.value("SELECT count(*) FROM nodes_draft WHERE draft_dirty")).isEqualTo(0L);
        }
    }

    @Test
    void refuseLiveWritesRefusesCreateAllUpsertMergeQueryWritesAndAtomicWrites() {
        try (Ashlar ashlar = migrated(documents(true, r -> r.refuseLiveWrites()))) {
            Row doc = ashlar.create(ashlar.drafts("document"), Map.of("title", "Spec"));
            ashlar.publish("document", Filter.eq("id", doc.get("id")));
            Object id = doc.get("id");
            List<Runnable> writes = List.of(
                    () -> ashlar.createAll("document", List.of(Map.of("title", "a"), Map.of("title", "b"))),
                    () -> ashlar.upsert("document", List.of(Map.of("id", id, "title", "upserted")),
                            Upsert.onPrimaryKey()),
                    () -> ashlar.merge("document", List.of(Map.of("id", id, "title", "merged")),
                            Merge.on("id")),
                    () -> ashlar.read("document").where(Filter.eq("id", id)).updateAll(Map.of("title", "by query")),
                    () -> ashlar.read("document").where(Filter.eq("id", id)).updateCount(Map.of("title", "count")),
                    () -> ashlar.read("document").where(Filter.eq("id", id)).updateAll(
                            Map.of("title", Atomic.of("title"))),
                    () -> ashlar.read("document").where(Filter.eq("id", id)).updateAll(
                            Map.of("title", Atomic.sql("title || ?", "!"))),
                    () -> ashlar.createAll("document", List.of(Map.of("title", "bulk")),
                            Bulk.collectErrors()),
                    () -> ashlar.createAll("document", ashlar.read("document").asDraft()),
                    () -> ashlar.read("document").where(Filter.eq("id", id)).destroyAll());
            for (Runnable write : writes) {
                assertThatThrownBy(write::run).isInstanceOf(QueryException.class)
                        .hasMessageContaining("Resource 'document' refuses live writes");
            }
            assertThat(db.value("SELECT count(*) FROM documents")).isEqualTo(1L);
            assertThat(db.value("SELECT title FROM documents")).isEqualTo("Spec");
        }
    }
}
