package dev.ashlar.kernel.project;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations packaged inside the application's jar apply like a folder's, with the same checksums. */
@ExtendWith(PostgresExtension.class)
class ClasspathMigrationsTest {
    private static final String CREATE = "-- migrate:up\nCREATE TABLE packaged_notes (id bigint PRIMARY KEY, body text);\n"
            + "-- migrate:down\nDROP TABLE packaged_notes;\n";
    private static final String FILE = "20260101000000_create_notes.sql";

    @TempDir
    Path work;
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    /** An application jar with its migrations under db/ashlar/migrations. */
    private URLClassLoader applicationJar() throws IOException {
        Path jar = work.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream entries = new JarOutputStream(out)) {
            for (String folder : new String[] {"db/", "db/ashlar/", "db/ashlar/migrations/"}) {
                entries.putNextEntry(new JarEntry(folder));
                entries.closeEntry();
            }
            entries.putNextEntry(new JarEntry("db/ashlar/migrations/" + FILE));
            entries.write(CREATE.getBytes(StandardCharsets.UTF_8));
            entries.closeEntry();
        }
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    @Test
    void migrationsInsideTheApplicationJarApplyWithTheChecksumsOfTheSameFilesInAFolder() throws IOException {
        Path folder = Files.createDirectories(work.resolve("src/db/ashlar/migrations"));
        Files.writeString(folder.resolve(FILE), CREATE);
        try (URLClassLoader application = applicationJar()) {
            assertThat(Project.open("classpath:db/ashlar", application).dataSource(db.dataSource()).migrate())
                    .extracting(MigrationFile::fileName).containsExactly(FILE);
            assertThat(Project.open("classpath:/db/ashlar/", application).dataSource(db.dataSource()).migrate())
                    .as("a rerun finds nothing pending").isEmpty();
        }

        assertThat(db.value("SELECT to_regclass('public.packaged_notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations"))
                .isEqualTo(MigrationFile.read(folder.resolve(FILE)).checksum());
        assertThat(Project.open(work.resolve("src/db/ashlar")).dataSource(db.dataSource()).migrate())
                .as("the folder the jar was packaged from agrees with the history").isEmpty();
    }

    @Test
    void aClasspathProjectCanBeMigratedButNotGenerated() throws IOException {
        try (URLClassLoader application = applicationJar()) {
            Project packaged = Project.open("classpath:db/ashlar", application);

            assertThatThrownBy(() -> packaged.check(Renames.none())).isInstanceOf(ProjectFileException.class)
                    .hasMessageContaining("can be migrated, not generated");
        }
    }

    @Test
    void aLocationThatIsNotOnTheClassPathSaysWhereToPackageIt() throws IOException {
        try (URLClassLoader application = applicationJar()) {
            assertThatThrownBy(() -> Project.open("classpath:db/missing", application))
                    .isInstanceOf(ProjectFileException.class)
                    .hasMessageContaining("is not on the class path")
                    .hasMessageContaining("src/main/resources/db/missing");
        }
    }
}
