package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.kernel.data.MigratedDomain.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk writes of timestamps and JSON texts on a connection in the driver's simple query mode (as behind PgBouncer in
 * transaction mode), where the driver sends no binary parameter: the values are stored all the same, and a bad JSON
 * text is refused naming its record before anything is sent.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimpleQueryModeBulkTest {
    static final Domain DOMAIN = Domain.builder("simple_mode")
            .resource(Resource.builder("event").table("events")
                    .primaryKey("id")
                    .attribute("name", TEXT)
                    .attribute("at", TIMESTAMPTZ)
                    .attribute("local", TIMESTAMP)
                    .attribute("doc", JSON)
                    .attribute("price", decimal(8, 2))
                    .identity("unique_name", "name")
                    .build())
            .build();

    @TempDir
    static Path project;
    private TestDatabase db;
    private MigratedDomain migrated;
    private Ashlar simple;

    @BeforeAll
    void migrate(TestDatabase database) {
        db = database;
        migrated = new MigratedDomain(db, project, DOMAIN, Clock.systemUTC(), "create_events");
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(db.jdbcUrl());
        source.setUser(db.user());
        source.setPassword(db.password());
        source.setPreferQueryMode(org.postgresql.jdbc.PreferQueryMode.SIMPLE);
        simple = Ashlar.builder().dataSource(source).domain(DOMAIN).build();
    }

    @AfterAll
    void close() {
        simple.close();
        migrated.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE events RESTART IDENTITY");
    }

    private List<String> stored() {
        return db.query("SELECT name || ' ' || (at AT TIME ZONE 'UTC')::text || ' ' || local::text AS row"
                + " FROM events ORDER BY name").stream().map(row -> (String) row.get("row")).toList();
    }

    @Test
    void createAllStoresEachTimestampAndNullInSimpleQueryMode() {
        simple.createAll("event", List.of(
                values("name", "a", "at", OffsetDateTime.parse("2026-12-06T01:00:00Z"),
                        "local", LocalDateTime.parse("1999-12-31T23:59:59.999999")),
                values("name", "b", "at", OffsetDateTime.parse("0001-01-01T00:00:00.000001+02:00"),
                        "local", LocalDateTime.parse("2000-01-01T00:00:00.5")),
                values("name", "c", "at", null, "local", null)));

        assertThat(stored()).containsExactly("a 2026-12-06 01:00:00 1999-12-31 23:59:59.999999",
                "b 0001-12-31 22:00:00.000001 BC 2000-01-01 00:00:00.5", null);
        assertThat(db.value("SELECT count(*) FROM events WHERE name = 'c' AND at IS NULL AND local IS NULL"))
                .isEqualTo(1L);
    }

    @Test
    void upsertStoresTheTimestampsOfNewAndUpdatedRecordsInSimpleQueryMode() {
        simple.create("event", values("name", "a", "at", OffsetDateTime.parse("2020-01-01T00:00:00Z"),
                "local", LocalDateTime.parse("2020-01-01T00:00:00")));

        simple.upsert("event", List.of(
                values("name", "a", "at", OffsetDateTime.parse("2026-12-06T02:30:00.123456+01:00"),
                        "local", LocalDateTime.parse("2026-12-06T02:30:00.123456")),
                values("name", "b", "at", OffsetDateTime.parse("1969-12-31T23:59:59.999999Z"),
                        "local", LocalDateTime.parse("1970-01-01T00:00:00"))), Upsert.on("unique_name"));

        assertThat(stored()).containsExactly("a 2026-12-06 01:30:00.123456 2026-12-06 02:30:00.123456",
                "b 1969-12-31 23:59:59.999999 1970-01-01 00:00:00");
    }

    @Test
    void createAllUpsertAndAnInFilterBindDecimalsWithNullsAndExponentsInSimpleQueryMode() {
        simple.createAll("event", List.of(values("name", "a", "price", new BigDecimal("1E+3")),
                values("name", "b", "price", null), values("name", "c", "price", new BigDecimal("-1E-2"))));
        simple.upsert("event", List.of(values("name", "b", "price", new BigDecimal("2.5")),
                values("name", "d", "price", new BigDecimal("0.00"))), Upsert.on("unique_name"));

        List<Object> found = simple.read("event").where(Filter.in("price", List.of(
                new BigDecimal("1E+3"), new BigDecimal("2.50")))).list().stream()
                .map(row -> row.get("name")).toList();

        assertThat(db.query("SELECT name || ' ' || price::text AS row FROM events ORDER BY name"))
                .extracting(row -> row.get("row"))
                .containsExactly("a 1000.00", "b 2.50", "c -0.01", "d 0.00");
        assertThat(found).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void createAllStoresJsonTextsWithEscapesUnicodeAndDeepNestingInSimpleQueryMode() {
        String deep = "[".repeat(200) + "{\"k\": \"\\u00e9\\n\"}" + "]".repeat(200);
        List<String> texts = List.of("{\"q\": \"a \\\"quoted\\\" \\\\ back\\/slash\\t\"}",
                "{\"u\": \"\\ud83d\\ude00 \u00e9\u2028\", \"n\": [-0, 1E+10, 0e0, 1.5e-3]}",
                " \t[\n1\r, null, true, false, \"x,y]\"]\n", deep);
        simple.createAll("event", List.of(values("name", "a", "doc", texts.get(0)), values("name", "b", "doc",
                texts.get(1)), values("name", "c", "doc", texts.get(2)), values("name", "d", "doc", texts.get(3))));

        for (int i = 0; i < texts.size(); i++) {
            assertThat(db.value("SELECT doc = ?::jsonb FROM events WHERE name = ?", texts.get(i),
                    String.valueOf((char) ('a' + i)))).as(texts.get(i)).isEqualTo(true);
        }
        assertThat(db.value("SELECT doc #>> '{q}' FROM events WHERE name = 'a'")).isEqualTo("a \"quoted\" \\ back/slash\t");
        assertThat(db.value("SELECT doc #>> '{u}' FROM events WHERE name = 'b'")).isEqualTo("\ud83d\ude00 \u00e9\u2028");
        assertThat(db.value("SELECT jsonb_typeof(doc) FROM events WHERE name = 'd'")).isEqualTo("array");
    }

    @Test
    void createAllRefusesABadJsonTextNamingItsRecordAndStoresNothingInSimpleQueryMode() {
        for (String bad : List.of("{\"a\": 1", "1, 2", "\"\\x\"", "[1]]")) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> simple.createAll("event",
                    List.of(values("name", "a", "doc", "{}"), values("name", "b", "doc", bad),
                            values("name", "c", "doc", "[1]"))));

            assertThat(thrown).as(bad).isInstanceOf(InvalidDataException.class);
            assertThat(((InvalidDataException) thrown).errors()).as(bad).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("doc");
                assertThat(error.message()).startsWith("is not valid JSON").endsWith("(record 2 of 3)");
            });
        }
        assertThat(db.value("SELECT count(*) FROM events")).isEqualTo(0L);
    }
}
