package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Converter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.spi.plugin.WriteListener;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.lt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ashlar.merge(...)}: PostgreSQL's MERGE over a populated table — which clause takes which record, the counts
 * by action, values bound, version, update time and soft delete kept as an update and a destroy keep them.
 */
@RequiresPostgres(value = 15, reason = "MERGE")
class MergeTest extends DomainDatabaseTest {
    static final Resource ITEM = Resource.builder("item").table("merge_items").bigintPrimaryKey("id")
            .attribute("sku", Type.TEXT, a -> a.notNull()).attribute("qty", Type.INTEGER).attribute("label", Type.TEXT)
            .attribute("discontinued", Type.BOOLEAN, a -> a.notNull().defaultValue(false))
            .attribute("lock_version", Type.INTEGER, a -> a.notNull().defaultValue(1))
            .attribute("updated_at", Type.TIMESTAMPTZ, a -> a.touchOnUpdate())
            .optimisticLock("lock_version").identity("unique_sku", "sku").build();
    static final Resource NOTE = Resource.builder("note").table("merge_notes").integerPrimaryKey("id")
            .attribute("slug", Type.TEXT, a -> a.notNull()).attribute("body", Type.TEXT)
            .attribute("deleted_at", Type.TIMESTAMPTZ).softDelete("deleted_at")
            .attribute("touched_at", Type.TIMESTAMPTZ, a -> a.touchOnUpdate()).build();
    record Shelf(Long id, String sku, Integer qty) {
        static final Table<Shelf> SHELVES = Table.of("shelf", Shelf.class);
        static final Field<Shelf, Long> ID = SHELVES.bigintPrimaryKey("id");
        static final TextField<Shelf> SKU = SHELVES.attribute("sku", Kind.TEXT, a -> a.notNull());
        static final Field<Shelf, Integer> QTY = SHELVES.attribute("qty", Kind.INTEGER);
        static final Resource RESOURCE = SHELVES.builder().table("merge_typed_shelves").add(ID, SKU, QTY).build();
    }

    static final Resource SWITCH = Resource.builder("switch").table("merge_switches").integerPrimaryKey("id")
            .attribute("name", Type.TEXT, a -> a.notNull()).attribute("active", Converter.yesNo()).build();
    static final Resource BOX = Resource.builder("box").table("merge_boxes").integerPrimaryKey("id")
            .attribute("sku", Type.TEXT, a -> a.notNull()).attribute("qty", Type.INTEGER)
            .attribute("removed_by", Type.TEXT).baseFilter("removed_by IS NULL", isNil("removed_by")).build();
    static final Domain DOMAIN = Domain.builder("merges").resources(ITEM, NOTE, Shelf.RESOURCE, SWITCH, BOX).build();

    static final Merge SYNC = Merge.on("sku")
            .whenMatched(eq("discontinued", true)).delete()
            .whenMatched().update("qty", "label")
            .whenNotMatched().insert();

    MergeTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void aThousandStoredItems() {
        db.execute("TRUNCATE merge_items, merge_notes, merge_typed_shelves, merge_switches, merge_boxes RESTART IDENTITY");
        db.execute("INSERT INTO merge_items (sku, qty, label, discontinued, updated_at) SELECT 'sku-' || i, i, "
                + "'Item ' || i, i % 100 = 0, now() - interval '1 hour' FROM generate_series(1, 1000) AS i");
    }

    private List<String> items(String... skus) {
        List<String> wanted = List.of(skus);
        return db.query("SELECT sku, qty, label, lock_version FROM merge_items ORDER BY sku").stream()
                .filter(r -> wanted.contains(r.get("sku"))).map(r -> r.get("sku") + ":" + r.get("qty") + ":"
                        + r.get("label") + ":" + r.get("lock_version")).toList();
    }

    private static Map<String, Object> item(String sku, Integer qty, String label) {
        Map<String, Object> item = new HashMap<>();
        item.put("sku", sku);
        item.put("qty", qty);
        item.put("label", label);
        return item;
    }

    private int server() {
        return ((Number) db.value("SELECT current_setting('server_version_num')::int / 10000")).intValue();
    }

