package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Array attributes of text whose migration type is an array of another type ({@code inet[]}, {@code ltree[]}): their
 * elements are sent for the server to read as that type, in every write and filter, as a scalar's are.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationTypeArraysTest {
    private static final Domain NETWORK = Domain.builder("network_arrays").extensions("ltree")
            .resource(Resource.builder("host").table("hosts").primaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("addresses", arrayOf(TEXT), a -> a.migrationType("inet[]"))
                    .attribute("paths", arrayOf(TEXT), a -> a.migrationType("ltree[]"))
                    .attribute("macs", arrayOf(TEXT), a -> a.migrationType("MACADDR ARRAY"))
                    .identity("unique_name", "name")
                    .build())
            .build();
    private TestDatabase db;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        db.execute("CREATE EXTENSION IF NOT EXISTS ltree");
        ashlar = Fixtures.ashlar(db, NETWORK);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE hosts RESTART IDENTITY");
    }

    private static Map<String, Object> host(String name, List<String> addresses, List<String> paths) {
        return Map.of("name", name, "addresses", addresses, "paths", paths, "macs", List.of("08:00:2b:01:02:03"));
    }

    @Test
    void arraysAreStoredAsTheMigrationTypeInEveryWriteAndReadBack() {
        Row one = ashlar.create("host", host("one", List.of("10.0.0.1", "10.0.0.2"), List.of("top.science")));
        ashlar.createAll("host", List.of(host("two", List.of("10.0.0.3"), List.of("top.art")),
                host("three", List.of(), List.of("top"))));
        ashlar.upsert("host", List.of(host("four", List.of("192.168.0.1/24"), List.of("a.b.c"))),
                Upsert.on("unique_name"));
        ashlar.upsert("host", List.of(host("two", List.of("10.0.0.4"), List.of("top.music"))),
                Upsert.on("unique_name"));
        ashlar.update(one, Map.of("paths", List.of("top.science.physics", "top.math")));

        assertThat(db.value("SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attname) FROM pg_attribute "
                + "WHERE attrelid = 'hosts'::regclass AND attname IN ('addresses', 'paths', 'macs')"))
                .isEqualTo("inet[],macaddr[],ltree[]");
        assertThat(db.value("SELECT paths[2] <@ 'top'::ltree FROM hosts WHERE name = 'one'")).isEqualTo(true);
        assertThat(db.value("SELECT family(addresses[1]) FROM hosts WHERE name = 'four'")).isEqualTo(4);
        Row read = ashlar.read("host").where(Filter.eq("name", "one")).first().orElseThrow();
        assertThat(read.get("addresses")).isEqualTo(List.of("10.0.0.1", "10.0.0.2"));
        assertThat(read.get("paths")).isEqualTo(List.of("top.science.physics", "top.math"));
        assertThat(read.get("macs")).isEqualTo(List.of("08:00:2b:01:02:03"));
        assertThat(ashlar.read("host").where(Filter.eq("name", "two")).first().orElseThrow().get("paths"))
                .isEqualTo(List.of("top.music"));
        assertThat(ashlar.read("host").where(Filter.eq("name", "four")).first().orElseThrow().get("addresses"))
                .isEqualTo(List.of("192.168.0.1/24"));
    }

    @Test
    void arraysAreFilteredByAnElementAndByTheWholeArray() {
        ashlar.createAll("host", List.of(host("one", List.of("10.0.0.1", "10.0.0.2"), List.of("top.science")),
                host("two", List.of("10.0.0.3"), List.of("top.art"))));

        assertThat(names(Filter.contains("addresses", "10.0.0.2"))).containsExactly("one");
        assertThat(names(Filter.contains("paths", "top.art"))).containsExactly("two");
        assertThat(names(Filter.eq("addresses", List.of("10.0.0.1", "10.0.0.2")))).containsExactly("one");
        assertThat(names(Filter.eq("paths", List.of("top.art")))).containsExactly("two");
    }

    private List<String> names(Filter filter) {
        return ashlar.read("host").where(filter).list().stream().map(h -> h.getString("name")).sorted().toList();
    }

    @Test
    void anElementTheTypeRefusesIsAFieldErrorNamingTheAttributeInWritesAndFilters() {
        Row stored = ashlar.create("host", host("kept", List.of("10.0.0.1"), List.of("top")));
        Map<String, String> bad = Map.of("addresses", "10.0.0.300", "paths", "a..b");

        bad.forEach((field, value) -> {
            String type = field.equals("paths") ? "ltree" : "inet";
            for (ThrowingCallable action : List.<ThrowingCallable>of(
                    () -> ashlar.create("host", Map.of("name", "x", field, List.of("top", value))),
                    () -> ashlar.createAll("host", List.of(Map.of("name", "a"), Map.of("name", "b", field,
                            List.of(value)))),
                    () -> ashlar.update(stored, Map.of(field, List.of(value))),
                    () -> ashlar.upsert("host", List.of(Map.of("name", "kept", field, List.of(value)),
                            Map.of("name", "new", field, List.of())), Upsert.on("unique_name")),
                    () -> ashlar.read("host").where(Filter.contains(field, value)).list())) {
                InvalidDataException e = catchThrowableOfType(InvalidDataException.class, action);
                assertThat(e).as(field + " refused").isNotNull();
                FieldError error = e.errors().get(0);
                assertThat(error.field()).isEqualTo(field);
                assertThat(error.message()).startsWith("is not a valid " + type + ": ");
            }
        });
        assertThat(db.value("SELECT count(*) FROM hosts")).isEqualTo(1L);
    }
}
