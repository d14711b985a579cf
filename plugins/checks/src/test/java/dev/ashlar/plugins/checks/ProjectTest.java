package dev.ashlar.plugins.checks;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test class's database and a fresh project folder with an empty public schema before each test. */
@ExtendWith(PostgresExtension.class)
abstract class ProjectTest {
    @TempDir
    Path dir;
    Project project;
    TestDatabase db;

    @BeforeEach
    void emptyProject(TestDatabase database) {
        this.db = database;
        project = new Project(dir, database);
    }
}
