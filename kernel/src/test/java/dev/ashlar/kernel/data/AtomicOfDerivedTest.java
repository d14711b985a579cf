package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AshPostgres's atomic updates to a calculation or an aggregate ({@code atomic_update(:score, expr(score_calc))},
 * {@code change atomic_update(:total, expr(count_of_items))}): {@code Atomic.of} computes the field in the update
 * statement itself, with the scopes the aggregate is read with.
 */
class AtomicOfDerivedTest extends DomainDatabaseTest {
    static final Resource ORDER = Resource.builder("order").table("orders")
            .integerPrimaryKey("id")
            .attribute("label", TEXT)
            .attribute("base", INTEGER)
            .attribute("score", INTEGER)
            .attribute("total", INTEGER)
            .hasMany("items", "item")
            .count("count_of_items", "items")
            .calculate("score_calc", Integer.class, "base * 2 + 1")
            .identity("unique_label", "label")
            .build();
    static final Resource ITEM = Resource.builder("item").table("items")
            .integerPrimaryKey("id")
            .attribute("tenant", TEXT)
            .attribute("removed_by", TEXT)
            .belongsTo("order", "order")
            .baseFilter("removed_by IS NULL", isNil("removed_by"))
            .build();

    record Counter(Integer id, Integer hits) {
        static final Table<Counter> COUNTERS = Table.of("counter", Counter.class);
        static final Field<Counter, Integer> ID = COUNTERS.integerPrimaryKey("id");
        static final Field<Counter, Integer> HITS = COUNTERS.attribute("hits", Kind.INTEGER);
        static final CalculationField<Counter, Integer> DOUBLED = COUNTERS.calculate("doubled", Integer.class,
                "hits * 2");
        static final Resource RESOURCE = COUNTERS.builder().table("counters").add(ID, HITS, DOUBLED).build();
    }

    static final Domain DOMAIN = Domain.builder("atomic_of").resources(ORDER, ITEM, Counter.RESOURCE).build();

    AtomicOfDerivedTest() {
        super(DOMAIN, OneResourceTenancy.column("item", "tenant", true));
    }

    private Row order;

    @BeforeEach
    void orderWithItems() {
        db.execute("TRUNCATE orders, items");
        order = ashlar.create("order", Map.of("label", "first", "base", 20));
        item("acme", null);
        item("acme", null);
        item("acme", "ops");
        item("globex", null);
    }

    private void item(String tenant, String removedBy) {
        Map<String, Object> values = new HashMap<>(Map.of("tenant", tenant, "order_id", order.get("id")));
        values.put("removed_by", removedBy);
        ashlar.create("item", values);
    }

    private Object stored(String column) {
        return db.value("SELECT " + column + " FROM orders WHERE id = ?", order.get("id"));
    }

    @Test
    void anUpdateSetsAFieldToADeclaredCalculationOfTheStoredRow() {
        Row updated = ashlar.update(order, Map.of("score", Atomic.of("score_calc")));

        assertThat(updated.get("score")).isEqualTo(41);
        assertThat(stored("score")).isEqualTo(41);
    }

    @Test
    void anUpdateSetsAFieldToACountAggregateLeavingOutTheRecordsTheBaseFilterHides() {
        ashlar.update(order, Map.of("total", Atomic.of("count_of_items")));

        assertThat(stored("total")).isEqualTo(3);
    }

    @Test
    void aBulkUpdateForATenantCountsOnlyThatTenantsRecords() {
        int updated = ashlar.read("order").tenant("acme").where(eq("label", "first"))
                .updateCount(Map.of("total", Atomic.of("count_of_items"), "score", Atomic.of("score_calc")));

        assertThat(updated).isEqualTo(1);
        assertThat(stored("total")).isEqualTo(2);
        assertThat(stored("score")).isEqualTo(41);
        ashlar.read("order").tenant("globex").updateAll(Map.of("total", Atomic.of("count_of_items")));
        assertThat(stored("total")).isEqualTo(1);
    }

    @Test
    void anUpdateOfRecordsInHandSetsEachToItsOwnAggregate() {
        Row empty = ashlar.create("order", Map.of("label", "empty", "total", 9));

        ashlar.updateAll(List.of(order, empty), Map.of("total", Atomic.of("count_of_items")));

        assertThat(stored("total")).isEqualTo(3);
        assertThat(db.value("SELECT total FROM orders WHERE label = 'empty'")).isEqualTo(0);
    }

    @Test
    void aDerivedValueOfATypeTheAttributeCannotTakeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.update(order, Map.of("total", Atomic.of("label"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("total")
                .hasMessageContaining("Atomic.of");
        assertThat(stored("total")).isNull();
    }

    @Test
    void anUpdateSetsAFieldToAnotherAttribute() {
        ashlar.update(order, Map.of("total", Atomic.of("base")));

        assertThat(stored("total")).isEqualTo(20);
    }

    @Test
    void anUpsertSetsAFieldToAnAttributeAsStoredBeforeTheUpsertOverwritesIt() {
        ashlar.upsert("order", Map.of("label", "first", "base", 7),
                Upsert.on("unique_label").set("total", Atomic.of("base")));

        assertThat(stored("total")).isEqualTo(20);
        assertThat(stored("base")).isEqualTo(7);
    }

    @Test
    void aNameThatIsNoFieldOfTheResourceIsRefusedNamingItAndTheChoices() {
        assertThatThrownBy(() -> ashlar.update(order, Map.of("total", Atomic.of("count_of_itemz"))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("count_of_itemz").hasMessageContaining("count_of_items")
                .hasMessageContaining("score_calc");
        assertThat(stored("total")).isNull();
    }

    @Test
    void aCreateOrAnUpsertTakingADerivedFieldIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.create("order", Map.of("label", "new", "total",
                Atomic.of("count_of_items"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("total")
                .hasMessageContaining("Atomic.of(\"count_of_items\")");
        assertThatThrownBy(() -> ashlar.upsert("order", Map.of("label", "first"),
                Upsert.on("unique_label").set("total", Atomic.of("count_of_items"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("total")
                .hasMessageContaining("count_of_items");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(1L);
    }

    @Test
    void aTypedFieldIsSetToATypedCalculationInTheUpdate() {
        Counter counter = ashlar.create(Counter.COUNTERS, new Counter(null, 21));

        Counter updated = ashlar.update(Counter.COUNTERS, counter, Counter.HITS.setTo(Counter.DOUBLED));

        assertThat(updated.hits()).isEqualTo(42);
        assertThat(db.value("SELECT hits FROM counters WHERE id = ?", counter.id())).isEqualTo(42);
    }
}
