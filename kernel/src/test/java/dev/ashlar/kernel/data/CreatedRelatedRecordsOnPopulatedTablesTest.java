package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code createAll} of records with related records created level by level, into tables already holding many rows
 * whose parent keys have no index: the records returned with their related records are read back by the keys just
 * created, so a write's cost does not grow with the tables (it read the whole {@code lines} and {@code details} tables
 * once per call, by {@code order_id = ANY(...)}). The rows read are counted by PostgreSQL's own statistics of the
 * transaction ({@code pg_stat_xact_user_tables}), not by a clock.
 */
class CreatedRelatedRecordsOnPopulatedTablesTest extends DomainDatabaseTest {
    private static final int STORED = 40_000;
    /** Past the five executions after which PostgreSQL may keep a prepared statement's generic plan. */
    private static final int CALLS = 8;

    CreatedRelatedRecordsOnPopulatedTablesTest() {
        super(BulkManagedRelationshipsTest.DOMAIN);
    }

    @BeforeEach
    void populated() {
        BulkManagedRelationshipsTest.populate(db);
        db.execute("INSERT INTO lines (sku, order_id, position) SELECT 'stored-' || n, 1, n FROM generate_series(2, "
                + STORED + ") n");
        db.execute("INSERT INTO details (qty, line_id) SELECT n, 2 FROM generate_series(1, " + STORED + ") n");
        db.execute("ANALYZE lines");
        db.execute("ANALYZE details");
    }

    private static List<Map<String, Object>> orders(int call) {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 100; o++) {
            List<Map<String, Object>> lines = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                lines.add(Map.of("sku", call + "-" + o + "-" + l, "details", List.of(Map.of("qty", l))));
            }
            orders.add(Map.of("number", "C" + call + "-" + o, "lines", lines));
        }
        return orders;
    }

    /** The rows of lines and details read by sequential scans in this transaction so far. */
    private static long scanned(Ashlar tx) {
        return tx.sql("SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_xact_user_tables "
                + "WHERE relname IN ('lines', 'details')").value(Long.class);
    }

    /** Runs the write {@link #CALLS} times in one transaction; returns the rows scanned and the last call's orders. */
    private Map.Entry<Long, List<Row>> written(Function<Ashlar, Function<List<Map<String, Object>>, List<Row>>> write) {
        return ashlar.transaction(tx -> {
            long before = scanned(tx);
            List<Row> last = List.of();
            for (int call = 0; call < CALLS; call++) {
                last = write.apply(tx).apply(orders(call));
            }
            return Map.entry(scanned(tx) - before, last);
        });
    }

    @Test
    void createAllReadsTheCreatedLinesAndDetailsBackByKeyAndScansNoneOfTheStoredOnes() {
        Map.Entry<Long, List<Row>> written = written(tx -> orders -> tx.createAll("order", orders,
                BulkManagedRelationshipsTest.LINES, BulkManagedRelationshipsTest.DETAILS));

        assertThat(written.getKey()).as("rows of lines and details read by sequential scans in %d calls", CALLS)
                .isLessThan(STORED);
        assertThat(written.getValue()).hasSize(100);
        assertThat(written.getValue().get(99).related("lines")).extracting(line -> line.get("sku") + ":"
                + line.related("details").get(0).get("qty")).containsExactly("7-99-0:0", "7-99-1:1", "7-99-2:2");
        assertThat(db.value("SELECT count(*) FROM lines")).isEqualTo((long) STORED + 1 + CALLS * 300);
    }

    @Test
    void aBulkCreateAllReadsTheCreatedLinesBackByKeyAndScansNoneOfTheStoredOnes() {
        Map.Entry<Long, List<Row>> written = written(tx -> orders -> tx.createAll("order", orders,
                Bulk.collectErrors().batchSize(50), BulkManagedRelationshipsTest.LINES,
                BulkManagedRelationshipsTest.DETAILS).rows());

        assertThat(written.getKey()).as("rows of lines and details read by sequential scans in %d calls", CALLS)
                .isLessThan(STORED);
        assertThat(written.getValue()).hasSize(100);
        assertThat(written.getValue().get(0).related("lines")).extracting(line -> line.get("sku"))
                .containsExactly("7-0-0", "7-0-1", "7-0-2");
        assertThat(db.value("SELECT count(*) FROM details")).isEqualTo((long) STORED + 1 + CALLS * 300);
    }
}
