package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.data.Fixtures.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Record components of {@code Optional<T>} (Jdbi maps columns onto them): empty for a NULL, the value otherwise. */
class OptionalComponentsTest extends BlogDatabaseTest {

    record Post(Integer id, String title, Optional<String> body, Optional<Integer> rating, Optional<Status> status,
                Optional<Instant> publishedAt, Optional<List<String>> tags) {
    }

    record Tagged(Optional<UUID> id, Optional<String> title) {
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
    }

    @Test
    void aNullColumnReadsAsAnEmptyOptionalAndAValueAsThatValueInReadsLoadsAndStatementsByHand() {
        Instant at = Instant.parse("2026-03-04T05:06:07.123456Z");
        ashlar.create("post", Map.of("title", "full", "body", "text", "rating", 4, "status", "PUBLISHED",
                "published_at", at, "tags", List.of("java")));
        ashlar.create("post", Map.of("title", "bare"));

        Post full = new Post(1, "full", Optional.of("text"), Optional.of(4), Optional.of(Status.PUBLISHED),
                Optional.of(at), Optional.of(List.of("java")));
        Post bare = new Post(2, "bare", Optional.empty(), Optional.empty(), Optional.of(Status.DRAFT),
                Optional.empty(), Optional.empty());
        assertThat(ashlar.read("post").sort(dev.ashlar.api.query.Sort.asc("id")).list(Post.class))
                .containsExactly(full, bare);
        assertThat(ashlar.read("post").where(eq("title", "bare")).first().orElseThrow().as(Post.class)).isEqualTo(bare);
        assertThat(ashlar.sql("SELECT id, title, body, rating, status, published_at, tags FROM posts ORDER BY id")
                .list(Post.class)).containsExactly(full, bare);
        assertThat(ashlar.sql("SELECT NULL::uuid AS id, NULL::text AS title").list(Tagged.class))
                .containsExactly(new Tagged(Optional.empty(), Optional.empty()));
    }

    record Scored(Integer id, String title, OptionalInt rating, OptionalDouble score) {
        static final Table<Scored> POSTS = Table.of("post", Scored.class);
    }

    record Counted(OptionalLong total, OptionalInt most) {
    }

    @Test
    void primitiveOptionalsAreEmptyForANullAndHoldTheNumberOtherwiseInBothApis() {
        ashlar.create("post", Map.of("title", "full", "rating", 4, "score", 2.5));
        ashlar.create("post", Map.of("title", "bare"));

        Scored full = new Scored(1, "full", OptionalInt.of(4), OptionalDouble.of(2.5));
        Scored bare = new Scored(2, "bare", OptionalInt.empty(), OptionalDouble.empty());
        assertThat(ashlar.read("post").sort(dev.ashlar.api.query.Sort.asc("id")).list(Scored.class))
                .containsExactly(full, bare);
        assertThat(ashlar.sql("SELECT count(rating) AS total, max(rating) AS most FROM posts").one(Counted.class))
                .contains(new Counted(OptionalLong.of(1), OptionalInt.of(4)));
        assertThat(ashlar.sql("SELECT NULL::bigint AS total, NULL::int AS most").one(Counted.class))
                .contains(new Counted(OptionalLong.empty(), OptionalInt.empty()));

        Scored typed = ashlar.create(Scored.POSTS, new Scored(null, "typed", OptionalInt.of(3), OptionalDouble.empty()));
        assertThat(typed).isEqualTo(new Scored(3, "typed", OptionalInt.of(3), OptionalDouble.empty()));
        assertThat(ashlar.read(Scored.POSTS).list()).containsExactlyInAnyOrder(full, bare, typed);
        assertThat(db.query("SELECT rating, score FROM posts WHERE id = 3").get(0).values()).containsExactly(3, null);
    }

    @Test
    void primitiveOptionalsBindAsTheirNumberOrNullInStatementsByHand() {
        ashlar.create("post", Map.of("title", "rated", "rating", 4));

        assertThat(ashlar.sql("SELECT title FROM posts WHERE rating = ?", OptionalInt.of(4)).list())
                .extracting(row -> row.getString("title")).containsExactly("rated");
        assertThat(ashlar.sql("UPDATE posts SET rating = ?, score = ? WHERE title = 'rated'", OptionalInt.empty(),
                OptionalDouble.of(1.5)).execute()).isEqualTo(1);
        assertThat(db.query("SELECT rating, score FROM posts").get(0).values()).containsExactly(null, 1.5);
    }

    @Test
    void aNumberAnOptionalIntCannotHoldIsRefusedNamingTheComponent() {
        assertThatThrownBy(() -> ashlar.sql("SELECT 5000000000 AS total, 2.5 AS most").one(Counted.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("component 'most' (OptionalInt) cannot take the BigDecimal 2.5");
    }

    @Test
    void aValueThatCannotBeTheOptionalsElementIsRefusedNamingTheComponent() {
        assertThatThrownBy(() -> ashlar.sql("SELECT 'not a uuid' AS id, 'x' AS title").list(Tagged.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("component 'id'")
                .hasMessageContaining("Optional");
    }
}
