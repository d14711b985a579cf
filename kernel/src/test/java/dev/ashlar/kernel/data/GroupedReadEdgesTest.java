package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grouped reads over renamed columns, unordered types, repeated fields and reads with their own limits. */
class GroupedReadEdgesTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("grouped_edges").resource(Resource.builder("ticket")
                    .table("grouped_tickets")
                    .integerPrimaryKey("id")
                    .attribute("queue", TEXT, a -> a.column("queue_name"))
                    .attribute("points", INTEGER, a -> a.column("story_points"))
                    .attribute("open", BOOLEAN)
                    .attribute("meta", JSON)
                    .attribute("ref", UUID)
                    .build())
            .build();

    GroupedReadEdgesTest() {
        super(DOMAIN);
    }

    @BeforeAll
    void seed() {
        ticket("ops", 3, true, Map.of("k", 1));
        ticket("ops", 5, false, Map.of("k", 1));
        ticket("dev", 8, true, Map.of("k", 2));
    }

    private void ticket(String queue, int points, boolean open, Map<String, Object> meta) {
        Map<String, Object> values = new HashMap<>();
        values.put("queue", queue);
        values.put("points", points);
        values.put("open", open);
        values.put("meta", meta);
        values.put("ref", java.util.UUID.randomUUID());
        ashlar.create("ticket", values);
    }

    @Test
    void attributesStoredUnderAnotherColumnNameGroupAndSum() {
        assertThat(GroupedReadTest.lines(ashlar.read("ticket").groupBy("queue").sum("points", "total").sort(Sort.asc("queue")).list()))
                .containsExactly("queue=dev total=8", "queue=ops total=8");
    }

    @Test
    void aFieldGroupedTwiceIsRefusedRatherThanShiftingTheValues() {
        assertThatThrownBy(() -> ashlar.read("ticket").groupBy("queue", "queue").count("n").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("'queue'").hasMessageContaining("once");
    }

    @Test
    void booleanJsonAndUuidAttributesGroup() {
        assertThat(GroupedReadTest.lines(ashlar.read("ticket").groupBy("open").count("n").sort(Sort.asc("open")).list()))
                .containsExactly("open=false n=1", "open=true n=2");
        assertThat(ashlar.read("ticket").groupBy("meta").count("n").list()).hasSize(2);
        assertThat(ashlar.read("ticket").groupBy("ref").count("n").list()).hasSize(3);
    }

    @Test
    void leastAndGreatestOfATypeWithoutAnOrderAreRefusedNamingTheField() {
        assertThatThrownBy(() -> ashlar.read("ticket").groupBy("queue").max("meta", "m").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("max(\"meta\")");
        assertThatThrownBy(() -> ashlar.read("ticket").groupBy("queue").min("ref", "m").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("min(\"ref\")");
    }

    @Test
    void limitZeroGivesNoGroupsAndAnEmptyReadGivesNone() {
        assertThat(ashlar.read("ticket").groupBy("queue").count("n").limit(0).list()).isEmpty();
        assertThat(ashlar.read("ticket").where(dev.ashlar.api.query.Filter.eq("queue", "none")).groupBy("queue")
                .count("n").list()).isEmpty();
    }

    @Test
    void hostileValueNamesAreQuoted() {
        assertThat(ashlar.read("ticket").groupBy("queue").count("n\"; DROP TABLE grouped_tickets; --")
                .sort(Sort.asc("queue")).list().get(0).get("n\"; DROP TABLE grouped_tickets; --")).isEqualTo(1L);
    }

    @Test
    void aReadWithItsOwnLimitGroupsOnlyTheRowsItSelects() {
        List<Row> rows = ashlar.read("ticket").sort(Sort.desc("points")).limit(2).groupBy("queue").count("n")
                .sort(Sort.asc("queue")).list();
        assertThat(GroupedReadTest.lines(rows)).containsExactly("queue=dev n=1", "queue=ops n=1");
    }

    @Test
    void aReadsSortSelectLoadAndOffsetChangeNothingButWhichRowsAreGrouped() {
        List<Row> rows = ashlar.read("ticket").sort(Sort.asc("points")).select("open").offset(1).groupBy("queue")
                .sum("points", "total").sort(Sort.asc("queue")).list();

        assertThat(GroupedReadTest.lines(rows)).containsExactly("queue=dev total=8", "queue=ops total=5");
    }

    @Test
    void aGroupedReadInATenantsSchemaGroupsOnlyThatTenantsRows() {
        for (String tenant : List.of("grouped_a", "grouped_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".grouped_tickets (LIKE "
                    + "public.grouped_tickets INCLUDING ALL)");
        }
        db.execute("INSERT INTO grouped_a.grouped_tickets (queue_name, story_points) VALUES ('ops', 1), ('ops', 2)");
        db.execute("INSERT INTO grouped_b.grouped_tickets (queue_name, story_points) VALUES ('ops', 40)");
        try (Ashlar tenants = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("ticket"))) {
            assertThat(GroupedReadTest.lines(tenants.withTenant("grouped_a").read("ticket").groupBy("queue").count("n")
                    .sum("points", "total").list())).containsExactly("queue=ops n=2 total=3");
            assertThat(GroupedReadTest.lines(tenants.withTenant("grouped_b").read("ticket").groupBy("queue").count("n")
                    .sum("points", "total").list())).containsExactly("queue=ops n=1 total=40");
        }
    }
}
