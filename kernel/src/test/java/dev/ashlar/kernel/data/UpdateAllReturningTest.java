package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.TypedBlog.Post;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static org.assertj.core.api.Assertions.assertThat;

/** A bulk update that returns the updated rows, or only their keys, as destroyAll does. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpdateAllReturningTest {
    private TestDatabase db;
    private CountingDataSource counting;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        Fixtures.ashlar(db, TypedBlog.DOMAIN).close();
        counting = new CountingDataSource(db.dataSource());
        ashlar = Ashlar.builder().dataSource(counting).domain(TypedBlog.DOMAIN).build();
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void seed() {
        db.execute("TRUNCATE post_tags, tags, comments, posts, users RESTART IDENTITY");
        db.execute("INSERT INTO posts (title, rating) VALUES ('a', 1), ('b', 2), ('c', 3)");
        counting.take();
    }

    @Test
    void updateAllWithKeysUpdatesTheRowsAndReturnsOnlyTheirKeys() {
        List<Row> keys = ashlar.read("post").where(gt("rating", 1)).updateAll(Map.of("title", "x"), Returning.KEYS);

        assertThat(keys).extracting(Row::toMap).containsExactlyInAnyOrder(Map.of("id", 2), Map.of("id", 3));
        assertThat(counting.take()).singleElement().satisfies(sql -> assertThat(sql).startsWith("UPDATE ")
                .endsWith(" RETURNING \"id\""));
        assertThat(db.query("SELECT title FROM posts ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("a", "x", "x");
    }

    @Test
    void updateAllWithRowsReturnsEveryFieldOfTheUpdatedRows() {
        List<Row> rows = ashlar.read("post").where(eq("title", "a")).updateAll(Map.of("rating", 9), Returning.ROWS);

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.getInteger("id")).isEqualTo(1);
            assertThat(row.getInteger("rating")).isEqualTo(9);
            assertThat(row.getString("status")).isEqualTo("DRAFT");
        });
        assertThat(db.value("SELECT rating FROM posts WHERE title = 'a'")).isEqualTo(9);
    }

    @Test
    void aTypedUpdateAllWithKeysReturnsRecordsHoldingOnlyTheirKeys() {
        List<Post> keys = ashlar.read(Post.POSTS).where(Post.RATING.lt(3))
                .updateAll(Returning.KEYS, Post.RATING.set(0), Post.TITLE.set("zero"));
        List<Post> rows = ashlar.read(Post.POSTS).where(Post.ID.eq(3)).updateAll(Returning.ROWS, Post.RATING.add(1));

        assertThat(keys).containsExactlyInAnyOrder(new Post(1, null, null, null, null, null, null, null),
                new Post(2, null, null, null, null, null, null, null));
        assertThat(rows).extracting(Post::title, Post::rating).containsExactly(org.assertj.core.groups.Tuple.tuple(
                "c", 4));
        assertThat(db.query("SELECT title, rating FROM posts ORDER BY id")).extracting(r -> r.get("title") + " "
                + r.get("rating")).containsExactly("zero 0", "zero 0", "c 4");
    }

    @Test
    void aTypedDestroyAllWithKeysReturnsRecordsHoldingOnlyTheirKeys() {
        List<Post> keys = ashlar.read(Post.POSTS).where(Post.TITLE.eq("a")).destroyAll(Returning.KEYS);

        assertThat(keys).containsExactly(new Post(1, null, null, null, null, null, null, null));
        assertThat(db.query("SELECT title FROM posts ORDER BY id")).extracting(r -> r.get("title"))
                .containsExactly("b", "c");
    }

    @Test
    void updateAllWithKeysThatChangesNothingStillReturnsOnlyTheKeys() {
        List<Row> keys = ashlar.read("post").where(eq("title", "b")).updateAll(Map.of(), Returning.KEYS);

        assertThat(keys).extracting(Row::toMap).containsExactly(Map.of("id", 2));
    }
}
