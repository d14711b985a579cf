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
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway's target {@code next} and its built-in placeholders {@code database}, {@code timestamp} and {@code table}. */
@ExtendWith(PostgresExtension.class)
class FlywayTargetNextAndBuiltInsTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(dir.resolve("migrations"));
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int PRIMARY KEY, title text);");
        file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;");
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int);");
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(dir.resolve("migrations").resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n"
                + "SELECT 1;\n");
    }

    private Project project() {
        return Project.open(dir).dataSource(db.dataSource());
    }

    private List<Object> history() {
        return db.query("SELECT version FROM ashlar_schema_migrations ORDER BY version").stream()
                .map(row -> row.get("version")).toList();
    }

    @Test
    void migrateToNextAppliesTheOldestPendingVersionAloneAndKeepsTheRows() {
        project().migrateTo("20260101000000");
        db.execute("INSERT INTO posts (id, title) VALUES (1, 'first'), (2, 'second')");

        List<MigrationFile> applied = project().migrate(MigrateRun.all().upTo("next"));

        assertThat(applied).extracting(MigrationFile::version).containsExactly("20260102000000");
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
        assertThat(project().status().stream().filter(MigrationStatus::toRun).map(MigrationStatus::version))
                .containsExactly("20260103000000");
    }

    @Test
    void nextIsALateFileWhenOneIsPendingBeforeTheNewestAppliedAndNothingWhenNoneIs() throws IOException {
        project().migrate(MigrateRun.all().cherryPick(List.of("20260101000000", "20260103000000")));

        List<MigrationFile> late = project().migrate(MigrateRun.all().upTo("NEXT"));
        List<MigrationFile> none = project().migrate(MigrateRun.all().upTo("next"));

        assertThat(late).extracting(MigrationFile::version).containsExactly("20260102000000");
        assertThat(none).isEmpty();
        assertThat(history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
    }

    @Test
    void statusWithTheTargetNextShowsTheFilesAfterTheNextPendingOneAsAboveTarget() {
        project().migrateTo("20260101000000");

        List<String> states = project().status("next").stream().map(s -> s.version() + ":" + s.stateName()).toList();

        assertThat(states).containsExactly("20260101000000:applied", "20260102000000:pending",
                "20260103000000:above-target");
    }

    @Test
    void theDryRunOfNextListsTheOldestPendingFileAlone() {
        project().migrateTo("20260101000000");

        assertThat(project().dryRun(MigrateRun.all().upTo("next"))).extracting(d -> d.file().version())
                .containsExactly("20260102000000");
    }

    @Test
    void nextIsTheOldestPendingFileTheRunsContextsSelectAndItsDryRunListsTheSame() throws IOException {
        project().migrateTo("20260101000000");
        Files.writeString(dir.resolve("migrations/20260102000000_add_body.sql"), "-- context: test\n-- migrate:up\n"
                + "ALTER TABLE posts ADD COLUMN body text;\n-- migrate:down\nSELECT 1;\n");
        db.execute("INSERT INTO posts (id, title) VALUES (1, 'first')");
        MigrateRun prodNext = MigrateRun.all().contexts(List.of("prod")).upTo("next");

        List<String> dryRun = project().dryRun(prodNext).stream().map(d -> d.file().version()).toList();
        List<MigrationFile> applied = project().migrate(prodNext);

        assertThat(dryRun).containsExactly("20260103000000");
        assertThat(applied).extracting(MigrationFile::version).containsExactly("20260103000000");
        assertThat(history()).containsExactly("20260101000000", "20260103000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void theBuiltInsDatabaseTimestampAndTableAreReplacedAsFlywaysAre() throws IOException {
        file("20260104000000_audit.sql", "CREATE TABLE audit (db text, at text, history text, rows bigint);\n"
                + "INSERT INTO audit SELECT '${ashlar:database}', '${ashlar:timestamp}', '${ashlar:table}', count(*) "
                + "FROM ${ashlar:schema}.${ashlar:table};");
        LocalDateTime before = LocalDateTime.now().withNano(0);

        project().migrate();

        assertThat(db.value("SELECT db FROM audit")).isEqualTo(db.value("SELECT current_database()"));
        assertThat(db.value("SELECT history FROM audit")).isEqualTo("ashlar_schema_migrations");
        assertThat(db.value("SELECT rows FROM audit")).isEqualTo(3L);
        LocalDateTime at = LocalDateTime.parse((String) db.value("SELECT at FROM audit"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        assertThat(at).isBetween(before, before.plus(Duration.ofMinutes(1)));
    }

    @Test
    void flywaysDatabaseTimestampAndTableBuiltInsAreRefusedNamingAshlarsOwn() throws IOException {
        file("20260104000000_audit.sql", "SELECT '${flyway:database}', '${flyway:timestamp}';");
        file("20260105000000_grant.sql", "GRANT SELECT ON ${flyway:table} TO PUBLIC;");

        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("${flyway:database}").hasMessageContaining("write ${ashlar:database}");
        Files.delete(dir.resolve("migrations/20260104000000_audit.sql"));
        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("${flyway:table}").hasMessageContaining("write ${ashlar:table}");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }
}
