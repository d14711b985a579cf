package dev.ashlar.plugins.indexes;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test on a real PostgreSQL with an empty public schema and an empty project directory. */
@ExtendWith(PostgresExtension.class)
abstract class ProjectTest {
    @TempDir
    Path directory;
    TestDatabase db;
    Project project;

    @BeforeEach
    void cleanSlate(TestDatabase database) {
        this.db = database;
        this.project = new Project(directory, database);
    }
}
