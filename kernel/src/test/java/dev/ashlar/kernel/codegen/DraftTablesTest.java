package dev.ashlar.kernel.codegen;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code draftable()}: the draft table made beside the table and kept in step by migrations on tables with rows, its
 * dirty flag's trigger, and the definitions and actions refused (Ebean's {@code @Draftable}).
 */
@ExtendWith(PostgresExtension.class)
class DraftTablesTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain blog(UnaryOperator<ResourceBuilder> more) {
        return Domain.builder("blog").resource(more.apply(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("title", TEXT).attribute("views", INTEGER)).build()).build();
    }

    private void migrate(Domain domain, String name, String... renames) {
        HistoryTablesTest.migrate(project, db, domain, name, renames);
    }

    private List<Object> columns(String table) {
        return HistoryTablesTest.columns(db, table);
    }

    private Object typeOf(String table, String column) {
        return db.value("SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = ? AND column_name = ?", table, column);
    }

    @Test
    void theMigrationCreatesTheDraftTableWithTheTablesColumnsKeyAndADirtyFlagItsTriggerSets() {
        migrate(blog(r -> r.draftable()), "create");

        assertThat(columns("posts")).containsExactly("id", "title", "views");
        assertThat(columns("posts_draft")).containsExactly("id", "title", "views", "draft_dirty", "draft_live");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = "
                + "'public.posts_draft'::regclass AND contype = 'p'")).isEqualTo("PRIMARY KEY (id)");
        assertThat(db.value("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'posts_draft_dirty'"))
                .asString().contains("BEFORE INSERT OR UPDATE ON public.posts_draft FOR EACH ROW");
        assertThat(db.query("SELECT prosecdef, array_to_string(proconfig, ',') AS config FROM pg_proc "
                + "WHERE proname = 'posts_draft_dirty'")).as("runs as the caller, with its search_path pinned")
                .containsExactly(Map.of("prosecdef", false, "config", "search_path=pg_catalog, pg_temp"));
        db.execute("INSERT INTO posts_draft (title, draft_dirty) VALUES ('by hand', false)");
        assertThat(db.value("SELECT draft_dirty FROM posts_draft")).as("an insert is dirty").isEqualTo(true);
        db.execute("UPDATE posts_draft SET draft_dirty = false");
        assertThat(db.value("SELECT draft_dirty FROM posts_draft")).as("clearing the flag alone").isEqualTo(false);
        db.execute("UPDATE posts_draft SET views = 3");
        assertThat(db.value("SELECT draft_dirty FROM posts_draft")).as("any other change").isEqualTo(true);
    }

    @Test
    void turningDraftsOnForATableWithRowsKeepsThemAndRestoreCopiesThemToDraftsMovingTheDraftKeysPastThem() {
        migrate(blog(r -> r), "create");
        db.execute("INSERT INTO posts (title, views) VALUES ('first', 1), ('second', 2)");
        Domain draftable = blog(r -> r.draftable());
        migrate(draftable, "drafts");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM posts_draft")).isEqualTo(0L);
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(draftable).build()) {
            assertThat(ashlar.restoreDraft("post", Filter.gt("views", 0))).isEqualTo(2);
            assertThat(db.query("SELECT title, draft_dirty FROM posts_draft ORDER BY id")).containsExactly(
                    Map.of("title", "first", "draft_dirty", false), Map.of("title", "second", "draft_dirty", false));

            assertThat(ashlar.create(ashlar.drafts("post"), Map.of("title", "third")).get("id"))
                    .as("restore moved the draft table's identity past the restored keys").isEqualTo(3L);
            assertThat(ashlar.restoreDraft("post", Filter.eq("title", "first"))).isEqualTo(1);
            assertThat(ashlar.create(ashlar.drafts("post"), Map.of("title", "fourth")).get("id"))
                    .as("and never moves it back").isEqualTo(4L);
            assertThat(db.value("SELECT count(*) FROM posts_draft")).isEqualTo(4L);
        }
    }

    @Test
    void publishingAgainOnAResourceWithHistoryTimestampsAndALockVersionKeepsThePastVersionAndDraftsHaveNoHistory() {
        Domain domain = blog(r -> r.attribute("lock_version", INTEGER).optimisticLock("lock_version").timestamps()
                .history().draftable());
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Object id = ashlar.create(ashlar.drafts("post"), Map.of("title", "first")).get("id");
            assertThat(ashlar.publish("post", Filter.eq("id", id))).isEqualTo(1);
            Object created = db.value("SELECT inserted_at FROM posts");
            ashlar.read("post").asDraft().where(Filter.eq("id", id)).updateAll(Map.of("title", "second"));
            assertThat(ashlar.publish("post", Filter.eq("id", id))).isEqualTo(1);

            assertThat(db.query("SELECT title FROM posts")).containsExactly(Map.of("title", "second"));
            assertThat(db.value("SELECT draft_dirty FROM posts_draft")).as("published, the draft is clean")
                    .isEqualTo(false);
            assertThat(db.value("SELECT inserted_at FROM posts")).as("the record keeps when it was made")
                    .isEqualTo(created);
            assertThat(db.query("SELECT title FROM posts_history")).as("the published version before")
                    .containsExactly(Map.of("title", "first"));
            assertThat(ashlar.find("post", id).orElseThrow().get("title")).isEqualTo("second");
            assertThatThrownBy(() -> ashlar.read("post").asDraft().asOf(java.time.Instant.now()).list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("keeps no history");
        }
    }

    @Test
    void aColumnAddedRenamedRetypedAndDroppedOnAPopulatedTableIsSoOnTheDraftTableKeepingItsRows() {
        Domain start = blog(r -> r.draftable());
        migrate(start, "create");
        db.execute("INSERT INTO posts (id, title, views) VALUES (1, 'live', 10);"
                + "INSERT INTO posts_draft (id, title, views) VALUES (1, 'draft', 11)");

        Domain added = Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("title", TEXT).attribute("views", INTEGER).attribute("summary", TEXT).draftable()
                .build()).build();
        migrate(added, "add");
        assertThat(columns("posts_draft"))
                .containsExactly("id", "title", "views", "draft_dirty", "draft_live", "summary");

        Domain renamed = Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("headline", TEXT).attribute("views", Type.BIGINT).attribute("summary", TEXT).draftable()
                .build()).build();
        migrate(renamed, "rename", "posts.title=headline");
        assertThat(columns("posts")).containsExactly("id", "headline", "views", "summary");
        assertThat(columns("posts_draft"))
                .containsExactly("id", "headline", "views", "draft_dirty", "draft_live", "summary");
        assertThat(typeOf("posts_draft", "views")).isEqualTo("bigint");
        assertThat(db.value("SELECT headline FROM posts_draft")).isEqualTo("draft");
        assertThat(db.value("SELECT views FROM posts_draft")).isEqualTo(11L);

        Domain dropped = Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("headline", TEXT).attribute("summary", TEXT).draftable().build()).build();
        migrate(dropped, "drop");
        assertThat(columns("posts")).containsExactly("id", "headline", "summary");
        assertThat(columns("posts_draft")).containsExactly("id", "headline", "draft_dirty", "draft_live", "summary");
        assertThat(db.query("SELECT id, headline FROM posts_draft")).containsExactly(Map.of("id", 1L, "headline", "draft"));
        assertThat(db.query("SELECT id, headline FROM posts")).containsExactly(Map.of("id", 1L, "headline", "live"));
    }

    @Test
    void aRenamedTableTakesItsDraftsAlongAndRemovingDraftableDropsTheDraftTable() throws IOException {
        migrate(blog(r -> r.draftable()), "create");
        db.execute("INSERT INTO posts_draft (title) VALUES ('kept')");

        migrate(blog(r -> r.table("articles").draftable()), "rename", "posts=articles");
        assertThat(db.value("SELECT title FROM articles_draft")).isEqualTo("kept");
        assertThat(db.value("SELECT to_regclass('public.posts_draft')")).isNull();

        migrate(blog(r -> r.table("articles")), "off");
        assertThat(db.value("SELECT to_regclass('public.articles_draft')")).isNull();
        try (Stream<Path> files = Files.list(Codegen.migrations(project, Scope.MAIN))) {
            Path off = files.filter(f -> f.getFileName().toString().endsWith("_off.sql")).findFirst().orElseThrow();
            assertThat(Files.readString(off)).contains("destructive").contains("articles_draft");
        }
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'articles_draft_dirty'")).isEqualTo(0L);
    }

    @Test
    void changingTheResetAttributesMakesTheTriggerAgainSoThatClearingThemLeavesADraftClean() {
        migrate(blog(r -> r.draftable()), "create");
        db.execute("INSERT INTO posts_draft (title, views) VALUES ('t', 1); UPDATE posts_draft SET draft_dirty = false");
        db.execute("UPDATE posts_draft SET views = NULL");
        assertThat(db.value("SELECT draft_dirty FROM posts_draft")).isEqualTo(true);

        migrate(blog(r -> r.draftable("views")), "reset");
        db.execute("UPDATE posts_draft SET draft_dirty = false, views = 5");
        db.execute("UPDATE posts_draft SET views = NULL");
        assertThat(db.value("SELECT draft_dirty FROM posts_draft")).as("a reset attribute alone").isEqualTo(false);
    }

    @Test
    void publishOnAResourceThatIsNotDraftableNamesTheResourceAndTheOption() {
        Domain domain = blog(r -> r);
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            assertThatThrownBy(() -> ashlar.publish("post", Filter.eq("id", 1)))
                    .isInstanceOf(QueryException.class).hasMessageContaining("publish on resource 'post' is refused")
                    .hasMessageContaining(".draftable()").hasMessageContaining("posts_draft");
            assertThatThrownBy(() -> ashlar.read("post").asDraft()).isInstanceOf(QueryException.class)
                    .hasMessageContaining("asDraft() on resource 'post'");
            assertThatThrownBy(() -> ashlar.restoreDraft("post", Filter.eq("id", 1)))
                    .hasMessageContaining("restoreDraft on resource 'post'");
        }
    }

    /** A plugin's row-level security that gives no condition the draft table could repeat. */
    private record Unconditioned() implements AshlarPlugin, SchemaContributor {
        @Override
        public String id() {
            return "unconditioned";
        }

        @Override
        public List<SchemaObject> schemaObjects(SchemaContext context) {
            return List.of(SchemaObject.builder("posts_guard", ObjectKind.ROW_LEVEL_SECURITY)
                    .up("ALTER TABLE " + context.tableSql() + " ENABLE ROW LEVEL SECURITY;")
                    .down("ALTER TABLE " + context.tableSql() + " DISABLE ROW LEVEL SECURITY;").build());
        }
    }

    @Test
    void rowLevelSecurityWithNoConditionForTheDraftTableIsRefusedRatherThanLeavingTheDraftsUnguarded() {
        assertThatThrownBy(() -> new Codegen(project, blog(r -> r.draftable()), Plugins.none().with(new Unconditioned()),
                Renames.none(), Clock.systemUTC()).generate("guarded"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("resource 'post' is draftable, but its "
                        + "row-level security 'posts_guard' gives no condition for the draft table");
        assertThat(db.value("SELECT to_regclass('public.posts_draft')")).isNull();
    }

    @Test
    void definitionsThatCannotHaveDraftsAreRefusedNamingTheResourceAndTheFix() {
        assertThatThrownBy(() -> Resource.builder("tag").attribute("name", TEXT).draftable().build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("resource 'tag' is draftable but has no "
                        + "primary key");
        assertThatThrownBy(() -> Resource.builder("tag").primaryKey("id").migrate(false).draftable().build())
                .hasMessageContaining("not migrated");
        assertThatThrownBy(() -> Resource.builder("tag").primaryKey("id").attribute("draft_dirty", Type.BOOLEAN)
                .draftable().build()).hasMessageContaining("has a column named 'draft_dirty'");
        assertThatThrownBy(() -> Resource.builder("tag").primaryKey("id").attribute("draft_live", Type.BOOLEAN)
                .draftable().build()).hasMessageContaining("has a column named 'draft_live'");
        assertThatThrownBy(() -> Resource.builder("tag").primaryKey("id").draftable("nmae").build())
                .hasMessageContaining("draftable(...) resets 'nmae'").hasMessageContaining("has no such attribute");
        assertThatThrownBy(() -> Resource.builder("tag").primaryKey("id").attribute("name", TEXT, a -> a.notNull())
                .draftable("name").build()).hasMessageContaining("it is not null");
        assertThatThrownBy(() -> migrate(blog(r -> r.table("t".repeat(58)).draftable()), "long"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("the draft table would be named")
                .hasMessageContaining("at most 57 bytes");
    }
}
