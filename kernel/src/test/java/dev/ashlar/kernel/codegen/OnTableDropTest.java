package dev.ashlar.kernel.codegen;

import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.kernel.snapshot.SnapshotJson;
import dev.ashlar.kernel.snapshot.SnapshotStore;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.ObjectKind;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** Objects marked {@code onlyOnTableDrop}: silent while their table lives, acting when it is dropped. */
@ExtendWith(PostgresExtension.class)
class OnTableDropTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path project;
    TestDatabase db;

    /** Logs into {@code public.drop_log}: its down says the table went, its up that it came back. */
    private record LoggingPlugin(String tag) implements AshlarPlugin, SchemaContributor {
        @Override
        public String id() {
            return "logging";
        }

        @Override
        public List<SchemaObject> schemaObjects(SchemaContext context) {
            if (tag == null || !context.resource().name().equals("post")) {
                return List.of();
            }
            return List.of(SchemaObject.builder("posts_log", ObjectKind.STATEMENT).definition(Map.of("tag", tag))
                    .up("INSERT INTO public.drop_log VALUES ('restored " + tag + "');")
                    .down("INSERT INTO public.drop_log SELECT 'dropped " + tag + "' || CASE WHEN "
                            + "to_regclass('public.posts') IS NULL THEN '' ELSE ' before its table' END;")
                    .onlyOnTableDrop()
                    .build());
        }
    }

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE public.drop_log (entry text)");
    }

    private Codegen.Result generate(String tag, boolean withPosts, String name) {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").build();
        Resource post = Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT).build();
        Domain domain = withPosts ? Domain.builder("blog").resources(user, post).build()
                : Domain.builder("blog").resources(user).build();
        Codegen.Result result = new Codegen(project, domain, Plugins.none().with(new LoggingPlugin(tag)), Renames.none(),
                CLOCK).generate(name);
        migrator().migrate();
        return result;
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private List<Object> log() {
        return db.query("SELECT entry FROM drop_log ORDER BY entry").stream().map(row -> row.get("entry")).toList();
    }

    @Test
    void runsNothingWhenAddedWithItsTableThenItsDownWhenTheTableIsDroppedAndItsUpWhenThatIsRolledBack()
            throws IOException {
        Codegen.Result created = generate("a", true, "create");
        assertThat(log()).isEmpty();
        assertThat(Files.readString(created.files().get(0)))
                .contains("-- add statement posts_log on public.posts\n"
                        + "-- nothing to run: acts only when table public.posts is dropped");

        Codegen.Result dropped = generate("a", false, "drop_posts");
        assertThat(dropped.steps()).extracting(s -> s.describe())
                .containsExactly("drop table public.posts", "drop statement posts_log on public.posts");
        assertThat(log()).containsExactly("dropped a");

        migrator().rollback(1);
        assertThat(log()).containsExactly("dropped a", "restored a");
    }

    @Test
    void addingChangingAndRemovingItOnATableThatStaysRunsNothingButIsRecorded() {
        generate(null, true, "create");
        Codegen.Result added = generate("a", true, "add");
        Codegen.Result changed = generate("b", true, "change");
        Codegen.Result removed = generate(null, true, "remove");

        assertThat(added.steps()).extracting(s -> s.describe()).containsExactly("add statement posts_log on public.posts");
        assertThat(changed.steps()).hasSize(2);
        assertThat(removed.steps()).extracting(s -> s.describe()).containsExactly("drop statement posts_log on public.posts");
        assertThat(log()).isEmpty();
        migrator().rollback(3);
        assertThat(log()).isEmpty();
    }

    @Test
    void aChangedObjectIsTheOneWhoseDownRunsWhenTheTableGoes() {
        generate("a", true, "create");
        generate("b", true, "change");

        generate("b", false, "drop_posts");

        assertThat(log()).containsExactly("dropped b");
    }

    @Test
    void theSnapshotKeepsTheMarkAndOrdinaryObjectsKeepTheirBytes() {
        generate("a", true, "create");
        Table posts = new SnapshotStore(project).latest().get("public.posts");

        assertThat(posts.objects()).singleElement().satisfies(o -> assertThat(o.onlyOnTableDrop()).isTrue());
        Table plain = posts.withName("plain");
        Table ordinary = new Table(plain.scope(), plain.schema(), plain.name(), plain.resource(), plain.columns(),
                plain.primaryKey(), List.of(SchemaObject.builder("x", ObjectKind.STATEMENT).up("SELECT 1;")
                .down("SELECT 2;").build()));
        assertThat(SnapshotJson.write(posts, false)).contains("\"only_on_table_drop\" : true");
        assertThat(SnapshotJson.write(ordinary, false)).doesNotContain("only_on_table_drop");
    }
}
