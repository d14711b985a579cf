package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Order;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.drift.DriftCheck;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.snapshot.SnapshotStore;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code history()}: the history table, its trigger and view made and kept in step by migrations, every version an
 * update or delete replaces kept, and {@code asOf} and {@code versionsBetween} reading them (Ebean's {@code @History}).
 */
@ExtendWith(PostgresExtension.class)
class HistoryTablesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

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
                .attribute("title", TEXT).attribute("status", TEXT)).build()).build();
    }

    private void migrate(Domain domain, String name, String... renames) {
        migrate(project, db, domain, name, renames);
    }

    /** Generates the migration, applies it, and checks the database and the snapshots agree with the domain. */
    static void migrate(Path project, TestDatabase db, Domain domain, String name, String... renames) {
        new Codegen(project, domain, Plugins.none(), Renames.hints(List.of(renames)), CLOCK).generate(name);
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
        assertThat(new DriftCheck(db.dataSource(), new SnapshotStore(project).latest()).compare(List.of()))
                .as("the database matches the snapshots after " + name).isEmpty();
        assertThat(new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK).generate("again").steps())
                .as("the snapshots round-trip: nothing left to generate").isEmpty();
    }

    private List<Object> columns(String table) {
        return columns(db, table);
    }

    /** The columns of a table or view in schema public, in their order. */
    static List<Object> columns(TestDatabase db, String table) {
        return db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = ? ORDER BY ordinal_position", table).stream().map(r -> r.get("column_name")).toList();
    }

    static Instant pause() throws InterruptedException {
        Thread.sleep(20);
        Instant now = Instant.now();
        Thread.sleep(20);
        return now;
    }

    @Test
    void theMigrationCreatesTheHistoryTableItsTriggerAndTheView() {
        migrate(blog(r -> r.history()), "create");

        assertThat(columns("posts")).containsExactly("id", "title", "status", "sys_period");
        assertThat(columns("posts_history")).containsExactly("id", "title", "status", "sys_period");
        assertThat(columns("posts_with_history")).containsExactly("id", "title", "status", "sys_period");
        assertThat(db.value("SELECT count(*) FROM information_schema.views WHERE table_name = 'posts_with_history'"))
                .isEqualTo(1L);
        assertThat(db.value("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'posts_history_version'"))
                .asString().contains("BEFORE DELETE OR UPDATE ON public.posts FOR EACH ROW");
        assertThat(db.value("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'sys_period'")).isEqualTo("NO");
    }

    @Test
    void updatesAndDeletesKeepEveryVersionAndAsOfReadsThemAsTheyWere() throws InterruptedException {
        Domain domain = blog(r -> r.history());
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Instant beforeAll = pause();
            Row first = ashlar.create("post", Map.of("title", "first", "status", "draft"));
            Row second = ashlar.create("post", Map.of("title", "second", "status", "draft"));
            Instant created = pause();
            ashlar.update(first, Map.of("title", "first, edited", "status", "published"));
            db.execute("UPDATE posts SET title = 'second, by plain SQL' WHERE title = 'second'");
            Instant edited = pause();
            ashlar.destroy(ashlar.get("post", second.get("id")));
            Instant deleted = pause();

            assertThat(ashlar.read("post").asOf(beforeAll).list()).isEmpty();
            assertThat(titles(ashlar.read("post").asOf(created))).containsExactly("first", "second");
            assertThat(titles(ashlar.read("post").asOf(edited))).containsExactly("first, edited", "second, by plain SQL");
            assertThat(titles(ashlar.read("post").asOf(deleted))).containsExactly("first, edited");
            assertThat(titles(ashlar.read("post").asOf(created).where(Filter.eq("title", "second"))))
                    .as("filters apply").containsExactly("second");
            assertThat(ashlar.read("post").asOf(edited).where(Filter.eq("status", "published")).count()).isEqualTo(1);

            List<Row> versions = ashlar.read("post").versionsBetween(beforeAll, deleted)
                    .where(Filter.eq("id", first.get("id"))).sort(Sort.asc("sys_period_start")).list();
            assertThat(versions).extracting(v -> v.get("title")).containsExactly("first", "first, edited");
            assertThat(versions.get(0).get("sys_period_end")).isEqualTo(versions.get(1).get("sys_period_start"));
            assertThat(versions.get(1).get("sys_period_end")).as("the current version is open").isNull();
            assertThat(versions.get(0).get("sys_period_start")).isInstanceOf(Instant.class);
            assertThat(ashlar.read("post").versionsBetween(edited, deleted).count())
                    .as("the deleted record's last version ended in the window").isEqualTo(2);
        }
        assertThat(db.value("SELECT count(*) FROM posts_history")).isEqualTo(3L);
    }

    record Post(Long id, String title, String status) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final TextField<Post> TITLE = POSTS.attribute("title", Kind.TEXT);
    }

    record PostVersion(String title, Instant sysPeriodStart, Instant sysPeriodEnd) {
    }

    @Test
    void theTypedReadReadsAsOfAndEveryVersionWithItsPeriod() throws InterruptedException {
        Domain domain = blog(r -> r.history());
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Row post = ashlar.create("post", Map.of("title", "draft title", "status", "draft"));
            Instant created = pause();
            ashlar.update(post, Map.of("title", "final title"));

            assertThat(ashlar.read(Post.POSTS).asOf(created).list()).extracting(Post::title)
                    .containsExactly("draft title");
            assertThat(ashlar.read(Post.POSTS).asOf(created).where(Post.TITLE.eq("final title")).list()).isEmpty();
            List<PostVersion> versions = ashlar.read(Post.POSTS).versionsBetween(created, Instant.now())
                    .sort(Order.asc("sys_period_start")).list(PostVersion.class);
            assertThat(versions).extracting(PostVersion::title).containsExactly("draft title", "final title");
            assertThat(versions.get(0).sysPeriodEnd()).isEqualTo(versions.get(1).sysPeriodStart());
        }
    }

    private static List<Object> titles(dev.ashlar.kernel.Read read) {
        return read.sort(Sort.asc("id")).list().stream().map(r -> r.get("title")).toList();
    }

    @Test
    void turningHistoryOnForATableWithRowsKeepsThemAndLaterColumnsFollowIntoTheHistory() throws InterruptedException {
        migrate(blog(r -> r), "create");
        db.execute("INSERT INTO posts (title, status) VALUES ('old', 'draft'), ('older', 'draft')");
        Object file = db.value("SELECT relfilenode FROM pg_class WHERE oid = 'posts'::regclass");
        Instant beforeHistory = pause();
        migrate(blog(r -> r.history()), "history");
        Instant migrated = pause();
        assertThat(db.value("SELECT relfilenode FROM pg_class WHERE oid = 'posts'::regclass"))
                .as("sys_period's default is stable, taken once: adding it did not rewrite the table").isEqualTo(file);
        assertThat(db.value("SELECT count(*) FROM posts WHERE lower(sys_period) > ?", OffsetDateTime.ofInstant(
                beforeHistory, ZoneOffset.UTC))).as("existing rows' period starts at the migration").isEqualTo(2L);

        Domain withWords = blog(r -> r.history().attribute("words", INTEGER));
        migrate(withWords, "words");
        assertThat(columns("posts_history")).containsExactly("id", "title", "status", "sys_period", "words");
        assertThat(columns("posts_with_history")).contains("words");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(withWords).build()) {
            ashlar.read("post").where(Filter.eq("title", "old")).updateAll(Map.of("words", 7));
            assertThat(titles(ashlar.read("post").asOf(migrated))).containsExactly("old", "older");
            assertThat(ashlar.read("post").asOf(beforeHistory).list()).as("nothing was kept before history")
                    .isEmpty();
        }
        assertThat(db.value("SELECT count(*) FROM posts_history WHERE words IS NULL AND title = 'old'")).isEqualTo(1L);

        migrate(blog(r -> r.attribute("words", INTEGER)), "words_dropped_with_history_off");
        assertThat(db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'posts_history_version'")).isEqualTo(0L);
        assertThat(columns("posts")).doesNotContain("sys_period");
    }

    @Test
    void aRenamedColumnIsRenamedInTheHistoryTooKeepingItsPastValues() throws InterruptedException {
        Domain domain = blog(r -> r.history());
        migrate(domain, "create");
        db.execute("INSERT INTO posts (title, status) VALUES ('before', 'draft'); UPDATE posts SET title = 'after'");
        Instant edited = pause();

        Domain renamed = Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("headline", TEXT).attribute("status", TEXT).history().build()).build();
        migrate(renamed, "rename", "posts.title=headline");

        assertThat(columns("posts_history")).containsExactly("id", "headline", "status", "sys_period");
        assertThat(db.value("SELECT headline FROM posts_history")).isEqualTo("before");
        db.execute("UPDATE posts SET headline = 'latest'");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(renamed).build()) {
            assertThat(ashlar.read("post").asOf(edited).list()).extracting(r -> r.get("headline"))
                    .containsExactly("after");
        }
    }

    @Test
    void aRenamedTableTakesItsHistoryAlong() throws InterruptedException {
        migrate(blog(r -> r.history()), "create");
        db.execute("INSERT INTO posts (title, status) VALUES ('before', 'draft'); UPDATE posts SET title = 'after'");
        Instant edited = pause();

        Domain renamed = blog(r -> r.table("articles").history());
        migrate(renamed, "rename", "posts=articles");

        assertThat(db.value("SELECT title FROM articles_history")).isEqualTo("before");
        assertThat(db.value("SELECT to_regclass('public.posts_history')")).isNull();
        db.execute("UPDATE articles SET title = 'latest'");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(renamed).build()) {
            assertThat(ashlar.read("post").asOf(edited).list()).extracting(r -> r.get("title"))
                    .containsExactly("after");
        }
        assertThat(db.value("SELECT count(*) FROM articles_history")).isEqualTo(2L);
    }

    @Test
    void concurrentWritersOfTheSameRowsLeaveEveryVersionWithContiguousPeriods() throws Exception {
        Domain domain = blog(r -> r.history());
        migrate(domain, "create");
        int writes = 25;
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Object id = ashlar.create("post", Map.of("title", "0", "status", "draft")).get("id");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> writers = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                String name = "writer " + writer;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < writes; i++) {
                        ashlar.read("post").where(Filter.eq("id", id)).updateAll(Map.of("title", name + " " + i));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();
            List<Row> versions = ashlar.read("post").versionsBetween(Instant.EPOCH, Instant.now().plusSeconds(60))
                    .sort(Sort.asc("sys_period_start")).list();
            assertThat(versions).hasSize(2 * writes + 1);
            for (int i = 1; i < versions.size(); i++) {
                assertThat(versions.get(i).get("sys_period_start")).as("version " + i + " starts where the last ended")
                        .isEqualTo(versions.get(i - 1).get("sys_period_end"));
            }
        }
        assertThat(db.value("SELECT count(*) FROM posts_history WHERE isempty(sys_period)")).isEqualTo(0L);
    }

    /**
     * Ebean's {@code TestHistoryInsert.test_singleTransaction_multipleHistory}: an insert and updates in one
     * transaction, where {@code now()} stands still, then updates in their own, still leave contiguous periods; and its
     * {@code test}: {@code asOf} before the insert finds nothing, after the delete the version then current.
     */
    @Test
    void updatesInOneTransactionStillLeaveContiguousNonEmptyPeriods() throws InterruptedException {
        Domain domain = blog(r -> r.history());
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Instant before = pause();
            Object id = ashlar.transaction(tx -> {
                Row user = tx.create("post", Map.of("title", "first", "status", "1"));
                for (String status : List.of("2", "3", "4")) {
                    user = tx.update(user, Map.of("status", status));
                }
                return user.get("id");
            });
            Instant committed = pause();
            for (String status : List.of("5", "6")) {
                ashlar.update(ashlar.get("post", id), Map.of("status", status));
            }
            ashlar.destroy(ashlar.get("post", id));

            List<Row> versions = ashlar.read("post").versionsBetween(before, Instant.now())
                    .sort(Sort.asc("sys_period_start")).list();
            assertThat(versions).extracting(v -> v.get("status")).containsExactly("1", "2", "3", "4", "5", "6");
            for (int i = 1; i < versions.size(); i++) {
                assertThat(versions.get(i).get("sys_period_start")).isEqualTo(versions.get(i - 1).get("sys_period_end"));
            }
            assertThat(versions.get(5).get("sys_period_end")).as("closed by the delete").isNotNull();
            assertThat(ashlar.read("post").asOf(before).where(Filter.eq("id", id)).first()).isEmpty();
            assertThat(ashlar.read("post").asOf(committed).where(Filter.eq("id", id)).first().orElseThrow()
                    .get("status")).isEqualTo("4");
        }
        assertThat(db.value("SELECT count(*) FROM posts_history WHERE isempty(sys_period)")).isEqualTo(0L);
    }

    @Test
    void aReadOfPastVersionsFiltersThroughAndLoadsItsCurrentRelationships() throws InterruptedException {
        Domain domain = Domain.builder("blog").resources(
                Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT)
                        .hasMany("comments", "comment").history().build(),
                Resource.builder("comment").table("comments").primaryKey("id").attribute("body", TEXT)
                        .belongsTo("post", "post").build()).build();
        migrate(domain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Row commented = ashlar.create("post", Map.of("title", "commented"));
            ashlar.create("post", Map.of("title", "quiet"));
            ashlar.create("comment", Map.of("body", "hello", "post_id", commented.get("id")));
            Instant created = pause();
            ashlar.read("post").updateAll(Map.of("title", "renamed"));

            List<Row> then = ashlar.read("post").asOf(created).where(Filter.exists("comments"))
                    .load("comments").list();
            assertThat(then).extracting(r -> r.get("title")).containsExactly("commented");
            assertThat(then.get(0).related("comments")).extracting(r -> r.get("body")).containsExactly("hello");
        }
    }

    @Test
    void asOfOnAResourceWithoutHistoryAndWritesThroughAnAsOfReadAreRefusedNamingTheFix() {
        Domain plain = blog(r -> r);
        migrate(plain, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(plain).build()) {
            assertThatThrownBy(() -> ashlar.read("post").asOf(Instant.now())).isInstanceOf(QueryException.class)
                    .hasMessageContaining("Resource 'post' keeps no history").hasMessageContaining(".history()");
        }
        Domain kept = blog(r -> r.history());
        migrate(kept, "history");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(kept).build()) {
            assertThatThrownBy(() -> ashlar.read("post").asOf(Instant.now()).updateAll(Map.of("title", "x")))
                    .isInstanceOf(QueryException.class).hasMessageContaining("updateAll on a read of post's history");
            assertThatThrownBy(() -> ashlar.read("post").asOf(Instant.now()).destroyAll())
                    .isInstanceOf(QueryException.class).hasMessageContaining("destroyAll");
            assertThatThrownBy(() -> ashlar.read("post").asOf(Instant.now()).asOf(Instant.now()))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("asOf on a read of post's history (asOf or versionsBetween) is refused");
            assertThatThrownBy(() -> ashlar.read("post").asOf(Instant.now())
                    .versionsBetween(Instant.EPOCH, Instant.now())).isInstanceOf(QueryException.class)
                    .hasMessageContaining("versionsBetween on a read of post's history");
        }
    }

    @Test
    void aResourceThatCannotKeepHistoryIsRefusedNamingWhy() {
        assertThatThrownBy(() -> Resource.builder("tag").attribute("name", TEXT).history().build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'tag' keeps history but has no primary key");
        assertThatThrownBy(() -> Resource.builder("comment").polymorphic("post_comments").primaryKey("id").history()
                .build()).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("a polymorphic resource cannot keep history");
        assertThatThrownBy(() -> new Codegen(project, blog(r -> r.attribute("period", TEXT, a -> a.column("sys_period"))
                .history()), Plugins.none(), Renames.none(), CLOCK).generate("create"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post' keeps history but has a column named 'sys_period'");
        String table = "t".repeat(52);
        assertThatThrownBy(() -> new Codegen(project, blog(r -> r.table(table).history()), Plugins.none(),
                Renames.none(), CLOCK).generate("create")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("the history view would be named '" + table + "_with_history'")
                .hasMessageContaining("set a table name of at most 50 bytes");
    }
}
