package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationStatus;
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

/** Flyway's skipExecutingMigrations: the pending files a run chooses are recorded, not run. */
@ExtendWith(PostgresExtension.class)
class SkipExecutingMigrationsTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(dir.resolve("migrations"));
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int PRIMARY KEY, title text);");
        file("20260102000000_seed_posts.sql", "INSERT INTO posts VALUES (100, 'seeded');");
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);");
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n"
                + "SELECT 1;\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource());
    }

    private List<String> states() {
        return project().status().stream().map(s -> s.version() + ":" + s.stateName()).toList();
    }

    @Test
    void theFilesUpToTheTargetAreRecordedWithoutRunningAndTheNextMigrateRunsTheRest() {
        db.execute("CREATE TABLE posts (id int PRIMARY KEY, title text); INSERT INTO posts VALUES (1, 'by hand')");

        List<MigrationFile> recorded = project().migrate(MigrateRun.all().upTo("20260102000000")
                .skipExecutingMigrations(true));

        assertThat(recorded).extracting(MigrationFile::version).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM posts")).isEqualTo("1:by hand");
        assertThat(states()).containsExactly("20260101000000:baselined", "20260102000000:baselined",
                "20260103000000:pending");
        assertThat(project().migrate()).extracting(MigrationFile::version).containsExactly("20260103000000");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void withACherryPickOnlyThePickedFileIsRecordedAndTheOthersStillRun() {
        project().migrate(MigrateRun.all().cherryPick(List.of("20260102000000")).skipExecutingMigrations(true));

        project().migrate();

        assertThat(states()).containsExactly("20260101000000:applied", "20260102000000:baselined",
                "20260103000000:applied");
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void aTenantRunOrAGroupRefusesItBeforeAnythingIsRecorded() {
        assertThatThrownBy(() -> project().migrateTenants(TenantSelection.all(),
                MigrateRun.all().skipExecutingMigrations(true))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("--skip-executing-migrations").hasMessageContaining("main schema only");
        assertThatThrownBy(() -> project().migrate(MigrateRun.all().group(true).skipExecutingMigrations(true)))
                .isInstanceOf(MigrationException.class).hasMessageContaining("skip executing");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        assertThat(project().status()).extracting(MigrationStatus::stateName).containsOnly("pending");
    }
}
