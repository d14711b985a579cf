package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class on its own database holding the sample domain's tables, with one Ashlar for all its tests. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BlogDatabaseTest {
    TestDatabase db;
    Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        ashlar = Fixtures.blog(db);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }
}
