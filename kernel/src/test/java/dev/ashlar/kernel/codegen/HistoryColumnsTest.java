package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.AttributeOptions;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.kernel.codegen.HistoryTablesTest.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The columns of a history table: one left out of it ({@code a -> a.historyExcluded()}, Ebean's {@code @HistoryExclude})
 * and later put back, a column whose type changes, and the trigger writing it for a role with no right on it.
 */
@ExtendWith(PostgresExtension.class)
class HistoryColumnsTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private static Domain blog(Consumer<AttributeOptions> body) {
        return Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("title", TEXT).attribute("body", TEXT, body).history().build()).build();
    }

    private List<Object> columns(String table) {
        return HistoryTablesTest.columns(db, table);
    }

    private static List<Object> bodies(Ashlar ashlar, Instant instant) {
        return ashlar.read("post").asOf(instant).sort(Sort.asc("id")).list().stream().map(r -> r.get("body")).toList();
    }

    @Test
    void anExcludedColumnIsNotKeptInTheHistoryAndReadsNullInPastVersionsOnly() throws InterruptedException {
        Domain domain = blog(a -> a.historyExcluded());
        HistoryTablesTest.migrate(project, db, domain, "create");
        assertThat(columns("posts_history")).containsExactly("id", "title", "sys_period");
        assertThat(columns("posts_with_history")).containsExactly("id", "title", "body", "sys_period");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            Row post = ashlar.create("post", Map.of("title", "first", "body", "a long body"));
            Instant created = pause();
            ashlar.update(post, Map.of("title", "second", "body", "a longer body"));

            assertThat(ashlar.read("post").asOf(created).list()).singleElement().satisfies(past -> {
                assertThat(past.get("title")).isEqualTo("first");
                assertThat(past.get("body")).as("not kept").isNull();
            });
            assertThat(bodies(ashlar, Instant.now())).containsExactly("a longer body");
            assertThat(ashlar.read("post").versionsBetween(Instant.EPOCH, Instant.now()).sort(Sort.asc("sys_period_start"))
                    .list()).extracting(v -> v.get("body")).containsExactly(null, "a longer body");
        }
    }

    @Test
    void excludingAColumnLaterKeepsThePastVersionsAndIncludingItAgainStartsItEmpty() throws InterruptedException {
        Domain kept = blog(a -> { });
        HistoryTablesTest.migrate(project, db, kept, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(kept).build()) {
            ashlar.create("post", Map.of("title", "one", "body", "first body"));
            ashlar.create("post", Map.of("title", "two", "body", "second body"));
            ashlar.read("post").updateAll(Map.of("body", "edited"));
        }
        Instant edited = pause();

        Domain excluded = blog(a -> a.historyExcluded());
        HistoryTablesTest.migrate(project, db, excluded, "exclude_body");
        assertThat(columns("posts_history")).containsExactly("id", "title", "sys_period");
        assertThat(db.value("SELECT count(*) FROM posts_history")).as("past versions kept").isEqualTo(2L);
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(excluded).build()) {
            ashlar.read("post").where(Filter.eq("title", "one")).updateAll(Map.of("title", "one, again"));
            assertThat(db.value("SELECT count(*) FROM posts_history")).as("the trigger follows").isEqualTo(3L);
            assertThat(bodies(ashlar, edited)).as("one's version then is past now").containsExactly(null, "edited");
        }
        Instant retitled = pause();

        HistoryTablesTest.migrate(project, db, kept, "include_body");
        assertThat(columns("posts_history")).containsExactly("id", "title", "sys_period", "body");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(kept).build()) {
            ashlar.read("post").where(Filter.eq("title", "two")).updateAll(Map.of("body", "third body"));
            assertThat(db.value("SELECT body FROM posts_history WHERE upper(sys_period) > ?",
                    java.sql.Timestamp.from(retitled))).as("kept again from now on").isEqualTo("edited");
            assertThat(db.value("SELECT count(*) FROM posts_history WHERE body IS NULL"))
                    .as("versions written while it was excluded stay without it").isEqualTo(3L);
        }
    }

    @Test
    void aColumnTypeChangedUnderHistoryChangesInTheHistoryTableKeepingPastValues() throws InterruptedException {
        Domain narrow = Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("views", INTEGER).attribute("title", TEXT, a -> a.migrationType("varchar(8)"))
                .history().build()).build();
        HistoryTablesTest.migrate(project, db, narrow, "create");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(narrow).build()) {
            ashlar.create("post", Map.of("views", 2_000_000_000, "title", "short"));
            ashlar.read("post").updateAll(Map.of("views", 2_000_000_001, "title", "shorter"));
        }
        Instant updated = pause();

        Domain wide = Domain.builder("blog").resource(Resource.builder("post").table("posts").primaryKey("id")
                .attribute("views", Type.BIGINT).attribute("title", TEXT, a -> a.migrationType("varchar(40)"))
                .history().build()).build();
        HistoryTablesTest.migrate(project, db, wide, "widen");

        assertThat(db.query("SELECT table_name, data_type, character_maximum_length FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND column_name IN ('views', 'title') ORDER BY 1, 2"))
                .extracting(r -> r.get("table_name") + " " + r.get("data_type") + " " + r.get("character_maximum_length"))
                .containsExactly("posts bigint null", "posts character varying 40",
                        "posts_history bigint null", "posts_history character varying 40",
                        "posts_with_history bigint null", "posts_with_history character varying 40");
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(wide).build()) {
            ashlar.read("post").updateAll(Map.of("views", 5_000_000_000L, "title", "a title longer than eight"));
            assertThat(ashlar.read("post").asOf(updated).list()).singleElement()
                    .satisfies(past -> assertThat(past.get("views")).isEqualTo(2_000_000_001L));
            assertThat(ashlar.read("post").versionsBetween(Instant.EPOCH, Instant.now()).sort(Sort.asc("sys_period_start"))
                    .list()).extracting(v -> v.get("views") + " " + v.get("title")).containsExactly(
                    "2000000000 short", "2000000001 shorter", "5000000000 a title longer than eight");
        }
    }

    @Test
    void aRoleWithNoRightOnTheHistoryTableUpdatesAndDeletesAndTheTriggerStillKeepsTheVersions() {
        Domain domain = blog(a -> { });
        HistoryTablesTest.migrate(project, db, domain, "create");
        db.execute("INSERT INTO posts (id, title, body) VALUES (1, 'one', 'b'), (2, 'two', 'b')");
        try (TestDatabase.Role writer = db.loginRole("history_writer")) {
            db.execute("GRANT SELECT, UPDATE, DELETE ON posts TO " + writer.name());
            db.execute("BEGIN; SET LOCAL ROLE history_writer; UPDATE posts SET title = 'one, edited' WHERE id = 1; "
                    + "DELETE FROM posts WHERE id = 2; COMMIT");

            assertThat(db.query("SELECT title FROM posts_history ORDER BY id")).extracting(r -> r.get("title"))
                    .containsExactly("one", "two");
            assertThat(db.value("SELECT has_table_privilege('history_writer', 'posts_history', 'INSERT')"))
                    .as("no right of its own on the history table").isEqualTo(false);
            assertThatThrownBy(() -> db.execute("BEGIN; SET LOCAL ROLE history_writer; "
                    + "INSERT INTO posts_history (id, title) VALUES (3, 'forged'); COMMIT"))
                    .hasMessageContaining("permission denied");
            assertThat(db.value("SELECT prosecdef AND proconfig = ARRAY['search_path=pg_catalog, pg_temp'] "
                    + "FROM pg_proc WHERE proname = 'posts_history_version'")).isEqualTo(true);
        }
    }

    @Test
    void aHistoryTriggerOfAnEarlierVersionIsMadeAgainAsItsOwnersOnAPopulatedTableKeepingEveryVersion()
            throws Exception {
        Domain domain = blog(a -> { });
        HistoryTablesTest.migrate(project, db, domain, "create");
        // As an earlier Ashlar left it: the function ran as its caller, whom anyone could be, and its snapshot said so.
        db.execute("ALTER FUNCTION posts_history_version() SECURITY INVOKER RESET search_path; "
                + "GRANT EXECUTE ON FUNCTION posts_history_version() TO PUBLIC");
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                String text = Files.readString(file);
                String earlier = text.replaceAll(",\\s*\"runs_as\"\\s*:\\s*\"owner\"", "")
                        .replaceAll("\"runs_as\"\\s*:\\s*\"owner\"\\s*,", "");
                Files.writeString(file, earlier);
            }
        }
        db.execute("INSERT INTO posts (id, title, body) VALUES (1, 'one', 'b'), (2, 'two', 'b')");
        db.execute("UPDATE posts SET title = 'one, edited' WHERE id = 1");

        HistoryTablesTest.migrate(project, db, domain, "upgrade");

        try (Stream<Path> files = Files.walk(project)) {
            String upgrade = files.filter(f -> f.getFileName().toString().contains("upgrade")
                    && f.toString().endsWith(".sql")).map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).collect(java.util.stream.Collectors.joining("\n"));
            assertThat(upgrade).contains("SECURITY DEFINER").doesNotContain("DROP TABLE").doesNotContain("DROP VIEW");
        }
        assertThat(db.value("SELECT prosecdef AND NOT has_function_privilege('public', 'posts_history_version()', "
                + "'EXECUTE') FROM pg_proc WHERE proname = 'posts_history_version'")).isEqualTo(true);
        db.execute("UPDATE posts SET title = 'two, edited' WHERE id = 2");
        assertThat(db.query("SELECT id, title FROM posts_history ORDER BY id")).extracting(r -> r.get("id") + " "
                + r.get("title")).containsExactly("1 one", "2 two");
        assertThat(db.query("SELECT title FROM posts ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("one, edited", "two, edited");
    }

    @Test
    void aRoleThatMayCreateTablesCannotHangTheOwnersTriggerFunctionOnItsOwnTableToForgePastVersions() {
        Domain domain = blog(a -> { });
        HistoryTablesTest.migrate(project, db, domain, "create");
        try (TestDatabase.Role forger = db.loginRole("history_forger")) {
            // The role may create tables in public (as every role may on PostgreSQL 13): a table of the history's
            // columns, with the owner's trigger function on it, would write its rows into posts_history as the owner.
            db.execute("BEGIN; SET LOCAL ROLE " + forger.name() + "; CREATE TABLE public.decoy (id integer, "
                    + "title text, body text, sys_period tstzrange); COMMIT");
            assertThatThrownBy(() -> db.execute("BEGIN; SET LOCAL ROLE " + forger.name() + "; CREATE TRIGGER forge "
                    + "BEFORE DELETE ON public.decoy FOR EACH ROW EXECUTE FUNCTION posts_history_version(); COMMIT"))
                    .as("the trigger function runs as its owner: no one else may call it")
                    .hasMessageContaining("permission denied for function posts_history_version");
            assertThat(db.value("SELECT has_function_privilege('history_forger', 'posts_history_version()', "
                    + "'EXECUTE')")).isEqualTo(false);
            assertThat(db.value("SELECT count(*) FROM posts_history")).isEqualTo(0L);
        }
    }

    @Test
    void anExclusionWithoutHistoryOrOnThePrimaryKeyIsRefusedNamingTheAttribute() {
        assertThatThrownBy(() -> Resource.builder("post").table("posts").primaryKey("id")
                .attribute("body", TEXT, a -> a.historyExcluded()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("attribute 'body' is excluded from history (a -> a.historyExcluded()) but "
                        + "resource 'post' keeps no history: add .history()");
        assertThatThrownBy(() -> Resource.builder("post").table("posts")
                .attribute("id", INTEGER, a -> a.primaryKey().historyExcluded()).history().build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("attribute 'id' is excluded from history").hasMessageContaining("primary key");
    }
}
