package dev.ashlar.cli;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test of the command on a fresh project folder and a database whose public schema starts empty. */
@ExtendWith(PostgresExtension.class)
abstract class CliProjectTest {
    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase database) {
        this.db = database;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }
}
