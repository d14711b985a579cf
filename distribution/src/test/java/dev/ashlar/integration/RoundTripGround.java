package dev.ashlar.integration;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The ground of a {@link GenerationRoundTrip} test: an empty project folder, and a database whose public schema is
 * empty and whose one other schema, which the test's resources may use, does not exist.
 */
@ExtendWith(PostgresExtension.class)
abstract class RoundTripGround {
    @TempDir
    Path project;
    TestDatabase db;
    GenerationRoundTrip generations;
    private final String otherSchema;

    RoundTripGround(String otherSchema) {
        this.otherSchema = otherSchema;
    }

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS " + Identifiers.quote(otherSchema) + " CASCADE; DROP SCHEMA public CASCADE; "
                + "CREATE SCHEMA public");
        generations = new GenerationRoundTrip(project, db, "public", otherSchema);
    }
}
