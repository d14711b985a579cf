package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.api.typed.UniqueKey;
import dev.ashlar.kernel.Ashlar;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.sql;
import static dev.ashlar.api.resource.Type.BINARY;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upserts that change fields from their stored values on a conflict ({@code Upsert.set(field, Atomic)}), asserted on
 * the table's rows: the server computes each change from the stored row, so concurrent upserts lose none.
 */
class AtomicUpsertTest extends DomainDatabaseTest {
    record Counter(Long id, String slug, Integer hits, String title) {
        static final Table<Counter> COUNTERS = Table.of("counter", Counter.class);
        static final Field<Counter, Long> ID = COUNTERS.bigintPrimaryKey("id");
        static final TextField<Counter> SLUG = COUNTERS.attribute("slug", Kind.TEXT, a -> a.notNull());
        static final Field<Counter, Integer> HITS = COUNTERS.attribute("hits", Kind.INTEGER);
        static final TextField<Counter> TITLE = COUNTERS.attribute("title", Kind.TEXT);
        static final UniqueKey<Counter> UNIQUE_SLUG = COUNTERS.identity("unique_slug", SLUG);
        static final Resource RESOURCE = COUNTERS.builder().table("counters")
                .add(ID, SLUG, HITS, TITLE, UNIQUE_SLUG).build();
    }

    static final Resource ITEM = Resource.builder("item").table("items").bigintPrimaryKey("id")
            .attribute("sku", TEXT, a -> a.notNull()).attribute("stock", INTEGER).attribute("label", TEXT)
            .attribute("photos", arrayOf(BINARY))
            .attribute("updated_at", TIMESTAMPTZ, a -> a.touchOnUpdate())
            .identity("unique_sku", "sku")
            .build();
    static final Domain DOMAIN = Domain.builder("atomic_upserts").resources(Counter.RESOURCE, ITEM).build();

    static final Upsert COUNT = Upsert.on("unique_slug").set("hits", Atomic.add(1));

    AtomicUpsertTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void storedRows() {
        db.execute("TRUNCATE counters, items RESTART IDENTITY");
        db.execute("INSERT INTO counters (slug, hits, title) VALUES ('home', 10, 'Home'), ('blank', NULL, 'Blank')");
        db.execute("INSERT INTO items (sku, stock, label) VALUES ('bolt', 10, 'Bolt')");
    }

    private List<String> counters() {
        return db.query("SELECT slug, hits, title FROM counters ORDER BY slug").stream()
                .map(r -> r.get("slug") + ":" + r.get("hits") + ":" + r.get("title")).toList();
    }

    private List<String> items() {
        return db.query("SELECT sku, stock, label FROM items ORDER BY sku").stream()
                .map(r -> r.get("sku") + ":" + r.get("stock") + ":" + r.get("label")).toList();
    }