    @Test
    void aMergeUpdatesMatchedRecordsDeletesThoseMeetingTheConditionAndInsertsTheRest() {
        MergeResult result = ashlar.merge("item", List.of(item("sku-5", 50, "Five"), item("sku-100", 1, "Gone"),
                item("sku-new", 7, "New")), SYNC);

        assertThat(result.merged()).isEqualTo(3);
        if (server() >= 17) {
            assertThat(List.of(result.inserted(), result.updated(), result.deleted())).containsExactly(1L, 1L, 1L);
        } else {
            assertThat(result.countedByAction()).isFalse();
        }
        assertThat(items("sku-5", "sku-100", "sku-new", "sku-6"))
                .containsExactly("sku-5:50:Five:2", "sku-6:6:Item 6:1", "sku-new:7:New:1");
        assertThat(db.value("SELECT count(*) FROM merge_items")).isEqualTo(1000L);
    }

    @Test
    @RequiresPostgres(value = 17, reason = "RETURNING merge_action()")
    void theCountsByActionAreThoseOfTheRowsWrittenOnAPopulatedTable() {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (int i = 901; i <= 1100; i++) {
            records.add(item("sku-" + i, -i, "batch"));
        }

        MergeResult result = ashlar.merge("item", records, SYNC);

        // sku-1000 is discontinued (i % 100 = 0) and deleted; 901..999 updated; 1001..1100 inserted.
        assertThat(List.of(result.inserted(), result.updated(), result.deleted())).containsExactly(100L, 99L, 1L);
        assertThat(result.count(Merge.Act.INSERT)).isEqualTo(100);
        assertThat(db.value("SELECT count(*) FROM merge_items WHERE label = 'batch'")).isEqualTo(199L);
        assertThat(db.value("SELECT count(*) FROM merge_items")).isEqualTo(1099L);
    }

    @Test
    void aConditionComparesTheStoredRecordWithTheIncomingValueAndAnUnmatchedRecordIsLeftAlone() {
        Merge raise = Merge.on("sku").whenMatched(lt("qty", incoming("qty"))).update("qty");

        ashlar.merge("item", List.of(item("sku-5", 500, null), item("sku-6", 1, null), item("sku-x", 1, null)),
                raise);

        assertThat(items("sku-5", "sku-6", "sku-x")).containsExactly("sku-5:500:Item 5:2", "sku-6:6:Item 6:1");
    }

    @Test
    void aNotMatchedConditionReadsTheGivenRecord() {
        ashlar.merge("item", List.of(item("a", 1, "keep"), item("b", 2, "skip")),
                Merge.on("sku").whenNotMatched(eq("label", "keep")).insert());

        assertThat(items("a", "b")).containsExactly("a:1:keep:1");
    }

    @Test
    void anUpdateCountsTheVersionUpAndTouchesTheUpdateTimeAsAnUpdateOfAVersionedRecordDoes() {
        Object before = db.value("SELECT updated_at FROM merge_items WHERE sku = 'sku-7'");

        ashlar.merge("item", List.of(item("sku-7", 7, "Item 7"), item("sku-8", 80, "Item 8")),
                Merge.on("sku").whenMatched().update());

        assertThat(db.value("SELECT updated_at > ? FROM merge_items WHERE sku = 'sku-7'", before)).isEqualTo(true);
        assertThat(items("sku-7", "sku-8", "sku-9")).containsExactly("sku-7:7:Item 7:2", "sku-8:80:Item 8:2",
                "sku-9:9:Item 9:1");
    }

    @Test
    void anUpdateTouchesTheUpdateTimeOnlyWhenAValueChanges() {
        db.execute("INSERT INTO merge_notes (slug, body, touched_at) VALUES ('same', 'S', now() - interval '1 hour'), "
                + "('changed', 'C', now() - interval '1 hour')");

        ashlar.merge("note", List.of(Map.of("slug", "same", "body", "S"), Map.of("slug", "changed", "body", "C2")),
                Merge.on("slug").whenMatched().update());

        assertThat(db.query("SELECT slug, body, touched_at > now() - interval '1 minute' AS touched FROM merge_notes "
                + "ORDER BY slug").stream().map(r -> r.get("slug") + ":" + r.get("body") + ":" + r.get("touched"))
                .toList()).containsExactly("changed:C2:true", "same:S:false");
    }

