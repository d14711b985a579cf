package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A missing main schema is created before a migrate (Flyway's createSchemas), unless the project says not to. */
@ExtendWith(PostgresExtension.class)
class CreateSchemasTest {
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void projectOnADatabaseWithoutPublic(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE");
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/20260101000000_create_settings.sql"),
                "-- migrate:up\nCREATE TABLE settings (key text);\n-- migrate:down\nDROP TABLE settings;\n");
    }

    @AfterEach
    void publicBack() {
        db.execute("CREATE SCHEMA IF NOT EXISTS public");
    }

    private Object publicExists() {
        return db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'");
    }

    @Test
    void aMissingMainSchemaIsCreatedAndMigrated() {
        Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).migrate();

        assertThat(publicExists()).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('public.settings') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aRollbackRehearsalCreatesAMissingMainSchemaAndMigratesIt() {
        Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).migrateTestingRollback(MigrateRun.all());

        assertThat(publicExists()).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('public.settings') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM public.ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void withCreateSchemasOffAMissingMainSchemaFailsNamingItAndTheSetting() {
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { }).createSchemas(false);

        assertThatThrownBy(project::migrate).isInstanceOf(AshlarException.class)
                .hasMessageContaining("schema public does not exist")
                .hasMessageContaining("CREATE SCHEMA \"public\"")
                .hasMessageContaining("migrate.create-schemas");
        assertThat(publicExists()).isEqualTo(0L);
    }

    @Test
    void theSettingsFileTurnsCreateSchemasOffAndABadValueIsRefusedNamingTheKey() throws IOException {
        Files.writeString(dir.resolve("ashlar.properties"), "migrate.create-schemas = false\n");
        Project project = Project.open(dir).dataSource(db.dataSource()).progress(line -> { });

        assertThatThrownBy(project::migrate).hasMessageContaining("schema public does not exist");
        assertThat(publicExists()).isEqualTo(0L);

        Files.writeString(dir.resolve("ashlar.properties"), "migrate.create-schemas = no\n");
        assertThatThrownBy(project::migrate).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("migrate.create-schemas = no").hasMessageContaining("true or false");
        assertThat(publicExists()).isEqualTo(0L);
    }
}
