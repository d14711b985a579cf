package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Features in combination: columns of other names in atomic upserts, table-named upsert conditions, timeouts over
 * streamed reads, bulk writes with atomic upserts and timed handles. */
class CombinedFeaturesTest extends DomainDatabaseTest {
    static final Resource GADGET = Resource.builder("gadget").table("rv_gadgets").bigintPrimaryKey("id")
            .attribute("sku", TEXT, a -> a.column("sku_code").notNull())
            .attribute("stock", INTEGER, a -> a.column("qty"))
            .attribute("label", TEXT, a -> a.column("label_text"))
            .identity("unique_sku", "sku")
            .build();
    static final Resource NOTE = Resource.builder("note").table("rv_notes").bigintPrimaryKey("id")
            .attribute("title", TEXT, a -> a.notNull())
            .attribute("hits", INTEGER)
            .identity("unique_title", "title")
            .build();
    static final Domain DOMAIN = Domain.builder("review").resources(GADGET, NOTE).build();

    CombinedFeaturesTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE rv_gadgets, rv_notes RESTART IDENTITY");
        db.execute("INSERT INTO rv_gadgets (sku_code, qty, label_text) VALUES ('bolt', 10, 'Bolt')");
    }

    private List<String> gadgets() {
        return db.query("SELECT sku_code, qty, label_text FROM rv_gadgets ORDER BY sku_code").stream()
                .map(r -> r.get("sku_code") + ":" + r.get("qty") + ":" + r.get("label_text")).toList();
    }

    @Test
    void anAtomicAddOnAColumnOfAnotherNameReturnsTheRowByAttribute() {
        List<Row> rows = ashlar.upsert("gadget", List.of(Map.of("sku", "bolt", "stock", 1, "label", "Hex")),
                Upsert.on("unique_sku").set("stock", Atomic.add(5)));

        assertThat(rows).extracting(r -> r.get("sku") + ":" + r.get("stock") + ":" + r.get("label"))
                .containsExactly("bolt:15:Hex");
        assertThat(gadgets()).containsExactly("bolt:15:Hex");
    }

    @Test
    void atomicSqlAndAConditionOverIncomingValuesWorkOnColumnsOfOtherNames() {
        ashlar.upsert("gadget", List.of(Map.of("sku", "bolt", "stock", 4), Map.of("sku", "nut", "stock", 3)),
                Upsert.on("unique_sku").set("stock", Atomic.sql("qty + ?", incoming("stock")))
                        .where(lt("stock", incoming("stock"))));
        // 10 < 4 is false: bolt kept; nut inserted
        assertThat(gadgets()).containsExactly("bolt:10:Bolt", "nut:3:null");
        ashlar.upsert("gadget", List.of(Map.of("sku", "bolt", "stock", 40)),
                Upsert.on("unique_sku").set("stock", Atomic.sql("qty + ?", incoming("stock")))
                        .where(lt("stock", incoming("stock"))));
        assertThat(gadgets()).containsExactly("bolt:50:Bolt", "nut:3:null");
    }

    /** A condition written by hand may name the stored row by its table, as it could before the row had an alias. */
    @Test
    void aSqlUpsertConditionQualifiedByTheTableNameStillWorks() {
        Throwable thrown = catchThrowable(() -> ashlar.upsert("note",
                List.of(Map.of("title", "a", "hits", 1)), Upsert.on("unique_title")));
        assertThat(thrown).isNull();

        Throwable conditioned = catchThrowable(() -> ashlar.upsert("note", List.of(Map.of("title", "a", "hits", 7)),
                Upsert.on("unique_title").where(sql("rv_notes.hits < EXCLUDED.hits"))));

        assertThat(conditioned).as("a condition naming the table").isNull();
        assertThat(db.value("SELECT hits FROM rv_notes WHERE title = 'a'")).isEqualTo(7);
    }

    @Test
    void forEachIsBoundedByTheTimeoutBeyondTheFirstFetch() {
        db.execute("INSERT INTO rv_notes (title) SELECT 'n' || g FROM generate_series(1, 1004) g");
        Ashlar timed = ashlar.withTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> timed.read("note")
                .where(sql("CASE WHEN id > 1000 THEN (SELECT true FROM pg_sleep(0.5 + 0 * id)) ELSE true END"))
                .forEach(row -> { }));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(thrown).as("forEach ran " + tookMillis + " ms under a 300 ms timeout")
                .isInstanceOf(ActionTimeoutException.class);
    }

    @Test
    void aBulkAtomicUpsertRetriedRecordByRecordCountsEachRecordOnce() {
        db.execute("INSERT INTO rv_notes (title, hits) VALUES ('home', 10)");
        Map<String, Object> bad = new HashMap<>();
        bad.put("title", null);
        bad.put("hits", 1);
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(Map.of("title", "home", "hits", 1));
        records.add(bad);
        records.add(Map.of("title", "other", "hits", 1));

        BulkResult result = ashlar.upsert("note", records, Upsert.on("unique_title").set("hits", Atomic.add(1)),
                Bulk.collectErrors());

        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(db.value("SELECT hits FROM rv_notes WHERE title = 'home'")).isEqualTo(11);
        assertThat(db.value("SELECT count(*) FROM rv_notes")).isEqualTo(2L);
    }

    @Test
    void aBulkWriteUnderATimedHandleInsideATransactionKeepsTheTimeoutAndTheRows() {
        Ashlar timed = ashlar.withTimeout(Duration.ofSeconds(5));
        Map<String, Object> bad = new HashMap<>();
        bad.put("title", null);
        BulkResult result = timed.transaction(tx -> tx.createAll("note",
                List.of(Map.of("title", "x"), bad, Map.of("title", "y")), Bulk.collectErrors()));

        assertThat(result.rows()).extracting(r -> r.get("title")).containsExactly("x", "y");
        assertThat(result.errors()).extracting(BulkResult.Failure::index).containsExactly(1);
        assertThat(result.errors().get(0).error()).isInstanceOf(InvalidDataException.class);
        assertThatCode(() -> ashlar.read("note").where(sql("(SELECT true FROM pg_sleep(0.01))")).list())
                .doesNotThrowAnyException();
    }
}
