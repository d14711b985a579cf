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
 * A tenant file's history row is written in the search path the file ran with, without setting it again, unless the
 * file may have changed it; a file that changed it unseen (through a function) fails rather than writing the row
 * into another schema's history.
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

    private static boolean setsPath(String sql) {
        return sql.contains("set_config('search_path'");
    }

    @Test
    void aFileThatLeavesTheSearchPathAloneIsRecordedWithoutSettingItAgain() throws IOException {
        List<String> schemas = schemas("hp_plain_", 3);
        Files.writeString(folder.resolve("20260102000000_add_rating.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "rating int;\nCREATE INDEX notes_rating_index ON notes (rating);\n-- migrate:down\nSELECT 1;\n");
        RoundTrips trips = new RoundTrips();

        assertThat(migrate(trips, schemas).failed()).isZero();

        // The history row and the check of the history as the registry holds it: one statement, in the path the file
        // ran with.
        assertThat(trips.prepared()).filteredOn(sql -> sql.contains("INSERT INTO ashlar_schema_migrations"))
                .isNotEmpty().noneMatch(TenantHistoryPathTest::setsPath);
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
        RoundTrips trips = new RoundTrips();

        assertThat(migrate(trips, schemas).failed()).isZero();

        assertThat(trips.prepared()).filteredOn(sql -> sql.contains("INSERT INTO ashlar_schema_migrations"))
                .isNotEmpty().allMatch(TenantHistoryPathTest::setsPath);
        assertThat(db.value("SELECT count(*) FROM hp_sets_1.ashlar_schema_migrations WHERE version = '20260102000000'"))
                .isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        db.execute("DROP TABLE public.hp_marker");
    }

    @Test
    void aFileWhoseFunctionChangesTheSearchPathUnseenFailsAndWritesNoHistoryElsewhere() throws IOException {
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

        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.failures()).allSatisfy(failure -> assertThat(failure.message())
                .contains("20260102000000_hidden.sql").contains("changed the search path"));
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'hp\\_hidden\\_%' "
                + "AND column_name = 'rating'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM hp_hidden_0.ashlar_schema_migrations")).isEqualTo(1L);
    }
}
