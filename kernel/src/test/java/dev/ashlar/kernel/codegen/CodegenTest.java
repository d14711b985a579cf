package dev.ashlar.kernel.codegen;

import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.kernel.plugin.TestPlugins;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;

class CodegenTest extends FreshSchemaTest {
    private static Domain blog(UnaryOperator<ResourceBuilder> post) {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id")
                .attribute("email", TEXT, a -> a.notNull()).identity("unique_email", "email")
                .belongsTo("favorite_post", "post").build();
        Resource postResource = post.apply(Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("title", varchar(50)).belongsTo("author", "user")).build();
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("body", TEXT).belongsTo("post", "post").build();
        return Domain.builder("blog").resources(user, postResource, comment).build();
    }

    private Codegen codegen(Domain domain, String... hints) {
        return new Codegen(project, domain, Plugins.none().with(new TestReferences()), Renames.hints(List.of(hints)),
                CLOCK);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private Map<String, String> tree() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(project)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(project.relativize(path).toString(), Files.readString(path));
            }
        }
        return files;
    }

    @Test
    void createsEveryTableThenEveryKeyEvenWhenBelongsToRelationshipsFormACycle() throws IOException {
        Codegen.Result result = codegen(blog(p -> p)).generate("create_blog");
        migrator().migrate();

        assertThat(result.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("20261127100000_create_blog.sql");
        assertThat(result.steps()).extracting(s -> s.describe()).containsExactly(
                "create table public.users", "create table public.posts", "create table public.comments",
                "add identity users_unique_email_index on public.users",
                "add foreign_key users_favorite_post_id_fkey on public.users",
                "add foreign_key posts_author_id_fkey on public.posts",
                "add foreign_key comments_post_id_fkey on public.comments");
        assertThat(Catalog.of(db, "public")).contains(
                "constraint users.users_favorite_post_id_fkey FOREIGN KEY (favorite_post_id) REFERENCES posts(id)",
                "constraint posts.posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users(id)",
                "index users_unique_email_index CREATE UNIQUE INDEX users_unique_email_index ON public.users USING btree (email)");
        assertThat(tree()).containsKeys("resource_snapshots/public/posts/20261127100000.json",
                "resource_snapshots/public/users/20261127100000.json");
    }

    @Test
    void regeneratingWithoutChangesWritesNothingAndChangesNoByte() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        Map<String, String> before = tree();

        Codegen.Result again = codegen(blog(p -> p)).generate("again");

        assertThat(again.changed()).isFalse();
        assertThat(tree()).isEqualTo(before);
        assertThat(codegen(blog(p -> p)).check().changed()).isFalse();
    }

    @Test
    void altersAColumnInPlaceMarksTheNarrowingAndRollsBackToTheOldDefinition() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        migrator().migrate();
        List<String> original = Catalog.of(db, "public");

        Codegen.Result result = codegen(blog(p -> Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("title", varchar(20), a -> a.notNull().defaultValue("untitled"))
                .belongsTo("author", "user").attribute("rating", INTEGER))).generate("tighten_title");

        assertThat(result.destructive()).containsExactly(
                "changes public.posts.title from varchar(50) to varchar(20), which can lose or reject data");
        assertThat(Files.readString(result.files().get(0))).contains("-- destructive: changes public.posts.title")
                .contains("ALTER TABLE \"public\".\"posts\" ALTER COLUMN \"title\" TYPE varchar(20);");
        migrator().migrate();
        assertThat(Catalog.of(db, "public")).contains(
                "column posts.title character varying(20) not null default 'untitled'::character varying",
                "column posts.rating integer");
        migrator().rollback(result.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(original);
    }

    @Test
    void renamesAColumnWhenHintedAndKeepsItsData() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('Hello')");

        Domain renamed = blog(p -> Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("headline", varchar(50)).belongsTo("author", "user"));
        Codegen.Result result = codegen(renamed, "posts.title=headline").generate("rename_title");
        migrator().migrate();

        assertThat(result.steps()).extracting(s -> s.describe())
                .containsExactly("rename column public.posts.title to headline");
        assertThat(result.destructive()).isEmpty();
        assertThat(db.value("SELECT headline FROM posts")).isEqualTo("Hello");
    }

    @Test
    void aHintedRenameAlsoAppliesTheColumnsOtherChangesAndRollsBackToTheOldColumn() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('Hello')");
        List<String> before = Catalog.of(db, "public");

        Domain renamed = blog(p -> Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("headline", varchar(80), a -> a.notNull().defaultValue("fred")).belongsTo("author", "user"));
        Codegen.Result result = codegen(renamed, "posts.title=headline").generate("rename_and_require_title");
        migrator().migrate();

        assertThat(result.steps()).extracting(s -> s.describe().replaceAll(" \\(.*", "")).containsExactly(
                "rename column public.posts.title to headline", "alter column public.posts.headline",
                "check public.posts.headline is not null, for new rows",
                "validate the not null check of public.posts.headline", "set not null public.posts.headline");
        assertThat(Catalog.of(db, "public"))
                .contains("column posts.headline character varying(80) not null default 'fred'::character varying")
                .noneMatch(line -> line.startsWith("column posts.title"));
        db.execute("INSERT INTO posts (author_id) VALUES (NULL)");
        assertThat(db.query("SELECT headline FROM posts ORDER BY id")).extracting(r -> r.get("headline"))
                .containsExactly("Hello", "fred");

        db.execute("DELETE FROM posts WHERE headline = 'fred'");
        migrator().rollback(result.files().size());
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("Hello");
    }

    @Test
    void anIdentityIndexOnARenamedColumnIsLeftToPostgresqlToRenameInsteadOfRebuilt() throws IOException {
        Resource users = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT)
                .identity("unique_email", "email").build();
        codegen(Domain.builder("blog").resource(users).build()).generate("create_users");
        migrator().migrate();
        db.execute("INSERT INTO users (email) VALUES ('a@x.org')");
        List<String> before = Catalog.of(db, "public");
        Object built = db.value("SELECT 'users_unique_email_index'::regclass::oid");

        Resource renamed = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("mail", TEXT)
                .identity("unique_email", "mail").build();
        Codegen.Result result = codegen(Domain.builder("blog").resource(renamed).build(), "users.email=mail")
                .generate("rename_email");
        migrator().migrate();

        assertThat(result.steps()).extracting(s -> s.describe()).containsExactly("rename column public.users.email to mail");
        assertThat(result.files()).hasSize(1);
        assertThat(db.value("SELECT 'users_unique_email_index'::regclass::oid")).isEqualTo(built);
        assertThat(Catalog.of(db, "public")).contains("index users_unique_email_index CREATE UNIQUE INDEX "
                + "users_unique_email_index ON public.users USING btree (mail)");
        assertThat(codegen(Domain.builder("blog").resource(renamed).build()).check().changed()).isFalse();
        migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void withoutAHintADisappearedColumnIsDroppedAndTheFileSaysSo() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        Domain renamed = blog(p -> Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("headline", varchar(50)).belongsTo("author", "user"));

        Codegen.Result result = codegen(renamed).generate("replace_title");

        assertThat(result.steps()).extracting(s -> s.describe())
                .containsExactly("add column public.posts.headline", "drop column public.posts.title");
        assertThat(result.destructive()).containsExactly("drops column public.posts.title and its data");
        assertThat(Files.readString(result.files().get(0)))
                .contains("-- destructive: drops column public.posts.title and its data\n\n-- migrate:up");
    }

    @Test
    void renamesATableWhenHintedReplacingTheKeysThatNameIt() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) VALUES ('Kept')");

        Domain renamed = blog(p -> p.table("articles"));
        Codegen.Result result = codegen(renamed, "posts=articles").generate("rename_posts");
        migrator().migrate();

        assertThat(result.steps()).extracting(s -> s.describe()).contains("rename table public.posts to public.articles");
        assertThat(db.value("SELECT title FROM articles")).isEqualTo("Kept");
        assertThat(Catalog.of(db, "public")).contains(
                "constraint comments.comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES articles(id)");
        migrator().rollback(1);
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("Kept");
    }

    @Test
    void droppingAResourceDropsTheKeysThatPointAtItFirst() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        migrator().migrate();
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id")
                .attribute("email", TEXT, a -> a.notNull()).identity("unique_email", "email").build();

        Codegen.Result result = codegen(Domain.builder("blog").resource(user).build()).generate("only_users");
        migrator().migrate();

        assertThat(result.steps()).extracting(s -> s.describe()).startsWith(
                "drop foreign_key users_favorite_post_id_fkey on public.users");
        assertThat(Catalog.of(db, "public")).noneMatch(line -> line.contains("posts") || line.contains("comments"));
        assertThat(new java.util.HashSet<>(result.destructive())).containsExactlyInAnyOrder(
                "drops table public.posts and all its rows", "drops table public.comments and all its rows",
                "drops column public.users.favorite_post_id and its data");
    }

    @Test
    void developmentMigrationsSquashIntoOneNamedMigration() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        migrator().migrate();
        Codegen dev1 = codegen(blog(p -> p.attribute("rating", INTEGER)));
        dev1.generate(Codegen.DEV);
        migrator().migrate();
        codegen(blog(p -> p.attribute("rating", INTEGER).attribute("summary", TEXT))).generate(Codegen.DEV);
        migrator().migrate();
        List<String> developed = Catalog.of(db, "public");

        Codegen last = codegen(blog(p -> p.attribute("rating", INTEGER).attribute("summary", TEXT)));
        migrator().rollbackVersions(java.util.Set.copyOf(last.devVersions()));
        last.discardDev();
        Codegen.Result squashed = last.generate("add_rating_and_summary");
        migrator().migrate();

        assertThat(squashed.files()).singleElement().satisfies(f -> assertThat(f.getFileName().toString())
                .endsWith("_add_rating_and_summary.sql"));
        assertThat(Files.list(Codegen.migrations(project, Scope.MAIN))).hasSize(2);
        assertThat(squashed.steps()).extracting(s -> s.describe())
                .containsExactly("add column public.posts.rating", "add column public.posts.summary");
        assertThat(Catalog.of(db, "public")).isEqualTo(developed);
    }

    @Test
    void developmentRenamesAndMovesOfTablesSquashIntoRenamesAndMoves() {
        UnaryOperator<ResourceBuilder> note = n -> n.integerPrimaryKey("id").attribute("title", TEXT);
        codegen(Domain.builder("blog").resource(note.apply(Resource.builder("note").table("notes")).build())
                .resource(note.apply(Resource.builder("memo").schema("drafts").table("memos")).build()).build())
                .generate("create");
        migrator().migrate();
        db.execute("INSERT INTO notes (title) VALUES ('kept'); INSERT INTO drafts.memos (title) VALUES ('kept too')");
        Domain renamed = Domain.builder("blog")
                .resource(note.apply(Resource.builder("note").table("articles")).build())
                .resource(note.apply(Resource.builder("memo").schema("archive").table("memos")).build()).build();
        codegen(renamed, "notes=articles", "drafts.memos=archive.memos").generate(Codegen.DEV);
        migrator().migrate();

        Codegen last = codegen(renamed);
        List<String> hints = last.devRenames();
        migrator().rollbackVersions(java.util.Set.copyOf(last.devVersions()));
        last.discardDev();
        Codegen.Result squashed = codegen(renamed, hints.toArray(String[]::new)).generate("rename_notes");
        migrator().migrate();

        assertThat(hints).containsExactlyInAnyOrder("notes=articles", "drafts.memos=archive.memos");
        assertThat(squashed.destructive()).isEmpty();
        assertThat(db.value("SELECT title FROM articles")).isEqualTo("kept");
        assertThat(db.value("SELECT title FROM archive.memos")).isEqualTo("kept too");
    }

    @Test
    void checkListsPendingChangesAndWritesNothing() throws IOException {
        codegen(blog(p -> p)).generate("create_blog");
        Map<String, String> before = tree();

        Codegen.Result pending = codegen(blog(p -> p.attribute("rating", INTEGER))).check();

        assertThat(pending.changed()).isTrue();
        assertThat(pending.steps()).extracting(s -> s.describe()).containsExactly("add column public.posts.rating");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void tenantResourcesGoToTenantMigrationsAndAGenerationThatChangesBothWritesBoth() throws IOException {
        AshlarPlugin notesPerTenant = notesPerTenant();
        Resource note = Resource.builder("note").table("notes").integerPrimaryKey("id").attribute("body", TEXT)
                .belongsTo("author", "user").build();
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT).build();
        Domain domain = Domain.builder("blog").resources(user, note).build();

        Codegen.Result result = new Codegen(project, domain, Plugins.none().with(notesPerTenant).with(new TestReferences()),
                Renames.none(), CLOCK)
                .generate("tenant_notes");

        assertThat(result.files()).extracting(p -> project.relativize(p).toString()).containsExactly(
                "migrations/20261127100000_tenant_notes.sql", "tenant_migrations/20261127100001_tenant_notes.sql");
        assertThat(Files.readString(result.files().get(1))).contains("CREATE TABLE \"notes\" (")
                .contains("REFERENCES \"public\".\"users\"").doesNotContain("\"public\".\"notes\"");
        assertThat(tree()).containsKey("resource_snapshots/_tenant/notes/20261127100000.json");
        db.execute("CREATE SCHEMA tenant_one");
        migrator().migrate();
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT)).forSchema("tenant_one").migrate();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'tenant_one' "
                + "AND table_name = 'notes'")).isEqualTo(3L);
        db.execute("DROP SCHEMA tenant_one CASCADE");
    }

    @Test
    void aTenantDevelopmentMigrationSquashesIntoANamedTenantMigrationThatDoesTheSame() throws IOException {
        Resource user = Resource.builder("user").table("users").integerPrimaryKey("id").attribute("email", TEXT).build();
        Resource note = Resource.builder("note").table("notes").integerPrimaryKey("id").attribute("body", TEXT).build();
        Domain domain = Domain.builder("blog").resources(user, note).build();
        Plugins plugins = Plugins.none().with(notesPerTenant());
        new Codegen(project, Domain.builder("blog").resources(user).build(), plugins, Renames.none(), CLOCK)
                .generate("create_users");
        migrator().migrate();
        db.execute("CREATE SCHEMA tenant_one");
        Migrator tenant = new Migrator(db.dataSource(), Codegen.migrations(project, Scope.TENANT)).forSchema("tenant_one");

        Codegen.Result dev = new Codegen(project, domain, plugins, Renames.none(), CLOCK).generate(Codegen.DEV);
        String developedSql = body(dev.files().get(0));
        tenant.migrate();
        List<String> developed = Catalog.of(db, "tenant_one");
        Codegen last = new Codegen(project, domain, plugins, Renames.none(), CLOCK);
        tenant.rollbackVersions(java.util.Set.copyOf(last.devVersions()));
        last.discardDev();
        Codegen.Result squashed = last.generate("tenant_notes");
        tenant.migrate();

        assertThat(dev.files()).singleElement().satisfies(f -> assertThat(project.relativize(f).toString())
                .startsWith("tenant_migrations/").endsWith("_dev.sql"));
        assertThat(squashed.files()).singleElement().satisfies(f -> {
            assertThat(project.relativize(f).toString()).startsWith("tenant_migrations/").endsWith("_tenant_notes.sql");
            assertThat(body(f)).isEqualTo(developedSql).contains("CREATE TABLE \"notes\"");
        });
        assertThat(Files.exists(dev.files().get(0))).isFalse();
        assertThat(Catalog.of(db, "tenant_one")).isEqualTo(developed).anyMatch(line -> line.startsWith("column notes.body"));
        db.execute("DROP SCHEMA tenant_one CASCADE");
    }

    /** A migration file from its up section on, leaving out the header that names the file. */
    private static String body(Path file) throws IOException {
        String text = Files.readString(file);
        return text.substring(text.indexOf("-- migrate:up"));
    }

    private static AshlarPlugin notesPerTenant() {
        return new TestPlugins.Scoping() {
            @Override
            public String id() {
                return "notes-per-tenant";
            }

            @Override
            public java.util.Optional<Tenancy> tenancy(Domain domain, Resource resource) {
                return resource.name().equals("note") ? java.util.Optional.of(Tenancy.schemaPerTenant())
                        : java.util.Optional.empty();
            }

            @Override
            public TenantScope scope(Resource resource, Tenancy tenancy, String tenant) {
                return TenantScope.schema(tenant);
            }
        };
    }
}