    @Test
    void aConflictAddsToTheStoredValueAndAnInsertTakesTheRecordsOwnValue() {
        List<Row> rows = ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 1, "title", "Home"),
                Map.of("slug", "about", "hits", 1, "title", "About")), COUNT);

        assertThat(rows).extracting(r -> r.getString("slug") + ":" + r.get("hits")).containsExactly("home:11", "about:1");
        assertThat(counters()).containsExactly("about:1:About", "blank:null:Blank", "home:11:Home");
    }

    @Test
    void aStoredNullCountsAsZeroAndASubtractionTakesFromTheStoredValue() {
        ashlar.upsert("counter", List.of(Map.of("slug", "blank", "hits", 1)),
                Upsert.on("unique_slug").set("hits", Atomic.add(5)));
        ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 1)),
                Upsert.on("unique_slug").set("hits", Atomic.subtract(3)));

        assertThat(counters()).containsExactly("blank:5:Blank", "home:7:Home");
    }

    @Test
    void theOtherGivenFieldsAreStillOverwrittenWithTheIncomingValues() {
        ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 1, "title", "Start")), COUNT);

        assertThat(counters()).containsExactly("blank:null:Blank", "home:11:Start");
    }

    @Test
    void withUpdateOnlyTheNamedFieldsAreOverwrittenBesideTheChangedOne() {
        ashlar.upsert("item", List.of(Map.of("sku", "bolt", "stock", 99, "label", "Hex bolt")),
                Upsert.on("unique_sku").set("stock", Atomic.add(1)).update("label"));
        ashlar.upsert("item", List.of(Map.of("sku", "bolt", "stock", 99, "label", "Ignored")),
                Upsert.on("unique_sku").update("stock").set("label", Atomic.sql("upper(label)")));

        assertThat(items()).containsExactly("bolt:99:HEX BOLT");
    }

    @Test
    void anSqlChangeReadsTheStoredRowsColumnsByTheirBareNamesWithItsValuesBound() {
        List<Row> rows = ashlar.upsert("item", List.of(Map.of("sku", "bolt", "stock", 1, "label", "x"),
                Map.of("sku", "nut", "stock", 3, "label", "Nut")), Upsert.on("unique_sku")
                .set("stock", Atomic.sql("stock + ?", 5)).set("label", Atomic.sql("label || ?", "'; DROP TABLE items; --")));

        assertThat(rows).extracting(r -> r.get("stock")).containsExactly(15, 3);
        assertThat(items()).containsExactly("bolt:15:Bolt'; DROP TABLE items; --", "nut:3:Nut");
    }

    @Test
    void anSqlChangeAddsTheIncomingValueThatIncomingNames() {
        ashlar.upsert("item", List.of(Map.of("sku", "bolt", "stock", 4), Map.of("sku", "nut", "stock", 3)),
                Upsert.on("unique_sku").set("stock", Atomic.sql("stock + ?", incoming("stock"))));

        assertThat(items()).containsExactly("bolt:14:Bolt", "nut:3:null");
    }

    @Test
    void anUpsertOfOneRecordReturnsItWithTheChangedValue() {
        Row first = ashlar.upsert("counter", Map.of("slug", "home", "hits", 1), COUNT);
        Row second = ashlar.upsert("counter", Map.of("slug", "home", "hits", 1), COUNT);

        assertThat(first.get("hits")).isEqualTo(11);
        assertThat(second.get("hits")).isEqualTo(12);
        assertThat(counters()).containsExactly("blank:null:Blank", "home:12:Home");
    }

    @Test
    void aBulkUpsertReturningKeysReturnsTheKeysOfEveryWrittenRecord() {
        List<Row> rows = ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 1),
                Map.of("slug", "new", "hits", 1)), COUNT, Returning.KEYS);

        assertThat(rows).allSatisfy(row -> assertThat(row.fields()).containsExactly("id"));
        assertThat(rows).extracting(r -> db.value("SELECT slug || ':' || hits FROM counters WHERE id = ?",
                r.getLong("id"))).containsExactly("home:11", "new:1");
    }

    @Test
    void recordsWrittenAsOneMultiRowValuesListAreChangedToo() {
        // A bytea array cannot travel in unnest's arrays, so these records go as one VALUES list.
        List<Map<String, Object>> records = List.of(Map.of("sku", "bolt", "stock", 2, "photos", List.of(new byte[]{1})),
                Map.of("sku", "nut", "stock", 2, "photos", List.of(new byte[]{2})));

        ashlar.upsert("item", records, Upsert.on("unique_sku").set("stock", Atomic.add(2)));
        ashlar.upsert("item", records, Upsert.on("unique_sku").set("stock", Atomic.add(2)));

        assertThat(items()).containsExactly("bolt:14:Bolt", "nut:4:null");
    }

    @Test
    void aChangeMarksTheRowUpdatedLikeAnyOverwrite() {
        db.execute("UPDATE items SET updated_at = '2000-01-01'");

        ashlar.upsert("item", List.of(Map.of("sku", "bolt")), Upsert.on("unique_sku").set("stock", Atomic.add(1)));

        assertThat(db.value("SELECT updated_at > '2000-01-02' FROM items WHERE sku = 'bolt'")).isEqualTo(true);
        assertThat(items()).containsExactly("bolt:11:Bolt");
    }

    @Test
    void theChangesAndTheConditionEachGetTheirOwnValues() {
        db.execute("INSERT INTO counters (slug, hits, title) VALUES ('frozen', 3, 'frozen')");
        Upsert counted = Upsert.on("unique_slug").set("hits", Atomic.add(2)).where(ne("title", "frozen"));

        for (int call = 0; call < 2; call++) {
            ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 1),
                    Map.of("slug", "frozen", "hits", 1)), counted);
        }

        assertThat(counters()).containsExactly("blank:null:Blank", "frozen:3:frozen", "home:14:Home");
    }

    @Test
    void aConditionInSqlOnTheIncomingValueDecidesWhichStoredRecordsAreChanged() {
        Upsert smaller = Upsert.on("unique_slug").set("title", Atomic.sql("title || ?", "+"))
                .where(sql("hits < ?", incoming("hits")));

        List<Row> rows = ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 5),
                Map.of("slug", "blank", "hits", 5)), smaller);
        ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 50)), smaller);

        assertThat(rows).isEmpty();
        assertThat(counters()).containsExactly("blank:null:Blank", "home:50:Home+");
    }

    @Test
    void concurrentUpsertsOfOneRecordLoseNoIncrement() throws Exception {
        int threads = 4;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        ashlar.upsert("counter", List.of(Map.of("slug", "busy", "hits", 1)), COUNT);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(db.value("SELECT hits FROM counters WHERE slug = 'busy'")).isEqualTo(threads * each);
        assertThat(db.value("SELECT count(*) FROM counters WHERE slug = 'busy'")).isEqualTo(1L);
    }

    @Test
    void theTypedApiChangesStoredRecordsWithAddAndSetSql() {
        var counted = Counter.UNIQUE_SLUG.updateAll().set(Counter.HITS.add(1))
                .set(Counter.TITLE.setSql("title || ?", Counter.TITLE.incoming()));

        List<Counter> written = ashlar.upsert(Counter.COUNTERS, List.of(new Counter(null, "home", 1, "!"),
                new Counter(null, "docs", 1, "Docs")), counted);
        Counter one = ashlar.upsert(Counter.COUNTERS, new Counter(null, "home", 1, "?"), counted);

        assertThat(written).extracting(Counter::hits).containsExactly(11, 1);
        assertThat(one.hits()).isEqualTo(12);
        assertThat(counters()).containsExactly("blank:null:Blank", "docs:1:Docs", "home:12:Home!?");
    }

    @Test
    void theTypedApiRefusesAChangeThatSetsAValueInsteadOfComputingIt() {
        assertThatThrownBy(() -> Counter.UNIQUE_SLUG.updateAll().set(Counter.HITS.set(5)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("changes 'hits' from its stored value: give add(...), subtract(...) or "
                        + "setSql(...); to overwrite it with the incoming value, name it in update(...)");
    }

    /** Upserts home's counter, expecting a refusal, and asserts the stored counters were left as they were. */
    private AbstractThrowableAssert<?, ? extends Throwable> refusedCounterUpsert(Upsert upsert) {
        var refused = assertThatThrownBy(() -> ashlar.upsert("counter", List.of(Map.of("slug", "home", "hits", 1)),
                upsert));
        assertThat(counters()).containsExactly("blank:null:Blank", "home:10:Home");
        return refused;
    }

    @Test
    void aChangeOfAnUnknownFieldIsRefusedBeforeWriting() {
        refusedCounterUpsert(Upsert.on("unique_slug").set("hitz", Atomic.add(1)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Resource 'counter' has no attribute 'hitz'");
    }

    @Test
    void aChangeOfAFieldOfTheIdentityIsRefused() {
        refusedCounterUpsert(Upsert.on("unique_slug").set("slug", Atomic.sql("slug || ?", "-2")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("An upsert of counter on identity 'unique_slug' cannot change 'slug': it is "
                        + "part of the identity that decides the conflict. Leave it out of set(...)");
    }

    @Test
    void anAdditionToAFieldThatIsNotANumberIsRefused() {
        refusedCounterUpsert(Upsert.on("unique_slug").set("title", Atomic.add(1)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("An upsert of counter adds to 'title', which is not a number")
                .hasMessageContaining("Use Atomic.sql(...) for other changes");
    }

    @Test
    void anAmountThatDoesNotFitTheFieldIsRefusedAsInvalidData() {
        refusedCounterUpsert(Upsert.on("unique_slug").set("hits", Atomic.add(1.5)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("hits");
    }

    @Test
    void aChangeCannotBeCombinedWithDoNothingOrWithOverwritingTheSameField() {
        assertThatThrownBy(() -> COUNT.doNothing())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("cannot both keep every stored record (doNothing()) and change [hits]");
        assertThatThrownBy(() -> Upsert.on("unique_slug").doNothing().set("hits", Atomic.add(1)))
                .isInstanceOf(QueryException.class).hasMessageContaining("drop one of them");
        assertThatThrownBy(() -> COUNT.update("hits", "title"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("both overwrites 'hits' with the incoming value (update(...)) and changes it "
                        + "from the stored value (set(\"hits\", ...)): leave it out of update(...)");
        assertThatThrownBy(() -> COUNT.set("hits", Atomic.add(2)))
                .isInstanceOf(QueryException.class).hasMessageContaining("sets 'hits' twice");
    }

    @Test
    void anIncomingValueARecordDoesNotGiveIsRefused() {
        assertThatThrownBy(() -> ashlar.upsert("item", List.of(Map.of("sku", "bolt")),
                Upsert.on("unique_sku").set("stock", Atomic.sql("stock + ?", incoming("stock")))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("An upsert of item reads the incoming 'stock', but a record does not give it");

        assertThat(items()).containsExactly("bolt:10:Bolt");
    }

    @Test
    void anIncomingValueOutsideAnUpsertIsRefused() {
        assertThatThrownBy(() -> ashlar.read("item").updateAll(Map.of("stock",
                Atomic.sql("stock + ?", incoming("stock")))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("incoming(\"stock\") is the value an upsert brings for item.stock");
        assertThatThrownBy(() -> ashlar.read("item").where(sql("stock < ?", incoming("stock"))).list())
                .isInstanceOf(QueryException.class);

        assertThat(items()).containsExactly("bolt:10:Bolt");
    }

    /** Two tenant schemas with a counter 'home' each, and a table of bonuses of their own (public has one too). */
    private void tenantSchemas() {
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE; "
                + "DROP TABLE IF EXISTS public.bonuses");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".counters "
                    + "(LIKE public.counters INCLUDING ALL); CREATE TABLE " + tenant + ".bonuses (n int); "
                    + "INSERT INTO " + tenant + ".counters (slug, hits, title) VALUES ('home', 100, '" + tenant + "')");
        }
        db.execute("INSERT INTO t_a.bonuses VALUES (1); INSERT INTO t_b.bonuses VALUES (1), (2), (3); "
                + "CREATE TABLE public.bonuses (n int); INSERT INTO public.bonuses SELECT generate_series(1, 50)");
    }

    private List<String> tenantCounters(String tenant) {
        return db.query("SELECT slug, hits FROM " + tenant + ".counters ORDER BY slug").stream()
                .map(r -> r.get("slug") + ":" + r.get("hits")).toList();
    }

    record Item(Long id, String sku, Integer stock, String label, Instant updatedAt) {
        static final Table<Item> ITEMS = Table.of("item", Item.class);
        static final Field<Item, Long> ID = ITEMS.bigintPrimaryKey("id");
        static final TextField<Item> SKU = ITEMS.attribute("sku", Kind.TEXT);
        static final Field<Item, Integer> STOCK = ITEMS.attribute("stock", Kind.INTEGER);
        static final TextField<Item> LABEL = ITEMS.attribute("label", Kind.TEXT);
        static final Field<Item, Instant> UPDATED_AT = ITEMS.attribute("updated_at", Kind.TIMESTAMPTZ);
        static final UniqueKey<Item> UNIQUE_SKU = ITEMS.identity("unique_sku", SKU);
    }

    @Test
    void upsertsThatKeepUpdateTimesLeaveTheStoredUpdateTimeTypedOrNot() {
        Instant kept = Instant.parse("2020-01-01T00:00:00Z");
        db.execute("UPDATE items SET updated_at = '2020-01-01T00:00:00Z'");

        ashlar.upsert("item", List.of(Map.of("sku", "bolt", "label", "Bolt 2")), Upsert.on("unique_sku")
                .keepUpdateTimes());
        Item typed = ashlar.upsert(Item.ITEMS, new Item(null, "bolt", 5, "Bolt 3", null),
                Item.UNIQUE_SKU.update(Item.STOCK, Item.LABEL).keepUpdateTimes());

        assertThat(typed.updatedAt()).isEqualTo(kept);
        assertThat(((java.sql.Timestamp) db.value("SELECT updated_at FROM items WHERE sku = 'bolt'")).toInstant())
                .isEqualTo(kept);
        assertThat(db.value("SELECT label || ':' || stock FROM items WHERE sku = 'bolt'")).isEqualTo("Bolt 3:5");
    }

    @Test
    void anUpsertInOneTenantSchemaNeverChangesAnotherTenantsRecord() {
        tenantSchemas();
        try (Ashlar scoped = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("counter"))) {
            Ashlar attacker = scoped.withTenant("t_a");

            attacker.upsert("counter", List.of(Map.of("slug", "home", "hits", 1), Map.of("slug", "t_b-only",
                    "hits", 1)), COUNT);
            attacker.upsert("counter", Map.of("slug", "home", "hits", 1), COUNT);
        }

        assertThat(tenantCounters("t_a")).containsExactly("home:102", "t_b-only:1");
        assertThat(tenantCounters("t_b")).containsExactly("home:100");
        assertThat(counters()).containsExactly("blank:null:Blank", "home:10:Home");
    }

    @Test
    void sqlInAChangeOrAConditionReadsTheTenantsOwnTables() {
        tenantSchemas();
        try (Ashlar scoped = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("counter"))) {
            scoped.withTenant("t_a").upsert("counter", List.of(Map.of("slug", "home", "hits", 1)),
                    Upsert.on("unique_slug").set("hits", Atomic.sql("hits + (SELECT count(*) FROM bonuses)")));
            scoped.withTenant("t_b").upsert("counter", List.of(Map.of("slug", "home", "hits", 1)),
                    Upsert.on("unique_slug").set("hits", Atomic.add(1))
                            .where(sql("(SELECT count(*) FROM bonuses) = ?", 3)));
        }

        assertThat(tenantCounters("t_a")).containsExactly("home:101");
        assertThat(tenantCounters("t_b")).containsExactly("home:101");
    }

    static final Resource TALLY = Resource.builder("tally").table("tallies").bigintPrimaryKey("id")
            .attribute("org", TEXT, a -> a.notNull()).attribute("name", TEXT).attribute("code", TEXT)
            .attribute("hits", INTEGER)
            .identity("unique_name", "name")
            .identity("unique_code", List.of("code"), null, true)
            .build();

    @Test
    void anUpsertMeetingAnotherTenantsRecordOrChangingTheTenantIsRefusedAndChangesNothing() {
        db.execute("DROP TABLE IF EXISTS tallies; CREATE TABLE tallies (id bigserial PRIMARY KEY, org text NOT NULL, "
                + "name text, code text, hits integer); CREATE UNIQUE INDEX ON tallies (org, name); "
                + "CREATE UNIQUE INDEX ON tallies (code); INSERT INTO tallies (org, name, code, hits) "
                + "VALUES ('b', 'home', 'B-1', 100)");
        try (Ashlar tallies = Ashlar.builder().dataSource(db.dataSource())
                .domain(Domain.builder("tallies").resource(TALLY).build()).install(OneResourceTenancy.column("tally", "org", false)).build()) {
            Ashlar attacker = tallies.withTenant("a");

            attacker.upsert("tally", List.of(Map.of("name", "home", "code", "A-1", "hits", 1)),
                    Upsert.on("unique_name").set("hits", Atomic.add(1)));
            assertThatThrownBy(() -> attacker.upsert("tally", List.of(Map.of("name", "x", "code", "B-1", "hits", 1)),
                    Upsert.on("unique_code").set("hits", Atomic.add(1))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("has already been taken");
            assertThatThrownBy(() -> attacker.upsert("tally", List.of(Map.of("name", "home", "hits", 1)),
                    Upsert.on("unique_name").set("org", Atomic.sql("?", "b"))))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("may not update 'org': it holds the record's tenant. Leave it out of set(...)");
        }

        assertThat(db.query("SELECT org, name, code, hits FROM tallies ORDER BY org").stream()
                .map(r -> r.get("org") + ":" + r.get("name") + ":" + r.get("code") + ":" + r.get("hits")).toList())
                .containsExactly("a:home:A-1:1", "b:home:B-1:100");
    }
}
