package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.ne;
import static dev.ashlar.api.resource.Type.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JSON attribute stored as {@code json} rather than {@code jsonb} (Hibernate's and jOOQ's JSON columns often are):
 * its text is kept as written, and equality filters compare it as jsonb, since json has no equality operator.
 */
class JsonColumnFiltersTest extends MigratedDomainTest {
    private static final Resource EVENT = Resource.builder("event").table("events").primaryKey("id")
            .attribute("payload", JSON, a -> a.migrationType("json")).build();

    JsonColumnFiltersTest() {
        super(Domain.builder("events").resource(EVENT).build(), Clock.systemUTC(), "create_events");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE events RESTART IDENTITY");
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
    void aBulkWriteToAJsonColumnStoresTheTextAsJsonbNormalisesIt() {
        ashlar.createAll("event", List.of(Map.of("payload", "{\"b\":  2, \"a\": 1}"), Map.of("payload", "[]")));

        assertThat(db.value("SELECT payload::text FROM events WHERE id = 1")).isEqualTo("{\"a\": 1, \"b\": 2}");
        assertThat(ashlar.read("event").where(eq("payload", "{\"b\":2,\"a\":1}")).count()).isEqualTo(1);
    }
}
