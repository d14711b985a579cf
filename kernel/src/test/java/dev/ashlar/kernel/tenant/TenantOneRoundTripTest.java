package dev.ashlar.kernel.tenant;

import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant run's common case, a schema at the history the registry holds taking files newer than all of it, sends
 * each file, its history row with the history's check and its commit in one round trip; these tests hold that path
 * to what the general one (a file's statements, then its record and commit) does, on schemas with rows.
 */
@ExtendWith(PostgresExtension.class)
class TenantOneRoundTripTest {
    private static final String HISTORY_ROW = "SELECT version, name, checksum, checksum_algorithm, baselined, "
            + "installed_by, duration_ms >= 0 AS timed FROM %s.ashlar_schema_migrations ORDER BY version";
    private static final String REGISTRY_ROW = "SELECT version, checksum FROM ashlar_tenant_migrations "
            + "WHERE schema_name = ? ORDER BY version";

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void clean(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ort_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations; DROP TABLE IF EXISTS public.notes");
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE IF NOT EXISTS "
                + "notes (id int PRIMARY KEY, body text);\n-- migrate:down\nDROP TABLE notes;\n");
    }

    /** Schemas made, given the first file, and {@code rows} notes each (schema i: rows + i), as the run's start. */
    private List<String> migratedWithRows(String prefix, int count, int rows) {
        List<String> schemas = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        schemas.forEach(schema -> db.execute("CREATE SCHEMA " + schema));
        assertThat(new TenantMigrator(db.dataSource(), folder).migrate(schemas.iterator(), count).failed()).isZero();
        for (int i = 0; i < count; i++) {
            db.execute("INSERT INTO " + schemas.get(i) + ".notes SELECT g, 'note ' || g FROM generate_series(1, "
                    + (rows + i) + ") g");
        }
        return schemas;
    }

    private void secondFile(String up) throws IOException {
        Files.writeString(folder.resolve("20260102000000_add_rating.sql"), "-- migrate:up\n" + up
                + "\n-- migrate:down\nALTER TABLE notes DROP COLUMN rating;\n");
    }

    private static final String ADD_RATING = "ALTER TABLE notes ADD COLUMN rating int NOT NULL DEFAULT 3;\n"
            + "CREATE UNIQUE INDEX notes_rating_unique ON notes (id, rating);";

    /** The round trips a schema's migration cost: the run's own, less one schema's and less nothing pending. */
    private TenantReport migrate(RoundTrips trips, List<String> schemas, boolean listener) {
        TenantMigrator migrator = new TenantMigrator(trips.counting(db.dataSource()), folder).jobs(2);
        if (listener) {
            // A listener is called between a file's statements and its commit: the file takes the general path.
            migrator = migrator.listener(new MigrationListener() {
            });
        }
        return migrator.migrate(schemas.iterator(), schemas.size());
    }

    private List<Map<String, Object>> history(String schema) {
        return db.query(String.format(HISTORY_ROW, schema));
    }

    @Test
    void theOneRoundTripPathWritesTheHistoryRegistryRowsAndCatalogTheGeneralPathWritesOnSchemasWithRows()
            throws IOException {
        List<String> fast = migratedWithRows("ort_fast", 3, 200);
        List<String> general = migratedWithRows("ort_general", 3, 200);
        secondFile(ADD_RATING);
        RoundTrips fastTrips = new RoundTrips();
        RoundTrips generalTrips = new RoundTrips();

        assertThat(migrate(fastTrips, fast, false).migrated()).isEqualTo(3);
        assertThat(migrate(generalTrips, general, true).migrated()).isEqualTo(3);

        // The same run, one round trip a schema fewer: the record and the commit went with the file.
        assertThat(generalTrips.count() - fastTrips.count()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            List<Map<String, Object>> rows = history(fast.get(i));
            assertThat(rows).hasSize(2).isEqualTo(history(general.get(i)));
            assertThat(rows.get(1)).containsEntry("version", "20260102000000").containsEntry("timed", true).containsEntry("installed_by", db.value("SELECT current_user"));
            assertThat(db.query(REGISTRY_ROW, fast.get(i))).hasSize(2).isEqualTo(db.query(REGISTRY_ROW, general.get(i)));
            for (String schema : List.of(fast.get(i), general.get(i))) {
                assertThat(db.value("SELECT count(*) FROM " + schema + ".notes WHERE rating = 3")).isEqualTo(200L + i);
                assertThat(db.query("SELECT is_nullable, column_default FROM information_schema.columns "
                        + "WHERE table_schema = ? AND table_name = 'notes' AND column_name = 'rating'", schema))
                        .containsExactly(Map.of("is_nullable", "NO", "column_default", "3"));
                assertThat(db.value("SELECT i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'notes_rating_unique' "
                        + "AND n.nspname = ?", schema)).isEqualTo(true);
            }
        }
    }

    @Test
    void schemasAtAnotherHistoryThanTheRegistrysFallBackToTheGeneralPathAndGetEveryFileTheyLack() throws IOException {
        List<String> schemas = migratedWithRows("ort_state", 3, 50);
        // ort_state1's history lost its row, which the registry still holds: the one round trip's check refuses it
        // there, and the schema is migrated from its own history. ort_state2 is new: no history, no registry rows.
        db.execute("DELETE FROM ort_state1.ashlar_schema_migrations; CREATE SCHEMA ort_state3");
        secondFile(ADD_RATING);
        List<String> all = List.of("ort_state0", "ort_state1", "ort_state2", "ort_state3");

        TenantReport report = migrate(new RoundTrips(), all, false);

        assertThat(report.failed()).isZero();
        assertThat(report.migrated()).isEqualTo(4);
        for (String schema : all) {
            assertThat(history(schema)).extracting(row -> row.get("version"))
                    .containsExactly("20260101000000", "20260102000000");
            assertThat(db.query(REGISTRY_ROW, schema)).hasSize(2);
            assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? "
                    + "AND table_name = 'notes' AND column_name = 'rating'", schema)).isEqualTo(1L);
        }
        assertThat(db.value("SELECT count(*) FROM ort_state1.notes WHERE rating = 3")).isEqualTo(51L);
        assertThat(history(schemas.get(1))).isEqualTo(history(schemas.get(0)));
    }

    @Test
    void aFailingStatementInOneSchemaNamesFileAndSchemaRollsItBackAndLeavesTheOtherSchemasMigrated()
            throws IOException {
        List<String> schemas = migratedWithRows("ort_fail", 3, 20);
        db.execute("UPDATE ort_fail1.notes SET body = 'same' WHERE id <= 2");
        secondFile("ALTER TABLE notes ADD COLUMN rating int;\nCREATE UNIQUE INDEX notes_body_unique ON notes (body);");

        TenantReport report = migrate(new RoundTrips(), schemas, false);

        assertThat(report.migrated()).isEqualTo(2);
        assertThat(report.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.schema()).isEqualTo("ort_fail1");
            assertThat(failure.message()).contains("Migration 20260102000000_add_rating.sql failed on ort_fail1 "
                    + "at statement 2").contains("could not create unique index");
        });
        assertThat(history("ort_fail1")).extracting(row -> row.get("version")).containsExactly("20260101000000");
        assertThat(db.query(REGISTRY_ROW, "ort_fail1")).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ort_fail1' "
                + "AND column_name = 'rating'")).isEqualTo(0L);
        for (String schema : List.of("ort_fail0", "ort_fail2")) {
            assertThat(history(schema)).extracting(row -> row.get("version"))
                    .containsExactly("20260101000000", "20260102000000");
            assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE schemaname = ? "
                    + "AND indexname = 'notes_body_unique'", schema)).isEqualTo(1L);
        }
    }

    @Test
    void eachSchemasFileAndRecordLandInThatSchemaAloneNotInAnotherOrInPublic() throws IOException {
        List<String> schemas = migratedWithRows("ort_own", 3, 10);
        // Tables of the same names in public, which a search path gone wrong would write to.
        db.execute("CREATE TABLE public.notes (id int PRIMARY KEY, body text); INSERT INTO public.notes VALUES (1, 'x')");
        secondFile("ALTER TABLE notes ADD COLUMN rating int;\nUPDATE notes SET rating = (SELECT count(*) FROM notes);");
        RoundTrips trips = new RoundTrips();

        assertThat(migrate(trips, schemas, false).migrated()).isEqualTo(3);

        for (int i = 0; i < 3; i++) {
            String schema = schemas.get(i);
            // Each schema's rows were counted in that schema: 10, 11 and 12 rows.
            assertThat(db.query("SELECT DISTINCT rating FROM " + schema + ".notes"))
                    .containsExactly(Map.of("rating", 10 + i));
            assertThat(history(schema)).hasSize(2);
            assertThat(db.query(REGISTRY_ROW, schema)).hasSize(2);
        }
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = 'notes' AND column_name = 'rating'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name LIKE 'ort\\_own%'"))
                .isEqualTo(6L);
    }
}