    @Test
    void valuesAreBoundSoThatSqlInThemIsStoredAsText() {
        String hostile = "x', 1, 'y'); DROP TABLE merge_items; --";

        ashlar.merge("item", List.of(item(hostile, 1, "\"quoted\"")), Merge.on("sku").whenNotMatched().insert());

        assertThat(db.value("SELECT label FROM merge_items WHERE sku = ?", hostile)).isEqualTo("\"quoted\"");
        assertThat(db.value("SELECT count(*) FROM merge_items")).isEqualTo(1001L);
    }

    @Test
    void aSoftDeleteMarksTheRecordAndAMarkedRecordIsNotFoundAgain() {
        db.execute("INSERT INTO merge_notes (slug, body) VALUES ('a', 'A'), ('b', 'B')");
        Merge remove = Merge.on("slug").whenMatched().delete();

        MergeResult first = ashlar.merge("note", List.of(Map.of("slug", "a")), remove);
        MergeResult again = ashlar.merge("note", List.of(Map.of("slug", "a")), remove);

        assertThat(first.merged()).isEqualTo(1);
        assertThat(again.merged()).isZero();
        if (server() >= 17) {
            assertThat(first.deleted()).isEqualTo(1);
        }
        assertThat(db.query("SELECT slug, deleted_at IS NOT NULL AS marked FROM merge_notes ORDER BY slug").stream()
                .map(r -> r.get("slug") + ":" + r.get("marked")).toList()).containsExactly("a:true", "b:false");
    }

