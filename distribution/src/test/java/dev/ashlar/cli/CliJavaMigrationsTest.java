package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.spi.schema.Scope;
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
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line on a history that holds a Java migration's row, which it cannot load: shown as java, left alone by
 * migrate, validate and repair, refused by a rollback that reaches it, in the main schema and in tenant schemas; and
 * the callback files it runs.
 */
@ExtendWith(PostgresExtension.class)
class CliJavaMigrationsTest {
    @TempDir
    Path project;
    TestDatabase db;

    /** What the application applies at start-up, beside the files. */
    static class V20260101010000__backfill_titles extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement update = connection.createStatement()) {
                update.executeUpdate("UPDATE posts SET title = 'untitled' WHERE title IS NULL");
            }
        }
    }

    /** What the application applies in every tenant schema, beside the tenant files. */
    static class V20260101010000__first_note extends BaseJavaMigration {
        @Override
        public Scope scope() {
            return Scope.TENANT;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement insert = connection.createStatement()) {
                insert.executeUpdate("INSERT INTO notes (body) VALUES (current_schema())");
            }
        }
    }

    @BeforeEach
    void appliedByTheApplication(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(project.resolve("migrations"));
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int, title text);\n"
                + "INSERT INTO posts VALUES (1, NULL);", "DROP TABLE posts;");
        Project.open(project).dataSource(db.dataSource()).progress(line -> { })
                .javaMigrations(new V20260101010000__backfill_titles()).migrate();
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(project.resolve("migrations").resolve(name),
                "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private void tenantFile(String name, String up, String down) throws IOException {
        Files.createDirectories(project.resolve("tenant_migrations"));
        Files.writeString(project.resolve("tenant_migrations").resolve(name),
                "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    @Test
    void aTenantRunWithoutTheApplicationsClassesLeavesTheTenantJavaRowsAloneAndAppliesTheFilesAfterThem()
            throws IOException {
        db.execute("DROP SCHEMA IF EXISTS tj_a CASCADE; DROP SCHEMA IF EXISTS tj_b CASCADE; CREATE SCHEMA tj_a; "
                + "CREATE SCHEMA tj_b");
        tenantFile("20260101000000_create_notes.sql", "CREATE TABLE notes (body text);", "DROP TABLE notes;");
        Project.open(project).dataSource(db.dataSource()).progress(line -> { })
                .javaMigrations(new V20260101010000__first_note())
                .migrateTenants(TenantSelection.named(List.of("tj_a", "tj_b")));
        tenantFile("20260102000000_add_author.sql", "ALTER TABLE notes ADD COLUMN author text;",
                "ALTER TABLE notes DROP COLUMN author;");

        CliRun status = ashlar("status", "--tenant", "tj_a", "--tenant", "tj_b");
        CliRun migrate = ashlar("migrate", "--tenant", "tj_a", "--tenant", "tj_b");
        CliRun rollback = ashlar("rollback", "--tenant", "tj_a", "--steps", "2");

        assertThat(status.out()).contains("2 tenant schema(s), 2 with pending migrations");
        assertThat(migrate.code()).isZero();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_schema IN ('tj_a', 'tj_b') "
                + "AND table_name = 'notes' AND column_name = 'author'")).isEqualTo(2L);
        assertThat(db.value("SELECT string_agg(body, ',' ORDER BY body) FROM (SELECT body FROM tj_a.notes "
                + "UNION ALL SELECT body FROM tj_b.notes) n")).isEqualTo("tj_a,tj_b");
        assertThat(db.value("SELECT string_agg(version || ' ' || checksum_algorithm, ',' ORDER BY version) FROM "
                + "tj_b.ashlar_schema_migrations")).isEqualTo("20260101000000 sha256,20260101010000 java,"
                + "20260102000000 sha256");
        assertThat(rollback.code()).isNotZero();
        assertThat(rollback.out() + rollback.err()).contains("tj_a").contains("Cannot roll back 20260101010000: a "
                + "Java migration applied it");
        assertThat(db.value("SELECT count(*) FROM tj_a.ashlar_schema_migrations")).isEqualTo(3L);
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void statusShowsTheJavaRowAsJavaAndMigrateValidateAndRepairLeaveItAlone() throws IOException {
        file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;",
                "ALTER TABLE posts DROP COLUMN body;");

        CliRun status = ashlar("status");
        assertThat(status.code()).isEqualTo(3);
        assertThat(status.out()).contains("java      20260101010000_backfill_titles  (applied ",
                "1 applied by Java migrations not found on --classpath: left alone",
                "1 pending: run 'ashlar migrate'.").doesNotContain("missing");

        CliRun migrate = ashlar("migrate");
        assertThat(migrate.code()).isZero();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(1L);
        assertThat(ashlar("validate").code()).isZero();
        assertThat(ashlar("repair").code()).isZero();
        assertThat(ashlar("status").code()).isZero();
        assertThat(db.value("SELECT checksum_algorithm || ' ' || checksum FROM ashlar_schema_migrations "
                + "WHERE version = '20260101010000'")).isEqualTo("java java");
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("untitled");
    }

    @Test
    void aRollbackThatReachesTheJavaRowIsRefusedSayingWhereToRollItBack() {
        CliRun rollback = ashlar("rollback");

        assertThat(rollback.code()).isEqualTo(1);
        assertThat(rollback.err()).contains("Cannot roll back 20260101010000: a Java migration applied it");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
    }

    @Test
    void migrateRunsTheAfterMigrateCallbackEvenWithNothingPending() throws IOException {
        Files.writeString(project.resolve("migrations/afterMigrate.sql"), "COMMENT ON TABLE posts IS 'checked';\n");

        CliRun migrate = ashlar("migrate");

        assertThat(migrate.code()).isZero();
        assertThat(db.value("SELECT obj_description('public.posts'::regclass)")).isEqualTo("checked");
        assertThat(ashlar("status").out()).doesNotContain("afterMigrate");
        assertThat(ashlar("lint").code()).isZero();
    }
}
