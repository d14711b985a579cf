package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's test slices ({@code @JdbcTest}, {@code @DataJdbcTest}, {@code @DataJpaTest}) start no auto-configuration but
 * their own and those listed for {@code @AutoConfigureDataSourceInitialization}, as Flyway and Liquibase are: the
 * starter is listed there too, under each name Boot 4 gives that annotation, so a slice's tests run on a migrated
 * schema with an {@code Ashlar} bean.
 */
@ExtendWith(PostgresExtension.class)
class AshlarTestSliceTest {
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void aTestSliceThatInitialisesItsDataSourceAppliesTheMigrationsAndHasAnAshlar() {
        assertSliceMigrates(Slice.class);
    }

    @Test
    void aSliceOfTheJdbcTestModuleAppliesTheMigrationsAndHasAnAshlar() {
        assertSliceMigrates(JdbcTestModuleSlice.class);
    }

    private void assertSliceMigrates(Class<?> slice) {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, slice)) {
            assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
            assertThat(app.getBean(Ashlar.class).create("note", Map.of("body", "in a slice")).get("body"))
                    .isEqualTo("in a slice");
        }
    }

    /** What a slice's context holds: the DataSource ({@code @AutoConfigureJdbc}), and the initialisers. */
    @SpringBootConfiguration
    @ImportAutoConfiguration(DataSourceAutoConfiguration.class)
    @org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureDataSourceInitialization
    static class Slice {
        @Bean
        dev.ashlar.api.resource.Domain notesDomain() {
            return new NotesApplication().notesDomain();
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration(DataSourceAutoConfiguration.class)
    @org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureDataSourceInitialization
    static class JdbcTestModuleSlice extends Slice {
    }
}
