package dev.ashlar.testing.kit;

import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A class that asks for no DataSource still finds its migrations applied before its first test. */
@AshlarTest(migrations = "src/test/resources/migrations")
class AshlarTestMigratesFirstTest {

    @Test
    void aTestDatabaseParameterAloneSeesTheMigratedSchema(TestDatabase db) {
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
    }
}
