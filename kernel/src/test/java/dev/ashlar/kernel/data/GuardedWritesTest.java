package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.StaleRecordException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.isNil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writes of one record under a condition on its stored row, and bulk destroys that return what they deleted. */
class GuardedWritesTest extends BlogDatabaseTest {

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
    }

    @Test
    void anUpdateWithAGuardTheStoredRecordMeetsIsWritten() {
        Row draft = ashlar.create("post", Map.of("title", "draft", "rating", 1));

        Row published = ashlar.update(draft, Map.of("status", "PUBLISHED"), eq("status", "DRAFT"));

        assertThat(published.getString("status")).isEqualTo("PUBLISHED");
        assertThat(db.value("SELECT status::text FROM posts")).isEqualTo("PUBLISHED");
    }

    @Test
    void anUpdateWithAGuardTheStoredRecordNoLongerMeetsLeavesItAsItIsEvenWithNothingToChange() {
        Row read = ashlar.create("post", Map.of("title", "read", "rating", 1));
        db.execute("UPDATE posts SET status = 'PUBLISHED', rating = 5");

        assertThatThrownBy(() -> ashlar.update(read, Map.of("rating", 2), eq("status", "DRAFT")))
                .isInstanceOfSatisfying(StaleRecordException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.STALE_RECORD))
                .hasMessageContaining("Cannot update post {id=1}: it does not meet the condition the update was given");
        assertThatThrownBy(() -> ashlar.update(read, Map.of("rating", 1), eq("status", "DRAFT")))
                .as("no change, but the condition still decides").isInstanceOf(StaleRecordException.class);
        assertThat(db.value("SELECT rating FROM posts")).isEqualTo(5);
    }

    @Test
    void aGuardedWriteOfARecordThatIsGoneSaysItIsNotFound() {
        Row gone = ashlar.create("post", Map.of("title", "gone"));
        db.execute("DELETE FROM posts");

        assertThatThrownBy(() -> ashlar.update(gone, Map.of("rating", 2), isNil("rating")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ashlar.destroy(gone, isNil("rating"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aDestroyWithAGuardDeletesOnlyARecordThatMeetsIt() {
        Row low = ashlar.create("post", Map.of("title", "low", "rating", 1));
        Row high = ashlar.create("post", Map.of("title", "high", "rating", 5));

        ashlar.destroy(low, isNil("published_at"));
        assertThatThrownBy(() -> ashlar.destroy(high, gt("rating", 9)))
                .isInstanceOf(StaleRecordException.class).hasMessageContaining("Cannot destroy post {id=2}");

        assertThat(db.query("SELECT title FROM posts")).extracting(r -> r.get("title")).containsExactly("high");
    }

    @Test
    void destroyAllReturnsTheDeletedRecordsAsStoredOrTheirKeys() {
        ashlar.createAll("post", List.of(Map.of("title", "a", "rating", 1), Map.of("title", "b", "rating", 2),
                Map.of("title", "c", "rating", 3)));

        List<Row> rows = ashlar.read("post").where(gt("rating", 2)).destroyAll(Returning.ROWS);
        List<Row> keys = ashlar.read("post").where(eq("title", "a")).destroyAll(Returning.KEYS);
        List<Row> none = ashlar.read("post").where(eq("title", "z")).destroyAll(Returning.ROWS);

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.getString("title")).isEqualTo("c");
            assertThat(row.getInteger("rating")).isEqualTo(3);
            assertThat(row.get("inserted_at")).isNotNull();
        });
        assertThat(keys).singleElement().satisfies(row -> assertThat(row.toMap()).isEqualTo(Map.of("id", 1)));
        assertThat(none).isEmpty();
        assertThat(db.query("SELECT title FROM posts")).extracting(r -> r.get("title")).containsExactly("b");
    }
}
