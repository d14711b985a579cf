package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.lint.Rule;
import dev.ashlar.kernel.migrate.FileRunner;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;

/** Generated migrations bound their waits for locks and say which changes rewrite a table. */
class SafeDdlTest extends FreshSchemaTest {
    private static Domain posts(UnaryOperator<ResourceBuilder> post) {
        return Domain.builder("blog").resource(post.apply(Resource.builder("post").table("posts")).build()).build();
    }

    private Codegen codegen(Domain domain) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK);
    }

    private void migrate() {
        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).migrate();
    }

    /** The file behind each column's storage: a new one means PostgreSQL rewrote the table. */
    private Object relfilenode() {
        return db.value("SELECT relfilenode FROM pg_class WHERE oid = 'public.posts'::regclass");
    }

    @Test
    void everyGeneratedFileBoundsItsLockWaitsFiveSecondsUnlessToldOtherwise() throws IOException {
        Codegen.Result created = codegen(posts(p -> p.integerPrimaryKey("id"))).generate("create");
        Codegen.Result added = codegen(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT)))
                .lockTimeout(Duration.ofMillis(750)).generate("add_title");

        assertThat(Files.readString(created.files().get(0))).contains("-- lock-timeout: 5000ms\n");
        assertThat(MigrationFile.read(created.files().get(0)).lockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(MigrationFile.read(added.files().get(0)).lockTimeout()).isEqualTo(Duration.ofMillis(750));
        migrate();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts'")).isEqualTo(2L);
        assertThat(db.value("SHOW lock_timeout")).isEqualTo("0");
    }

    @Test
    void typeChangesThatRewriteTheTableAreMarkedAndThoseThatDoNotAreNot() throws IOException {
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("views", INTEGER).attribute("title", varchar(20))
                .attribute("body", varchar(100)).attribute("price", decimal(8, 2)))).generate("create");
        migrate();
        db.execute("INSERT INTO posts (views, title, body, price) VALUES (1, 'a', 'b', 1.50)");
        Object before = relfilenode();

        Codegen.Result widened = codegen(posts(p -> p.integerPrimaryKey("id").attribute("views", INTEGER)
                .attribute("title", varchar(50)).attribute("body", TEXT).attribute("price", decimal(12, 2))))
                .generate("widen");
        migrate();

        assertThat(widened.rewrites()).isEmpty();
        assertThat(Files.readString(widened.files().get(0))).doesNotContain("rewrites table");
        assertThat(relfilenode()).isEqualTo(before);

        Codegen.Result bigger = codegen(posts(p -> p.integerPrimaryKey("id").attribute("views", BIGINT)
                .attribute("title", varchar(50)).attribute("body", TEXT).attribute("price", decimal(12, 2))))
                .generate("bigint_views");
        migrate();

        String text = Files.readString(bigger.files().get(0));
        assertThat(bigger.rewrites()).containsExactly("changing public.posts.views from integer to bigint rewrites "
                + "every row while reads and writes wait");
        assertThat(text.indexOf("-- rewrites table: changing public.posts.views")).isLessThan(text.indexOf("-- migrate:up"));
        assertThat(text.substring(text.indexOf("-- migrate:up"))).contains("-- rewrites table: changing public.posts.views");
        assertThat(relfilenode()).isNotEqualTo(before);
        assertThat(db.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'views'")).containsExactly(Map.of("column_name", "views", "data_type", "bigint"));
        assertThat(db.value("SELECT views FROM posts")).isEqualTo(1L);
        assertThat(bigger.files()).hasSize(1);
    }

    @Test
    void twoColumnsMadeRequiredAreBothValidatedBeforeEitherTakesTheExclusiveLockOfSetNotNull() throws IOException {
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT).attribute("views", INTEGER)))
                .generate("create");
        migrate();
        db.execute("INSERT INTO posts (title, views) SELECT 'post-' || g, g FROM generate_series(1, 2000) g");

        Codegen.Result required = codegen(posts(p -> p.integerPrimaryKey("id").attribute("title", TEXT, a -> a.notNull())
                .attribute("views", INTEGER, a -> a.notNull()))).generate("require_title_and_views");
        String later = MigrationFile.read(required.files().get(1)).up();
        migrate();

        assertThat(later.lastIndexOf("VALIDATE CONSTRAINT")).isLessThan(later.indexOf("SET NOT NULL"));
        assertThat(later.split("VALIDATE CONSTRAINT", -1)).hasSize(3);
        assertThat(db.value("SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_attribute WHERE attrelid = "
                + "'public.posts'::regclass AND attnum > 0 AND attnotnull")).isEqualTo("id,title,views");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.posts'::regclass "
                + "AND contype = 'c'")).isEqualTo(0L);
    }

    @Test
    void aNullableColumnMadeAnIdentityIsValidatedBeforeTheExclusiveLockAndKeepsItsRowsThroughUpAndDown()
            throws IOException {
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("n", BIGINT))).generate("create");
        migrate();
        db.execute("INSERT INTO posts (n) SELECT g FROM generate_series(1, 2000) g");

        Codegen.Result made = codegen(posts(p -> p.integerPrimaryKey("id").attribute("n", BIGINT, a -> a.generated())))
                .generate("number_n");
        String up = made.files().stream().map(f -> MigrationFile.read(f).up()).reduce("", String::concat);
        migrate();

        assertThat(made.warnings()).noneMatch(w -> w.rule() == Rule.ADDING_NOT_NULLABLE_FIELD);
        assertThat(up.indexOf("NOT VALID")).isLessThan(up.indexOf("VALIDATE CONSTRAINT"));
        assertThat(up.indexOf("VALIDATE CONSTRAINT")).isLessThan(up.indexOf("SET NOT NULL"));
        assertThat(up.indexOf("SET NOT NULL")).isLessThan(up.indexOf("ADD GENERATED BY DEFAULT AS IDENTITY"));
        assertThat(db.value("SELECT attidentity::text FROM pg_attribute WHERE attrelid = 'public.posts'::regclass "
                + "AND attname = 'n'")).isEqualTo("d");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.posts'::regclass "
                + "AND contype = 'c'")).isEqualTo(0L);
        db.execute("INSERT INTO posts DEFAULT VALUES");
        assertThat(db.value("SELECT max(n) FROM posts")).isEqualTo(2001L);

        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).rollback(made.files().size());

        assertThat(db.value("SELECT attidentity::text || attnotnull FROM pg_attribute WHERE attrelid = "
                + "'public.posts'::regclass AND attname = 'n'")).isEqualTo("false");
        assertThat(db.value("SELECT count(DISTINCT n) FROM posts")).isEqualTo(2001L);
        db.execute("INSERT INTO posts (n) VALUES (NULL)");
    }

    @Test
    void anIdentityDroppedFromAPopulatedTableDropsItsIndexConcurrentlyAndRollbackBuildsItAgain() throws IOException {
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("slug", TEXT).identity("unique_slug", "slug")))
                .generate("create");
        migrate();
        db.execute("INSERT INTO posts (slug) SELECT 'post-' || g FROM generate_series(1, 2000) g");

        Codegen.Result dropped = codegen(posts(p -> p.integerPrimaryKey("id").attribute("slug", TEXT)))
                .generate("drop_unique_slug");
        MigrationFile file = MigrationFile.read(dropped.files().get(0));
        migrate();

        assertThat(dropped.files()).hasSize(1);
        assertThat(file.transactional()).isFalse();
        assertThat(file.up()).contains("DROP INDEX CONCURRENTLY IF EXISTS");
        assertThat(dropped.warnings()).noneMatch(w -> w.rule() == Rule.REQUIRE_CONCURRENT_INDEX_DELETION);
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE tablename = 'posts'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2000L);

        new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN)).rollback(1);

        assertThat(db.value("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE i.indrelid = 'public.posts'::regclass AND i.indisunique AND i.indisvalid "
                + "AND NOT i.indisprimary")).isEqualTo(1L);
    }

    @Test
    void writesGoOnWhileARemovedIndexWaitsForAnOpenTransactionToEnd() throws Exception {
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("slug", TEXT).identity("unique_slug", "slug")))
                .generate("create");
        migrate();
        db.execute("INSERT INTO posts (slug) SELECT 'post-' || g FROM generate_series(1, 2000) g");
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("slug", TEXT))).generate("drop_unique_slug");

        try (Connection open = db.dataSource().getConnection(); Connection writer = db.dataSource().getConnection()) {
            open.setAutoCommit(false);
            try (Statement statement = open.createStatement()) {
                statement.execute("INSERT INTO posts (slug) VALUES ('in an open transaction')");
            }
            CompletableFuture<Void> dropping = CompletableFuture.runAsync(this::migrate);
            awaitWaiting("DROP INDEX CONCURRENTLY");

            // A plain DROP INDEX would hold its place in the lock queue, and this insert would wait behind it.
            try (Statement statement = writer.createStatement()) {
                statement.execute("SET statement_timeout = '3s'");
                statement.execute("INSERT INTO posts (slug) VALUES ('written while the index goes')");
            }
            assertThat(dropping).isNotDone();
            open.commit();
            dropping.get(30, TimeUnit.SECONDS);
        }
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE tablename = 'posts'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2002L);
    }

    @Test
    void aWriterQueuedBehindAGeneratedAlterWaitsNoLongerThanTheLockTimeoutWhileTheFileIsRetried() throws Exception {
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("slug", TEXT))).generate("create");
        migrate();
        db.execute("INSERT INTO posts (slug) SELECT 'post-' || g FROM generate_series(1, 2000) g");
        codegen(posts(p -> p.integerPrimaryKey("id").attribute("slug", TEXT).attribute("body", TEXT)))
                .lockTimeout(Duration.ofMillis(200)).generate("add_body");
        List<String> progress = new CopyOnWriteArrayList<>();
        Migrator migrator = new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN))
                .retries(new FileRunner.Retries(20, Duration.ofMillis(100))).progress(progress::add);
        AtomicLong longestWrite = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);

        CompletableFuture<Void> writer;
        try (Connection report = db.dataSource().getConnection()) {
            // A long report holds ACCESS SHARE: the ALTER's ACCESS EXCLUSIVE waits, and every write queues behind it.
            report.setAutoCommit(false);
            try (Statement statement = report.createStatement()) {
                statement.execute("SELECT count(*) FROM posts");
            }
            writer = CompletableFuture.runAsync(() -> insertUntilStopped(writing, writes, longestWrite));
            CompletableFuture<List<MigrationFile>> migrating = CompletableFuture.supplyAsync(migrator::migrate);
            Thread.sleep(3_000);
            long writesWhileHeld = writes.get();
            assertThat(migrating).isNotDone();
            report.commit();
            assertThat(migrating.get(30, TimeUnit.SECONDS)).extracting(MigrationFile::name).containsExactly("add_body");
            assertThat(writesWhileHeld).isGreaterThan(10);
        }
        writing.set(false);
        writer.get(30, TimeUnit.SECONDS);

        // Without the lock timeout, a write would have waited the whole three seconds the report ran.
        assertThat(Duration.ofNanos(longestWrite.get())).isLessThan(Duration.ofMillis(1_500));
        assertThat(progress).anyMatch(line -> line.startsWith("lock timeout: ") && line.contains("add_body.sql")
                && line.contains("retry 1 of 20"));
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2000L + writes.get());
    }

    /** Inserts one row at a time until told to stop, counting the rows and keeping the longest wait. */
    private void insertUntilStopped(AtomicBoolean writing, AtomicLong writes, AtomicLong longest) {
        try (Connection writer = db.dataSource().getConnection(); Statement statement = writer.createStatement()) {
            while (writing.get()) {
                long start = System.nanoTime();
                statement.execute("INSERT INTO posts (slug) VALUES ('written during the migration')");
                longest.accumulateAndGet(System.nanoTime() - start, Math::max);
                writes.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a session other than the test's runs a statement containing {@code text} and waits. */
    private void awaitWaiting(String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if ((Long) db.value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE ? AND wait_event_type = 'Lock' "
                    + "AND pid <> pg_backend_pid()", "%" + text + "%") > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no session waited while running " + text);
    }
}
