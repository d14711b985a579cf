package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class on its own database holding a domain's tables, with one Ashlar for all its tests. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DomainDatabaseTest {
    private final Domain domain;
    private final AshlarPlugin[] plugins;
    TestDatabase db;
    Ashlar ashlar;

    DomainDatabaseTest(Domain domain, AshlarPlugin... plugins) {
        this.domain = domain;
        this.plugins = plugins;
    }

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        ashlar = Fixtures.ashlar(db, domain, plugins);
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }
}
