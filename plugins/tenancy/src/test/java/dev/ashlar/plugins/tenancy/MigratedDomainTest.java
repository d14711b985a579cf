package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A test on a clean database holding a domain's main migrations, generated into a fresh project, with an Ashlar that
 * has the tenancy plugin ({@link TenancyDataTest#migrated}); the schemas named with the prefix are dropped first.
 */
@ExtendWith(PostgresExtension.class)
abstract class MigratedDomainTest {
    private final Domain domain;
    private final String schemaPrefix;
    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    MigratedDomainTest(Domain domain, String schemaPrefix) {
        this.domain = domain;
        this.schemaPrefix = schemaPrefix;
    }

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        ashlar = TenancyDataTest.migrated(db, project, domain, schemaPrefix);
    }

    @AfterEach
    void close() {
        ashlar.close();
    }
}
