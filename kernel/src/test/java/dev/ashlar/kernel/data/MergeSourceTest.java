package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A merge whose source is not a list of records (jOOQ's {@code mergeInto(STOCK).using(select(...).from(FEED))}): a
 * read of another resource, with its own tenant, base filter and filters, and a statement written by hand with bound
 * values; both tenants hold stock of the same skus, and each merge is tried from the other tenant's side.
 */
@RequiresPostgres(value = 15, reason = "MERGE")
class MergeSourceTest extends DomainDatabaseTest {
    record Stock(Long id, String org, String sku, Integer qty) {
        static final Table<Stock> STOCKS = Table.of("stock", Stock.class);
        static final Field<Stock, Long> ID = STOCKS.bigintPrimaryKey("id");
        static final TextField<Stock> ORG = STOCKS.attribute("org", Kind.TEXT, a -> a.notNull());
        static final TextField<Stock> SKU = STOCKS.attribute("sku", Kind.TEXT, a -> a.notNull());
        static final Field<Stock, Integer> QTY = STOCKS.attribute("qty", Kind.INTEGER);
        static final Resource RESOURCE = STOCKS.builder().table("merge_src_stock").add(ID, ORG, SKU, QTY).build();
    }

    record Feed(Long id, String org, String code, Integer qty, Integer batch, Boolean withdrawn) {
        static final Table<Feed> FEEDS = Table.of("feed", Feed.class);
        static final Field<Feed, Long> ID = FEEDS.bigintPrimaryKey("id");
        static final TextField<Feed> ORG = FEEDS.attribute("org", Kind.TEXT, a -> a.notNull());
        static final TextField<Feed> CODE = FEEDS.attribute("code", Kind.TEXT, a -> a.notNull());
        static final Field<Feed, Integer> QTY = FEEDS.attribute("qty", Kind.INTEGER);
        static final Field<Feed, Integer> BATCH = FEEDS.attribute("batch", Kind.INTEGER);
        static final Field<Feed, Boolean> WITHDRAWN = FEEDS.attribute("withdrawn", Kind.BOOLEAN, a -> a.notNull());
        static final Resource RESOURCE = FEEDS.builder().table("merge_src_feed").add(ID, ORG, CODE, QTY, BATCH,
                WITHDRAWN).baseFilter("NOT withdrawn", Filter.eq("withdrawn", false)).build();
    }

    static final Domain DOMAIN = Domain.builder("merge_sources").resources(Stock.RESOURCE, Feed.RESOURCE).build();

    /** Deletes a stored stock of 3 (the withdrawn feed row would meet it), updates the others, inserts new ones. */
    static final Merge RESTOCK = Merge.on("sku")
            .whenMatched(eq("qty", 3)).delete()
            .whenMatched().update("qty")
            .whenNotMatched().insert();

    static final Map<String, String> SKU_AND_QTY = new LinkedHashMap<>(Map.of("sku", "code", "qty", "qty"));

    MergeSourceTest() {
        super(DOMAIN, OneResourceTenancy.column("stock", "org", false), OneResourceTenancy.column("feed", "org", false));
    }

    /** Each tenant holds sku-1..sku-3; each tenant's feed has a batch 7 (sku-1 to 11, sku-2 to 0, new-1) and more. */
    @BeforeEach
    void bothTenantsHoldStockAndAFeed() {
        db.execute("TRUNCATE merge_src_stock, merge_src_feed RESTART IDENTITY");
        db.execute("INSERT INTO merge_src_stock (org, sku, qty) SELECT org, 'sku-' || i, i FROM generate_series(1, 3) "
                + "AS i, (VALUES ('a'), ('b')) AS orgs(org)");
        db.execute("INSERT INTO merge_src_feed (org, code, qty, batch, withdrawn) SELECT org, code, qty, batch, "
                + "withdrawn FROM (VALUES ('sku-1', 11, 7, false), ('sku-2', 0, 7, false), ('new-1', 5, 7, false), "
                + "('sku-3', 33, 7, true), ('sku-3', 99, 8, false)) AS f(code, qty, batch, withdrawn), "
                + "(VALUES ('a'), ('b')) AS orgs(org)");
    }

    private List<String> stock(String org) {
        return db.query("SELECT sku, qty FROM merge_src_stock WHERE org = ? ORDER BY sku", org).stream()
                .map(r -> r.get("sku") + ":" + r.get("qty")).toList();
    }

    private static final List<String> UNTOUCHED = List.of("sku-1:1", "sku-2:2", "sku-3:3");

    @Test
    void aReadOfAnotherResourceIsMergedWithItsFilterAndBaseFilterIntoTheTenantsStockOnly() {
        Ashlar tenantA = ashlar.withTenant("a");

        MergeResult result = tenantA.merge("stock", tenantA.read("feed").where(eq("batch", 7)), SKU_AND_QTY,
                RESTOCK);

        assertThat(result.merged()).isEqualTo(3);
        assertThat(stock("a")).containsExactly("new-1:5", "sku-1:11", "sku-2:0", "sku-3:3");
        assertThat(stock("b")).isEqualTo(UNTOUCHED);
        assertThat(db.value("SELECT count(*) FROM merge_src_stock WHERE org = 'b'")).isEqualTo(3L);
    }

    @Test
    void theSourceReadKeepsItsOwnTenantSoTenantBTakesNoneOfTenantAsFeedRows() {
        db.execute("DELETE FROM merge_src_feed WHERE org = 'b'");
        Ashlar attacker = ashlar.withTenant("b");

        MergeResult result = attacker.merge("stock", attacker.read("feed"), SKU_AND_QTY, RESTOCK);

        assertThat(result.merged()).isZero();
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
        assertThat(stock("b")).isEqualTo(UNTOUCHED);
    }

    @Test
    void aReadOfTenantAsFeedMergedByTenantBWritesTenantBsStockOnly() {
        MergeResult result = ashlar.withTenant("b").merge("stock",
                ashlar.withTenant("a").read("feed").where(eq("batch", 7)), SKU_AND_QTY, RESTOCK);

        assertThat(result.merged()).isEqualTo(3);
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
        assertThat(stock("b")).containsExactly("new-1:5", "sku-1:11", "sku-2:0", "sku-3:3");
    }

    @Test
    void aSourceRowNamingAnotherTenantIsRefusedAndNothingIsWritten() {
        Map<String, String> withTenant = new LinkedHashMap<>(SKU_AND_QTY);
        withTenant.put("org", "org");

        assertThatThrownBy(() -> ashlar.withTenant("b").merge("stock", ashlar.withTenant("a").read("feed"),
                withTenant, RESTOCK)).isInstanceOf(InvalidDataException.class).hasMessageContaining("org");
        assertThatThrownBy(() -> ashlar.withTenant("b").merge("stock", ashlar.sql("SELECT code AS sku, qty, org "
                + "FROM merge_src_feed WHERE org = ? AND batch = ?", "a", 7), RESTOCK))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("org");
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
        assertThat(stock("b")).isEqualTo(UNTOUCHED);
    }

    @Test
    void aStatementSelectingTenantAsRowsIsMergedWithinTheMergingTenantAndLeavesTenantAsStock() {
        MergeResult result = ashlar.withTenant("b").merge("stock", ashlar.sql("SELECT code AS sku, qty FROM "
                + "merge_src_feed WHERE org = ? AND batch = ? AND NOT withdrawn", "a", 7), RESTOCK);

        assertThat(result.merged()).isEqualTo(3);
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
        assertThat(stock("b")).containsExactly("new-1:5", "sku-1:11", "sku-2:0", "sku-3:3");
    }

    @Test
    void aTypedReadOfAnotherTableIsMergedThroughTheFunctionThatMakesEachRecord() {
        Ashlar tenantA = ashlar.withTenant("a");

        MergeResult result = tenantA.merge(Stock.STOCKS, tenantA.read(Feed.FEEDS).where(Feed.BATCH.eq(8)),
                feed -> new Stock(null, null, feed.code(), feed.qty()), RESTOCK);

        assertThat(result.merged()).isEqualTo(1);
        assertThat(stock("a")).containsExactly("sku-1:1", "sku-2:2");
        assertThat(stock("b")).isEqualTo(UNTOUCHED);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conrelid = 'merge_src_stock'::regclass "
                + "AND contype = 'p'")).isEqualTo(1L);
    }

    @Test
    void aSourceFieldTheReadDoesNotGiveIsRefusedNamingItAndNothingIsWritten() {
        Ashlar tenantA = ashlar.withTenant("a");

        assertThatThrownBy(() -> tenantA.merge("stock", tenantA.read("feed"), Map.of("sku", "sku"), RESTOCK))
                .isInstanceOf(QueryException.class).hasMessageContaining("'sku' of feed")
                .hasMessageContaining("code");
        assertThatThrownBy(() -> tenantA.merge("stock", tenantA.read("feed"), Map.of(), RESTOCK))
                .isInstanceOf(QueryException.class).hasMessageContaining("takes no field");
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
    }

    @Test
    void aFieldMapNamingNullIsRefusedNamingTheMergeAndNothingIsWritten() {
        Ashlar tenantA = ashlar.withTenant("a");
        Map<String, String> nullSource = new LinkedHashMap<>(SKU_AND_QTY);
        nullSource.put("qty", null);
        Map<String, String> nullTarget = new LinkedHashMap<>(SKU_AND_QTY);
        nullTarget.put(null, "qty");

        for (Map<String, String> fields : List.of(nullSource, nullTarget)) {
            assertThatThrownBy(() -> tenantA.merge("stock", tenantA.read("feed"), fields, RESTOCK))
                    .isInstanceOf(QueryException.class).hasMessageContaining("A merge into stock from a read of feed")
                    .hasMessageContaining("neither may be null");
        }
        assertThatThrownBy(() -> tenantA.merge("stock", tenantA.read("feed"), null, RESTOCK))
                .isInstanceOf(QueryException.class).hasMessageContaining("fields");
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
    }

    @Test
    void aSourceBegunFromAnotherAshlarIsRefusedAsOutsideTheMergesTransactionAndNothingIsWritten() {
        Ashlar tenantA = ashlar.withTenant("a");
        try (Ashlar other = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.column("stock", "org", false),
                OneResourceTenancy.column("feed", "org", false))) {
            assertThatThrownBy(() -> tenantA.merge("stock", other.withTenant("a").read("feed"), SKU_AND_QTY, RESTOCK))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("A merge into stock reads feed through another Ashlar");
            assertThatThrownBy(() -> tenantA.merge(Stock.STOCKS, other.withTenant("a").read(Feed.FEEDS),
                    feed -> new Stock(null, null, feed.code(), feed.qty()), RESTOCK))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("A merge into stock reads feed through another Ashlar");
            assertThatThrownBy(() -> tenantA.merge("stock", other.sql("SELECT code AS sku, qty FROM merge_src_feed "
                    + "WHERE org = ?", "a"), RESTOCK)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("A merge into stock runs a statement written by hand through another Ashlar");
        }
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
        assertThat(stock("b")).isEqualTo(UNTOUCHED);
    }

    @Test
    void twoSourceRowsFindingOneStoredRecordAreRefusedAndTheMergeWritesNothing() {
        db.execute("INSERT INTO merge_src_feed (org, code, qty, batch, withdrawn) VALUES ('a', 'sku-1', 12, 7, false)");
        Ashlar tenantA = ashlar.withTenant("a");

        assertThatThrownBy(() -> tenantA.merge("stock", tenantA.read("feed").where(eq("batch", 7)), SKU_AND_QTY,
                RESTOCK)).isInstanceOf(QueryException.class).hasMessageContaining("sku-1");
        assertThat(stock("a")).isEqualTo(UNTOUCHED);
    }
}
