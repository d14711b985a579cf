package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.query.Filter.ref;
import static dev.ashlar.api.resource.Type.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A JSON attribute stored as {@code json} rather than {@code jsonb} (Hibernate's and jOOQ's JSON columns often are):
 * its text is kept as written by every write, and it is compared, sorted and grouped as jsonb, since json has no
 * equality or ordering operator.
 */
class JsonColumnFiltersTest extends MigratedDomainTest {
    private static final Resource EVENT = Resource.builder("event").table("events").primaryKey("id")
            .attribute("payload", JSON, a -> a.migrationType("json"))
            .attribute("copy", JSON, a -> a.migrationType("json"))
            .attribute("stored", JSON)
            .attribute("docs", Type.arrayOf(JSON), a -> a.migrationType("json[]"))
            .belongsTo("owner", "owner").build();
    private static final Resource OWNER = Resource.builder("owner").table("owners").primaryKey("id")
            .attribute("meta", JSON, a -> a.migrationType("json"))
            .hasMany("events", "event")
            .countDistinct("distinct_payloads", "events", "payload")
            .list("uniq_payloads", "events", "payload", Sort.asc("id"))
            .aggregate("uniq_payloads", a -> a.withUniq()).build();

    JsonColumnFiltersTest() {
        super(Domain.builder("events").resources(EVENT, OWNER).build(), Clock.systemUTC(), "create_events");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE events, owners RESTART IDENTITY");
    }

