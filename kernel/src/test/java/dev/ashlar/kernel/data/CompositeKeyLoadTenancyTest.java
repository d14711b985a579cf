package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A load of a relationship keyed by two columns ({@code @JoinColumns}) from the attacker's side: two tenants hold
 * regions and items of the same customer and type, and each tenant's load finds its own parents and items only.
 */
class CompositeKeyLoadTenancyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("composite_load_tenants")
            .resource(Resource.builder("region").table("ckt_region").bigintPrimaryKey("id")
                    .attribute("org", TEXT, a -> a.notNull()).attribute("customer", INTEGER)
                    .attribute("type", INTEGER).attribute("description", TEXT)
                    .hasMany("items", "item", r -> r.sourceAttribute("customer").destinationAttribute("customer")
                            .filter(eq("region_type", parent("type"))))
                    .build())
            .resource(Resource.builder("item").table("ckt_item").bigintPrimaryKey("id")
                    .attribute("org", TEXT, a -> a.notNull()).attribute("customer", INTEGER)
                    .attribute("region_type", INTEGER).attribute("description", TEXT).build())
            .build();

    CompositeKeyLoadTenancyTest() {
        super(DOMAIN, OneResourceTenancy.column("region", "org", false), OneResourceTenancy.column("item", "org", false));
    }

    @BeforeEach
    void bothTenantsHoldTheSameKeys() {
        db.execute("TRUNCATE ckt_region, ckt_item RESTART IDENTITY");
        db.execute("INSERT INTO ckt_region (org, customer, type, description) SELECT org, 1, t, org || '-region-' || t "
                + "FROM (VALUES ('a'), ('b')) AS orgs(org), generate_series(1, 2) AS t");
        db.execute("INSERT INTO ckt_item (org, customer, region_type, description) SELECT org, 1, t, org || '-item-' "
                + "|| t || '-' || n FROM (VALUES ('a'), ('b')) AS orgs(org), generate_series(1, 2) AS t, "
                + "generate_series(1, 2) AS n");
    }

    private List<String> loaded(String tenant) {
        List<Row> regions = ashlar.withTenant(tenant).read("region").sort(Sort.asc("type")).load("items").list();
        return regions.stream().map(region -> region.getString("description") + ": " + region.related("items")
                .stream().map(item -> item.getString("description")).sorted().toList()).toList();
    }

    @Test
    void tenantBsLoadGivesEachOfItsRegionsItsOwnItemsAndNoneOfTenantAs() {
        assertThat(loaded("b")).containsExactly("b-region-1: [b-item-1-1, b-item-1-2]",
                "b-region-2: [b-item-2-1, b-item-2-2]");
        assertThat(loaded("a")).containsExactly("a-region-1: [a-item-1-1, a-item-1-2]",
                "a-region-2: [a-item-2-1, a-item-2-2]");
        assertThat(db.value("SELECT count(*) FROM ckt_item WHERE customer = 1 AND region_type = 1")).isEqualTo(4L);
    }
}
