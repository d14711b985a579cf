package dev.ashlar.kernel.tenant;

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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant file's history row and the check of the history go in one statement, in the tenant's own history whatever
 * the file did to the search path, openly or through a function.
 */
@ExtendWith(PostgresExtension.class)
class TenantHistoryPathTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void clean(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'hp_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations; DROP TABLE IF EXISTS public.ashlar_schema_migrations; "
                + "DROP FUNCTION IF EXISTS public.hp_wander()");
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE notes "
                + "(id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE notes;\n");
    }

    private TenantReport migrate(RoundTrips trips, List<String> schemas) {
        return new TenantMigrator(trips.counting(db.dataSource()), folder).jobs(1).migrate(schemas.iterator(),
                schemas.size());
    }

    private List<String> schemas(String prefix, int count) {
        List<String> schemas = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        schemas.forEach(schema -> db.execute("CREATE SCHEMA " + schema));
        assertThat(migrate(new RoundTrips(), schemas).failed()).isZero();
        return schemas;
    }

    @Test
    void aTenantFilesHistoryRowAndTheCheckOfTheHistoryGoInOneStatement() throws IOException {
        List<String> schemas = schemas("hp_plain_", 3);
        Files.writeString(folder.resolve("20260102000000_add_rating.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "rating int;\nCREATE INDEX notes_rating_index ON notes (rating);\n-- migrate:down\nSELECT 1;\n");
        RoundTrips trips = new RoundTrips();

        assertThat(migrate(trips, schemas).failed()).isZero();

        // The history row, written by the WITH query, and the check of the history as it was before: one statement.
        assertThat(trips.prepared()).filteredOn(sql -> sql.contains("INSERT INTO \"ashlar_schema_migrations\""))
                .isNotEmpty().allMatch(sql -> sql.contains("WITH recorded AS (INSERT INTO \"ashlar_schema_migrations\"")
                        && sql.contains("string_agg("));
        for (String schema : schemas) {
            assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM " + schema
                    + ".ashlar_schema_migrations")).isEqualTo("20260101000000,20260102000000");
        }
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'hp\\_plain\\_%' "
                + "AND column_name = 'rating'")).isEqualTo(3L);
    }

    @Test
    void aFileThatSetsTheSearchPathIsRecordedInItsOwnSchemaAfterSettingItBack() throws IOException {
        List<String> schemas = schemas("hp_sets_", 2);
        Files.writeString(folder.resolve("20260102000000_wander.sql"), "-- migrate:up\nSET LOCAL search_path TO public;\n"
                + "CREATE TABLE IF NOT EXISTS public.hp_marker (id int);\n-- migrate:down\nSELECT 1;\n");

        assertThat(migrate(new RoundTrips(), schemas).failed()).isZero();

        assertThat(db.value("SELECT count(*) FROM hp_sets_1.ashlar_schema_migrations WHERE version = '20260102000000'"))
                .isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        db.execute("DROP TABLE public.hp_marker");
    }

    @Test
    void aFileWhoseFunctionChangesTheSearchPathUnseenIsStillRecordedInItsOwnSchemasHistory() throws IOException {
        List<String> schemas = schemas("hp_hidden_", 2);
        // A history table in public: where the row would land if the path the function set were used.
        db.execute("CREATE TABLE public.ashlar_schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
                + "now(), duration_ms bigint NOT NULL, baselined boolean NOT NULL DEFAULT false)");
        db.execute("CREATE FUNCTION public.hp_wander() RETURNS void LANGUAGE plpgsql AS "
                + "'BEGIN PERFORM pg_catalog.set_config(''search''||''_path'', ''public'', true); END'");
        Files.writeString(folder.resolve("20260102000000_hidden.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "rating int;\nSELECT public.hp_wander();\n-- migrate:down\nSELECT 1;\n");

        TenantReport report = migrate(new RoundTrips(), schemas);

        assertThat(report.failed()).isZero();
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'hp\\_hidden\\_%' "
                + "AND column_name = 'rating'")).isEqualTo(2L);
        for (String schema : schemas) {
            assertThat(db.value("SELECT count(*) FROM " + schema + ".ashlar_schema_migrations WHERE version = "
                    + "'20260102000000'")).isEqualTo(1L);
        }
        db.execute("DROP TABLE public.ashlar_schema_migrations");
    }
}
