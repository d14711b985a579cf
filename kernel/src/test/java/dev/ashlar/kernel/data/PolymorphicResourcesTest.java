package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A polymorphic resource (AshPostgres's {@code polymorphic? true}) on a real server: comments of posts live in
 * {@code post_comments}, comments of users in {@code user_comments}; migrations create both, every action reaches the
 * table its query, record or relationship names, and no action reaches a table the domain does not declare.
 */
@ExtendWith(PostgresExtension.class)
class PolymorphicResourcesTest {
    static final String POST_COMMENT = Resource.inTable("comment", "post_comments");
    static final String USER_COMMENT = Resource.inTable("comment", "user_comments");

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;
    Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    static ResourceBuilder comment() {
        return Resource.builder("comment").polymorphic().primaryKey("id")
                .attribute("body", TEXT, a -> a.notNull())
                .attribute("resource_id", BIGINT, a -> a.notNull())
                .identity("unique_body", "resource_id", "body")
                .belongsTo("author", "user");
    }

    static Domain domain(Resource comment) {
        return Domain.builder("blog").resources(
                Resource.builder("user").table("users").primaryKey("id")
                        .attribute("name", TEXT)
                        .hasMany("comments", "comment", r -> r.table("user_comments")
                                .destinationAttribute("resource_id"))
                        .build(),
                Resource.builder("post").table("posts").primaryKey("id")
                        .attribute("title", TEXT)
                        .hasMany("comments", "comment", r -> r.table("post_comments")
                                .destinationAttribute("resource_id"))
                        .hasOne("latest_comment", "comment", r -> r.table("post_comments")
                                .destinationAttribute("resource_id").sort(Sort.desc("id")))
                        .belongsTo("pinned", "comment", r -> r.table("post_comments"))
                        .count("comment_count", "comments")
                        .build(),
                comment).build();
    }

    static final Domain DOMAIN = domain(comment().build());

    record Comment(Long id, String body, Long resourceId, Long authorId) {
        static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
        static final TextField<Comment> BODY = COMMENTS.attribute("body", Kind.TEXT);
        static final Table<Comment> IN_POSTS = COMMENTS.inTable("post_comments");
    }

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        generate(DOMAIN, "create_blog");
        migrate();
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN).discoverPlugins(false).build();
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    private Codegen.Result generate(Domain domain, String name) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), clock).generate(name);
    }

    private void migrate() {
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).progress(line -> { }).migrate();
    }

    private List<String> columns(String table) {
        return db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = ? ORDER BY ordinal_position", table).stream()
                .map(row -> (String) row.get("column_name")).toList();
    }

    private long count(String table) {
        return (Long) db.value("SELECT count(*) FROM " + table);
    }

    private Row post(String title) {
        return ashlar.create("post", Map.of("title", title));
    }

    private Row user(String name) {
        return ashlar.create("user", Map.of("name", name));
    }

    @Test
    void migrationsCreateOneTableForEachTableTheRelationshipsNameAndNoneForTheResource() {
        List<String> tables = db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                + "'public' AND table_name LIKE '%comment%' ORDER BY table_name").stream()
                .map(row -> (String) row.get("table_name")).toList();

        assertThat(tables).containsExactly("post_comments", "user_comments");
        assertThat(columns("post_comments")).containsExactly("id", "body", "resource_id", "author_id");
        assertThat(columns("user_comments")).containsExactly("id", "body", "resource_id", "author_id");
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname IN ('post_comments_unique_body_index', "
                + "'user_comments_unique_body_index', 'post_comments_pkey', 'user_comments_pkey')")).isEqualTo(4L);
        assertThat(db.value("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'user_comments' "
                + "AND column_name = 'body'")).isEqualTo("NO");
    }

    @Test
    void snapshotsAreKeptPerTableAndGeneratingAgainWritesNothing() throws Exception {
        try (Stream<Path> folders = Files.list(project.resolve("resource_snapshots").resolve("public"))) {
            assertThat(folders.map(p -> p.getFileName().toString()))
                    .contains("post_comments", "user_comments").doesNotContain("comment");
        }

        Codegen.Result again = generate(DOMAIN, "again");

        assertThat(again.changed()).isFalse();
        assertThat(again.files()).isEmpty();
    }

    @Test
    void aNewTableNameGeneratesItsCreateTableOnly() throws Exception {
        Domain withArchive = domain(comment().polymorphic("archived_comments").build());

        Codegen.Result added = generate(withArchive, "add_archive");
        migrate();

        assertThat(added.files()).hasSize(1);
        String sql = Files.readString(added.files().get(0));
        assertThat(sql).contains("CREATE TABLE \"public\".\"archived_comments\"")
                .doesNotContain("\"post_comments\"").doesNotContain("\"user_comments\"");
        assertThat(columns("archived_comments")).containsExactly("id", "body", "resource_id", "author_id");
        assertThat(generate(withArchive, "again").changed()).isFalse();
    }

    @Test
    void aCreateWritesIntoTheTableItsNameGivesAndItsRowUpdatesAndDestroysThere() {
        Row post = post("Hello");

        Row comment = ashlar.create(POST_COMMENT, Map.of("body", "First", "resource_id", post.get("id")));

        assertThat(comment.resource()).isEqualTo(POST_COMMENT);
        assertThat(count("post_comments")).isEqualTo(1L);
        assertThat(count("user_comments")).isZero();

        ashlar.update(comment, Map.of("body", "First!"));
        assertThat(db.value("SELECT body FROM post_comments")).isEqualTo("First!");

        ashlar.destroy(comment);
        assertThat(count("post_comments")).isZero();
    }

    @Test
    void loadingARelationshipReadsOnlyItsOwnTable() {
        Row post = post("Hello");
        user("Bob");
        Row ada = user("Ada");
        // The same key in both tables: the post and Bob share an id.
        db.execute("INSERT INTO post_comments (body, resource_id) VALUES ('on the post', " + post.get("id") + ")");
        db.execute("INSERT INTO user_comments (body, resource_id) VALUES ('on the user', " + post.get("id") + ")");
        db.execute("INSERT INTO user_comments (body, resource_id) VALUES ('on Ada', " + ada.get("id") + ")");

        Row loaded = ashlar.read("post").load("comments").list().get(0);
        List<Row> comments = loaded.related("comments");

        assertThat(comments).extracting(c -> c.get("body")).containsExactly("on the post");
        assertThat(comments.get(0).resource()).isEqualTo(POST_COMMENT);
        assertThat(ashlar.read("user").where(Filter.eq("name", "Ada")).load("comments").list().get(0)
                .related("comments"))
                .extracting(c -> c.get("body")).containsExactly("on Ada");
        assertThat(ashlar.read("post").where(Filter.exists("comments", Filter.eq("body", "on the user"))).list())
                .isEmpty();
    }

    @Test
    void aHasOneABelongsToAndAnAggregateThroughARelationshipReadItsTableOnly() {
        Row post = post("Hello");
        db.execute("INSERT INTO user_comments (body, resource_id) VALUES ('elsewhere', " + post.get("id") + ")");
        Row first = ashlar.create(POST_COMMENT, Map.of("body", "first", "resource_id", post.get("id")));
        ashlar.create(POST_COMMENT, Map.of("body", "second", "resource_id", post.get("id")));
        ashlar.update(post, Map.of("pinned_id", first.get("id")));

        Row loaded = ashlar.read("post").load("latest_comment").load("pinned").load("comment_count").list().get(0);

        assertThat(loaded.relatedOne("latest_comment").orElseThrow().get("body")).isEqualTo("second");
        assertThat(loaded.relatedOne("pinned").orElseThrow().get("body")).isEqualTo("first");
        assertThat(loaded.get("comment_count")).isEqualTo(2L);
    }

    @Test
    void readsAndBulkWritesNamingATableStayInIt() {
        Row post = post("Hello");
        Row ada = user("Ada");
        ashlar.createAll(POST_COMMENT, List.of(Map.of("body", "a", "resource_id", post.get("id")),
                Map.of("body", "b", "resource_id", post.get("id"))));
        ashlar.create(USER_COMMENT, Map.of("body", "a", "resource_id", ada.get("id")));

        assertThat(ashlar.read("comment").table("post_comments").list()).hasSize(2);
        assertThat(ashlar.read("comment").table("user_comments").list()).extracting(r -> r.get("body"))
                .containsExactly("a");

        ashlar.read("comment").table("post_comments").where(Filter.eq("body", "a"))
                .updateAll(Map.of("body", "changed"));
        assertThat(db.value("SELECT body FROM user_comments")).isEqualTo("a");
        assertThat(db.value("SELECT count(*) FROM post_comments WHERE body = 'changed'")).isEqualTo(1L);

        ashlar.read("comment").table("post_comments").destroyAll();
        assertThat(count("post_comments")).isZero();
        assertThat(count("user_comments")).isEqualTo(1L);
    }

    @Test
    void anUpsertMeetsTheIdentityOfItsOwnTableOnly() {
        Row post = post("Hello");
        Row ada = user("Ada");
        ashlar.create(POST_COMMENT, Map.of("body", "same", "resource_id", post.get("id")));
        ashlar.create(USER_COMMENT, Map.of("body", "same", "resource_id", post.get("id")));

        ashlar.upsert(POST_COMMENT, List.of(Map.of("body", "same", "resource_id", post.get("id"), "author_id",
                ada.get("id")), Map.of("body", "new", "resource_id", post.get("id"))), Upsert.on("unique_body"));

        assertThat(db.value("SELECT string_agg(body || ':' || coalesce(author_id::text, '-'), ',' ORDER BY body) "
                + "FROM post_comments")).isEqualTo("new:-,same:" + ada.get("id"));
        assertThat(db.value("SELECT string_agg(body || ':' || coalesce(author_id::text, '-'), ',') FROM user_comments"))
                .isEqualTo("same:-");
    }

    @Test
    void anIdentityIsUniqueInEachTableOnItsOwn() {
        Row post = post("Hello");
        ashlar.create(POST_COMMENT, Map.of("body", "same", "resource_id", post.get("id")));
        ashlar.create(USER_COMMENT, Map.of("body", "same", "resource_id", post.get("id")));

        assertThatThrownBy(() -> ashlar.create(POST_COMMENT, Map.of("body", "same", "resource_id", post.get("id"))))
                .isInstanceOf(InvalidDataException.class);
        assertThat(count("post_comments")).isEqualTo(1L);
        assertThat(count("user_comments")).isEqualTo(1L);
    }

    @Test
    void anActionThatNamesNoTableIsRefusedNamingTheResourceAndItsTables() {
        assertThatThrownBy(() -> ashlar.read("comment").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'comment' is polymorphic")
                .hasMessageContaining("[user_comments, post_comments]");
        assertThatThrownBy(() -> ashlar.create("comment", Map.of("body", "x", "resource_id", 1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("'comment' is polymorphic");
        assertThat(count("post_comments") + count("user_comments")).isZero();
    }

    @Test
    void aTableTheDomainDoesNotDeclareIsRefusedWhateverItHolds() {
        Row post = post("Hello");

        assertThatThrownBy(() -> ashlar.read("comment").table("posts").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'posts' is not one of its tables [user_comments, post_comments]");
        assertThatThrownBy(() -> ashlar.destroyAll(Query.of("comment").withTable("users")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'users' is not one of its tables");
        assertThatThrownBy(() -> ashlar.create(Resource.inTable("comment", "posts"), Map.of("body", "x",
                "resource_id", post.get("id")))).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> ashlar.read("post").table("post_comments").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("Resource 'post' is not polymorphic");
        assertThat(count("posts")).isEqualTo(1L);
        assertThat(count("users")).isZero();
    }

    @Test
    void theTypedApiReachesATableThroughTheResourceInIt() {
        long postId = ((Number) post("Hello").get("id")).longValue();

        Comment created = ashlar.create(Comment.IN_POSTS, new Comment(null, "typed", postId, null));
        Comment changed = ashlar.update(Comment.IN_POSTS, created, Comment.BODY.set("changed"));

        assertThat(db.value("SELECT body FROM post_comments")).isEqualTo("changed");
        assertThat(count("user_comments")).isZero();
        assertThat(ashlar.read(Comment.IN_POSTS).where(Comment.BODY.eq("changed")).list()).containsExactly(changed);
        assertThat(ashlar.read(Comment.COMMENTS.inTable("user_comments")).list()).isEmpty();
        assertThatThrownBy(() -> ashlar.read(Comment.COMMENTS).list()).isInstanceOf(QueryException.class)
                .hasMessageContaining("'comment' is polymorphic");
        ashlar.destroy(Comment.IN_POSTS, changed);
        assertThat(count("post_comments")).isZero();
    }
}
