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
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a tenant schema costs in round trips: as few as the minimal hand-written loop (history check,
 * search path, the file, the history row, commit: five), with the file's statements sent together
 * and a failure still naming its statement.
 */
@ExtendWith(PostgresExtension.class)
class TenantRoundTripsTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void clean(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rt_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations");
        Files.writeString(folder.resolve("20260101000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE notes "
                + "(id int PRIMARY KEY, body text);\nCREATE INDEX notes_body_index ON notes (body);\n"
                + "-- migrate:down\nDROP TABLE notes;\n");
    }

    private int migrate(RoundTrips trips, int count, String prefix) {
        List<String> schemas = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        TenantReport report = new TenantMigrator(trips.counting(db.dataSource()), folder).jobs(2)
                .migrate(schemas.iterator(), schemas.size());
        assertThat(report.failed()).isZero();
        return trips.count();
    }

    /**
     * The round trips one schema costs to take files written after its first: 30 schemas migrated, the files written,
     * then 10 of them and 30 others migrated, and the difference divided by 20 (what a run costs besides its
     * schemas cancels out).
     */
    private double perSchema(String prefix, String... nameAndText) throws IOException {
        IntStream.range(0, 30).forEach(i -> db.execute("CREATE SCHEMA " + prefix + "a" + i + "; CREATE SCHEMA "
                + prefix + "b" + i));
        migrate(new RoundTrips(), 30, prefix + "a");
        migrate(new RoundTrips(), 30, prefix + "b");
        for (int i = 0; i < nameAndText.length; i += 2) {
            Files.writeString(folder.resolve(nameAndText[i]), nameAndText[i + 1]);
        }
        int ten = migrate(new RoundTrips(), 10, prefix + "a");
        int thirty = migrate(new RoundTrips(), 30, prefix + "b");
        return (thirty - ten) / 20.0;
    }

    private static String addColumn(String column, String header) {
        return header + "-- migrate:up\nALTER TABLE notes ADD COLUMN " + column + " int;\nCREATE INDEX notes_" + column
                + "_index ON notes (" + column + ");\n-- migrate:down\nALTER TABLE notes DROP COLUMN " + column + ";\n";
    }

    @Test
    void aPendingFileOfTwoStatementsCostsASchemaTwoRoundTrips() throws IOException {
        double trips = perSchema("rt_", "20260102000000_add_rating.sql", addColumn("rating", "-- lock-timeout: 5000ms\n"));

        // The settings, both statements and the history and registry rows (checking the history is the one the
        // registry holds) as one prepared statement; the commit.
        assertThat(trips).isEqualTo(2.0);
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'notes_rating_index' "
                + "AND schemaname LIKE 'rt\\_b%'")).isEqualTo(30L);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '20260102000000'"))
                .isEqualTo(40L);
    }

    @Test
    void twoPendingFilesCostASchemaTwoRoundTripsEach() throws IOException {
        double trips = perSchema("rt_two_", "20260102000000_add_rating.sql", addColumn("rating", ""),
                "20260103000000_add_stars.sql", addColumn("stars", ""));

        // Each file as in the one-file case: the second checks the history with the first one in it.
        assertThat(trips).isEqualTo(4.0);
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '20260103000000'"))
                .isEqualTo(40L);
    }

    @Test
    void aPendingFilesStatementsAndSettingsReachTheDriverAlreadySplitSoNoneOfTheirTextIsParsedOnTheClient()
            throws IOException {
        IntStream.range(0, 3).forEach(i -> db.execute("CREATE SCHEMA rt_split" + i));
        migrate(new RoundTrips(), 3, "rt_split");
        Files.writeString(folder.resolve("20260102000000_add_rating.sql"), addColumn("rating", "-- lock-timeout: 5000ms\n"));
        RoundTrips trips = new RoundTrips();

        migrate(trips, 3, "rt_split");

        // The file's settings (the schema's search path, a text of its own for every schema) and its statements went
        // to the server as Ashlar split them: the driver's parser, which a batch runs anew for every schema, saw none.
        assertThat(trips.parsed()).noneMatch(text -> text.contains("SET LOCAL") || text.contains("rating"));
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'notes_rating_index' "
                + "AND schemaname LIKE 'rt\\_split%'")).isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'rt\\_split%' "
                + "AND column_name = 'rating'")).isEqualTo(3L);
    }

    @Test
    void creatingATenantSchemaWithOneFileCostsThreeRoundTripsInTheCallersTransaction() throws SQLException {
        create(new RoundTrips(), "rt_first");
        RoundTrips trips = new RoundTrips();

        create(trips, "rt_new");

        // Schema, history, search path and the file's statements; its history and registry rows with the caller's
        // search path given back; the commit.
        assertThat(trips.count()).isEqualTo(3);
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE schemaname = 'rt_new'")).isEqualTo(3L);
        assertThat(db.value("SELECT checksum FROM ashlar_tenant_migrations WHERE schema_name = 'rt_new'"))
                .isEqualTo(db.value("SELECT checksum FROM rt_new.ashlar_schema_migrations"));
    }

    @Test
    void creatingATenantSchemaWithThreeFilesCostsTheSameThreeRoundTripsAndRecordsEachFile() throws Exception {
        Files.writeString(folder.resolve("20260102000000_add_rating.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "rating int;\n-- migrate:down\nALTER TABLE notes DROP COLUMN rating;\n");
        Files.writeString(folder.resolve("20260103000000_rating_index.sql"), "-- migrate:up\nCREATE INDEX "
                + "notes_rating_index ON notes (rating);\n-- migrate:down\nDROP INDEX notes_rating_index;\n");
        create(new RoundTrips(), "rt_first");
        RoundTrips trips = new RoundTrips();

        create(trips, "rt_new");

        // Schema, history, search path and every file's statements; their history and registry rows with the
        // caller's search path given back; the commit.
        assertThat(trips.count()).isEqualTo(3);
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE schemaname = 'rt_new'")).isEqualTo(4L);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM rt_new.ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT string_agg(version || checksum, ',' ORDER BY version) FROM ashlar_tenant_migrations "
                + "WHERE schema_name = 'rt_new'")).isEqualTo(db.value("SELECT string_agg(version || checksum, ',' "
                + "ORDER BY version) FROM rt_new.ashlar_schema_migrations"));
    }

    @Test
    void aNewTenantSchemasStatementsReachTheDriverAlreadySplitSoNoneOfItsTextIsParsedOnTheClient() throws SQLException {
        create(new RoundTrips(), "rt_first");
        RoundTrips trips = new RoundTrips();

        create(trips, "rt_unparsed");

        // The schema, its history and every statement of the file went in one round trip, as Ashlar split them: the
        // driver's parser (run anew for every schema, since the statements name it) saw none of their texts.
        assertThat(trips.count()).isEqualTo(3);
        assertThat(trips.parsed()).noneMatch(text -> text.contains("CREATE SCHEMA") || text.contains("notes"));
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE schemaname = 'rt_unparsed'")).isEqualTo(3L);
        assertThat(db.value("SELECT count(*) FROM rt_unparsed.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void theRecordOfANewSchemasFilesHasOneTextForEverySchemaSoTheServerPreparesItOnce() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            for (int i = 0; i < 6; i++) {
                new TenantSchemas(folder).create(connection, "rt_same_" + i);
            }
            connection.commit();

            // The driver prepares a statement on the server from its fifth run: once for all six schemas.
            try (var statement = connection.createStatement(); var row = statement.executeQuery("SELECT count(*) "
                    + "FROM pg_prepared_statements "
                    + "WHERE statement LIKE '%INSERT INTO \"ashlar_schema_migrations\" %'")) {
                row.next();
                assertThat(row.getLong(1)).isEqualTo(1L);
            }
        }
        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE schema_name LIKE 'rt\\_same\\_%'"))
                .isEqualTo(6L);
        assertThat(db.value("SELECT count(*) FROM rt_same_5.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aNewTenantSchemaWhoseSecondFileFailsNamesThatFileAndStatementAndKeepsNothing() throws Exception {
        Files.writeString(folder.resolve("20260102000000_broken.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "rating int;\nALTER TABLE notes ADD COLUMN rating int;\n-- migrate:down\nSELECT 1;\n");

        assertThatThrownBy(() -> create(new RoundTrips(), "rt_broken"))
                .hasMessageContaining("Migration 20260102000000_broken.sql failed on rt_broken at statement 2")
                .hasMessageContaining("already exists");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'rt_broken'")).isEqualTo(0L);
    }

    /** Creates the schema in a transaction that goes on after it, with the search path it had before. */
    private void create(RoundTrips trips, String schema) throws SQLException {
        try (Connection raw = db.dataSource().getConnection()) {
            raw.setAutoCommit(false);
            String before = searchPath(raw);
            Connection connection = trips.connection(raw);
            new TenantSchemas(folder).create(connection, schema);
            assertThat(searchPath(raw)).isEqualTo(before);
            connection.commit();
        }
    }

    private static String searchPath(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var row = statement.executeQuery("SHOW search_path")) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void aFailingStatementOfAFileSentTogetherIsNamedAndNothingOfTheFileStays() throws IOException {
        db.execute("CREATE SCHEMA rt_fail");
        Files.writeString(folder.resolve("20260102000000_broken.sql"), "-- migrate:up\nALTER TABLE notes ADD COLUMN "
                + "rating int;\nALTER TABLE notes ADD COLUMN stars intt;\nCREATE INDEX notes_rating_index ON notes (rating);\n"
                + "-- migrate:down\nSELECT 1;\n");

        TenantReport report = new TenantMigrator(db.dataSource(), folder).migrate(List.of("rt_fail").iterator(), 1);

        assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("20260102000000_broken.sql failed on rt_fail at statement 2")
                .contains("ADD COLUMN stars intt;").contains("^").contains("SQL state 42704")
                .contains("Nothing of this file was applied"));
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'rt_fail' "
                + "AND column_name = 'rating'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM rt_fail.ashlar_schema_migrations")).isEqualTo(1L);
    }

    /**
     * Migrates {@code count} schemas, then writes a file that fails and migrates them again, one at a time: the
     * failures of the second run, each checked to have left no row in the registry or the schema's history.
     */
    private List<TenantReport.Failure> failingOnMigratedSchemas(String prefix, int count, String file, String text)
            throws IOException {
        IntStream.range(0, count).forEach(i -> db.execute("CREATE SCHEMA " + prefix + i));
        migrate(new RoundTrips(), count, prefix);
        Files.writeString(folder.resolve(file), text);
        List<String> schemas = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();

        TenantReport report = new TenantMigrator(db.dataSource(), folder).jobs(1).migrate(schemas.iterator(), count);

        assertThat(db.value("SELECT count(*) FROM ashlar_tenant_migrations WHERE version = '20260102000000'"))
                .isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM " + prefix + "0.ashlar_schema_migrations")).isEqualTo(1L);
        return report.failures();
    }

    @Test
    void aStatementThatFailsInAFileSentWithItsRecordIsNamedAndNothingOfTheFileIsKeptOrRecorded() throws IOException {
        List<TenantReport.Failure> failures = failingOnMigratedSchemas("rt_sent", 3, "20260102000000_broken.sql",
                "-- migrate:up\nALTER TABLE notes ADD COLUMN rating int;\nALTER TABLE notes ADD COLUMN stars intt;\n"
                + "CREATE INDEX notes_rating_index ON notes (rating);\n-- migrate:down\nSELECT 1;\n");

        assertThat(failures).hasSize(3).allSatisfy(f -> assertThat(f.message())
                .contains("20260102000000_broken.sql failed on " + f.schema() + " at statement 2 (line 3)")
                .contains("ADD COLUMN stars intt;").contains("SQL state 42704")
                .contains("Nothing of this file was applied"));
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'rt\\_sent%' "
                + "AND column_name = 'rating'")).isEqualTo(0L);
    }

    @Test
    void aFileWhoseDeferredCheckFailsAtCommitIsNamedAndNothingOfItIsKeptOrRecorded() throws IOException {
        List<TenantReport.Failure> failures = failingOnMigratedSchemas("rt_deferred", 2,
                "20260102000000_deferred.sql", "-- migrate:up\nCREATE TABLE tags (id int PRIMARY KEY, note_id int "
                + "REFERENCES notes DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO tags VALUES (1, 42);\n"
                + "-- migrate:down\nDROP TABLE tags;\n");

        assertThat(failures).hasSize(2).allSatisfy(f -> assertThat(f.message())
                .contains("20260102000000_deferred.sql").contains(f.schema()).contains("could not be committed")
                .contains("SQL state 23503").contains("Nothing of this file was applied"));
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE tablename = 'tags' "
                + "AND schemaname LIKE 'rt\\_deferred%'")).isEqualTo(0L);
    }
}
