package dev.ashlar.kernel.tenant;

import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's listing of the schemas behind ({@link TenantRegistry#pending}), which reads each schema's registry
 * rows once: which schemas it names, in the order given, with what the registry holds for each, for every case a
 * tenant run tells apart, on schemas and registry rows made in the catalog.
 */
@ExtendWith(PostgresExtension.class)
class TenantRegistryListingTest {
    private static final MigrationFile FIRST = MigrationFile.parse(Path.of("20260101000000_notes.sql"),
            "-- migrate:up\nCREATE TABLE notes (id int);\n");
    private static final MigrationFile SECOND = MigrationFile.parse(Path.of("20260102000000_tags.sql"),
            "-- migrate:up\nCREATE TABLE tags (id int);\n");
    private static final List<MigrationFile> FILES = List.of(FIRST, SECOND);

    private final TenantRegistry registry = new TenantRegistry("public", History.DEFAULT_TABLE);
    private TestDatabase db;

    @BeforeEach
    void freshRegistry(TestDatabase db) throws SQLException {
        this.db = db;
        db.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lst\\_%' "
                + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; "
                + "DROP TABLE IF EXISTS ashlar_tenant_migrations");
        try (Connection connection = db.dataSource().getConnection()) {
            registry.create(connection);
        }
    }

    /** A schema with a history table (its rows are not read by the listing) and these registry rows. */
    private void schemaWithHistory(String schema, String... rows) {
        db.execute("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + "." + History.DEFAULT_TABLE
                + " (version text PRIMARY KEY)");
        rows(schema, rows);
    }

    /** Registry rows of {@code schema}, each {@code version checksum}. */
    private void rows(String schema, String... rows) {
        for (String row : rows) {
            String[] parts = row.split(" ");
            db.execute("INSERT INTO ashlar_tenant_migrations VALUES ('" + schema + "', '" + parts[0] + "', '" + parts[1]
                    + "')");
        }
    }

    private List<TenantRegistry.Behind> pending(String... schemas) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return registry.pending(connection, List.of(schemas), FILES);
        }
    }

    @Test
    void aSchemaWhoseRegistryRowsHoldEveryFileIsNotListedAndOneLackingAFileIsListedWithItsLinesInVersionOrder()
            throws SQLException {
        schemaWithHistory("lst_done", History.line(SECOND), History.line(FIRST));
        // A row of a file this project does not have (another project's, or one deleted since) does not count.
        schemaWithHistory("lst_behind", "20251231000000 elsewhere", History.line(FIRST));

        assertThat(pending("lst_done", "lst_behind")).containsExactly(new TenantRegistry.Behind("lst_behind",
                List.of("20251231000000 elsewhere", History.line(FIRST)), false, 0));
    }

    @Test
    void aRegistryRowWithAnotherChecksumIsNotAFileHeldAndAnotherProjectsRowsDoNotMakeUpForOne() throws SQLException {
        schemaWithHistory("lst_changed", History.line(FIRST), SECOND.version() + " 0000");
        schemaWithHistory("lst_extra", History.line(FIRST), "20260103000000 x", "20260104000000 y");

        assertThat(pending("lst_changed", "lst_extra")).extracting(TenantRegistry.Behind::schema)
                .containsExactly("lst_changed", "lst_extra");
    }

    @Test
    void aNewSchemaIsListedWithNoLinesAndTheOrderGivenIsKeptWhateverTheNames() throws SQLException {
        schemaWithHistory("lst_z_new");
        schemaWithHistory("lst_a_new");

        assertThat(pending("lst_z_new", "lst_a_new")).containsExactly(
                new TenantRegistry.Behind("lst_z_new", List.of(), false, 0),
                new TenantRegistry.Behind("lst_a_new", List.of(), false, 0));
    }

    @Test
    void aMissingSchemaIsListedAsMissingAndAnEmptyOneTheRegistryRemembersIsListedToBePlannedFromItsHistory()
            throws SQLException {
        rows("lst_gone", History.line(FIRST), History.line(SECOND));
        db.execute("CREATE SCHEMA lst_recreated");
        rows("lst_recreated", History.line(FIRST), History.line(SECOND));
        db.execute("CREATE SCHEMA lst_never_used");

        assertThat(pending("lst_gone", "lst_recreated", "lst_never_used")).containsExactly(
                new TenantRegistry.Behind("lst_gone", List.of(History.line(FIRST), History.line(SECOND)), true, 0),
                new TenantRegistry.Behind("lst_recreated", null, false, 0),
                new TenantRegistry.Behind("lst_never_used", null, false, 0));
    }

    @Test
    void aSchemaWhoseHistoryIsUnderAnotherNameIsListedWithHowManyOfTheFilesTheRegistryRecordsForIt()
            throws SQLException {
        db.execute("CREATE SCHEMA lst_renamed; CREATE TABLE lst_renamed.old_history (version text)");
        rows("lst_renamed", History.line(FIRST), History.line(SECOND), "20251231000000 elsewhere");

        assertThat(pending("lst_renamed")).containsExactly(new TenantRegistry.Behind("lst_renamed",
                List.of("20251231000000 elsewhere", History.line(FIRST), History.line(SECOND)), false, 2));
    }
}
