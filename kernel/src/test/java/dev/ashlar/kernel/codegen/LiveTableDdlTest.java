package dev.ashlar.kernel.codegen;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.lint.Finding;
import dev.ashlar.kernel.lint.Linter;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The changes that used to stop writes on a table with rows (a primary key rebuilt, a column added with a volatile
 * default) are generated in forms that let a writer go on, applied to a populated table while one writes.
 */
class LiveTableDdlTest extends FreshSchemaTest {
    private static final int ROWS = 5_000;

    private static Domain posts(UnaryOperator<ResourceBuilder> post) {
        return Domain.builder("blog").resource(post.apply(Resource.builder("post").table("posts")).build()).build();
    }

    private Codegen.Result generate(Domain domain, String name) {
        return new Codegen(project, domain, Plugins.none(), Renames.none(), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    private Object relfilenode() {
        return db.value("SELECT relfilenode FROM pg_class WHERE oid = 'public.posts'::regclass");
    }

    private List<Finding> lint() {
        return Linter.of(ProjectLayout.of(project)).lintProject().findings();
    }

    private static String up(Codegen.Result result) {
        return String.join("\n", result.files().stream().map(f -> MigrationFile.read(f).up()).toList());
    }

    @Test
    void aColumnAddedWithAVolatileDefaultIsFilledInBatchesWithoutRewritingTheTableWhileAWriterGoesOn()
            throws Exception {
        generate(posts(p -> p.primaryKey("id").attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title) SELECT 'post-' || g FROM generate_series(1, " + ROWS + ") g");
        Object before = relfilenode();

        Codegen.Result added = generate(posts(p -> p.primaryKey("id").attribute("title", TEXT)
                .attribute("token", UUID, a -> a.notNull().defaultSql("gen_random_uuid()"))), "add_token");
        Writer writer = Writer.start(db.dataSource()::getConnection, "INSERT INTO posts (title) VALUES ('written ' || ?)");
        migrator().migrate();
        long written = writer.stop();

        assertThat(added.rewrites()).isEmpty();
        assertThat(added.warnings()).isEmpty();
        assertThat(lint()).isEmpty();
        assertThat(up(added)).contains("ADD COLUMN \"token\" uuid;", "SET DEFAULT gen_random_uuid();",
                "SET \"token\" = DEFAULT", "COMMIT;", "SET NOT NULL;");
        assertThat(relfilenode()).isEqualTo(before);
        assertThat(written).isGreaterThan(0);
        assertThat(db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.posts'::regclass "
                + "AND attname = 'token'")).isEqualTo(true);
        assertThat(db.value("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = "
                + "'public.posts'::regclass AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = "
                + "'public.posts'::regclass AND attname = 'token')")).isEqualTo("gen_random_uuid()");
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.posts'::regclass "
                + "AND contype = 'c'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(ROWS + written);
        assertThat(db.value("SELECT count(DISTINCT token) FROM posts")).isEqualTo(ROWS + written);
        assertThat(db.value("SELECT count(*) FROM posts WHERE title LIKE 'post-%'")).isEqualTo((long) ROWS);

        migrator().rollback(added.files().size());

        assertThat(db.value("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.posts'::regclass "
                + "AND attname = 'token' AND NOT attisdropped")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(ROWS + written);
    }

    @Test
    void aChangedPrimaryKeyIsBuiltConcurrentlyAndSwappedInWhileAWriterGoesOnAndRollbackSwapsTheOldOneBack()
            throws Exception {
        generate(posts(p -> p.primaryKey("id").attribute("code", BIGINT).attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (code, title) SELECT g, 'post-' || g FROM generate_series(1, " + ROWS + ") g");
        Object before = relfilenode();

        Codegen.Result rekeyed = generate(posts(p -> p.attribute("id", BIGINT, a -> a.generated())
                .attribute("code", BIGINT, a -> a.primaryKey()).attribute("title", TEXT)), "key_by_code");
        Writer writer = Writer.start(db.dataSource()::getConnection,
                "INSERT INTO posts (code, title) VALUES (-?, 'written')");
        migrator().migrate();
        long written = writer.stop();

        String up = up(rekeyed);
        assertThat(up).contains("CREATE UNIQUE INDEX CONCURRENTLY \"posts_pkey_next\" ON \"public\".\"posts\" (\"code\");",
                "ALTER TABLE \"public\".\"posts\" DROP CONSTRAINT \"posts_pkey\", ADD CONSTRAINT \"posts_pkey\" "
                        + "PRIMARY KEY USING INDEX \"posts_pkey_next\";").doesNotContain("PRIMARY KEY (");
        assertThat(up.indexOf("VALIDATE CONSTRAINT")).isLessThan(up.indexOf("PRIMARY KEY USING INDEX"));
        assertThat(rekeyed.files().stream().map(MigrationFile::read).filter(f -> !f.transactional())).hasSize(2);
        assertThat(rekeyed.warnings()).isEmpty();
        assertThat(lint()).isEmpty();
        assertThat(written).isGreaterThan(0);
        assertThat(relfilenode()).isEqualTo(before);
        assertThat(primaryKey()).isEqualTo("code");
        assertThat(db.value("SELECT string_agg(c.relname || ':' || i.indisvalid, ',') FROM pg_index i JOIN pg_class c "
                + "ON c.oid = i.indexrelid WHERE i.indrelid = 'public.posts'::regclass")).isEqualTo("posts_pkey:true");
        assertThat(db.value("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.posts'::regclass "
                + "AND attname = 'code'")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.posts'::regclass "
                + "AND contype = 'c'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(ROWS + written);
        assertThat(db.value("SELECT count(*) FROM posts WHERE code = id")).isEqualTo((long) ROWS);

        migrator().rollback(rekeyed.files().size());

        assertThat(primaryKey()).isEqualTo("id");
        assertThat(db.value("SELECT string_agg(c.relname || ':' || i.indisvalid, ',') FROM pg_index i JOIN pg_class c "
                + "ON c.oid = i.indexrelid WHERE i.indrelid = 'public.posts'::regclass")).isEqualTo("posts_pkey:true");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(ROWS + written);
        assertThat(relfilenode()).isEqualTo(before);
    }

    @Test
    void aRollbackKilledWhileBuildingTheOldKeysIndexBuildsItAgainWhenRunAgain() throws Exception {
        generate(posts(p -> p.primaryKey("id").attribute("code", BIGINT).attribute("title", TEXT)), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (code, title) SELECT g, 'post-' || g FROM generate_series(1, " + ROWS + ") g");
        Codegen.Result rekeyed = generate(posts(p -> p.attribute("id", BIGINT, a -> a.generated())
                .attribute("code", BIGINT, a -> a.primaryKey()).attribute("title", TEXT)), "key_by_code");
        migrator().migrate();
        // What a rollback killed during its concurrent build of the old key's index leaves: an invalid index of the
        // name it builds (a build that fails leaves one too, which the runner drops at once).
        try (Connection connection = db.dataSource().getConnection()) {
            connection.createStatement().execute("CREATE UNIQUE INDEX CONCURRENTLY posts_pkey_next ON posts ((1))");
        } catch (SQLException expected) {
            assertThat(expected.getSQLState()).isEqualTo("23505");
        }
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.posts_pkey_next'::regclass"))
                .isEqualTo(false);

        migrator().rollback(rekeyed.files().size());

        assertThat(primaryKey()).isEqualTo("id");
        assertThat(db.value("SELECT string_agg(c.relname || ':' || pg_get_indexdef(i.indexrelid) || ':' "
                + "|| i.indisvalid, ',') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = "
                + "'public.posts'::regclass")).isEqualTo("posts_pkey:CREATE UNIQUE INDEX posts_pkey ON public.posts "
                + "USING btree (id):true");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo((long) ROWS);
    }

    @Test
    void anIdentityWhoseFieldsChangeIsBuiltConcurrentlyBeforeTheOldIndexIsDroppedAndTakesItsName() throws Exception {
        generate(posts(p -> p.primaryKey("id").attribute("title", TEXT).attribute("lang", TEXT)
                .identity("unique_title", "title")), "create");
        migrator().migrate();
        db.execute("INSERT INTO posts (title, lang) SELECT 'post-' || g, 'en' FROM generate_series(1, " + ROWS + ") g");
        Object before = relfilenode();
        Object oldIndex = db.value("SELECT 'public.posts_unique_title_index'::regclass::oid");

        Codegen.Result widened = generate(posts(p -> p.primaryKey("id").attribute("title", TEXT).attribute("lang", TEXT)
                .identity("unique_title", "title", "lang")), "unique_title_per_lang");
        Writer writer = Writer.start(db.dataSource()::getConnection,
                "INSERT INTO posts (title, lang) VALUES ('written-' || ?, 'de')");
        migrator().migrate();
        long written = writer.stop();

        String up = up(widened);
        int built = up.indexOf("CREATE UNIQUE INDEX CONCURRENTLY \"posts_unique_title_index_next\"");
        int dropped = up.indexOf("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"posts_unique_title_index\"");
        int renamed = up.indexOf("ALTER INDEX \"public\".\"posts_unique_title_index_next\" RENAME TO "
                + "\"posts_unique_title_index\";");
        assertThat(built).isNotNegative().isLessThan(dropped);
        assertThat(dropped).isLessThan(renamed);
        assertThat(widened.warnings()).isEmpty();
        assertThat(lint()).isEmpty();
        assertThat(relfilenode()).isEqualTo(before);
        assertThat(db.value("SELECT string_agg(c.relname || ':' || pg_get_indexdef(i.indexrelid) || ':' || i.indisvalid, "
                + "',') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'public.posts'::regclass "
                + "AND NOT i.indisprimary")).isEqualTo("posts_unique_title_index:CREATE UNIQUE INDEX "
                + "posts_unique_title_index ON public.posts USING btree (title, lang):true");
        assertThat(db.value("SELECT 'public.posts_unique_title_index'::regclass::oid")).isNotEqualTo(oldIndex);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(ROWS + written);
        db.execute("INSERT INTO posts (title, lang) VALUES ('post-1', 'fr')");

        db.execute("DELETE FROM posts WHERE lang = 'fr'");
        migrator().rollback(widened.files().size());

        assertThat(db.value("SELECT string_agg(c.relname || ':' || pg_get_indexdef(i.indexrelid) || ':' || i.indisvalid, "
                + "',') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'public.posts'::regclass "
                + "AND NOT i.indisprimary")).isEqualTo("posts_unique_title_index:CREATE UNIQUE INDEX "
                + "posts_unique_title_index ON public.posts USING btree (title):true");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(ROWS + written);
    }

    /** The columns of the primary key of posts, as pg_constraint has them. */
    private Object primaryKey() {
        return db.value("SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_constraint c, unnest(c.conkey) "
                + "WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attnum = k.attnum WHERE c.conrelid = "
                + "'public.posts'::regclass AND a.attrelid = c.conrelid AND c.contype = 'p'");
    }

    /** Inserts a row and updates another, over and over, on a connection of its own, until stopped. */
    static final class Writer {
        interface Source {
            Connection get() throws SQLException;
        }

        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final AtomicLong inserted = new AtomicLong();
        private final CompletableFuture<Void> running;

        private Writer(Source source, String insertSql) {
            running = CompletableFuture.runAsync(() -> write(source, insertSql));
        }

        /** @param insertSql an insert taking the row's number, e.g. {@code INSERT INTO posts (title) VALUES (?)} */
        static Writer start(Source source, String insertSql) throws InterruptedException {
            Writer writer = new Writer(source, insertSql);
            while (writer.inserted.get() == 0 && !writer.running.isDone()) {
                Thread.sleep(5);
            }
            return writer;
        }

        private void write(Source source, String insertSql) {
            try (Connection connection = source.get();
                 PreparedStatement insert = connection.prepareStatement(insertSql);
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE posts SET title = title || '!' WHERE id = ?")) {
                while (writing.get()) {
                    insert.setLong(1, inserted.get() + 1);
                    insert.executeUpdate();
                    inserted.incrementAndGet();
                    update.setLong(1, 1 + ThreadLocalRandom.current().nextInt(ROWS));
                    update.executeUpdate();
                    Thread.sleep(2);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("the writer failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops writing; returns how many rows were inserted, or throws what failed a write. */
        long stop() throws Exception {
            writing.set(false);
            running.get(30, TimeUnit.SECONDS);
            return inserted.get();
        }
    }
}
