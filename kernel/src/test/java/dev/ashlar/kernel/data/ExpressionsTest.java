package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.query.Filter.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Work the server does from stored values: atomic additions, and fields compared with fields. */
class ExpressionsTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY");
    }

    @Test
    void concurrentAtomicAdditionsLoseNoneOfOneAnother() throws Exception {
        Row post = ashlar.create("post", Map.of("title", "counted"));
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 50; i++) {
                    ashlar.updateAll(Query.of("post").withFilter(eq("id", post.get("id"))),
                            Map.of("rating", Atomic.add(1)));
                }
            }));
        }
        for (CompletableFuture<Void> writer : writers) {
            writer.get();
        }

        assertThat(db.value("SELECT rating FROM posts")).as("a stored NULL counts as 0").isEqualTo(200);
        Row updated = ashlar.update(ashlar.get("post", post.get("id")), Map.of("rating", Atomic.subtract(50),
                "score", Atomic.add(0.5)));
        assertThat(updated.getInteger("rating")).isEqualTo(150);
        assertThat(updated.get("score")).isEqualTo(0.5);
    }

    @Test
    void anUpdateThatWaitedOnAConcurrentWriterComputesFromItsCommittedValue() throws Exception {
        Row post = ashlar.create("post", Map.of("title", "raced", "rating", 0));
        ashlar.create("author", Map.of("email", "a@example.com"));
        List<Supplier<Object>> updates = List.of(
                () -> ashlar.update(post, Map.of("rating", Atomic.add(1))),
                () -> ashlar.read("post").where(eq("id", post.get("id"))).sort(Sort.asc("id"))
                        .limit(1).updateAll(Map.of("rating", Atomic.add(1))),
                () -> ashlar.read("post").where(eq("id", post.get("id"))).distinct("title")
                        .sort(Sort.desc("rating")).updateCount(Map.of("rating", Atomic.add(1))),
                () -> ashlar.read("post").where(eq("id", post.get("id"))).updateAll(Map.of("rating",
                        Atomic.sql("rating + (SELECT count(*) FROM authors)::int"))));
        int expected = 0;
        for (Supplier<Object> update : updates) {
            CountDownLatch written = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> ashlar.transaction(tx -> {
                tx.update(tx.get("post", post.get("id")), Map.of("rating", Atomic.add(1)));
                written.countDown();
                try {
                    return commit.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }));
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Object> second = CompletableFuture.supplyAsync(update);
            Thread.sleep(300);
            assertThat(second).as("the second update waits on the first writer's row lock").isNotDone();
            commit.countDown();
            first.get();
            second.get();
            expected += 2;
            assertThat(db.value("SELECT rating FROM posts")).as("neither write is lost").isEqualTo(expected);
        }
    }

    @Test
    void anAtomicChangeOfAnAttributeThatIsNoNumberIsRefused() {
        Row post = ashlar.create("post", Map.of("title", "words"));

        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", Atomic.add(1))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("title is not a number");
        assertThatThrownBy(() -> ashlar.update(post, Map.of("rating", Atomic.add(3_000_000_000L))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("out of range for integer");
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("words");
    }

    @Test
    void anUpdateComputedInSqlFromTheStoredRowAppliesToEveryMatchingRow() {
        ashlar.createAll("post", List.of(Map.of("title", "a", "tags", List.of("x"), "rating", 2),
                Map.of("title", "b", "rating", 5)));

        List<Row> updated = ashlar.read("post").where(gt("rating", 1)).updateAll(Map.of(
                "title", Atomic.sql("title || ?", "_stuff"),
                "tags", Atomic.sql("array_append(coalesce(tags, '{}'), ?::text)", "java"),
                "score", Atomic.sql("rating * ?", 1.5),
                "published_at", Atomic.sql("timestamptz '2026-01-01 00:00:00+00' + rating * interval '1 day'")));

        assertThat(updated).extracting(r -> r.getString("title")).containsExactlyInAnyOrder("a_stuff", "b_stuff");
        assertThat(db.query("SELECT title, array_to_string(tags, ',') AS tags, score, "
                + "to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM posts ORDER BY id"))
                .extracting(r -> r.get("title") + " " + r.get("tags") + " " + r.get("score") + " " + r.get("day"))
                .containsExactly("a_stuff x,java 3.0 2026-01-03", "b_stuff java 7.5 2026-01-06");
        Row one = ashlar.update(ashlar.get("post", updated.get(0).get("id")),
                Map.of("title", Atomic.sql("upper(title)")));
        assertThat(one.getString("title")).isEqualTo(updated.get(0).getString("title").toUpperCase());
    }

    @Test
    void anUpdateInSqlWhoseValuesDoNotMatchItsMarksIsRefusedBeforeItRuns() {
        assertThatThrownBy(() -> Atomic.sql("title || ? || ?", "one"))
                .isInstanceOf(QueryException.class).hasMessageContaining("has 2 ? mark(s) and 1 value(s)");
        Row post = ashlar.create("post", Map.of("title", "short"));

        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", Atomic.sql("title || ?", "far too long a title"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("title too long for type character varying(20)")
                .hasMessageNotContaining("value value");
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("short");
    }

    @Test
    void sqlThatComputesAValueOfAnotherTypeThanItsAttributeIsRefusedNamingTheFieldAndTheCast() {
        Row post = ashlar.create("post", Map.of("title", "typed", "rating", 1));

        assertThatThrownBy(() -> ashlar.update(post, Map.of("rating", Atomic.sql("now()"))))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.field()).contains("rating");
                    assertThat(e.sqlState()).contains("42804");
                    assertThat(e.getMessage()).contains("post", "rating", "integer",
                            "timestamp with time zone", "::integer");
                });
        assertThatThrownBy(() -> ashlar.read("post").updateCount(Map.of("published_at", Atomic.sql("rating"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("published_at"));
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "new", "score", Atomic.sql("now()"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("score"));
        assertThatThrownBy(() -> ashlar.upsert("post", List.of(Map.of("id", post.get("id"), "title", "again")),
                Upsert.onPrimaryKey().set("rating", Atomic.sql("title"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("rating"));
        assertThat(db.query("SELECT title, rating FROM posts")).extracting(r -> r.get("title") + " " + r.get("rating"))
                .containsExactly("typed 1");
    }

    @Test
    void sqlOfAChangeThatNamesWhatTheServerLacksIsRefusedNamingTheFieldWhoseSqlItIs() {
        Row post = ashlar.create("post", Map.of("title", "named", "rating", 1));

        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", "renamed", "rating", Atomic.sql("ratin + 1"))))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.field()).contains("rating");
                    assertThat(e.sqlState()).contains("42703");
                    assertThat(e.getMessage()).contains("post", "rating", "ratin + 1", "column \"ratin\" does not exist");
                });
        assertThatThrownBy(() -> ashlar.read("post").updateCount(Map.of("title", Atomic.sql("no_such_function(title)"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("title"));
        assertThatThrownBy(() -> ashlar.read("post").updateAll(Map.of("rating", Atomic.sql("rating * ?", "2"))))
                .as("a String bound where the SQL wants a number").isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.field()).contains("rating");
                    assertThat(e.getMessage()).contains("operator does not exist: integer * character varying",
                            "?::integer");
                });
        assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "new",
                "rating", Atomic.sql("(SELECT count(*) FROM no_such_table)"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("rating"));
        assertThatThrownBy(() -> ashlar.upsert("post", List.of(Map.of("id", post.get("id"), "title", "again")),
                Upsert.onPrimaryKey().set("rating", Atomic.sql("rating + missing"))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).contains("rating"));
        assertThatThrownBy(() -> ashlar.read("post").where(sql("ratin > 0")).updateAll(Map.of("rating",
                Atomic.sql("rating + 1")))).as("SQL of the filter, not of a change, is not blamed on a field")
                .satisfies(e -> assertThat(((AshlarException) e).field()).isEmpty());
        assertThat(db.query("SELECT title, rating FROM posts")).extracting(r -> r.get("title") + " " + r.get("rating"))
                .containsExactly("named 1");
    }

    @Test
    void aQuestionMarkInAStringCommentOrQuotedNameIsTextAndTwoAreOneOfTheJsonbOperators() {
        ashlar.createAll("post", List.of(Map.of("title", "?", "rating", 3), Map.of("title", "why?", "rating", 1),
                Map.of("title", "x", "rating", 4)));

        assertThat(titles(sql("title <> '?' AND rating > ?", 2))).containsExactly("x");
        assertThat(titles(sql("title LIKE '%?' /* a ? /* nested ? */ */ AND \"rating\" < ? -- why?\n", 5)))
                .containsExactly("?", "why?");
        assertThat(titles(sql("title IN (E'\\'?', $$?$$, $tag$why?$tag$) AND rating >= ?", 1)))
                .containsExactly("?", "why?");
        Row updated = ashlar.update(ashlar.read("post").where(eq("title", "x")).one().orElseThrow(),
                Map.of("title", Atomic.sql("title || '?' || ?", "!")));
        assertThat(updated.getString("title")).isEqualTo("x?!");

        db.execute("TRUNCATE scalar_sample");
        ashlar.create("scalar_sample", Map.of("doc", Map.of("key", 1), "txt", "with key"));
        ashlar.create("scalar_sample", Map.of("doc", Map.of("other", 1), "txt", "without"));
        assertThat(ashlar.read("scalar_sample").where(sql("doc ?? ?", "key")).list())
                .extracting(row -> row.getString("txt")).containsExactly("with key");
        assertThat(ashlar.read("scalar_sample").where(sql("doc ??| array[?::text, 'nope']", "other")).count())
                .isEqualTo(1);
        assertThatThrownBy(() -> sql("title = '?' AND rating = ?")).hasMessageContaining("has 1 ? mark(s) and 0");
    }

    private List<String> titles(dev.ashlar.api.query.Filter filter) {
        return ashlar.read("post").where(filter).sort(Sort.asc("id")).list().stream()
                .map(row -> row.getString("title")).toList();
    }

    @Test
    void aFieldIsComparedWithAnotherFieldOfTheSameRecord() {
        ashlar.create("post", Map.of("title", "above", "rating", 5, "lock_version", 2));
        ashlar.create("post", Map.of("title", "below", "rating", 1, "lock_version", 3));
        ashlar.create("post", Map.of("title", "no rating", "lock_version", 1));

        assertThat(ashlar.read("post").where(gt("rating", ref("lock_version"))).list())
                .extracting(r -> r.getString("title")).containsExactly("above");
        assertThat(ashlar.read("post").where(gt("rating", 0)).count()).as("the same shape with a value still binds it")
                .isEqualTo(2);
        assertThatThrownBy(() -> ashlar.read("post").where(gt("rating", ref("no_such_field"))).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("no_such_field");
    }

    @Test
    void aConditionWrittenInSqlBindsItsValuesInOrder() {
        ashlar.create("post", Map.of("title", "Hello", "rating", 3));
        ashlar.create("post", Map.of("title", "World", "rating", 8));

        assertThat(ashlar.read("post").where(sql("lower(title) = ?", "hello")).list())
                .extracting(r -> r.getString("title")).containsExactly("Hello");
        assertThat(ashlar.read("post").where(dev.ashlar.api.query.Filter.and(sql("rating BETWEEN ? AND ?", 5, 10),
                gt("rating", 0))).count()).isEqualTo(1);
        assertThat(ashlar.read("post").where(sql("lower(title) = ?", "x' OR '1'='1")).count())
                .as("a value is bound, never written into the text").isZero();
        assertThatThrownBy(() -> sql("rating BETWEEN ? AND ?", 5)).isInstanceOf(QueryException.class)
                .hasMessageContaining("has 2 ? mark(s) and 1 value(s)");
        assertThatThrownBy(() -> ashlar.read("post").where(sql("rating = ?", new Object())).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("bind text, numbers");
    }
}
