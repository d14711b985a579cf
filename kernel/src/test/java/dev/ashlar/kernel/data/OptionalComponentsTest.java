package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.data.Fixtures.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void aValueThatCannotBeTheOptionalsElementIsRefusedNamingTheComponent() {
        assertThatThrownBy(() -> ashlar.sql("SELECT 'not a uuid' AS id, 'x' AS title").list(Tagged.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("component 'id'")
                .hasMessageContaining("Optional");
    }
}
