package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A merge from the attacker's side: tenant B merging records that name tenant A's keys can neither update, delete nor
 * see A's rows, under a tenant column and in a schema per tenant.
 */
@RequiresPostgres(value = 15, reason = "MERGE")
class MergeTenancyTest extends DomainDatabaseTest {
    static final Resource STOCK = Resource.builder("stock").table("merge_stock").bigintPrimaryKey("id")
            .attribute("org", Type.TEXT, a -> a.notNull()).attribute("sku", Type.TEXT, a -> a.notNull())
            .attribute("qty", Type.INTEGER).build();
    static final Resource SHELF = Resource.builder("shelf").table("merge_shelves").bigintPrimaryKey("id")
            .attribute("sku", Type.TEXT, a -> a.notNull()).attribute("qty", Type.INTEGER)
            .identity("unique_shelf_sku", "sku").build();
    static final Domain DOMAIN = Domain.builder("merge_tenants").resources(STOCK, SHELF).build();

    static final Merge EVERYTHING = Merge.on("sku")
            .whenMatched(eq("qty", 0)).delete()
            .whenMatched().update("qty")
            .whenNotMatched().insert();

    MergeTenancyTest() {
        super(DOMAIN, OneResourceTenancy.column("stock", "org", false), OneResourceTenancy.schemas("shelf"));
    }

    @BeforeEach
    void eachTenantHoldsRows() {
        db.execute("TRUNCATE merge_stock RESTART IDENTITY");
        db.execute("INSERT INTO merge_stock (org, sku, qty) SELECT org, 'sku-' || i, i FROM generate_series(0, 99) AS i,"
                + " (VALUES ('a'), ('b')) AS orgs(org)");
        db.execute("DROP SCHEMA IF EXISTS t_a CASCADE; DROP SCHEMA IF EXISTS t_b CASCADE");
        for (String tenant : List.of("t_a", "t_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".merge_shelves "
                    + "(LIKE public.merge_shelves INCLUDING ALL); INSERT INTO " + tenant + ".merge_shelves (sku, qty) "
                    + "VALUES ('shared', 10), ('only-" + tenant + "', 0)");
        }
    }

    private List<String> stock(String org) {
        return db.query("SELECT sku, qty FROM merge_stock WHERE org = ? AND sku IN ('sku-0', 'sku-5', 'sku-a') "
                + "ORDER BY sku", org).stream().map(r -> r.get("sku") + ":" + r.get("qty")).toList();
    }

    @Test
    void tenantBMergingTenantAsKeysNeitherUpdatesNorDeletesTheirRows() {
        Ashlar attacker = ashlar.withTenant("b");

        MergeResult result = attacker.merge("stock", List.of(Map.of("sku", "sku-5", "qty", 555),
                Map.of("sku", "sku-0", "qty", 1), Map.of("sku", "sku-a", "qty", 9)), EVERYTHING);

        assertThat(result.merged()).isEqualTo(3);
        assertThat(stock("a")).containsExactly("sku-0:0", "sku-5:5");
        assertThat(stock("b")).containsExactly("sku-5:555", "sku-a:9");
        assertThat(db.value("SELECT count(*) FROM merge_stock WHERE org = 'a'")).isEqualTo(100L);
    }

    @Test
    void aRecordOnlyAnotherTenantHoldsIsNotMatchedSoItIsInsertedIntoTheMergingTenant() {
        db.execute("INSERT INTO merge_stock (org, sku, qty) VALUES ('a', 'secret', 1)");

        MergeResult result = ashlar.withTenant("b").merge("stock", List.of(Map.of("sku", "secret", "qty", 0)),
                Merge.on("sku").whenMatched().delete().whenNotMatched().insert());

        assertThat(result.merged()).isEqualTo(1);
        assertThat(db.query("SELECT org, qty FROM merge_stock WHERE sku = 'secret' ORDER BY org").stream()
                .map(r -> r.get("org") + ":" + r.get("qty")).toList()).containsExactly("a:1", "b:0");
    }

    @Test
    void aRecordNamingAnotherTenantIsRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> ashlar.withTenant("b").merge("stock", List.of(
                Map.of("org", "b", "sku", "sku-5", "qty", 1), Map.of("org", "a", "sku", "sku-6", "qty", 1)), EVERYTHING))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("org")
                .hasMessageContaining("cannot be set to a");
        assertThat(db.value("SELECT count(*) FROM merge_stock WHERE qty = 1")).isEqualTo(2L);
    }

    @Test
    void tenantBCannotMoveItsRowsToTenantAByOverwritingTheTenantColumn() {
        assertThatThrownBy(() -> ashlar.withTenant("b").merge("stock", List.of(Map.of("sku", "sku-5", "qty", 1)),
                Merge.on("sku").whenMatched().update("org", "qty"))).isInstanceOf(QueryException.class)
                .hasMessageContaining("cannot overwrite 'org': it is the tenant of the record");

        MergeResult result = ashlar.withTenant("b").merge("stock", List.of(Map.of("sku", "sku-5", "qty", 55)),
                Merge.on("org", "sku").whenMatched().update());

        assertThat(result.merged()).isEqualTo(1);
        assertThat(stock("a")).containsExactly("sku-0:0", "sku-5:5");
        assertThat(stock("b")).containsExactly("sku-0:0", "sku-5:55");
    }

    @Test
    void aMergeInTenantBsSchemaChangesOnlyTenantBsTable() {
        ashlar.withTenant("t_b").merge("shelf", List.of(Map.of("sku", "shared", "qty", 0),
                Map.of("sku", "only-t_a", "qty", 3)), Merge.on("sku").whenMatched().delete()
                .whenNotMatched().insert());

        assertThat(shelves("t_a")).containsExactly("only-t_a:0", "shared:10");
        assertThat(shelves("t_b")).containsExactly("only-t_a:3", "only-t_b:0");
        assertThat(db.value("SELECT count(*) FROM public.merge_shelves")).isEqualTo(0L);
    }

    @Test
    void tenantBsRecordsGivingDifferentFieldsEachStayInTenantBAcrossTheStatementsOfTheMerge() {
        Merge merge = Merge.on("sku").whenMatched(eq("qty", 0)).delete().whenMatched().update()
                .whenNotMatched().insert();

        MergeResult result = ashlar.withTenant("b").merge("stock", List.of(Map.of("sku", "sku-5", "qty", 555),
                Map.of("sku", "sku-0"), Map.of("org", "b", "sku", "sku-a", "qty", 9)), merge);
        ashlar.withTenant("t_b").merge("shelf", List.of(Map.of("sku", "shared", "qty", 11),
                Map.of("sku", "only-t_a")), merge);

        assertThat(result.merged()).isEqualTo(3);
        assertThat(stock("a")).containsExactly("sku-0:0", "sku-5:5");
        assertThat(stock("b")).containsExactly("sku-5:555", "sku-a:9");
        assertThat(db.value("SELECT count(*) FROM merge_stock WHERE org = 'a'")).isEqualTo(100L);
        assertThat(shelves("t_a")).containsExactly("only-t_a:0", "shared:10");
        assertThat(shelves("t_b")).containsExactly("only-t_a:null", "only-t_b:0", "shared:11");
    }

    private List<String> shelves(String schema) {
        return db.query("SELECT sku, qty FROM " + schema + ".merge_shelves ORDER BY sku").stream()
                .map(r -> r.get("sku") + ":" + r.get("qty")).toList();
    }
}
