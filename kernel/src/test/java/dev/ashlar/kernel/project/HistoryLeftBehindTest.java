package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code acceptHistoryLeftBehind} ({@code --accept-history-left-behind}, {@code migrate.accept-history-left-behind}):
 * the main schema's history kept in a schema of its own starts empty beside a history left in {@code public} on
 * purpose (another application's, or an old one), which stays as it is; without it, that history is refused as moved.
 */
@ExtendWith(PostgresExtension.class)
class HistoryLeftBehindTest {
    @TempDir
    Path dir;
    @TempDir
    Path other;
    TestDatabase db;

    @BeforeEach
    void twoApplications(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS meta CASCADE");
        file(other, "20260101000000_create_orders.sql", "CREATE TABLE orders (id int);\n"
                + "INSERT INTO orders SELECT generate_series(1, 50);", "DROP TABLE orders;");
        file(dir, "20260101000000_create_notes.sql", "CREATE TABLE notes (body text);\n"
                + "INSERT INTO notes VALUES ('first');", "DROP TABLE notes;");
        file(dir, "20260102000000_create_tags.sql", "CREATE TABLE tags (name text);", "DROP TABLE tags;");
        // The other application keeps its history in public, under the default name.
        Project.open(other).dataSource(db.dataSource()).progress(line -> { }).migrate();
    }

    static void file(Path root, String name, String up, String down) throws IOException {
        Files.createDirectories(root.resolve("migrations"));
        Files.writeString(root.resolve("migrations").resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n"
                + down + "\n");
    }

    private Project meta() {
        return Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).historyTable("meta.history");
    }

    private List<Object> versions(String table) {
        return db.query("SELECT version FROM " + table + " ORDER BY version").stream().map(row -> row.get("version"))
                .toList();
    }

    @Test
    void withoutTheOptionAHistoryInPublicIsRefusedAsMovedNamingTheOptionThatAcceptsIt() {
        assertThatThrownBy(() -> meta().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("\"public\".\"ashlar_schema_migrations\" does")
                .hasMessageContaining("--accept-history-left-behind")
                .hasMessageContaining("migrate.accept-history-left-behind = true");
        assertThat(db.value("SELECT to_regclass('public.notes')")).isNull();
        assertThat(db.value("SELECT to_regclass('meta.history')")).isNull();
    }

    @Test
    void acceptedTheNewHistoryStartsEmptyInItsSchemaAndTheOneLeftInPublicKeepsItsRows() throws IOException {
        Project accepting = meta().acceptHistoryLeftBehind(true);

        assertThat(accepting.migrate()).hasSize(2);

        assertThat(versions("meta.history")).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT name FROM meta.history ORDER BY version LIMIT 1")).isEqualTo("create_notes");
        assertThat(versions("public.ashlar_schema_migrations")).containsExactly("20260101000000");
        assertThat(db.value("SELECT name FROM public.ashlar_schema_migrations")).isEqualTo("create_orders");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(50L);
        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(1L);

        // Made, the new history is read where it is, with or without the option: nothing runs again.
        file(dir, "20260103000000_create_links.sql", "CREATE TABLE links (url text);", "DROP TABLE links;");
        assertThat(meta().migrate()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(1L);
        assertThat(versions("public.ashlar_schema_migrations")).containsExactly("20260101000000");
        assertThat(Project.open(other).dataSource(db.dataSource()).progress(line -> { }).migrate())
                .as("the application keeping its history in public reads it as before").isEmpty();
    }

    @Test
    void theSettingsFileAcceptsItAndTheProjectsOwnSettingWinsOverTheFile() throws IOException {
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.history-table = meta.history\n"
                + "migrate.accept-history-left-behind = true\n");

        assertThatThrownBy(() -> meta().acceptHistoryLeftBehind(false).migrate())
                .isInstanceOf(MigrationException.class).hasMessageContaining("--accept-history-left-behind");
        assertThat(Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).migrate()).hasSize(2);

        assertThat(versions("meta.history")).containsExactly("20260101000000", "20260102000000");
        assertThat(versions("public.ashlar_schema_migrations")).containsExactly("20260101000000");
    }

    @Test
    void theMigratorKeepsTheAcceptanceWhetherItIsSetBeforeOrAfterTheHistoryTable() {
        List<MigrationFile> applied = new Migrator(db.dataSource(), dir.resolve("migrations")).progress(line -> { })
                .acceptHistoryLeftBehind(true).historyTable("meta.history").migrate();

        assertThat(applied).hasSize(2);
        assertThat(versions("meta.history")).containsExactly("20260101000000", "20260102000000");
        assertThat(versions("public.ashlar_schema_migrations")).containsExactly("20260101000000");
    }
}
