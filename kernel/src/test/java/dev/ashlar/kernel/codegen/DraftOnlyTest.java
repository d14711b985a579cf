package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An attribute stored only in drafts ({@code a -> a.draftOnly()}, Ebean's {@code @DraftOnly}): its column is in the
 * draft table alone, drafts carry it, the table's records and publish know nothing of it, migrations add and drop it,
 * and the definitions that cannot work are refused naming the resource and the attribute.
 */
class DraftOnlyTest extends FreshSchemaTest {
    private static Domain blog(UnaryOperator<ResourceBuilder> more) {
        return Domain.builder("blog").resource(more.apply(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("title", TEXT)).build()).build();
    }

    private static Domain withNote() {
        return blog(r -> r.attribute("editor_note", TEXT, a -> a.draftOnly()).draftable());
    }

    private void migrate(Domain domain, String name) {
        HistoryTablesTest.migrate(project, db, domain, name);
    }

    @Test
    void theColumnIsInTheDraftTableAloneAndMigrationsAddAndDropItThere() {
        migrate(blog(r -> r.draftable()), "create");
        migrate(withNote(), "note");

        assertThat(HistoryTablesTest.columns(db, "posts")).containsExactly("id", "title");
        assertThat(HistoryTablesTest.columns(db, "posts_draft"))
                .containsExactly("id", "title", "draft_dirty", "draft_live", "editor_note");

        migrate(blog(r -> r.draftable()), "drop_note");
        assertThat(HistoryTablesTest.columns(db, "posts_draft")).doesNotContain("editor_note");
        assertThat(HistoryTablesTest.columns(db, "posts")).containsExactly("id", "title");
    }

    @Test
    void draftsCarryTheValueRecordsDoNotAndPublishLeavesItBehind() {
        Domain domain = withNote();
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Row draft = ashlar.create(ashlar.drafts("post"), Map.of("title", "Hello", "editor_note", "check facts"));
            assertThat(draft.get("editor_note")).isEqualTo("check facts");
            assertThat(ashlar.read("post").asDraft().where(Filter.eq("editor_note", "check facts")).list())
                    .extracting(r -> r.get("title")).containsExactly("Hello");

            assertThat(ashlar.publish("post", Filter.eq("id", draft.get("id")))).isEqualTo(1);

            Row live = ashlar.read("post").one().orElseThrow();
            assertThat(live.fields()).containsExactly("id", "title");
            assertThat(db.query("SELECT title, editor_note, draft_dirty FROM posts_draft"))
                    .containsExactly(Map.of("title", "Hello", "editor_note", "check facts", "draft_dirty", false));
            assertThatThrownBy(() -> ashlar.read("post").where(Filter.eq("editor_note", "x")).list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("editor_note");
            assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "direct", "editor_note", "x")))
                    .hasMessageContaining("editor_note");
            assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);

            ashlar.read("post").asDraft().updateAll(Map.of("editor_note", "facts checked"));
            assertThat(db.value("SELECT draft_dirty FROM posts_draft")).as("a change of it alone").isEqualTo(true);
        }
    }

    @Test
    void restoringADraftKeepsItsDraftOnlyValueAndANewDraftFromARecordHasNone() {
        Domain domain = withNote();
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Row draft = ashlar.create(ashlar.drafts("post"), Map.of("title", "A", "editor_note", "kept"));
            ashlar.publish("post", Filter.eq("id", draft.get("id")));
            ashlar.read("post").asDraft().updateAll(Map.of("title", "A, edited"));
            db.execute("INSERT INTO posts (id, title) VALUES (50, 'made directly')");

            assertThat(ashlar.restoreDraft("post", Filter.notNil("id"))).isEqualTo(2);

            assertThat(db.query("SELECT id, title, editor_note FROM posts_draft ORDER BY id")).containsExactly(
                    Map.of("id", draft.get("id"), "title", "A", "editor_note", "kept"),
                    withNull(50L, "made directly"));
        }
    }

    private static Map<String, Object> withNull(long id, String title) {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("id", id);
        row.put("title", title);
        row.put("editor_note", null);
        return row;
    }

    @Test
    void aDraftOnlyAttributeIsRefusedOnAResourceWithoutDraftsOnTheKeyAndNotNullWithoutADefault() {
        assertThatThrownBy(() -> blog(r -> r.attribute("editor_note", TEXT, a -> a.draftOnly())))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("post")
                .hasMessageContaining("editor_note").hasMessageContaining("has no drafts: add .draftable()");
        assertThatThrownBy(() -> Resource.builder("post").table("posts")
                .attribute("id", INTEGER, a -> a.primaryKey().draftOnly()).draftable().build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'id'")
                .hasMessageContaining("primary key");
        assertThatThrownBy(() -> blog(r -> r.attribute("rank", INTEGER, a -> a.notNull().draftOnly()).draftable()))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("rank")
                .hasMessageContaining("not null without a default");
        Domain defaulted = blog(r -> r.attribute("rank", INTEGER, a -> a.notNull().defaultValue(0).draftOnly())
                .draftable());
        migrate(defaulted, "create");
        assertThat(db.value("SELECT column_default FROM information_schema.columns WHERE table_name = 'posts_draft' "
                + "AND column_name = 'rank'")).isEqualTo("0");
    }

    @Test
    void aDraftOnlyAttributeWithANameOver63BytesOrTheNameOfAnotherAttributeIsRefusedLikeAnyAttribute() {
        String longName = "n".repeat(64);
        assertThatThrownBy(() -> blog(r -> r.attribute(longName, TEXT, a -> a.draftOnly()).draftable()))
                .isInstanceOf(DefinitionException.class).hasMessageContaining(longName)
                .hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> blog(r -> r.attribute("note", TEXT, a -> a.draftOnly().column("t".repeat(64)))
                .draftable())).isInstanceOf(DefinitionException.class).hasMessageContaining("note")
                .hasMessageContaining("shorter column");
        assertThatThrownBy(() -> blog(r -> r.attribute("title", TEXT, a -> a.draftOnly()).draftable()))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'title'")
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> blog(r -> r.attribute("note", TEXT, a -> a.draftOnly().column("title"))
                .draftable())).isInstanceOf(DefinitionException.class).hasMessageContaining("note")
                .hasMessageContaining("already uses");
    }
}
