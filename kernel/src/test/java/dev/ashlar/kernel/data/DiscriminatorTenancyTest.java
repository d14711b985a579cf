package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kind of record in a shared table ({@code discriminator(...)}) whose rows belong to tenants by a column: the kind
 * narrows the tenant's scope, never widens it, seen from another tenant's handle.
 */
class DiscriminatorTenancyTest extends DomainDatabaseTest {
    DiscriminatorTenancyTest() {
        super(Domain.builder("tenant_kinds")
                .resource(Resource.builder("car").table("fleet").integerPrimaryKey("id")
                        .attribute("tenant_id", TEXT)
                        .attribute("kind", TEXT, a -> a.notNull())
                        .attribute("plate", TEXT)
                        .attribute("seats", INTEGER)
                        .discriminator("kind", "car")
                        .build())
                .build(), OneResourceTenancy.column("car", "tenant_id", false));
    }

    @BeforeEach
    void emptyTable() {
        db.execute("TRUNCATE fleet RESTART IDENTITY");
    }

    /**
     * Another tenant's handle reaches none of the first tenant's records of the kind, by list, count, key, update or
     * destroy, and a record it creates is its own.
     */
    @Test
    void anotherTenantsHandleReachesNoRecordOfTheKindOfTheFirstTenant() {
        Ashlar acme = ashlar.withTenant("acme");
        Ashlar globex = ashlar.withTenant("globex");
        Row car = acme.create("car", Map.of("plate", "A-1", "seats", 4));

        assertThat(globex.read("car").list()).isEmpty();
        assertThat(globex.read("car").count()).isZero();
        assertThat(globex.find("car", car.get("id"))).isEmpty();
        assertThat(globex.read("car").updateCount(Map.of("seats", 0))).isZero();
        assertThat(globex.read("car").destroyAll()).isZero();
        globex.create("car", Map.of("plate", "G-1", "seats", 2));
        assertThat(db.query("SELECT tenant_id, kind, plate, seats FROM fleet ORDER BY plate"))
                .extracting(r -> r.get("tenant_id") + " " + r.get("kind") + " " + r.get("plate") + " " + r.get("seats"))
                .containsExactly("acme car A-1 4", "globex car G-1 2");
    }

    /** A value's filterWhere naming another kind or another tenant finds none of their rows: it only narrows. */
    @Test
    void aFilteredGroupValueNamingAnotherKindOrTenantCountsNoneOfTheirRows() {
        db.execute("INSERT INTO fleet (tenant_id, kind, plate, seats) VALUES ('acme', 'car', 'A-1', 4), "
                + "('acme', 'truck', 'T-1', 4), ('globex', 'car', 'G-1', 4)");

        List<Row> rows = ashlar.withTenant("acme").read("car").groupBy("seats").count("cars")
                .count("trucks").filterWhere(eq("kind", "truck"))
                .count("theirs").filterWhere(eq("tenant_id", "globex")).rollup().grouping("level")
                .sort(dev.ashlar.api.query.Sort.asc("level")).list();

        assertThat(rows).extracting(r -> r.get("seats") + " " + r.get("cars") + " " + r.get("trucks") + " "
                + r.get("theirs") + " " + r.get("level")).containsExactly("4 1 0 0 0", "null 1 0 0 1");
    }
}
