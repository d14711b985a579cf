package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's bulk update and destroy test cases over records in hand (Ash's {@code bulk_update} and
 * {@code bulk_destroy} given a list of records rather than a query): each record is found by its key, in one statement.
 */
class RowsInHandBulkTest extends DomainDatabaseTest {
    record Post(Long id, String title, Integer score) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Long> ID = POSTS.bigintPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", Kind.TEXT);
        static final Field<Post, Integer> SCORE = POSTS.attribute("score", Kind.INTEGER);
    }

    static final Resource POST = Resource.builder("post").table("posts").primaryKey("id")
            .attribute("title", TEXT)
            .attribute("score", INTEGER)
            .build();
    static final Resource PERMALINK = Resource.builder("permalink").table("permalinks").primaryKey("id")
            .attribute("post_id", BIGINT)
            .build();
    /** A key of two columns of different types, as a join table's. */
    static final Resource SEAT = Resource.builder("seat").table("seats")
            .attribute("row_number", INTEGER, a -> a.primaryKey())
            .attribute("letter", TEXT, a -> a.primaryKey())
            .attribute("holder", TEXT)
            .build();
    static final Domain DOMAIN = Domain.builder("bulk").resources(POST, PERMALINK, SEAT).build();

    RowsInHandBulkTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts, permalinks, seats");
    }

    private List<String> titles() {
        return db.query("SELECT title FROM posts ORDER BY title").stream().map(r -> (String) r.get("title")).toList();
    }

    /**
     * AshPostgres's data_layer_metadata_test: each record a bulk update returns says which input it answers (Ash's
     * {@code bulk_update_index}); here its position does, since the records come back in the order given.
     */
    @Test
    void anUpdateOfRecordsInHandReturnsThemInTheOrderGiven() {
        List<Row> created = ashlar.createAll("post", List.of(Map.of("title", "a", "score", 1),
                Map.of("title", "b", "score", 2), Map.of("title", "c", "score", 3), Map.of("title", "d", "score", 4)));
        // Updated rows move in the heap, so a later statement meets them in another order than they were written.
        ashlar.updateAll(List.of(created.get(0), created.get(2)), Map.of("score", Atomic.add(10)));
        List<Row> given = List.of(created.get(3), created.get(0), created.get(2), created.get(1));

        List<Row> updated = ashlar.updateAll(given, Map.of("title", Atomic.sql("title || ?", "!")));

        assertThat(updated).extracting(r -> r.get("id")).containsExactlyElementsOf(given.stream()
                .map(r -> r.get("id")).toList());
        assertThat(updated).extracting(r -> r.getString("title")).containsExactly("d!", "a!", "c!", "b!");
        List<Post> typed = ashlar.updateAll(Post.POSTS, List.of(given.get(2).as(Post.class),
                given.get(0).as(Post.class)), Post.TITLE.set("t"));
        assertThat(typed).extracting(Post::id).containsExactly((Long) given.get(2).get("id"),
                (Long) given.get(0).get("id"));
    }

    @Test
    void anUpdateOfRecordsInHandChangesEachOfThemAndNoOther() {
        List<Row> posts = ashlar.createAll("post", List.of(Map.of("title", "fred"), Map.of("title", "george")));
        ashlar.create("post", Map.of("title", "ron"));

        List<Row> updated = ashlar.updateAll(posts, Map.of("title", Atomic.sql("title || ?", "_stuff")));

        assertThat(updated).extracting(r -> r.getString("title")).containsExactlyInAnyOrder("fred_stuff",
                "george_stuff");
        assertThat(titles()).containsExactly("fred_stuff", "george_stuff", "ron");
    }

    @Test
    void aDestroyOfRecordsInHandDeletesEachOfThemAndNoOther() {
        ashlar.createAll("post", List.of(Map.of("title", "fred"), Map.of("title", "george")));
        List<Row> read = ashlar.read("post").list();
        ashlar.create("post", Map.of("title", "ron"));

        int destroyed = ashlar.destroyAll(read);

        assertThat(destroyed).isEqualTo(2);
        assertThat(titles()).containsExactly("ron");
    }

    @Test
    void aDestroyOfRecordsInHandThatBreaksAConstraintFailsAndDeletesNone() {
        db.execute("ALTER TABLE permalinks DROP CONSTRAINT IF EXISTS permalinks_post_fkey; ALTER TABLE permalinks "
                + "ADD CONSTRAINT permalinks_post_fkey FOREIGN KEY (post_id) REFERENCES posts (id)");
        try {
            List<Row> posts = ashlar.createAll("post", List.of(Map.of("title", "fred"), Map.of("title", "free")));
            ashlar.create("permalink", Map.of("post_id", posts.get(1).get("id")));

            assertThatThrownBy(() -> ashlar.destroyAll(posts)).isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("still referenced");
            assertThat(titles()).containsExactly("fred", "free");
        } finally {
            db.execute("ALTER TABLE permalinks DROP CONSTRAINT permalinks_post_fkey");
        }
    }

    @Test
    void rowsOnlyOfKeysAreFoundByTheirKeys() {
        List<Row> keys = ashlar.createAll("post", List.of(Map.of("title", "a", "score", 1), Map.of("title", "b")),
                Returning.KEYS);

        ashlar.updateAll(keys, Map.of("score", Atomic.add(10)));

        assertThat(db.query("SELECT title, score FROM posts ORDER BY title"))
                .extracting(r -> r.get("title") + ":" + r.get("score")).containsExactly("a:11", "b:10");
    }

    @Test
    void recordsInHandWithAKeyOfTwoColumnsAreFoundByBothEvenPastTheBindLimitOfOneStatement() {
        List<Map<String, Object>> seats = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            seats.add(Map.of("row_number", i / 2, "letter", i % 2 == 0 ? "A" : "B", "holder", "seat " + i));
        }
        List<Row> stored = ashlar.createAll("seat", seats);
        ashlar.create("seat", Map.of("row_number", 0, "letter", "C", "holder", "kept"));
        ashlar.create("seat", Map.of("row_number", 20_000, "letter", "A", "holder", "kept"));

        List<Row> updated = ashlar.updateAll(stored, Map.of("holder", "sold"));
        int destroyed = ashlar.destroyAll(stored.subList(0, 30_000));

        assertThat(updated).hasSize(40_000).allSatisfy(row -> assertThat(row.getString("holder")).isEqualTo("sold"));
        assertThat(destroyed).isEqualTo(30_000);
        assertThat(db.query("SELECT holder, count(*) AS n FROM seats GROUP BY holder ORDER BY holder"))
                .extracting(r -> r.get("holder") + ":" + r.get("n")).containsExactly("kept:2", "sold:10000");
    }

    @Test
    void noRecordsInHandRunNoStatement() {
        ashlar.create("post", Map.of("title", "fred"));

        assertThat(ashlar.updateAll(List.of(), Map.of("title", "x"))).isEmpty();
        assertThat(ashlar.destroyAll(List.of())).isZero();
        assertThat(titles()).containsExactly("fred");
    }

    @Test
    void recordsOfTwoResourcesAreRefused() {
        Row post = ashlar.create("post", Map.of("title", "fred"));
        Row link = ashlar.create("permalink", Map.of("post_id", post.get("id")));

        assertThatThrownBy(() -> ashlar.destroyAll(List.of(post, link))).isInstanceOf(QueryException.class)
                .hasMessageContaining("post").hasMessageContaining("permalink");
        assertThat(titles()).containsExactly("fred");
    }

    @Test
    void recordsInHandOfOneTenantChangeThatTenantsRowsOnly() {
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".posts (LIKE public.posts "
                    + "INCLUDING ALL); INSERT INTO " + tenant + ".posts (title) VALUES ('" + tenant + "')");
        }
        try (Ashlar scoped = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("post"))) {
            List<Row> ofA = scoped.withTenant("t_a").read("post").list();
            List<Row> ofB = scoped.withTenant("t_b").read("post").list();

            scoped.updateAll(ofA, Map.of("title", "changed"));
            assertThatThrownBy(() -> scoped.destroyAll(List.of(ofA.get(0), ofB.get(0))))
                    .isInstanceOf(QueryException.class).hasMessageContaining("tenant");
            assertThatThrownBy(() -> scoped.withTenant("t_a").destroyAll(ofB))
                    .isInstanceOf(QueryException.class).hasMessageContaining("t_b");
        }

        assertThat(db.value("SELECT title FROM t_a.posts")).isEqualTo("changed");
        assertThat(db.value("SELECT title FROM t_b.posts")).isEqualTo("t_b");
        assertThat(ashlar.read("post").where(eq("title", "changed")).exists()).isFalse();
    }

    @Test
    void typedRecordsInHandAreUpdatedAndDestroyedByTheirKeys() {
        List<Post> posts = ashlar.createAll(Post.POSTS, List.of(new Post(null, "fred", 1),
                new Post(null, "george", 2)));
        ashlar.create(Post.POSTS, new Post(null, "ron", 3));

        List<Post> updated = ashlar.updateAll(Post.POSTS, posts, Post.SCORE.add(10));
        int destroyed = ashlar.destroyAll(Post.POSTS, List.of(updated.get(0)));

        assertThat(updated).extracting(Post::score).containsExactlyInAnyOrder(11, 12);
        assertThat(destroyed).isEqualTo(1);
        assertThat(db.query("SELECT title, score FROM posts ORDER BY title"))
                .extracting(r -> r.get("title") + ":" + r.get("score")).hasSize(2).contains("ron:3");
    }
}