    @Test
    void aJsonColumnKeepsItsTextAsWrittenAndIsFoundByEqAndInComparedAsJsonb() {
        ashlar.create("event", Map.of("payload", "{\"b\":  2, \"a\": 1}"));
        ashlar.create("event", Map.of("payload", "[1, 2]"));
        ashlar.create("event", Map.of());

        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'events' "
                + "AND column_name = 'payload'")).isEqualTo("json");
        assertThat(db.value("SELECT payload::text FROM events WHERE id = 1")).isEqualTo("{\"b\":  2, \"a\": 1}");
        assertThat(ashlar.read("event").where(eq("payload", "{\"a\": 1, \"b\": 2}")).list())
                .extracting(row -> row.get("id")).containsExactly(1L);
        assertThat(ashlar.read("event").where(in("payload", List.of("[1,2]", "{}"))).list())
                .extracting(row -> row.get("id")).containsExactly(2L);
        assertThat(ashlar.read("event").where(ne("payload", "[1,2]")).sort(Sort.asc("id")).list())
                .extracting(row -> row.get("id")).containsExactly(1L);
        assertThat(ashlar.read("event").where(isNil("payload")).count()).isEqualTo(1);
    }

    @Test
    void bulkCreatesUpdatesAndUpsertsKeepAJsonColumnsTextAsWritten() {
        List<Row> created = ashlar.createAll("event", List.of(Map.of("payload", "{\"b\":  2, \"a\": 1}"),
                Map.of("payload", "[ 1,2 ]")));

        assertThat(created).extracting(row -> row.get("payload")).containsExactly("{\"b\":  2, \"a\": 1}", "[ 1,2 ]");
        assertThat(db.value("SELECT payload::text FROM events WHERE id = 1")).isEqualTo("{\"b\":  2, \"a\": 1}");
        assertThat(db.value("SELECT payload::text FROM events WHERE id = 2")).isEqualTo("[ 1,2 ]");

        ashlar.updateAll("event", List.of(Map.of("id", 1L, "payload", "{\"z\" : 0,  \"y\": 1}"),
                Map.of("id", 2L, "payload", "{\"z\":0}")));
        assertThat(db.value("SELECT payload::text FROM events WHERE id = 1")).isEqualTo("{\"z\" : 0,  \"y\": 1}");

        ashlar.upsert("event", List.of(Map.of("id", 2L, "payload", "{ \"k\":1 }"),
                Map.of("id", 3L, "payload", "{\"q\":  [ ]}")), Upsert.onPrimaryKey());
        assertThat(db.value("SELECT payload::text FROM events WHERE id = 2")).isEqualTo("{ \"k\":1 }");
        assertThat(db.value("SELECT payload::text FROM events WHERE id = 3")).isEqualTo("{\"q\":  [ ]}");
        assertThat(ashlar.read("event").where(eq("payload", "{\"k\": 1}")).list())
                .extracting(row -> row.get("id")).containsExactly(2L);

        // The incoming value equals the stored one as jsonb: the condition keeps the row, and its text, as they were.
        ashlar.upsert("event", List.of(Map.of("id", 2L, "payload", "{\"k\": 1}")),
                Upsert.onPrimaryKey().where(ne("payload", incoming("payload"))));
        assertThat(db.value("SELECT payload::text FROM events WHERE id = 2")).isEqualTo("{ \"k\":1 }");
    }

    @Test
    void aJsonColumnSortsByItselfAndByAPathAsJsonb() {
        ashlar.create("event", Map.of("payload", "{\"n\": 3}"));
        ashlar.create("event", Map.of("payload", "{\"n\": 10}"));
        ashlar.create("event", Map.of("payload", "{\"n\": 1}"));

        assertThat(ids(ashlar.read("event").sort(Sort.asc("payload")).list())).containsExactly(3L, 1L, 2L);
        assertThat(ids(ashlar.read("event").sort(Sort.desc("payload.n")).list())).containsExactly(2L, 1L, 3L);
        assertThat(ids(ashlar.read("event").sort(Sort.asc("payload")).after("{\"n\": 1}").list()))
                .containsExactly(1L, 2L);
    }

    @Test
    void distinctGroupingHavingAndCountDistinctTakeJsonValuesEqualAsJsonbAsOne() {
        ashlar.create("event", Map.of("payload", "{\"a\": 1, \"b\": 2}"));
        ashlar.create("event", Map.of("payload", "{\"b\":2,\"a\":1}"));
        ashlar.create("event", Map.of("payload", "[1]"));

        assertThat(ids(ashlar.read("event").distinct("payload").sort(Sort.asc("payload"), Sort.asc("id")).list()))
                .containsExactly(3L, 1L);
        assertThat(ashlar.read("event").countDistinct("payload")).isEqualTo(2);
        assertThatThrownBy(() -> ashlar.read("event").min("payload")).isInstanceOf(QueryException.class)
                .hasMessageContaining("no min of a json attribute");
        assertThat(ashlar.read("event").groupBy("payload").count("n").list())
                .extracting(row -> row.get("payload") + "=" + row.get("n"))
                .containsExactlyInAnyOrder("[1]=1", "{\"a\": 1, \"b\": 2}=2");
        assertThat(ashlar.read("event").groupBy("payload").count("n").having(in("payload", List.of("[ 1 ]"))).list())
                .extracting(row -> row.get("n")).containsExactly(1L);
        assertThat(ashlar.read("event").groupBy("payload").count("n").having(eq("payload", "{\"b\":2,\"a\":1}"))
                .list()).extracting(row -> row.get("n")).containsExactly(2L);
    }

    @Test
    void aPathsContainsAndExistsLookInsideAJsonColumn() {
        ashlar.create("event", Map.of("payload", "{\"tags\": [\"x\", \"y\"], \"items\": [{\"qty\": 2}]}"));
        ashlar.create("event", Map.of("payload", "{\"tags\": [\"z\"], \"items\": [{\"qty\": 5}]}"));
        ashlar.create("event", Map.of("payload", "{}"));

        assertThat(ids(ashlar.read("event").where(contains("payload.tags", "x")).list())).containsExactly(1L);
        assertThat(ids(ashlar.read("event").where(exists("payload.items", eq("qty", 5))).list()))
                .containsExactly(2L);
    }

    @Test
    void aJsonColumnComparesWithAnotherJsonOrJsonbColumnByRef() {
        ashlar.create("event", Map.of("payload", "{\"a\": 1,  \"b\": 2}", "copy", "{\"b\": 2, \"a\": 1}",
                "stored", "{\"b\": 2, \"a\": 1}"));
        ashlar.create("event", Map.of("payload", "[1]", "copy", "[2]"));

        assertThat(ids(ashlar.read("event").where(eq("payload", ref("copy"))).list())).containsExactly(1L);
        assertThat(ids(ashlar.read("event").where(ne("payload", ref("copy"))).list())).containsExactly(2L);
        assertThat(ids(ashlar.read("event").where(eq("payload", ref("stored"))).list())).containsExactly(1L);
    }

    @Test
    void setOperationsCompareAJsonColumnAsJsonbAndReturnItsTextNormalised() {
        ashlar.create("event", Map.of("payload", "{\"b\": 2,  \"a\": 1}"));
        ashlar.create("event", Map.of("payload", "[1]"));

        assertThat(ashlar.read("event").union(ashlar.read("event")).sort(Sort.asc("id")).list())
                .extracting(row -> row.get("payload")).containsExactly("{\"a\": 1, \"b\": 2}", "[1]");
        assertThat(ids(ashlar.read("event").intersect(ashlar.read("event").where(eq("payload", "[ 1 ]"))).list()))
                .containsExactly(2L);
        assertThat(ids(ashlar.read("event").except(ashlar.read("event").where(eq("payload", "[1]"))).list()))
                .containsExactly(1L);
    }

    @Test
    void countDistinctAndUniqueListAggregatesOverARelatedJsonColumnTakeValuesEqualAsJsonbAsOne() {
        Row owner = ashlar.create("owner", Map.of());
        ashlar.create("event", Map.of("owner_id", owner.get("id"), "payload", "{\"a\": 1, \"b\": 2}"));
        ashlar.create("event", Map.of("owner_id", owner.get("id"), "payload", "[1]"));
        ashlar.create("event", Map.of("owner_id", owner.get("id"), "payload", "{\"b\":2,\"a\":1}"));

        Row loaded = ashlar.read("owner").load("distinct_payloads").load("uniq_payloads").list().get(0);
        assertThat(loaded.get("distinct_payloads")).isEqualTo(2L);
        assertThat(loaded.get("uniq_payloads")).isEqualTo(List.of("{\"a\": 1, \"b\": 2}", "[1]"));
    }

    @Test
    void aRelatedJsonColumnComparesWithTheParentsJsonColumnAsJsonb() {
        Row matching = ashlar.create("owner", Map.of("meta", "{\"a\": 1,  \"b\": 2}"));
        Row other = ashlar.create("owner", Map.of("meta", "[2]"));
        ashlar.create("event", Map.of("owner_id", matching.get("id"), "payload", "{\"b\":2,\"a\":1}"));
        ashlar.create("event", Map.of("owner_id", other.get("id"), "payload", "[3]"));

        assertThat(ids(ashlar.read("owner").where(exists("events", eq("payload", parent("meta")))).list()))
                .containsExactly(matching.get("id"));
        assertThat(ids(ashlar.read("owner").where(exists("events", ne("payload", parent("meta")))).list()))
                .containsExactly(other.get("id"));
    }

    @Test
    void aJsonArrayColumnKeepsItsElementsTextInBulkWritesAndIsFoundByEqComparedAsJsonb() {
        ashlar.createAll("event", List.of(Map.of("docs", List.of("{\"b\":  1, \"a\": 2}")), Map.of("docs",
                List.of("[1]"))));

        assertThat(db.value("SELECT docs::text FROM events WHERE id = 1")).isEqualTo("{\"{\\\"b\\\":  1, \\\"a\\\": 2}\"}");
        assertThat(ids(ashlar.read("event").where(eq("docs", List.of("{\"a\": 2, \"b\": 1}"))).list()))
                .containsExactly(1L);
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(row -> row.get("id")).toList();
    }
}
