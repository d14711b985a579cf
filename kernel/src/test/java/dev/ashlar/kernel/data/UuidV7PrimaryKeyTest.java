package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.drift.DriftCheck;
import dev.ashlar.kernel.snapshot.SnapshotStore;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** Version 7 UUID primary keys (AshPostgres's {@code uuid_v7_primary_key}), made by the server, time-ordered. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UuidV7PrimaryKeyTest {
    static final Domain DOMAIN = Domain.builder("uuid_v7")
            .resource(Resource.builder("event").table("events")
                    .uuidV7PrimaryKey("id")
                    .attribute("name", TEXT)
                    .build())
            .build();

    @TempDir
    static Path project;
    private TestDatabase db;
    private MigratedDomain migrated;

    @BeforeAll
    void migrate(TestDatabase database) {
        db = database;
        migrated = new MigratedDomain(db, project, DOMAIN, Clock.systemUTC(), "create_events");
    }

    @AfterAll
    void close() {
        migrated.close();
    }

    /** The Unix time in milliseconds a version 7 UUID holds in its first 48 bits. */
    private static long millis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    @Test
    void createdKeysAreVersion7UuidsHoldingTheTimeOfTheirCreationAndSortInCreationOrder() throws InterruptedException {
        long before = System.currentTimeMillis();
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add((UUID) migrated.ashlar.create("event", Map.of("name", "e" + i)).get("id"));
            Thread.sleep(2);   // a later millisecond: within one, the random bits order keys by chance
        }
        long after = System.currentTimeMillis();

        assertThat(created).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(millis(id)).isBetween(before - 1000, after + 1000);
        });
        assertThat(migrated.ashlar.read("event").where(like("name", "e%")).sort(Sort.asc("id")).list())
                .extracting(row -> row.getString("name")).containsExactly("e0", "e1", "e2", "e3", "e4");
    }

    @Test
    void rowsWrittenInBulkOrByPlainSqlGetTheDefaultAndTheMigrationHasNoDrift() throws Exception {
        List<Row> bulk = migrated.ashlar.createAll("event", List.of(Map.of("name", "a"), Map.of("name", "b")));
        db.execute("INSERT INTO events (name) VALUES ('by hand')");

        assertThat(bulk).extracting(row -> ((UUID) row.get("id")).version()).containsExactly(7, 7);
        assertThat(db.value("SELECT count(*) FROM events WHERE name = 'by hand' AND substr(id::text, 15, 1) = '7'"))
                .isEqualTo(1L);
        assertThat((String) db.value("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                + "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                + "WHERE d.adrelid = 'events'::regclass AND a.attname = 'id'"))
                .contains("gen_random_uuid()", "clock_timestamp()");
        try (Stream<Path> files = Files.list(Codegen.migrations(project, Scope.MAIN))) {
            assertThat(Files.readString(files.filter(f -> f.toString().endsWith(".sql")).findFirst().orElseThrow()))
                    .contains("DEFAULT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())");
        }
        assertThat(new DriftCheck(db.dataSource(), new SnapshotStore(project).latest()).compare(List.of()))
                .isEmpty();
    }

    @Test
    void aKeyTheClientGivesIsStoredAsGivenBesideKeysTheServerMakesEvenInOneCreateAll() {
        Ashlar ashlar = migrated.ashlar;
        UUID given = UUID.fromString("00000000-0000-4000-8000-00000000c11e");
        UUID alsoGiven = UUID.fromString("00000000-0000-4000-8000-00000000c11f");

        Row one = ashlar.create("event", Map.of("id", given, "name", "client"));
        List<Row> mixed = ashlar.createAll("event", List.of(Map.of("name", "server"),
                Map.of("id", alsoGiven, "name", "client too"), Map.of("name", "server too")));

        assertThat(one.get("id")).isEqualTo(given);
        assertThat(mixed).extracting(r -> r.get("name")).containsExactly("server", "client too", "server too");
        assertThat(mixed.get(1).get("id")).isEqualTo(alsoGiven);
        assertThat(mixed.get(0).get("id")).isNotNull().isNotEqualTo(given);
        assertThat(db.value("SELECT count(*) FROM events WHERE id IN ('" + given + "', '" + alsoGiven + "')"))
                .isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM events WHERE name LIKE 'server%' AND substr(id::text, 15, 1) = '7'"))
                .isEqualTo(2L);
        assertThat(ashlar.get("event", given).get("name")).isEqualTo("client");
    }
}
