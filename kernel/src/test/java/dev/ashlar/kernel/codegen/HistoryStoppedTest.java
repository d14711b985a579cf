package dev.ashlar.kernel.codegen;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code historyStopped()}: history turned off while its table, past versions, period column and view stay, on a
 * table of rows; {@code history()} again records into the kept table.
 */
@ExtendWith(PostgresExtension.class)
class HistoryStoppedTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain blog(boolean stopped) {
        ResourceBuilder post = Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT);
        return Domain.builder("blog").resource((stopped ? post.historyStopped() : post.history()).build()).build();
    }

    private Object historyRows() {
        return db.value("SELECT count(*) FROM posts_history");
    }

    private Object trigger() {
        return db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'posts_history_version'");
    }

    private String newestMigration() {
        try (Stream<Path> files = Files.walk(project)) {
            Path newest = files.filter(f -> f.toString().endsWith(".sql"))
                    .max(Comparator.comparing(f -> f.getFileName().toString())).orElseThrow();
            return Files.readString(newest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void stoppingHistoryDropsOnlyTheTriggerKeepingTheHistoryTableItsVersionsThePeriodAndTheView() throws Exception {
        HistoryTablesTest.migrate(project, db, blog(false), "create");
        db.execute("INSERT INTO posts (title) VALUES ('first'), ('second')");
        db.execute("UPDATE posts SET title = title || ', edited'");
        Instant edited = HistoryTablesTest.pause();
        db.execute("DELETE FROM posts WHERE title = 'second, edited'");
        Object table = db.value("SELECT 'public.posts_history'::regclass::oid");
        assertThat(historyRows()).isEqualTo(3L);

        HistoryTablesTest.migrate(project, db, blog(true), "stop_history");

        String migration = newestMigration();
        assertThat(migration).contains("DROP TRIGGER").doesNotContain("DROP TABLE").doesNotContain("DROP VIEW")
                .doesNotContain("DROP COLUMN").doesNotContain("destructive");
        assertThat(trigger()).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'posts_history_version'")).isEqualTo(0L);
        assertThat(db.value("SELECT 'public.posts_history'::regclass::oid")).isEqualTo(table);
        assertThat(historyRows()).as("no past version lost").isEqualTo(3L);
        assertThat(HistoryTablesTest.columns(db, "posts")).containsExactly("id", "title", "sys_period");
        assertThat(db.value("SELECT count(*) FROM posts_with_history")).isEqualTo(4L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);

        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(blog(true)).build()) {
            assertThat(ashlar.read("post").asOf(edited).list()).extracting(r -> r.get("title"))
                    .as("past versions still read through the kept view")
                    .containsExactlyInAnyOrder("first, edited", "second, edited");
        }
        db.execute("UPDATE posts SET title = 'unrecorded'");
        db.execute("DELETE FROM posts");
        assertThat(historyRows()).as("nothing recorded while stopped").isEqualTo(3L);
    }

    @Test
    void turningHistoryBackOnReusesTheKeptTableAndRecordsAgain() {
        HistoryTablesTest.migrate(project, db, blog(false), "create");
        db.execute("INSERT INTO posts (title) VALUES ('first')");
        db.execute("UPDATE posts SET title = 'first, edited'");
        Object table = db.value("SELECT 'public.posts_history'::regclass::oid");
        HistoryTablesTest.migrate(project, db, blog(true), "stop_history");
        db.execute("UPDATE posts SET title = 'while stopped'");

        HistoryTablesTest.migrate(project, db, blog(false), "resume_history");

        assertThat(newestMigration()).contains("CREATE TRIGGER").doesNotContain("CREATE TABLE");
        assertThat(trigger()).isEqualTo(1L);
        assertThat(db.value("SELECT 'public.posts_history'::regclass::oid")).as("the kept table, not a new one")
                .isEqualTo(table);
        assertThat(historyRows()).isEqualTo(1L);
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(blog(false)).build()) {
            ashlar.updateAll(ashlar.read("post").where(Filter.eq("title", "while stopped")).list(),
                    Map.of("title", "recorded"));
        }
        assertThat(db.query("SELECT title FROM posts_history ORDER BY upper(sys_period)"))
                .extracting(r -> r.get("title")).containsExactly("first", "while stopped");
    }

    @Test
    void ofHistoryStoppedAndHistoryOnOneBuilderTheLastCallWins() {
        ResourceBuilder post = Resource.builder("post").table("posts").primaryKey("id").attribute("title", TEXT);
        Domain resumed = Domain.builder("blog").resource(post.historyStopped().history().build()).build();
        assertThat(resumed.resource("post").tableOptions().historyStopped()).isFalse();
        assertThat(Resource.builder("post").table("posts").primaryKey("id").history().historyStopped().build()
                .tableOptions().historyStopped()).isTrue();

        HistoryTablesTest.migrate(project, db, resumed, "create");
        db.execute("INSERT INTO posts (title) VALUES ('first')");
        db.execute("UPDATE posts SET title = 'first, edited'");

        assertThat(trigger()).isEqualTo(1L);
        assertThat(historyRows()).as("history() after historyStopped() records").isEqualTo(1L);
    }
}
