package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A merge of records that give different fields, on a populated table: what each record does is what it would do
 * merged alone (a field it leaves out keeps its stored value, a key it leaves out takes the key's default), for the
 * string and the typed API, and the merge is still one write, counted once.
 */
@RequiresPostgres(value = 15, reason = "MERGE")
class MergeByGivenFieldsTest extends DomainDatabaseTest {
    static final Merge OVERWRITE = Merge.on("sku").whenMatched().update().whenNotMatched().insert();

    MergeByGivenFieldsTest() {
        super(MergeTest.DOMAIN);
    }

    @BeforeEach
    void storedItemsAndShelves() {
        db.execute("TRUNCATE merge_items, merge_typed_shelves RESTART IDENTITY");
        db.execute("INSERT INTO merge_items (sku, qty, label) SELECT 'sku-' || i, i, 'Item ' || i "
                + "FROM generate_series(1, 200) AS i");
        db.execute("INSERT INTO merge_typed_shelves (sku, qty) SELECT 'shelf-' || i, i FROM generate_series(1, 50) AS i");
    }

    private List<String> items(String where) {
        return db.query("SELECT id, sku, qty, label, lock_version FROM merge_items WHERE " + where + " ORDER BY sku")
                .stream().map(r -> r.get("id") + ":" + r.get("sku") + ":" + r.get("qty") + ":" + r.get("label") + ":"
                        + r.get("lock_version")).toList();
    }

    @Test
    void aFieldARecordLeavesOutKeepsItsStoredValueThoughAnotherRecordGivesIt() {
        MergeResult result = ashlar.merge("item", List.of(Map.of("sku", "sku-5", "qty", 50, "label", "Five"),
                Map.of("sku", "sku-6", "qty", 60)), OVERWRITE);

        assertThat(result.merged()).isEqualTo(2);
        assertThat(items("sku IN ('sku-5', 'sku-6', 'sku-7')"))
                .containsExactly("5:sku-5:50:Five:2", "6:sku-6:60:Item 6:2", "7:sku-7:7:Item 7:1");
    }

    @Test
    void recordsWithAndWithoutTheGeneratedKeyAreInsertedTogetherTheOthersTakingTheKeysDefault() {
        ashlar.merge("item", List.of(Map.of("id", 5000L, "sku", "given-key", "qty", 1),
                Map.of("sku", "generated-key", "qty", 2)), OVERWRITE);

        assertThat(items("sku LIKE '%-key'")).containsExactly("201:generated-key:2:null:1", "5000:given-key:1:null:1");
    }

    @Test
    void aTypedRecordsNullComponentIsNotWrittenWhateverTheOtherRecordsGive() {
        ashlar.merge(MergeTest.Shelf.SHELVES, List.of(new MergeTest.Shelf(null, "shelf-1", 100),
                new MergeTest.Shelf(null, "shelf-2", null), new MergeTest.Shelf(7000L, "shelf-new", 3),
                new MergeTest.Shelf(null, "shelf-newer", null)),
                Merge.on("sku").whenMatched().update().whenNotMatched().insert());

        assertThat(db.query("SELECT id, sku, qty FROM merge_typed_shelves WHERE sku IN ('shelf-1', 'shelf-2', "
                + "'shelf-new', 'shelf-newer') ORDER BY sku").stream().map(r -> r.get("id") + ":" + r.get("sku") + ":"
                + r.get("qty")).toList())
                .containsExactly("1:shelf-1:100", "2:shelf-2:2", "7000:shelf-new:3", "51:shelf-newer:null");
    }

    @Test
    @RequiresPostgres(value = 17, reason = "RETURNING merge_action()")
    void theCountsByActionAreSummedOverTheGroupsOfRecords() {
        MergeResult result = ashlar.merge("item", List.of(Map.of("sku", "sku-1", "qty", 10),
                Map.of("sku", "sku-2", "label", "Two"), Map.of("sku", "fresh", "qty", 1),
                Map.of("sku", "sku-3", "qty", 30)), OVERWRITE);

        assertThat(List.of(result.merged(), result.inserted(), result.updated(), result.deleted()))
                .containsExactly(4L, 1L, 3L, 0L);
    }

    @Test
    void aGroupThatFailsUndoesTheGroupsWrittenBeforeIt() {
        java.util.HashMap<String, Object> noSku = new java.util.HashMap<>(Map.of("label", "x"));
        noSku.put("sku", null);

        assertThatThrownBy(() -> ashlar.merge("item", List.of(Map.of("sku", "sku-1", "qty", 999), noSku), OVERWRITE))
                .isInstanceOf(AshlarException.class).hasMessageContaining("sku");

        assertThat(items("sku = 'sku-1'")).containsExactly("1:sku-1:1:Item 1:1");
        assertThat(db.value("SELECT count(*) FROM merge_items")).isEqualTo(200L);
    }

    @Test
    void anUpdateClauseThatOnlySomeRecordsGiveAnythingToLeavesTheOthersAsStored() {
        MergeResult result = ashlar.merge("item", List.of(Map.of("sku", "sku-8"), Map.of("sku", "sku-9", "qty", 90)),
                Merge.on("sku").whenMatched().update());

        assertThat(result.merged()).isEqualTo(1);
        assertThat(items("sku IN ('sku-8', 'sku-9')")).containsExactly("8:sku-8:8:Item 8:1", "9:sku-9:90:Item 9:2");
        assertThatThrownBy(() -> ashlar.merge("item", List.of(Map.of("sku", "sku-8")),
                Merge.on("sku").whenMatched().update())).isInstanceOf(QueryException.class)
                .hasMessageContaining("overwrites no field");
    }
}
