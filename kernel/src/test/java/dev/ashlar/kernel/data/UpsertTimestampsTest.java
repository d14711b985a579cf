package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's upsert test cases: an upsert that overwrites a record keeps its insert time and touches its update time,
 * one that keeps the stored record touches neither, and a field with a default takes the value the upsert brings.
 */
class UpsertTimestampsTest extends DomainDatabaseTest {
    static final Resource POST = Resource.builder("post").table("posts").uuidPrimaryKey("id")
            .attribute("title", TEXT)
            .attribute("decimal", decimal(10, 2), a -> a.defaultSql("0"))
            .timestamps()
            .build();
    static final Domain DOMAIN = Domain.builder("upserts").resources(POST).build();

    final UUID id = UUID.randomUUID();

    UpsertTimestampsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void aPostWrittenAMinuteAgo() {
        db.execute("TRUNCATE posts");
        ashlar.create("post", Map.of("id", id, "title", "title"));
        db.execute("UPDATE posts SET inserted_at = now() - interval '1 minute', updated_at = now() - interval '1 minute'");
    }

    private Instant stored(String column) {
        return ((java.sql.Timestamp) db.value("SELECT " + column + " FROM posts WHERE id = ?", id)).toInstant();
    }

    @Test
    void anUpsertThatOverwritesKeepsTheInsertTimeAndTouchesTheUpdateTime() {
        Instant inserted = stored("inserted_at");
        Instant updated = stored("updated_at");

        Row upserted = ashlar.upsert("post", Map.of("id", id, "title", "title2"), Upsert.onPrimaryKey());

        assertThat(upserted.get("inserted_at")).isEqualTo(inserted);
        assertThat((Instant) upserted.get("updated_at")).isAfter(updated);
        assertThat(stored("updated_at")).isEqualTo(upserted.get("updated_at"));
        assertThat(stored("inserted_at")).isEqualTo(inserted);
    }

    @Test
    void anUpsertOfChosenFieldsTouchesTheUpdateTimeToo() {
        Instant updated = stored("updated_at");

        ashlar.upsert("post", Map.of("id", id, "title", "title2"), Upsert.onPrimaryKey().update("title"));

        assertThat(stored("updated_at")).isAfter(updated);
        assertThat(db.value("SELECT title FROM posts WHERE id = ?", id)).isEqualTo("title2");
    }

    @Test
    void anUpsertThatKeepsTheStoredRecordTouchesNothingAndReturnsIt() {
        Instant updated = stored("updated_at");

        Row kept = ashlar.upsert("post", Map.of("id", id, "title", "title2"),
                Upsert.onPrimaryKey().doNothing().returnSkipped());

        assertThat(kept.get("id")).isEqualTo(id);
        assertThat(kept.get("title")).isEqualTo("title");
        assertThat(kept.get("updated_at")).isEqualTo(updated);
        assertThat(stored("updated_at")).isEqualTo(updated);
    }

    @Test
    void anUpsertThatKeepsUpdateTimesOverwritesTheRecordButNotItsUpdateTime() {
        Instant updated = stored("updated_at");

        Row upserted = ashlar.upsert("post", Map.of("id", id, "title", "title2"),
                Upsert.onPrimaryKey().keepUpdateTimes());

        assertThat(upserted.get("title")).isEqualTo("title2");
        assertThat(upserted.get("updated_at")).isEqualTo(updated);
        assertThat(db.value("SELECT title FROM posts WHERE id = ?", id)).isEqualTo("title2");
        assertThat(stored("updated_at")).isEqualTo(updated);
    }

    @Test
    void aListUpsertOfChosenFieldsThatKeepsUpdateTimesLeavesEveryUpdateTime() {
        UUID other = UUID.randomUUID();
        ashlar.create("post", Map.of("id", other, "title", "other"));
        db.execute("UPDATE posts SET updated_at = now() - interval '1 minute'");
        Instant updated = stored("updated_at");

        ashlar.upsert("post", List.of(Map.of("id", id, "title", "a", "decimal", 7),
                Map.of("id", other, "title", "b", "decimal", 8)), Upsert.onPrimaryKey().update("decimal")
                .keepUpdateTimes());

        assertThat(db.query("SELECT title, decimal::int AS d, updated_at = ? AS kept FROM posts ORDER BY d",
                java.sql.Timestamp.from(updated)))
                .extracting(r -> r.get("title") + ":" + r.get("d") + ":" + r.get("kept"))
                .containsExactly("title:7:true", "other:8:true");
    }

    @Test
    void anUpsertThatKeepsUpdateTimesStillWritesAnUpdateTimeItGives() {
        Instant given = Instant.parse("2020-01-02T03:04:05Z");

        ashlar.upsert("post", Map.of("id", id, "title", "title2", "updated_at", given),
                Upsert.onPrimaryKey().keepUpdateTimes());

        assertThat(stored("updated_at")).isEqualTo(given);
    }

    @Test
    void anUpsertGivingAFieldWithADefaultSetsItToTheNewValue() {
        Row upserted = ashlar.upsert("post", Map.of("id", id, "title", "title2", "decimal", new BigDecimal("5")),
                Upsert.onPrimaryKey());

        assertThat((BigDecimal) upserted.get("decimal")).isEqualByComparingTo("5");
        assertThat((BigDecimal) db.value("SELECT decimal FROM posts WHERE id = ?", id)).isEqualByComparingTo("5");
    }
    record Post(UUID id, String title) {
        static final dev.ashlar.api.typed.Table<Post> POSTS = dev.ashlar.api.typed.Table.of("post", Post.class);
    }

    @Test
    void anUpsertNamingNoFieldToOverwriteIsRefusedRatherThanOverwritingEveryField() {
        assertThatThrownBy(() -> ashlar.upsert("post", Map.of("id", id, "title", "title2"),
                Upsert.onPrimaryKey().update(new String[0])))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("update() names no field")
                .hasMessageContaining("doNothing().returnSkipped()");
        assertThatThrownBy(() -> Post.POSTS.primaryKey().update())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("update() names no field")
                .hasMessageContaining("doNothing().returnSkipped()");

        assertThat(db.value("SELECT title FROM posts WHERE id = ?", id)).isEqualTo("title");
    }
}
