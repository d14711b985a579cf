package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AshPostgres's {@code update_test.exs}: "timestamps aren't updated if nothing changes", atomically or not, while an
 * update that changes a value touches them.
 */
class UpdateTimestampsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("update_timestamps")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("score", INTEGER)
                    .attribute("price", decimal(10, 2))
                    .attribute("status", Type.enumOf("draft", "published"))
                    .attribute("tags", Type.arrayOf(TEXT))
                    .attribute("stuff", Type.JSON)
                    .timestamps()
                    .build())
            .build();

    final UUID id = UUID.randomUUID();
    private Row post;

    UpdateTimestampsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void aPostWrittenAMinuteAgo() {
        db.execute("TRUNCATE posts");
        ashlar.create("post", Map.of("id", id, "title", "match", "score", 1, "price", new BigDecimal("2.50"),
                "status", "draft", "tags", List.of("a", "b"), "stuff", "{\"a\": 1}"));
        db.execute("UPDATE posts SET updated_at = now() - interval '1 minute'");
        post = ashlar.get("post", id);
    }

    private Instant updatedAt() {
        return ((java.sql.Timestamp) db.value("SELECT updated_at FROM posts WHERE id = ?", id)).toInstant();
    }

    @Test
    void anUpdateWritingTheStoredValuesLeavesTheUpdateTime() {
        Instant before = updatedAt();

        Row updated = ashlar.update(post, Map.of("title", "match", "price", new BigDecimal("2.5")));

        assertThat(updatedAt()).isEqualTo(before);
        assertThat(updated.get("updated_at")).isEqualTo(before);
        ashlar.read("post").where(eq("id", id)).updateAll(Map.of("score", Atomic.add(0)));
        assertThat(updatedAt()).isEqualTo(before);
    }

    @Test
    void anUpdateWritingTheStoredEnumListAndJsonLeavesTheUpdateTimeAndAChangedOneTouchesIt() {
        Instant before = updatedAt();

        ashlar.update(post, Map.of("status", "draft", "tags", List.of("a", "b"), "stuff", "{\"a\":1}"));
        assertThat(updatedAt()).isEqualTo(before);

        ashlar.update(post, Map.of("status", "published"));
        assertThat(updatedAt()).isAfter(before);
    }

    @Test
    void anUpdateChangingOneValueTouchesTheUpdateTime() {
        Instant before = updatedAt();

        ashlar.update(post, Map.of("title", "match", "score", 2));

        assertThat(updatedAt()).isAfter(before);
    }

    @Test
    void anAtomicChangeThatChangesTheValueTouchesTheUpdateTime() {
        Instant before = updatedAt();

        ashlar.read("post").where(eq("id", id)).updateAll(Map.of("score", Atomic.add(1)));

        assertThat(updatedAt()).isAfter(before);
        assertThat(db.value("SELECT score FROM posts WHERE id = ?", id)).isEqualTo(2);
    }

    @Test
    void anAtomicSqlExpressionRunsOnceAndTouchesTheUpdateTime() {
        db.execute("DROP SEQUENCE IF EXISTS score_seq; CREATE SEQUENCE score_seq START 5");
        Instant before = updatedAt();

        ashlar.read("post").where(eq("id", id)).updateAll(Map.of("score", Atomic.sql("nextval('score_seq')::int")));

        assertThat(db.value("SELECT score FROM posts WHERE id = ?", id)).isEqualTo(5);
        assertThat(db.value("SELECT last_value FROM score_seq")).as("nextval ran once").isEqualTo(5L);
        assertThat(updatedAt()).isAfter(before);
    }

    @Test
    void anUpdateSettingAStoredNullToAValueTouchesTheUpdateTime() {
        db.execute("UPDATE posts SET title = NULL");
        Instant before = updatedAt();

        ashlar.update(post, Map.of("title", "again"));

        assertThat(updatedAt()).isAfter(before);
    }
}
