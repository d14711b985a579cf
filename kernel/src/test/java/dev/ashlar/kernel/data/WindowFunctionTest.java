package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Window functions (jOOQ's {@code rank().over(...)}, {@code sum(...).over(partitionBy(...))}) as fields a read computes
 * for each row: they run over the rows the read's filter and tenant scope select, before its limit, so a tenant's
 * ranks and running totals never count another tenant's rows.
 */
class WindowFunctionTest extends DomainDatabaseTest {
    static final Resource PLAYER = Resource.builder("player").table("window_players").integerPrimaryKey("id")
            .attribute("org", TEXT).attribute("team", TEXT).attribute("score", INTEGER).build();

    static final Domain DOMAIN = Domain.builder("windows").resources(PLAYER).build();

    WindowFunctionTest() {
        super(DOMAIN, OneResourceTenancy.column("player", "org", false));
    }

    private Ashlar acme;

    /** 300 players of acme in teams red and blue, scoring their id but 298 to 300 tied at 298; globex's tops them. */
    @BeforeEach
    void players() {
        db.execute("TRUNCATE window_players; INSERT INTO window_players (id, org, team, score) SELECT g, 'acme', "
                + "CASE WHEN g % 2 = 0 THEN 'red' ELSE 'blue' END, LEAST(g, 298) FROM generate_series(1, 300) g; "
                + "INSERT INTO window_players (id, org, team, score) VALUES (301, 'globex', 'red', 9000), "
                + "(302, 'globex', 'blue', 9001)");
        acme = ashlar.withTenant("acme");
    }

    @Test
    void aRankComputedOverTheReadsRowsCountsOnlyTheTenantsRowsAndKeepsItsTies() {
        var ranked = acme.read("player").compute("place", Long.class, "rank() OVER (ORDER BY score DESC)")
                .sort(Sort.asc("place")).limit(5).list();

        assertThat(ranked).extracting(row -> row.get("id") + ":" + row.get("place"))
                .containsExactly("298:1", "299:1", "300:1", "297:4", "296:5");
    }

    @Test
    void aRunningTotalPerPartitionRestartsForEachTeam() {
        var totals = acme.read("player").where(eq("team", "blue"))
                .compute("running", Long.class, "sum(score) OVER (PARTITION BY team ORDER BY id)")
                .sort(Sort.asc("id")).limit(3).list();

        assertThat(totals).extracting(row -> row.get("id") + ":" + row.get("running"))
                .containsExactly("1:1", "3:4", "5:9");
    }
}