    @Test
    void recordsThatFindTheSameStoredRecordTwiceAreRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> ashlar.merge("item", List.of(item("sku-1", 1, "a"), item("sku-1", 2, "b")), SYNC))
                .isInstanceOf(QueryException.class).hasMessageContaining("give [sku] = [sku-1]")
                .hasMessageContaining("give each record once");
        assertThat(items("sku-1")).containsExactly("sku-1:1:Item 1:1");
    }

    @Test
    void aRecordWithoutAnOnFieldOrAFieldItsUpdateNamesIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.merge("item", List.of(item("a", 1, "a"), Map.of("sku", "b")), SYNC))
                .isInstanceOf(QueryException.class).hasMessageContaining("cannot overwrite 'qty': record 2 does not "
                        + "give it");
        assertThatThrownBy(() -> ashlar.merge("item", List.of(item("a", 1, "a"), Map.of("qty", 1)), SYNC))
                .isInstanceOf(QueryException.class).hasMessageContaining("finds stored records by 'sku', but "
                        + "record 2 does not give it");
        assertThatThrownBy(() -> ashlar.merge("item", List.of(item("a", 1, "a")), Merge.on("sku").whenMatched()
                .update("lock_version"))).isInstanceOf(QueryException.class)
                .hasMessageContaining("cannot overwrite 'lock_version'");
    }

    @Test
    void aNotMatchedConditionOverAFieldTheRecordsDoNotGiveIsRefusedNamingItAndNothingIsWritten() {
        assertThatThrownBy(() -> ashlar.merge("item", List.of(Map.of("sku", "fresh", "qty", 1)),
                Merge.on("sku").whenNotMatched(eq("label", "x")).insert())).isInstanceOf(QueryException.class)
                .hasMessageContaining("whenNotMatched(...) condition of a merge of item tests 'label', which "
                        + "record 1 does not give");
        assertThat(db.value("SELECT count(*) FROM merge_items WHERE sku = 'fresh'")).isEqualTo(0L);
    }

    @Test
    void incomingInANotMatchedConditionIsTheGivenRecordsValue() {
        ashlar.merge("item", List.of(item("labelled", 1, "L"), item("unlabelled", 2, null)),
                Merge.on("sku").whenNotMatched(eq("label", incoming("label"))).insert());

        assertThat(items("labelled", "unlabelled")).containsExactly("labelled:1:L:1");
    }

    @Test
    void aFieldNameHoldingSqlIsRefusedNamingItAndNothingIsWritten() {
        String hostile = "label\" = 'x', \"qty";
        Map<String, Object> record = item("sku-1", 1, "a");
        record.put(hostile, 1);

        assertThatThrownBy(() -> ashlar.merge("item", List.of(record), Merge.on("sku").whenMatched().update()))
                .isInstanceOf(AshlarException.class).hasMessageContaining(hostile);
        assertThatThrownBy(() -> ashlar.merge("item", List.of(item("sku-1", 1, "a")), Merge.on(hostile)
                .whenMatched().update())).isInstanceOf(AshlarException.class).hasMessageContaining(hostile);
        assertThat(items("sku-1")).containsExactly("sku-1:1:Item 1:1");
    }

    @Test
    void aMergeReachesRowsTheBaseFilterHidesAsUpdateAllDoes() {
        db.execute("INSERT INTO merge_boxes (sku, qty, removed_by) VALUES ('shown', 1, NULL), ('hidden', 1, 'ops')");

        ashlar.read("box").where(eq("sku", "hidden")).updateAll(Map.of("qty", 2));
        assertThat(db.value("SELECT qty FROM merge_boxes WHERE sku = 'hidden'")).isEqualTo(2);
        MergeResult merged = ashlar.merge("box", List.of(Map.of("sku", "hidden", "qty", 3),
                Map.of("sku", "shown", "qty", 3)), Merge.on("sku").whenMatched().update().whenNotMatched().insert());

        assertThat(merged.merged()).isEqualTo(2);
        assertThat(db.query("SELECT sku, qty FROM merge_boxes ORDER BY sku").stream()
                .map(r -> r.get("sku") + ":" + r.get("qty")).toList()).containsExactly("hidden:3", "shown:3");
        assertThat(ashlar.read("box").count()).isEqualTo(1L);
    }

    @Test
    void aTypedMergeWritesRecordsAsTheStringMergeDoes() {
        db.execute("INSERT INTO merge_typed_shelves (sku, qty) VALUES ('a', 1)");

        MergeResult result = ashlar.merge(Shelf.SHELVES, List.of(new Shelf(null, "a", 10), new Shelf(null, "b", 2)),
                Merge.on("sku").whenMatched().update().whenNotMatched().insert());

        assertThat(result.merged()).isEqualTo(2);
        assertThat(db.query("SELECT sku, qty FROM merge_typed_shelves ORDER BY sku").stream()
                .map(r -> r.get("sku") + ":" + r.get("qty")).toList()).containsExactly("a:10", "b:2");
    }

    /** A plugin that acts after each write. */
    private static final class Watcher implements AshlarPlugin, WriteListener {
        @Override
        public String id() {
            return "merge-watcher";
        }

        @Override
        public void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
            throw new IllegalStateException("a merge never hands a record to a write listener");
        }
    }

    @Test
    void aMergeOfAResourceWhosePluginsActAfterEachWriteIsRefusedAndWritesNothing() {
        try (Ashlar watched = Fixtures.ashlar(db, DOMAIN, new Watcher())) {
            assertThatThrownBy(() -> watched.merge("item", List.of(item("sku-1", 9, "x")), SYNC))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("plugins that act after each write of item would not see its records: "
                            + "use upsert, updateAll and destroyAll");
        }
        assertThat(items("sku-1")).containsExactly("sku-1:1:Item 1:1");
    }

    @Test
    void valuesAndConditionsGoThroughTheAttributesConverter() {
        db.execute("INSERT INTO merge_switches (id, name, active) VALUES (1, 'a', 'Y'), (2, 'b', 'N')");

        ashlar.merge("switch", List.of(Map.of("id", 1, "name", "a", "active", false),
                Map.of("id", 2, "name", "b", "active", true), Map.of("id", 3, "name", "c", "active", true)),
                Merge.on("id").whenMatched(eq("active", true)).update("active").whenNotMatched().insert());

        assertThat(db.query("SELECT id, active FROM merge_switches ORDER BY id").stream()
                .map(r -> r.get("id") + ":" + r.get("active")).toList()).containsExactly("1:N", "2:N", "3:Y");
    }
}
