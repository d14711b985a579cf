package dev.ashlar.kernel.project;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
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

/** Liquibase's runAlways: a repeatable file with a {@code -- run-always} header runs at every migrate, unchanged. */
@ExtendWith(PostgresExtension.class)
class RunAlwaysTest {
    @TempDir
    Path dir;
    TestDatabase db;
    Path migrations;
    Project project;

    @BeforeEach
    void postsAndTheirCount(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        migrations = Files.createDirectories(dir.resolve("migrations"));
        file("20260101000000_create_posts.sql", "", "CREATE TABLE posts (id bigint PRIMARY KEY);\n"
                + "CREATE TABLE post_count (posts bigint NOT NULL);", "DROP TABLE post_count;\nDROP TABLE posts;");
        file("R__count_posts.sql", "-- run-always\n", "DELETE FROM post_count;\n"
                + "INSERT INTO post_count SELECT count(*) FROM posts;", "");
        file("R__count_posts_once.sql", "", "CREATE TABLE IF NOT EXISTS once_count (posts bigint);\n"
                + "DELETE FROM once_count;\nINSERT INTO once_count SELECT count(*) FROM posts;", "");
        project = Project.open(dir).dataSource(db.dataSource());
    }

    private void file(String name, String headers, String up, String down) throws IOException {
        Files.writeString(migrations.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\n" + down
                + "\n");
    }

    @Test
    void aRunAlwaysFileRunsAgainAtAMigrateWithNothingElsePendingAndKeepsOneHistoryRow() {
        project.migrate();
        db.execute("INSERT INTO posts SELECT generate_series(1, 3)");
        Object firstRun = db.value("SELECT applied_at FROM ashlar_schema_migrations WHERE version = 'R__count_posts'");

        assertThat(project.migrate()).extracting(MigrationFile::fileName).containsExactly("R__count_posts.sql");

        assertThat(db.value("SELECT posts FROM post_count")).isEqualTo(3L);
        assertThat(db.value("SELECT posts FROM once_count")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations WHERE version = 'R__count_posts'"))
                .isEqualTo(1L);
        assertThat(db.value("SELECT applied_at > ? FROM ashlar_schema_migrations WHERE version = 'R__count_posts'",
                firstRun)).isEqualTo(true);
    }

    @Test
    void aVersionedFileWithRunAlwaysIsRefusedNamingItBeforeAnythingRuns() throws IOException {
        file("20260102000000_refresh.sql", "-- run-always\n", "SELECT 1;", "");

        assertThatThrownBy(project::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_refresh.sql")
                .hasMessageContaining("R__refresh.sql");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aTenantFileWithRunAlwaysIsRefusedAndNoTenantSchemaRunsIt() throws IOException {
        Files.createDirectories(dir.resolve("tenant_migrations"));
        Files.writeString(dir.resolve("tenant_migrations/R__tenant_count.sql"), "-- run-always\n-- migrate:up\n"
                + "CREATE TABLE IF NOT EXISTS note_count (notes bigint);\n");
        db.execute("DROP TABLE IF EXISTS ashlar_tenant_migrations; DROP SCHEMA IF EXISTS ra_acme CASCADE; "
                + "CREATE SCHEMA ra_acme");

        assertThatThrownBy(() -> project.migrateTenants(TenantSelection.named(List.of("ra_acme"))))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("R__tenant_count.sql has a '-- run-always' header")
                .hasMessageContaining("tenant_migrations/afterMigrate.sql");
        assertThat(db.value("SELECT to_regclass('ra_acme.note_count') IS NULL")).isEqualTo(true);
        db.execute("DROP SCHEMA ra_acme CASCADE");
    }

    @Test
    void aMistypedRunAlwaysHeaderIsRefusedRatherThanIgnored() throws IOException {
        file("R__count_posts.sql", "-- runAlways: true\n", "SELECT 1;", "");

        assertThatThrownBy(project::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("R__count_posts.sql").hasMessageContaining("'-- run-always'");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }
}
