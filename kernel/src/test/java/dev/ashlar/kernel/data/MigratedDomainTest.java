package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

/** A test class on its own database where a domain was generated and migrated, with one Ashlar for all its tests. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MigratedDomainTest {
    private final Domain domain;
    private final Clock clock;
    private final String migration;
    TestDatabase db;
    MigratedDomain migrated;
    Ashlar ashlar;

    MigratedDomainTest(Domain domain, Clock clock, String migration) {
        this.domain = domain;
        this.clock = clock;
        this.migration = migration;
    }

    @BeforeAll
    void migrate(TestDatabase database, @TempDir Path folder) {
        db = database;
        migrated = new MigratedDomain(db, folder, domain, clock, migration);
        ashlar = migrated.ashlar;
    }

    @AfterAll
    void stop() {
        migrated.close();
    }
}
