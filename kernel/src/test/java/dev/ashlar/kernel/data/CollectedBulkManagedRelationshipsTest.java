package dev.ashlar.kernel.data;

import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code createAll} with {@link Bulk} and related records (Ash's bulk create with {@code return_errors?} and
 * {@code manage_relationship}): a record refused for its own data or for a related record's is reported with its
 * index and the error naming the place, and nothing of it is written; the others are written with their related
 * records.
 */
class CollectedBulkManagedRelationshipsTest extends DomainDatabaseTest {
    static final Manage LINES = Manage.relationship("lines").create();
    static final Manage DETAILS = Manage.relationship("lines.details").create();

    CollectedBulkManagedRelationshipsTest() {
        super(BulkManagedRelationshipsTest.DOMAIN);
    }

    @BeforeEach
    void emptied() {
        BulkManagedRelationshipsTest.populate(db);
    }

    /** Six orders of two lines, each with a detail: order 1 misses its number, order 4 a detail's qty. */
    private static List<Map<String, Object>> ordersTwoOfThemRefused() {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 6; o++) {
            orders.add(Map.of("number", "N-" + o, "lines", List.of(
                    Map.of("sku", o + "a", "details", List.of(Map.of("qty", o))),
                    Map.of("sku", o + "b", "details", List.of(Map.of("qty", o + 100))))));
        }
        orders.set(1, Map.of("lines", List.of(Map.of("sku", "lost", "details", List.of(Map.of("qty", -1))))));
        orders.set(4, Map.of("number", "N-4", "lines", List.of(Map.of("sku", "lost"), Map.of("sku", "lost",
                "details", List.of(Map.of("qty", -1), Map.of())))));
        return orders;
    }

    private List<Map<String, Object>> written() {
        return db.query("SELECT o.number, l.sku, d.qty FROM orders o JOIN lines l ON l.order_id = o.id "
                + "LEFT JOIN details d ON d.line_id = l.id ORDER BY o.id, l.id, d.id");
    }

    @Test
    void refusedOrdersAndAnOrderWithARefusedDetailAreCollectedWithTheirPlacesAndTheOthersWrittenWithTheirLines() {
        BulkResult result = ashlar.createAll("order", ordersTwoOfThemRefused(), Bulk.collectErrors().batchSize(2),
                LINES, DETAILS);

        assertThat(result.complete()).isFalse();
        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1, 4);
        assertThat(result.errors()).extracting(f -> f.error().errors().get(0).field())
                .containsExactly("number", "lines[1].details[1].qty");
        assertThat(result.errors().get(1).error().getMessage()).contains("lines[1].details[1].qty is required");
        assertThat(result.rows()).extracting(r -> r.get("number")).containsExactly("N-0", "N-2", "N-3", "N-5");
        assertThat(result.rows().get(3).related("lines")).extracting(l -> l.get("sku")).containsExactly("5a", "5b");
        assertThat(db.value("SELECT count(*) FROM lines WHERE sku = 'lost'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM details WHERE qty < 0")).isEqualTo(0L);
        assertThat(written()).hasSize(2 + 4 * 2).contains(Map.of("number", "N-3", "sku", "3b", "qty", 103));
    }

    @Test
    void stopOnErrorKeepsTheOrdersBeforeTheRefusedOneWithTheirLinesAndTriesNoneAfter() {
        BulkResult result = ashlar.createAll("order", ordersTwoOfThemRefused(), Bulk.collectErrors().stopOnError(),
                LINES, DETAILS);

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(result.skipped()).isEqualTo(4);
        assertThat(db.query("SELECT number FROM orders ORDER BY id")).extracting(r -> r.get("number"))
                .containsExactly("A-1", "N-0");
        assertThat(db.value("SELECT count(*) FROM details")).as("A-1's and N-0's two").isEqualTo(3L);
    }

    @Test
    void aDirectControlWrittenRecordByRecordCollectsTheRefusedRecordAndWritesTheOthers() {
        BulkResult result = ashlar.createAll("order", List.of(
                        Map.of("number", "D-1", "lines", List.of(Map.of("sku", "x"))),
                        Map.of("number", "D-2", "lines", List.of(Map.of("sku", "y", "details", List.of(Map.of()))))),
                Bulk.collectErrors(), Manage.relationship("lines").directControl(),
                Manage.relationship("lines.details").directControl());

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(1);
            assertThat(f.error().errors().get(0).field()).isEqualTo("lines[0].details[0].qty");
        });
        assertThat(db.query("SELECT o.number, l.sku FROM orders o JOIN lines l ON l.order_id = o.id "
                + "WHERE o.number LIKE 'D-%'")).containsExactly(Map.of("number", "D-1", "sku", "x"));
    }

    @Test
    void aMistakeOfTheWriteStopsItAsWithoutBulkAndARelatedKeyNotFoundKeepsTheRecordsBeforeItAndSaysSo() {
        assertThatThrownBy(() -> ashlar.createAll("order", List.of(Map.of("number", "E-1", "lines",
                List.of(Map.of("sku", "x", "details", List.of(Map.of("qty", 1)))))), Bulk.collectErrors(), LINES))
                .isInstanceOf(QueryException.class).hasMessageContaining("Manage.relationship(\"lines.details\")");
        assertThatThrownBy(() -> ashlar.createAll("order", List.of(Map.of("number", "E-2", "lines", List.of(1)),
                Map.of("number", "E-3", "lines", List.of(99))), Bulk.collectErrors(),
                Manage.relationship("lines").append())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("stopped at record 1: ").hasMessageContaining("no line with key 99")
                .hasMessageContaining("(1 stored, 0 refused").hasMessageContaining("records.subList(1, 2)");

        assertThat(db.query("SELECT number FROM orders ORDER BY id")).extracting(r -> r.get("number"))
                .containsExactly("A-1", "E-2");
        assertThat(db.value("SELECT o.number FROM lines l JOIN orders o ON o.id = l.order_id WHERE l.id = 1"))
                .isEqualTo("E-2");
    }

    /** Five orders of one line each, but order 3, in the second batch of two, appends a line that does not exist. */
    private static List<Map<String, Object>> ordersTheFourthAppendingNoLine() {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 5; o++) {
            orders.add(Map.of("number", "S-" + o, "lines", List.of(o == 3 ? 99 : o == 0 ? 2 : 1)));
        }
        return orders;
    }

    @Test
    void aRelatedKeyNotFoundInTheSecondBatchNamesTheRecordsInputIndexAndTheCommittedRecordsToGoOnFrom() {
        List<Map<String, Object>> orders = ordersTheFourthAppendingNoLine();

        assertThatThrownBy(() -> ashlar.createAll("order", orders, Bulk.collectErrors().batchSize(2),
                Manage.relationship("lines").append())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("The bulk write of 5 order records stopped at record 3: ")
                .hasMessageContaining("no line with key 99").hasMessageNotContaining("of 2)")
                .hasMessageContaining("each batch committed (3 stored, 0 refused")
                .hasMessageContaining("go on with records.subList(3, 5)");

        assertThat(db.query("SELECT number FROM orders ORDER BY id")).extracting(r -> r.get("number"))
                .containsExactly("A-1", "S-0", "S-1", "S-2");
        assertThat(db.query("SELECT o.number FROM lines l JOIN orders o ON o.id = l.order_id ORDER BY l.id"))
                .extracting(r -> r.get("number")).containsExactly("S-2", "S-0");
        ashlar.createAll("order", orders.subList(4, 5), Bulk.collectErrors(), Manage.relationship("lines").append());
        assertThat(db.value("SELECT count(*) FROM orders WHERE number LIKE 'S-%'")).isEqualTo(4L);
    }

    @Test
    void aMalformedRecordInTheSecondBatchInsideATransactionNamesItsInputIndexAndKeepsTheTransactionUsable() {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 4; o++) {
            orders.add(Map.of("number", "T-" + o, "lines", List.of(o == 2
                    ? Map.of("sku", "x", "details", List.of(Map.of("qty", 1))) : Map.of("sku", "t" + o))));
        }

        ashlar.transaction(tx -> {
            assertThatThrownBy(() -> tx.createAll("order", orders, Bulk.collectErrors().batchSize(2), LINES))
                    .isInstanceOf(QueryException.class).hasMessageContaining("stopped at record 2: ")
                    .hasMessageContaining("Manage.relationship(\"lines.details\")")
                    .hasMessageContaining("in the caller's transaction, which keeps them unless it rolls back "
                            + "(2 stored").hasMessageContaining("records.subList(2, 4)");
            return tx.createAll("order", orders.subList(3, 4), Bulk.collectErrors(), LINES);
        });

        assertThat(db.query("SELECT o.number, l.sku FROM orders o JOIN lines l ON l.order_id = o.id "
                + "WHERE o.number LIKE 'T-%' ORDER BY o.id")).containsExactly(Map.of("number", "T-0", "sku", "t0"),
                Map.of("number", "T-1", "sku", "t1"), Map.of("number", "T-3", "sku", "t3"));
    }

    @Test
    void aPolicysRefusalOfARelatedRecordInTheSecondBatchNamesTheRecordsInputIndexAndTheOrdersStored() {
        Policy lines = Policy.on("line").read(Policy.EVERY_ROW).create(actor -> Filter.ne("sku", "secret"))
                .update(Policy.EVERY_ROW).destroy(Policy.EVERY_ROW);
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 4; o++) {
            orders.add(Map.of("number", "P-" + o, "lines", List.of(Map.of("sku", o == 2 ? "secret" : "p" + o))));
        }
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(BulkManagedRelationshipsTest.DOMAIN)
                .policies(lines).build()) {
            assertThatThrownBy(() -> policed.withUser(1L).createAll("order", orders,
                    Bulk.collectErrors().batchSize(2), LINES)).isInstanceOf(ForbiddenException.class)
                    .hasMessageContaining("The bulk write of 4 order records stopped at record 2: ")
                    .hasMessageContaining("(2 stored, 0 refused").hasMessageContaining("records.subList(2, 4)");
        }

        assertThat(db.query("SELECT o.number, l.sku FROM orders o JOIN lines l ON l.order_id = o.id "
                + "WHERE o.number LIKE 'P-%' ORDER BY o.id")).containsExactly(Map.of("number", "P-0", "sku", "p0"),
                Map.of("number", "P-1", "sku", "p1"));
        assertThat(db.value("SELECT count(*) FROM orders WHERE number IN ('P-2', 'P-3')")).isEqualTo(0L);
    }

    /** 300 orders of two lines with a detail each; orders 0, 150 and 299 miss their number, 151 a detail's qty. */
    private static List<Map<String, Object>> manyOrdersFourRefused() {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 300; o++) {
            Map<String, Object> order = new HashMap<>(Map.of("number", "M-" + o, "lines", List.of(
                    Map.of("sku", o + "a", "details", List.of(Map.of("qty", o))),
                    Map.of("sku", o + "b", "details", List.of(o == 151 ? Map.of() : Map.of("qty", o + 1000))))));
            if (o == 0 || o == 150 || o == 299) {
                order.remove("number");
            }
            orders.add(order);
        }
        return orders;
    }

    @Test
    void refusedRecordsOfALargeBatchAreFoundByHalvesInFewerStatementsThanRecordsWithEveryOtherOrderWritten() {
        AtomicInteger statements = new AtomicInteger();
        BulkResult result;
        try (Ashlar counted = Ashlar.builder().dataSource(BulkManagedRelationshipsTest.counting(db.dataSource(),
                statements)).domain(BulkManagedRelationshipsTest.DOMAIN).build()) {
            statements.set(0);
            result = counted.createAll("order", manyOrdersFourRefused(), Bulk.collectErrors(), LINES, DETAILS);
        }

        assertThat(statements.get()).as("statements for 300 orders, 4 refused: halves, not one write per record")
                .isLessThan(300);
        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(0, 150, 151, 299);
        assertThat(result.errors()).extracting(f -> f.error().errors().get(0).field())
                .containsExactly("number", "number", "lines[1].details[0].qty", "number");
        assertThat(result.rows()).hasSize(296).extracting(r -> r.get("number")).startsWith("M-1", "M-2")
                .contains("M-149", "M-152").endsWith("M-298").doesNotContain("M-151");
        assertThat(result.rows().get(295).related("lines")).extracting(l -> l.get("sku")).containsExactly("298a",
                "298b");
        assertThat(db.value("SELECT count(*) FROM lines WHERE sku IN ('0a', '150b', '151a', '151b', '299a')"))
                .isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM details d JOIN lines l ON l.id = d.line_id JOIN orders o "
                + "ON o.id = l.order_id WHERE o.number LIKE 'M-%'")).isEqualTo(296L * 2);
    }

    @Test
    void stopOnErrorFoundByHalvesStoresTheOrdersBeforeTheFirstRefusedOneAndSkipsTheRest() {
        List<Map<String, Object>> orders = new ArrayList<>(manyOrdersFourRefused());
        orders.set(0, Map.of("number", "M-0", "lines", List.of()));

        BulkResult result = ashlar.createAll("order", orders, Bulk.collectErrors().stopOnError(), LINES, DETAILS);

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(150);
        assertThat(result.skipped()).isEqualTo(149);
        assertThat(result.rows()).hasSize(150);
        assertThat(db.value("SELECT count(*) FROM orders WHERE number LIKE 'M-%'")).isEqualTo(150L);
        assertThat(db.value("SELECT max(o.number::text) FROM orders o WHERE o.number LIKE 'M-14_'")).isEqualTo("M-149");
    }

    @Test
    void anUpsertWithBulkCollectsAStoredAndANewOrderRefusedForALineAndWritesTheOthersWithTheirLines() {
        Map<String, Object> newWithALineRefused = Map.of("number", "U-2", "lines", List.of(Map.of("sku", "lost"),
                Map.of()));
        BulkResult result = ashlar.upsert("order", List.of(
                        Map.of("number", "A-1", "lines", List.of(Map.of("sku", "kept"), Map.of())),
                        Map.of("number", "U-1", "lines", List.of(Map.of("sku", "u1"))), newWithALineRefused,
                        Map.of("number", "U-3", "lines", List.of(Map.of("sku", "u3")))),
                Upsert.on("unique_number"), Bulk.collectErrors(), Manage.relationship("lines").directControl());

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(0, 2);
        assertThat(result.errors()).extracting(f -> f.error().errors().get(0).field())
                .containsExactly("lines[1].sku", "lines[1].sku");
        assertThat(result.rows()).extracting(r -> r.get("number")).containsExactly("U-1", "U-3");
        assertThat(db.value("SELECT count(*) FROM orders WHERE number = 'U-2'")).isEqualTo(0L);
        assertThat(result.rows().get(1).related("lines")).extracting(l -> l.get("sku")).containsExactly("u3");
        assertThat(db.query("SELECT o.number, l.sku FROM orders o JOIN lines l ON l.order_id = o.id ORDER BY l.id"))
                .as("A-1's lines as they were, nothing of the refused records written")
                .containsExactly(Map.of("number", "A-1", "sku", "old-1"), Map.of("number", "A-1", "sku", "old-2"),
                        Map.of("number", "U-1", "sku", "u1"), Map.of("number", "U-3", "sku", "u3"));
    }

    @Test
    void anUpsertWithBulkWritesAFailedBatchAgainRecordByRecordRatherThanByHalvesSinceItWritesEachRecordAnyway() {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 32; o++) {
            orders.add(Map.of("number", "S-" + o, "lines", List.of(o == 31 ? Map.of() : Map.of("sku", "s" + o))));
        }
        long before = (Long) db.value("SELECT nextval(pg_get_serial_sequence('orders', 'id'))");

        BulkResult result = ashlar.upsert("order", orders, Upsert.on("unique_number"), Bulk.collectErrors(), LINES);

        long attempts = (Long) db.value("SELECT nextval(pg_get_serial_sequence('orders', 'id'))") - before - 1;
        assertThat(attempts).as("orders upserted: the batch up to its refused last order, then each order alone "
                + "(by halves: 94)").isEqualTo(64L);
        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(31);
        assertThat(result.rows()).hasSize(31);
        assertThat(db.value("SELECT count(*) FROM lines l JOIN orders o ON o.id = l.order_id WHERE o.number LIKE "
                + "'S-%'")).isEqualTo(31L);
    }

    @Test
    void anUpsertWithBulkThatWouldLeaveStoredRecordsOutIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> ashlar.upsert("order", List.of(Map.of("number", "V-1", "lines", List.of())),
                Upsert.on("unique_number").doNothing(), Bulk.collectErrors(), LINES))
                .isInstanceOf(QueryException.class).hasMessageContaining("add .returnSkipped() to the Upsert");

        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(1L);
    }

    /** Eight orders of a line each, {@code N-0} to {@code N-7}. */
    private static List<Map<String, Object>> eightOrders() {
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int o = 0; o < 8; o++) {
            orders.add(new HashMap<>(Map.of("number", "N-" + o, "lines", List.of(Map.of("sku", o + "a",
                    "details", List.of(Map.of("qty", o)))))));
        }
        return orders;
    }

    @Test
    void twoOrdersOfOneBatchTakingOneNumberStoreTheFirstAndReportTheSecondByItsIndexAlthoughEachHalfAloneSucceeds() {
        List<Map<String, Object>> orders = eightOrders();
        orders.get(1).put("number", "DUP");
        orders.get(6).put("number", "DUP");

        BulkResult result = ashlar.createAll("order", orders, Bulk.collectErrors(), LINES, DETAILS);

        assertThat(result.errors()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(6);
            assertThat(failure.error().errors().get(0).field()).isEqualTo("number");
            assertThat(failure.error().getMessage()).contains("number has already been taken");
        });
        assertThat(result.rows()).extracting(r -> r.get("number")).containsExactly("N-0", "DUP", "N-2", "N-3", "N-4",
                "N-5", "N-7");
        assertThat(db.query("SELECT o.number, l.sku FROM orders o JOIN lines l ON l.order_id = o.id "
                + "WHERE o.number <> 'A-1' ORDER BY o.id")).extracting(r -> r.get("sku"))
                .as("the refused order's line is not written").containsExactly("0a", "1a", "2a", "3a", "4a", "5a", "7a");
    }

    @Test
    void aKeyNotFoundInTheSecondHalfStopsAtItsIndexSayingWhatTheCommittedHalvesStoredAndRefused() {
        List<Map<String, Object>> orders = eightOrders();
        orders.forEach(order -> order.put("lines", List.of()));
        orders.get(1).remove("number");
        orders.get(5).put("lines", List.of(99_999));

        assertThatThrownBy(() -> ashlar.createAll("order", orders, Bulk.collectErrors(),
                Manage.relationship("lines").append())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("stopped at record 5: ").hasMessageContaining("99999")
                .hasMessageContaining("each batch committed (4 stored, 1 refused")
                .hasMessageContaining("records.subList(5, 8)");

        assertThat(db.query("SELECT number FROM orders WHERE number <> 'A-1' ORDER BY id")).extracting(r ->
                r.get("number")).as("the halves before record 5 committed").containsExactly("N-0", "N-2", "N-3", "N-4");
    }
}
