package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

    /** The sequence's value seen from another connection when the first row is handed over: the rows made so far. */
    private long madeByTheFirstFetch(java.util.function.ToLongFunction<Consumer<Row>> stream) {
        db.execute("DROP SEQUENCE IF EXISTS made; CREATE SEQUENCE made");
        long[] atFirstRow = {-1};
        long handed = stream.applyAsLong(row -> {
            if (atFirstRow[0] < 0) {
                atFirstRow[0] = ((Number) db.value("SELECT last_value FROM made")).longValue();
            }
        });
        assertThat(handed).isEqualTo(5_000L);
        return atFirstRow[0];
    }

    @Test
    void fetchSizeSetsHowManyRowsTheServerMakesAndSendsAtATime() {
        // nextval runs for each row the server makes: when the first row is handed over, it counts the first fetch.
        assertThat(madeByTheFirstFetch(each -> ashlar.read("post").compute("made", Long.class, "nextval('made')")
                .forEach(each))).isEqualTo(1_000L);
        assertThat(madeByTheFirstFetch(each -> ashlar.read("post").compute("made", Long.class, "nextval('made')")
                .fetchSize(10).forEach(each))).isEqualTo(10L);
        assertThat(madeByTheFirstFetch(each -> ashlar.read("post").fetchSize(3).where(gt("id", 0))
                .compute("made", Long.class, "nextval('made')").forEach(each))).isEqualTo(3L);
        assertThat(madeByTheFirstFetch(each -> ashlar.sql("SELECT nextval('made') FROM generate_series(1, 5000)")
                .fetchSize(7).forEach(each))).isEqualTo(7L);
        assertThat(madeByTheFirstFetch(each -> ashlar.transaction(tx -> ashlar.sql("SELECT nextval('made') FROM "
                + "generate_series(1, 5000)").fetchSize(20_000).forEach(each)))).isEqualTo(5_000L);
    }

    @Test
    void aFetchSizeBelowOneIsRefusedNamingTheResource() {
        assertThatThrownBy(() -> ashlar.read("post").fetchSize(0)).isInstanceOf(QueryException.class)
                .hasMessageContaining("fetchSize(0) on post").hasMessageContaining("1 or more");
        assertThatThrownBy(() -> ashlar.sql("SELECT 1").fetchSize(-5)).isInstanceOf(QueryException.class)
                .hasMessageContaining("fetchSize(-5)");
    }
}
