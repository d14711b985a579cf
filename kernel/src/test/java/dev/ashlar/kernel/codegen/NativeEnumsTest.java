package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.StoredEnum;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.lint.Linter;
import dev.ashlar.kernel.lint.Rule;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
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
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.pgEnum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attributes stored in native PostgreSQL enum types: the type's DDL, its labels over time, and the data layer. */
@ExtendWith(PostgresExtension.class)
class NativeEnumsTest {
    enum Status { draft, published }

    enum Mark implements StoredEnum {
        PLAIN("plain"), QUOTED("say \"hi\""), SLASHED("a\\b");

        private final String code;

        Mark(String code) {
            this.code = code;
        }

        @Override
        public String storedValue() {
            return code;
        }
    }

    @TempDir
    Path project;
    TestDatabase db;
    private Instant now = Instant.parse("2026-12-01T11:00:00Z");

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS blog CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Resource post(Type status) {
        return Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT)
                .attribute("status", status, a -> a.notNull().defaultValue("draft")).build();
    }

    private static Domain blog(Resource... resources) {
        return Domain.builder("blog").resources(resources).build();
    }

    private Codegen.Result generate(Domain domain, String name) {
        now = now.plusSeconds(60);
        return new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.fixed(now, ZoneOffset.UTC))
                .generate(name);
    }

    private Codegen.Result generate(Domain domain, String name, List<String> hints) {
        now = now.plusSeconds(60);
        return new Codegen(project, domain, Plugins.none(), Renames.hints(hints), Clock.fixed(now, ZoneOffset.UTC))
                .generate(name);
    }

    private Codegen.Result check(Domain domain) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), Clock.fixed(now, ZoneOffset.UTC)).check();
    }

    /** An Ashlar on the domain's tables, generated and migrated. */
    private Ashlar migrated(Domain domain) {
        generate(domain, "create");
        migrator().migrate();
        return Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private List<Object> labels(String schema, String type) {
        return db.query("SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n "
                + "ON n.oid = t.typnamespace WHERE n.nspname = ? AND t.typname = ? ORDER BY e.enumsortorder",
                schema, type).stream().map(r -> r.get("enumlabel")).toList();
    }

    private Object udtName(String schema, String table, String column) {
        return db.query("SELECT udt_schema || '.' || udt_name AS udt FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ? AND column_name = ?", schema, table, column)
                .get(0).get("udt");
    }

    private static String text(Codegen.Result result) {
        return String.join("\n", result.files().stream().map(f -> {
            try {
                return Files.readString(f);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList());
    }

    @Test
    void codegenCreatesTheTypeBeforeItsTableAndRecordsItsLabelsInTheSnapshot() throws IOException {
        Domain domain = blog(post(pgEnum("post_status", Status.class)));

        Codegen.Result created = generate(domain, "create");
        migrator().migrate();

        String file = text(created);
        assertThat(file.indexOf("CREATE TYPE \"public\".\"post_status\" AS ENUM ('draft', 'published');"))
                .isPositive().isLessThan(file.indexOf("CREATE TABLE"));
        assertThat(file).contains("\"status\" \"public\".\"post_status\" NOT NULL DEFAULT 'draft'",
                "DROP TYPE \"public\".\"post_status\";").doesNotContain("-- lint:");
        assertThat(labels("public", "post_status")).containsExactly("draft", "published");
        assertThat(udtName("public", "posts", "status")).isEqualTo("public.post_status");
        try (Stream<Path> snapshots = Files.walk(project.resolve("resource_snapshots/public/posts"))) {
            String snapshot = Files.readString(snapshots.filter(Files::isRegularFile).findFirst().orElseThrow());
            assertThat(snapshot).contains("\"enum_type\"", "\"post_status\"", "\"draft\"", "\"published\"");
        }
        assertThat(check(domain).steps()).isEmpty();
    }

    @Test
    void recordsAreWrittenFilteredAndSortedInTheTypesLabelOrder() {
        Domain domain = blog(post(pgEnum("post_status", "published", "draft", "archived")));
        try (Ashlar ashlar = migrated(domain)) {
            Row first = ashlar.create("post", Map.of("id", 1, "title", "a", "status", "draft"));
            ashlar.create("post", Map.of("id", 2, "title", "b"));
            ashlar.createAll("post", List.of(Map.of("id", 3, "title", "c", "status", "archived"),
                    Map.of("id", 4, "title", "d", "status", "published")));
            ashlar.update(first, Map.of("status", "published"));
            ashlar.upsert("post", List.of(Map.of("id", 2, "title", "b", "status", "draft"),
                    Map.of("id", 5, "title", "e", "status", "archived")), Upsert.onPrimaryKey());
            ashlar.upsert("post", List.of(Map.of("id", 5, "title", "e", "status", "draft")), Upsert.onPrimaryKey());

            assertThat(ashlar.read("post").where(Filter.eq("status", "published")).sort(Sort.asc("id")).list())
                    .extracting(r -> r.get("id")).containsExactly(1L, 4L);
            assertThat(ashlar.read("post").where(Filter.in("status", List.of("draft", "archived")))
                    .sort(Sort.asc("id")).list()).extracting(r -> r.get("id")).containsExactly(2L, 3L, 5L);
            // Sorted as the type lists its labels, not alphabetically.
            assertThat(ashlar.read("post").sort(Sort.asc("status"), Sort.asc("id")).list())
                    .extracting(r -> r.get("status"))
                    .containsExactly("published", "published", "draft", "draft", "archived");
        }
    }

    @Test
    void javaEnumConstantsAreWrittenAsTheirNames() {
        Domain domain = blog(post(pgEnum("post_status", Status.class)));
        try (Ashlar ashlar = migrated(domain)) {
            ashlar.create("post", Map.of("id", 1, "status", Status.published));

            Row read = ashlar.read("post").where(Filter.eq("status", Status.published)).list().get(0);
            assertThat(read.getEnum("status", Status.class)).isEqualTo(Status.published);
        }
    }

    record Task(Long id, Status status) {
        static final Table<Task> TASKS = Table.of("task", Task.class);
        static final Field<Task, Long> ID = TASKS.bigintPrimaryKey("id");
        static final Field<Task, Status> STATUS = TASKS.attribute("status", Kind.pgEnum("task_status", Status.class));
        static final Resource RESOURCE = TASKS.builder().table("tasks").add(ID, STATUS).build();
    }

    @Test
    void theTypedApiReadsAndFiltersNativeEnumValuesAsConstants() {
        try (Ashlar ashlar = migrated(blog(Task.RESOURCE))) {
            ashlar.create(Task.TASKS, new Task(null, Status.published));
            ashlar.create(Task.TASKS, new Task(null, Status.draft));

            assertThat(ashlar.read(Task.TASKS).where(Task.STATUS.eq(Status.draft)).list())
                    .extracting(Task::status).containsExactly(Status.draft);
            assertThat(ashlar.read(Task.TASKS).sort(Task.STATUS.asc()).list()).extracting(Task::status)
                    .containsExactly(Status.draft, Status.published);
        }
    }

    @Test
    void aValueNotAmongTheLabelsOrAPatternIsRefusedBeforeTheServerNamingTheFieldAndTheLabels() {
        Domain domain = blog(post(pgEnum("post_status", Status.class)));
        try (Ashlar ashlar = migrated(domain)) {
            assertThatThrownBy(() -> ashlar.create("post", Map.of("id", 1, "status", "deleted")))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("status").hasMessageContaining("[draft, published]")
                    .hasMessageContaining("deleted");
            assertThatThrownBy(() -> ashlar.read("post").where(Filter.eq("status", "Draft")).list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("post.status")
                    .hasMessageContaining("[draft, published]");
            assertThat(db.query("SELECT count(*) AS n FROM posts").get(0).get("n")).isEqualTo(0L);
            assertThatThrownBy(() -> ashlar.read("post").where(Filter.like("status", "dr%")).list())
                    .isInstanceOf(QueryException.class).hasMessageContaining("enum type post_status")
                    .hasMessageContaining("eq or in");
        }
    }

    @Test
    void anAddedLabelIsAddedInPlaceOutsideATransactionAndAPopulatedTableKeepsItsRows() throws IOException {
        generate(blog(post(pgEnum("post_status", "draft", "published"))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (id, title, status) VALUES (1, 'a', 'draft'), (2, 'b', 'published')");
        Domain grown = blog(Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT)
                .attribute("status", pgEnum("post_status", "draft", "review", "published", "archived"),
                        a -> a.notNull().defaultValue("review"))
                .build());

        Codegen.Result added = generate(grown, "labels");
        migrator().migrate();

        String files = text(added);
        assertThat(files).contains("-- migrate:up transaction:false",
                "ALTER TYPE \"public\".\"post_status\" ADD VALUE IF NOT EXISTS 'review' BEFORE 'published';",
                "ALTER TYPE \"public\".\"post_status\" ADD VALUE IF NOT EXISTS 'archived' AFTER 'published';")
                .doesNotContain("-- lint:");
        // The new default names a new label: it runs in a later file, once the labels are committed.
        assertThat(added.files()).hasSize(2);
        assertThat(added.steps()).extracting(s -> s.describe()).startsWith(
                "add 'review', 'archived' to enum type public.post_status");
        assertThat(labels("public", "post_status")).containsExactly("draft", "review", "published", "archived");
        assertThat(db.query("SELECT id, status::text AS status FROM posts ORDER BY id"))
                .extracting(r -> r.get("status")).containsExactly("draft", "published");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(grown).build()) {
            assertThat(ashlar.create("post", Map.of("id", 3, "status", "archived")).get("status")).isEqualTo("archived");
            assertThat(ashlar.create("post", Map.of("id", 4)).get("status")).isEqualTo("review");
        }
        assertThat(check(grown).steps()).isEmpty();
    }

    @Test
    void removingOrReorderingALabelIsRefusedNamingTheResourceAttributeTypeAndTheWayToANewType() {
        generate(blog(post(pgEnum("post_status", "draft", "published"))), "create");

        for (Type changed : List.of(pgEnum("post_status", "draft"), pgEnum("post_status", "published", "draft"))) {
            assertThatThrownBy(() -> generate(blog(post(changed)), "change"))
                    .isInstanceOf(DefinitionException.class)
                    .hasMessageContaining("attribute 'status' of resource 'post'")
                    .hasMessageContaining("\"public\".\"post_status\"")
                    .hasMessageContaining("cannot remove or reorder")
                    .hasMessageContaining("name a new type with the new labels, e.g. pgEnum(\"post_status_v2\"");
        }
    }

    @Test
    void resourcesSharingATypeCreateItOnceAndMustAgreeOnItsLabels() throws IOException {
        Resource page = Resource.builder("page").table("pages").primaryKey("id")
                .attribute("status", pgEnum("post_status", "draft", "published")).build();
        Codegen.Result created = generate(blog(post(pgEnum("post_status", "draft", "published")), page), "create");
        migrator().migrate();

        assertThat(text(created).split("CREATE TYPE", -1)).hasSize(2);
        assertThat(udtName("public", "pages", "status")).isEqualTo("public.post_status");

        Resource disagreeing = Resource.builder("page").table("pages").primaryKey("id")
                .attribute("status", pgEnum("post_status", "draft", "live")).build();
        assertThatThrownBy(() -> generate(blog(post(pgEnum("post_status", "draft", "published")), disagreeing), "x"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("attribute 'status' of resource 'page'")
                .hasMessageContaining("attribute 'status' of resource 'post'")
                .hasMessageContaining("[draft, live]");
    }

    @Test
    void aTypeNameOver63BytesOrNamedLikeATableIsRefused() {
        assertThatThrownBy(() -> pgEnum("s".repeat(64), "a"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> generate(blog(post(pgEnum("posts", "draft"))), "create"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("named like a table");
    }

    @Test
    void theTypeIsDroppedWhenNoAttributeUsesItAndComesBackOnRollback() {
        generate(blog(post(pgEnum("post_status", "draft", "published"))), "create");
        migrator().migrate();
        Domain text = blog(Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT).build());

        Codegen.Result dropped = generate(text, "drop");
        migrator().migrate();

        assertThat(dropped.steps()).extracting(s -> s.describe())
                .containsExactly("drop column public.posts.status", "drop enum type public.post_status");
        assertThat(labels("public", "post_status")).isEmpty();
        migrator().rollback(1);
        assertThat(labels("public", "post_status")).containsExactly("draft", "published");
        assertThat(udtName("public", "posts", "status")).isEqualTo("public.post_status");
    }

    @Test
    void aTextEnumTurnsIntoANativeOneAndBackKeepingItsRows() {
        generate(blog(post(Type.enumOf(Status.class))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (id, status) VALUES (1, 'published'), (2, 'draft')");

        generate(blog(post(pgEnum("post_status", Status.class))), "native");
        migrator().migrate();

        assertThat(udtName("public", "posts", "status")).isEqualTo("public.post_status");
        assertThat(db.query("SELECT status::text AS status FROM posts ORDER BY id")).extracting(r -> r.get("status"))
                .containsExactly("published", "draft");
        assertThat(db.value("SELECT column_default FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'status'")).isEqualTo("'draft'::post_status");

        generate(blog(post(Type.enumOf(Status.class))), "text");
        migrator().migrate();

        assertThat(udtName("public", "posts", "status")).isEqualTo("pg_catalog.text");
        assertThat(labels("public", "post_status")).isEmpty();
        assertThat(db.query("SELECT status FROM posts ORDER BY id")).extracting(r -> r.get("status"))
                .containsExactly("published", "draft");
    }

    @Test
    void namingAnotherTypeConvertsTheColumnThroughTextAndDropsTheOldType() {
        generate(blog(post(pgEnum("post_status", Status.class))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (id, status) VALUES (1, 'published'), (2, 'draft')");

        Codegen.Result renamed = generate(blog(post(pgEnum("article_status", Status.class))), "rename");
        migrator().migrate();

        // Every label of the old type is in the new one: no value can be lost.
        assertThat(renamed.destructive()).isEmpty();
        assertThat(text(renamed)).contains("TYPE \"public\".\"article_status\" USING \"status\"::text::"
                + "\"public\".\"article_status\";");
        assertThat(udtName("public", "posts", "status")).isEqualTo("public.article_status");
        assertThat(labels("public", "post_status")).isEmpty();
        assertThat(db.query("SELECT status::text AS status FROM posts ORDER BY id")).extracting(r -> r.get("status"))
                .containsExactly("published", "draft");
        migrator().rollback(1);
        assertThat(udtName("public", "posts", "status")).isEqualTo("public.post_status");
        assertThat(labels("public", "article_status")).isEmpty();
    }

    @Test
    void aResourceInAnotherSchemaHasItsTypeInThatSchema() {
        Domain domain = blog(Resource.builder("post").table("posts").schema("blog").primaryKey("id")
                .attribute("status", pgEnum("post_status", "draft", "published")).build());
        try (Ashlar ashlar = migrated(domain)) {
            assertThat(labels("blog", "post_status")).containsExactly("draft", "published");
            assertThat(udtName("blog", "posts", "status")).isEqualTo("blog.post_status");
            ashlar.createAll("post", List.of(Map.of("id", 1, "status", "draft"), Map.of("id", 2, "status", "published")));
            assertThat(ashlar.read("post").where(Filter.in("status", List.of("published"))).list())
                    .extracting(r -> r.get("id")).containsExactly(2L);
        }
    }

    @Test
    void aTableMovedToAnotherSchemaTakesItsEnumTypeAlongWithoutRewritingOrMarkingItDestructiveAndBackOnRollback()
            throws IOException {
        generate(blog(post(pgEnum("post_status", "draft", "published"))), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (id, title, status) SELECT g, 'post-' || g, CASE WHEN g % 3 = 0 THEN "
                + "'published' ELSE 'draft' END::post_status FROM generate_series(1, 5000) g");
        Object type = db.value("SELECT 'public.post_status'::regtype::oid");
        Object file = db.value("SELECT relfilenode FROM pg_class WHERE oid = 'public.posts'::regclass");
        Domain moved = blog(Resource.builder("post").table("posts").schema("blog").primaryKey("id")
                .attribute("title", TEXT).attribute("status", pgEnum("post_status", "draft", "published"),
                        a -> a.notNull().defaultValue("draft")).build());

        Codegen.Result move = generate(moved, "move", List.of("public.posts=blog.posts"));
        migrator().migrate();

        assertThat(move.destructive()).isEmpty();
        assertThat(move.rewrites()).isEmpty();
        assertThat(text(move)).contains("ALTER TYPE \"public\".\"post_status\" SET SCHEMA \"blog\";")
                .doesNotContain("CREATE TYPE").doesNotContain("DROP TYPE").doesNotContain("::text::");
        assertThat(Linter.of(ProjectLayout.of(project)).lint(move.files().get(0), Files.readString(move.files().get(0))))
                .extracting(f -> f.rule()).containsOnly(Rule.RENAMING_TABLE);
        assertThat(db.value("SELECT 'blog.post_status'::regtype::oid")).isEqualTo(type);
        assertThat(db.value("SELECT relfilenode FROM pg_class WHERE oid = 'blog.posts'::regclass")).isEqualTo(file);
        assertThat(udtName("blog", "posts", "status")).isEqualTo("blog.post_status");
        assertThat(labels("public", "post_status")).isEmpty();
        assertThat(db.query("SELECT status::text AS status, count(*) AS n FROM blog.posts GROUP BY 1 ORDER BY 1"))
                .containsExactly(Map.of("status", "draft", "n", 3334L), Map.of("status", "published", "n", 1666L));
        assertThat(check(moved).steps()).isEmpty();

        migrator().rollback(1);

        assertThat(db.value("SELECT 'public.post_status'::regtype::oid")).isEqualTo(type);
        assertThat(udtName("public", "posts", "status")).isEqualTo("public.post_status");
        assertThat(db.value("SELECT count(*) FROM public.posts WHERE status = 'published'")).isEqualTo(1666L);
    }

    @Test
    void aStoredCodeEnumHasItsCodesAsLabelsAndIsBoundByThemEvenWithQuotesAndBackslashes() {
        Resource note = Resource.builder("note").table("notes").primaryKey("id")
                .attribute("mark", pgEnum("note_mark", Mark.class)).build();
        try (Ashlar ashlar = migrated(blog(note))) {
            ashlar.create("note", Map.of("id", 1, "mark", Mark.QUOTED));
            ashlar.create("note", Map.of("id", 2, "mark", Mark.SLASHED));
            ashlar.create("note", Map.of("id", 3, "mark", Mark.PLAIN));

            assertThat(labels("public", "note_mark")).containsExactly("plain", "say \"hi\"", "a\\b");
            assertThat(db.query("SELECT mark::text AS m FROM notes WHERE id = 2").get(0).get("m")).isEqualTo("a\\b");
            assertThat(ashlar.get("note", 1).getEnum("mark", Mark.class)).isEqualTo(Mark.QUOTED);
            assertThat(ashlar.read("note").where(Filter.in("mark", List.of(Mark.SLASHED, Mark.PLAIN)))
                    .sort(Sort.asc("id")).values("mark", Mark.class)).containsExactly(Mark.SLASHED, Mark.PLAIN);
            assertThat(ashlar.sql("SELECT count(*) FROM notes WHERE mark = ANY(?)", List.of(Mark.QUOTED, Mark.SLASHED))
                    .value(Long.class)).isEqualTo(2L);
            assertThat(ashlar.sql("SELECT id FROM notes WHERE mark = ?", Mark.SLASHED).value(Integer.class))
                    .isEqualTo(2);
        }
    }
}
