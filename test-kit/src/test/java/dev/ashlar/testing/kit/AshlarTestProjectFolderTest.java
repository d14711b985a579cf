package dev.ashlar.testing.kit;

import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AshlarTest} pointed at a project folder (the one holding {@code migrations/}, as the Maven plugin's
 * {@code <folder>} and the starter's location name it), by path or on the class path, applies its migrations
 * rather than finding no file and applying nothing.
 */
class AshlarTestProjectFolderTest {
    private static void assertMigrated(TestDatabase db) {
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
    }

    @Nested
    @AshlarTest(migrations = "src/test/resources")
    class AProjectFolderByPath {
        @Test
        void appliesTheMigrationsOfItsMigrationsFolder(TestDatabase db) {
            assertMigrated(db);
        }
    }

    @Nested
    @AshlarTest(migrations = "classpath:migrations")
    class AMigrationsFolderOnTheClassPath {
        @Test
        void appliesItsMigrations(TestDatabase db) {
            assertMigrated(db);
        }
    }
}
