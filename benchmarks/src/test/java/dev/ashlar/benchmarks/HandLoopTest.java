package dev.ashlar.benchmarks;

import dev.ashlar.kernel.migrate.MigrationDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant harness's baseline loop keeps what it says it keeps, read back from the catalog and the rows. */
class HandLoopTest {
    private EmbeddedPostgres postgres;
    private DataSource pool;

    @TempDir
    Path folder;

    @BeforeEach
    void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        pool = postgres.getPostgresDatabase();
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);\n"
                + "INSERT INTO notes VALUES (1, 'first');");
    }

    @AfterEach
    void stop() throws IOException {
        postgres.close();
    }

    @Test
    void theFullLoopKeepsAshlarsHistoryColumnsAndARegistryRowForEveryFileItAppliesOnCreationAndMigration()
            throws Exception {
        HandLoop.createTenantTable(pool, true);
        new HandLoop(pool, MigrationDirectory.read(folder), true).create("acme", "hand_acme");
        file("20260102000000_add_priority.sql", "ALTER TABLE notes ADD COLUMN priority integer;");
        new HandLoop(pool, MigrationDirectory.read(folder), true).migrate("hand_acme");

        assertThat(rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'hand_acme' "
                + "AND table_name = 'hand_history' ORDER BY ordinal_position")).containsExactly("version", "name",
                "checksum", "checksum_algorithm", "applied_at", "duration_ms", "baselined", "installed_by", "tags");
        assertThat(rows("SELECT version || ' ' || name || ' ' || installed_by || ' ' || baselined FROM "
                + "hand_acme.hand_history ORDER BY version")).containsExactly(
                "20260101000000 create_notes postgres false", "20260102000000 add_priority postgres false");
        assertThat(rows("SELECT r.schema_name || ' ' || r.version FROM public.hand_registry r JOIN hand_acme.hand_history h "
                + "USING (version, checksum) ORDER BY version")).containsExactly("hand_acme 20260101000000",
                "hand_acme 20260102000000");
        assertThat(rows("SELECT body || ' ' || coalesce(priority, 0) FROM hand_acme.notes")).containsExactly("first 0");
    }

    @Test
    void theMinimalLoopKeepsAVersionAndChecksumHistoryAndNoRegistry() throws Exception {
        HandLoop.createTenantTable(pool, false);
        new HandLoop(pool, MigrationDirectory.read(folder), false).create("acme", "hand_acme");

        assertThat(rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'hand_acme' "
                + "AND table_name = 'hand_history' ORDER BY ordinal_position"))
                .containsExactly("version", "checksum", "applied_at");
        assertThat(rows("SELECT version FROM hand_acme.hand_history")).containsExactly("20260101000000");
        assertThat(rows("SELECT coalesce(to_regclass('public.hand_registry')::text, 'none')")).containsExactly("none");
        assertThat(rows("SELECT id FROM public.hand_tenants")).containsExactly("acme");
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
