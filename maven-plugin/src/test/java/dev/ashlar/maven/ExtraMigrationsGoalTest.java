package dev.ashlar.maven;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
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

/** The extraMigrations parameter: main-schema migrations read from more folders than the project's migrations/. */
@ExtendWith(PostgresExtension.class)
class ExtraMigrationsGoalTest {
    @TempDir
    Path work;
    TestDatabase db;
    MigrateMojo migrate;
    Path shared;

    @BeforeEach
    void aProjectAndASharedFolder(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Path folder = Files.createDirectories(work.resolve("db/migrations"));
        Files.writeString(folder.resolve("20260101000000_create_probes.sql"),
                "-- migrate:up\nCREATE TABLE probes (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE probes;\n");
        Files.writeString(folder.resolve("20260103000000_index_readings.sql"), "-- migrate:up\nCREATE INDEX "
                + "readings_probe_index ON readings (probe_id);\n-- migrate:down\nDROP INDEX readings_probe_index;\n");
        shared = Files.createDirectories(work.resolve("shared"));
        Files.writeString(shared.resolve("20260102000000_create_readings.sql"), "-- migrate:up\nCREATE TABLE readings "
                + "(probe_id bigint REFERENCES probes);\n-- migrate:down\nDROP TABLE readings;\n");
        migrate = new MigrateMojo();
        migrate.mavenProject = new MavenProject();
        migrate.mavenProject.getBuild().setOutputDirectory(Files.createDirectories(work.resolve("classes")).toString());
        migrate.folder = work.resolve("db").toFile();
        migrate.url = db.urlWithCredentials();
    }

    @Test
    void migrateAppliesTheFilesOfTheExtraFoldersMergedByVersionWithTheProjects() throws Exception {
        migrate.extraMigrations = List.of(shared.toFile());

        migrate.execute();

        assertThat(db.query("SELECT version FROM ashlar_schema_migrations ORDER BY applied_at, version"))
                .extracting(row -> row.get("version"))
                .containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(db.value("SELECT to_regclass('public.readings_probe_index') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void anExtraFolderThatIsNotThereFailsTheGoalNamingItWithNothingApplied() {
        Path missing = work.resolve("nowhere");
        migrate.extraMigrations = List.of(missing.toFile());

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("The extra migrations folder " + missing + " is no folder");
        assertThat(db.value("SELECT to_regclass('public.probes') IS NULL")).isEqualTo(true);
    }
}
