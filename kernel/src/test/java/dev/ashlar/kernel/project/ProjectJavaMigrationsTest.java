package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.MigrationEvent;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationListener;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Project façade carries Java migrations to the main schema's runs, and tells its listeners of them. */
@ExtendWith(PostgresExtension.class)
class ProjectJavaMigrationsTest {
    @TempDir
    Path dir;
    TestDatabase db;

    /** Makes a table, in Java, with a name SQL files would have to spell out. */
    record MakeTable(String version, String table) implements JavaMigration {
        public String name() {
            return "make_" + table;
        }

        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (id int)");
            }
        }

        public void down(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE " + table);
            }
        }
    }

    @BeforeEach
    void oneFile(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/20260101000000_create_notes.sql"),
                "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
    }

    @Test
    void theProjectAppliesItsJavaMigrationsWithTheFilesAndTellsItsListenersOfThemInsideTheirTransaction() {
        List<String> told = new ArrayList<>();
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { })
                .javaMigrations(new MakeTable("20260102000000", "tags"))
                .javaMigrations(new MakeTable("20260100000000", "users"))
                .listener(new MigrationListener() {
                    @Override
                    public void afterEach(MigrationEvent event, long millis) throws SQLException {
                        told.add(event.file().version() + (event.file().java() == null ? " file" : " java")
                                + (event.connection().getAutoCommit() ? "" : " in transaction"));
                    }
                });

        assertThat(project.migrate()).extracting(MigrationFile::version)
                .containsExactly("20260100000000", "20260101000000", "20260102000000");

        assertThat(told).containsExactly("20260100000000 java in transaction", "20260101000000 file in transaction",
                "20260102000000 java in transaction");
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                + "AND tablename IN ('users', 'notes', 'tags')")).isEqualTo(3L);
        assertThat(project.status()).extracting(MigrationStatus::label).containsExactly(
                "20260100000000_make_users", "20260101000000_create_notes", "20260102000000_make_tags");

        project.rollback(1);
        assertThat(db.value("SELECT to_regclass('public.tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void aNullOrMalformedJavaMigrationIsRefusedWhenRegistered() {
        Project project = Project.open(dir);

        assertThatThrownBy(() -> project.javaMigrations((JavaMigration) null)).isInstanceOf(AshlarException.class)
                .hasMessageContaining("Project.javaMigrations was given null")
                .satisfies(e -> assertThat(((AshlarException) e).code()).isEqualTo(ErrorCode.MIGRATION));
        assertThatThrownBy(() -> project.javaMigrations(new MakeTable("2026", "tags")))
                .isInstanceOf(AshlarException.class)
                .hasMessageContaining("has version 2026 and name make_tags: a version is 14 digits");
    }
}
