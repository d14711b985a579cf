package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.TaskBoard.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ashlar.kernel.data.TaskBoard.Task.PRIORITY;
import static dev.ashlar.kernel.data.TaskBoard.Task.TASKS;
import static dev.ashlar.kernel.data.TaskBoard.Task.TITLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Records each with values of its own written in one statement (Hibernate's batched updates of changed entities,
 * jOOQ's {@code batchUpdate}, Jdbi's {@code @SqlBatch}), by name and typed, in the handle's tenant and under the base
 * filter.
 */
class UpdateEachRecordTest extends DomainDatabaseTest {
    private int write;
    private int review;
    private int hidden;
    private int secret;

    UpdateEachRecordTest() {
        super(TaskBoard.DOMAIN, TaskBoard.tenancy());
    }

    @BeforeEach
    void tasks() {
        db.execute("TRUNCATE board_tasks");
        write = TaskBoard.task(ashlar, "acme", "write", 1);
        review = TaskBoard.task(ashlar, "acme", "review", 2);
        hidden = TaskBoard.task(ashlar, "acme", "hidden", 3);
        db.execute("UPDATE board_tasks SET deleted_at = now() WHERE id = " + hidden);
        secret = TaskBoard.task(ashlar, "globex", "secret", 9);
    }

    private static Map<String, Object> task(int id, String title, Integer priority) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", id);
        values.put("title", title);
        values.put("priority", priority);
        return values;
    }

    private Object stored(int id, String column) {
        return db.value("SELECT " + column + " FROM board_tasks WHERE id = " + id);
    }

    @Test
    void writesEachRecordsOwnValuesInOneStatementAndReturnsThemInTheOrderGiven() {
        List<Row> updated = ashlar.withTenant("acme").updateAll("task",
                List.of(task(review, "review twice", 20), task(write, "write it", null)));

        assertThat(updated).extracting(row -> row.get("id")).containsExactly(review, write);
        assertThat(updated).extracting(row -> row.get("title")).containsExactly("review twice", "write it");
        assertThat(stored(review, "title")).isEqualTo("review twice");
        assertThat(stored(review, "priority")).isEqualTo(20);
        assertThat(stored(write, "priority")).isNull();
    }

    @Test
    void writesTheGivenFieldsOfEachTypedRecordAndLeavesTheOthers() {
        List<Task> tasks = ashlar.withTenant("acme").read(TASKS).sort(TITLE.asc()).list();
        List<Task> edited = tasks.stream().map(t -> new Task(t.id(), t.title().toUpperCase(), 0, t.tenant(), null))
                .toList();

        List<Task> updated = ashlar.withTenant("acme").updateAll(TASKS, edited, TITLE);

        assertThat(updated).extracting(Task::title).containsExactly("REVIEW", "WRITE");
        assertThat(updated).extracting(Task::priority).containsExactly(2, 1);
        assertThat(stored(write, "title")).isEqualTo("WRITE");
        assertThat(ashlar.withTenant("acme").updateAll(TASKS, edited, TITLE, PRIORITY)).extracting(Task::priority)
                .containsExactly(0, 0);
    }

    @Test
    void aTenantsBatchNeverChangesNorReturnsAnotherTenantsRecord() {
        List<Row> updated = ashlar.withTenant("acme").updateAll("task",
                List.of(task(secret, "stolen", 0), task(write, "mine", 5)));

        assertThat(updated).extracting(row -> row.get("id")).containsExactly(write);
        assertThat(stored(secret, "title")).isEqualTo("secret");
        assertThat(stored(secret, "priority")).isEqualTo(9);
        assertThat(ashlar.withTenant("acme").updateAll(TASKS, List.of(new Task(secret, "stolen", 0, null, null)),
                TITLE)).isEmpty();
        assertThat(stored(secret, "title")).isEqualTo("secret");
    }

    @Test
    void writesARecordTheBaseFilterHidesAsEveryUpdateDoesSoASoftDeletedOneCanBeRestored() {
        Map<String, Object> restore = new HashMap<>();
        restore.put("id", hidden);
        restore.put("deleted_at", null);

        assertThat(ashlar.withTenant("acme").updateAll("task", List.of(restore))).hasSize(1);
        assertThat(stored(hidden, "deleted_at")).isNull();
        assertThat(ashlar.withTenant("acme").read("task").count()).isEqualTo(3);
    }

    @Test
    void aValueTheFieldCannotHoldIsRefusedNamingTheFieldAndNothingIsWritten() {
        Map<String, Object> bad = task(review, "ok", null);
        bad.put("priority", "high");

        assertThatThrownBy(() -> ashlar.withTenant("acme").updateAll("task", List.of(task(write, "changed", 1), bad)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("priority");
        assertThat(stored(write, "title")).isEqualTo("write");
    }

    @Test
    void recordsWithoutTheirKeyWithOtherFieldsOrTwiceAreRefusedNamingTheRecord() {
        Map<String, Object> keyless = new HashMap<>(Map.of("title", "x"));
        assertThatThrownBy(() -> ashlar.updateAll("task", List.of(keyless)))
                .isInstanceOf(QueryException.class).hasMessageContaining("task").hasMessageContaining("'id'")
                .hasMessageContaining("record 1");
        assertThatThrownBy(() -> ashlar.updateAll("task", List.of(task(write, "a", 1), Map.of("id", review, "title", "b"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("record 2").hasMessageContaining("priority");
        assertThatThrownBy(() -> ashlar.updateAll("task", List.of(task(write, "a", 1), task(write, "b", 2))))
                .isInstanceOf(QueryException.class).hasMessageContaining("records 1 and 2");
        assertThatThrownBy(() -> ashlar.withTenant("acme").updateAll("task", List.of(Map.of("id", write, "tenant", "globex"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("tenant");
        assertThat(stored(write, "tenant")).isEqualTo("acme");
        assertThat(ashlar.updateAll("task", List.of())).isEmpty();
    }

    @Test
    void oneStatementWritesAThousandVersionedRecordsAndAStaleOneWritesNone() {
        Fixtures.ashlar(db, Fixtures.BLOG).close();
        CountingDataSource counting = new CountingDataSource(db.dataSource());
        try (Ashlar versioned = Ashlar.builder().dataSource(counting).domain(Fixtures.BLOG)
                .optimisticLock("lock_version").build()) {
            List<Row> posts = versioned.createAll("post", IntStream.range(0, 1000)
                    .mapToObj(i -> Map.of("title", "p" + i)).toList());
            List<Map<String, Object>> edits = posts.stream().map(post -> Map.<String, Object>of("id", post.get("id"),
                    "title", post.get("title") + "!", "lock_version", post.get("lock_version"))).toList();
            counting.take();

            List<Row> updated = versioned.updateAll("post", edits);

            assertThat(counting.take()).filteredOn(sql -> sql.startsWith("UPDATE")).hasSize(1);
            assertThat(updated).hasSize(1000).extracting(row -> row.get("lock_version")).containsOnly(2);
            assertThat(db.value("SELECT count(*) FROM posts WHERE title LIKE 'p%!' AND lock_version = 2"))
                    .isEqualTo(1000L);

            assertThatThrownBy(() -> versioned.updateAll("post", edits)).isInstanceOf(StaleRecordException.class)
                    .hasMessageContaining("post");
            assertThat(db.value("SELECT count(*) FROM posts WHERE lock_version = 2")).isEqualTo(1000L);
        }
    }

    @Test
    void recordsWithAnArrayFieldAreWrittenEachByItsKeyInOneTransaction() {
        Fixtures.ashlar(db, Fixtures.BLOG).close();
        try (Ashlar blog = Fixtures.ashlar(db, Fixtures.BLOG)) {
            List<Row> posts = blog.createAll("post", List.of(Map.of("title", "a"), Map.of("title", "b")));

            List<Row> updated = blog.updateAll("post", List.of(
                    Map.of("id", posts.get(1).get("id"), "tags", List.of("b1", "b2")),
                    Map.of("id", -1, "tags", List.of("gone")),
                    Map.of("id", posts.get(0).get("id"), "tags", List.of("a1"))));

            assertThat(updated).extracting(row -> row.get("tags")).containsExactly(List.of("b1", "b2"), List.of("a1"));
            assertThat(db.value("SELECT array_to_string(tags, ',') FROM posts WHERE title = 'b'")).isEqualTo("b1,b2");
            assertThatThrownBy(() -> blog.updateAll("post", List.of(
                    Map.of("id", posts.get(0).get("id"), "tags", List.of("kept?")),
                    Map.of("id", posts.get(1).get("id"), "tags", "not a list"))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("tags");
            assertThat(db.value("SELECT array_to_string(tags, ',') FROM posts WHERE title = 'a'")).isEqualTo("a1");
        }
    }

    /** The blog's posts, migrated, through a handle that counts their versions in lock_version. */
    private Ashlar versionedBlog() {
        Fixtures.ashlar(db, Fixtures.BLOG).close();
        return Ashlar.builder().dataSource(db.dataSource()).domain(Fixtures.BLOG).optimisticLock("lock_version").build();
    }

    @Test
    void noRecordOfATenantsBatchMovesItsRowIntoAnotherTenant() {
        Map<String, Object> mine = task(write, "a", 1);
        mine.put("tenant", "acme");
        Map<String, Object> moved = task(review, "b", 2);
        moved.put("tenant", "globex");

        assertThatThrownBy(() -> ashlar.withTenant("acme").updateAll("task", List.of(mine, moved)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("tenant").hasMessageContaining("globex");
        assertThat(stored(review, "tenant")).isEqualTo("acme");
        assertThat(stored(review, "title")).isEqualTo("review");
        assertThat(stored(write, "title")).isEqualTo("write");
        assertThat(ashlar.withTenant("globex").read("task").count()).isEqualTo(1);
    }

    @Test
    void keysGivenAsAnotherNumberTypeMatchTheirRowsForOrderDuplicatesAndStaleRecords() {
        try (Ashlar versioned = versionedBlog()) {
            List<Row> posts = versioned.createAll("post", List.of(Map.of("title", "versioned a"),
                    Map.of("title", "versioned b")));
            long a = ((Number) posts.get(0).get("id")).longValue();
            long b = ((Number) posts.get(1).get("id")).longValue();

            List<Row> updated = versioned.updateAll("post", List.of(Map.of("id", b, "title", "b1"),
                    Map.of("id", a, "title", "a1")));
            assertThat(updated).extracting(row -> row.get("title")).containsExactly("b1", "a1");

            assertThatThrownBy(() -> versioned.updateAll("post", List.of(Map.of("id", a, "title", "x"),
                    Map.of("id", (int) a, "title", "y"))))
                    .isInstanceOf(QueryException.class).hasMessageContaining("records 1 and 2");

            db.execute("UPDATE posts SET lock_version = 5 WHERE id = " + b);
            assertThatThrownBy(() -> versioned.updateAll("post", List.of(
                    Map.of("id", a, "title", "a2", "lock_version", 2L),
                    Map.of("id", b, "title", "stale", "lock_version", 2L))))
                    .isInstanceOf(StaleRecordException.class).hasMessageContaining("post");
            assertThat(db.value("SELECT title FROM posts WHERE id = " + a)).isEqualTo("a1");
            assertThat(db.value("SELECT title FROM posts WHERE id = " + b)).isEqualTo("b1");
            db.execute("DELETE FROM posts WHERE id IN (" + a + ", " + b + ")");
        }
    }

    @Test
    void recordsWrittenOneByOneCheckAndCountUpTheirVersionsAndAStaleOneWritesNone() {
        try (Ashlar versioned = versionedBlog()) {
            List<Row> posts = versioned.createAll("post", List.of(Map.of("title", "versioned a"),
                    Map.of("title", "versioned b")));
            Object a = posts.get(0).get("id");
            Object b = posts.get(1).get("id");

            List<Row> updated = versioned.updateAll("post", List.of(
                    Map.of("id", a, "tags", List.of("a1"), "lock_version", 1),
                    Map.of("id", b, "tags", List.of("b1"), "lock_version", 1)));
            assertThat(updated).extracting(row -> row.get("lock_version")).containsExactly(2, 2);
            assertThat(db.value("SELECT count(*) FROM posts WHERE lock_version = 2 AND id IN (" + a + ", " + b
                    + ")")).isEqualTo(2L);

            assertThatThrownBy(() -> versioned.updateAll("post", List.of(
                    Map.of("id", a, "tags", List.of("a2"), "lock_version", 2),
                    Map.of("id", b, "tags", List.of("stale"), "lock_version", 1))))
                    .isInstanceOf(StaleRecordException.class).hasMessageContaining("post");
            assertThat(db.value("SELECT array_to_string(tags, ',') FROM posts WHERE id = " + a)).isEqualTo("a1");
            assertThat(db.value("SELECT array_to_string(tags, ',') FROM posts WHERE id = " + b)).isEqualTo("b1");
            assertThat(db.value("SELECT sum(lock_version) FROM posts WHERE id IN (" + a + ", " + b + ")"))
                    .isEqualTo(4L);
            db.execute("DELETE FROM posts WHERE id IN (" + a + ", " + b + ")");
        }
    }
}
