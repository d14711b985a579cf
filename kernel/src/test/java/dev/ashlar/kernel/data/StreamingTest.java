package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.gt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rows handed over one at a time through a cursor, never all in memory. */
class StreamingTest extends BlogDatabaseTest {

    @BeforeEach
    void manyPosts() {
        db.execute("TRUNCATE posts, authors RESTART IDENTITY; INSERT INTO posts (title, rating) "
                + "SELECT 'p' || g, g % 10 FROM generate_series(1, 5000) g");
    }

    @Test
    void everyRowIsHandedOverInOrderWhileTheReadingTransactionStaysOpen() {
        List<Integer> ids = new ArrayList<>();
        int[] portals = {0};

        long seen = ashlar.read("post").where(gt("rating", 4)).sort(dev.ashlar.api.query.Sort.asc("id"))
                .forEach(row -> {
                    ids.add(row.getInteger("id"));
                    if (ids.size() == 2_500) {
                        // The cursor is still open: the server holds the rest, not the client.
                        portals[0] = ((Number) db.value("SELECT count(*) FROM pg_stat_activity WHERE state = "
                                + "'idle in transaction'")).intValue();
                    }
                });

        assertThat(seen).isEqualTo(2_500);
        assertThat(ids).hasSize(2_500).isSorted();
        assertThat(portals[0]).as("the reading transaction was open while rows were handed over").isPositive();
    }

    @Test
    void rowsComeAsRecordsAndALoadIsRefusedNamingWhatToDo() {
        record Title(String title) {
        }
        List<String> titles = new ArrayList<>();
        ashlar.read("post").where(gt("rating", 8)).limit(3).sort(dev.ashlar.api.query.Sort.asc("id"))
                .forEach(Title.class, t -> titles.add(t.title()));

        assertThat(titles).containsExactly("p9", "p19", "p29");
        assertThatThrownBy(() -> ashlar.read("post").load("author").forEach(row -> { }))
                .isInstanceOf(QueryException.class).hasMessageContaining("ashlar.load(rows, ...)");
        long inTransaction = ashlar.transaction(tx -> tx.read("post").forEach(row -> { }));
        assertThat(inTransaction).isEqualTo(5_000L);
        assertThat(ashlar.create("post", Map.of("title", "after")).getString("title")).isEqualTo("after");
    }
}
