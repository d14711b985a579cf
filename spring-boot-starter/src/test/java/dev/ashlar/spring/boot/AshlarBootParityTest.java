package dev.ashlar.spring.boot;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Start-up cases of Boot's Flyway auto-configuration tests, restated for Ashlar: lazy initialisation, several
 * DataSources, relaxed binding, a missing location allowed, and Boot's failure analysis of a start-up that fails.
 */
@ExtendWith(PostgresExtension.class)
class AshlarBootParityTest {
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        TwoDataSources.db = db;
    }

    @Test
    void lazyInitializationStillAppliesTheMigrationsAtStartUp() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, AshlarAutoConfigurationTest.DomainOnly.class,
                "spring.main.lazy-initialization=true")) {
            assertThat(app.getBeanFactory().getBeanDefinition("ashlarMigrationInitializer").isLazyInit()).isTrue();
            assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
            assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        }
    }

    @Test
    void twoDataSourcesWithoutAPrimaryStopStartUpNamingThemAndTheFix() {
        assertThatThrownBy(() -> NotesApplication.start(db, TwoDataSources.class).close())
                .hasStackTraceContaining("several DataSource beans (first, second) and none is @Primary")
                .hasStackTraceContaining("@Primary").hasStackTraceContaining("@AshlarMigrationDataSource");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void propertiesBindInEveryRelaxedForm() {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("ASHLAR_MIGRATE_TENANTJOBS", "3",
                "ASHLAR_MIGRATE_PLACEHOLDERS_OWNER", "app_owner", "ASHLAR_JOINTRANSACTIONS", "false")));
        sources.addLast(new MapPropertySource("properties", Map.of("ashlar.migrate.baselineOnMigrate", "true",
                "ashlar.migrate.connect_retries", "2", "ashlar.migrate.Location", "filesystem:db")));

        AshlarProperties properties = new Binder(ConfigurationPropertySources.from(sources))
                .bind("ashlar", AshlarProperties.class).get();

        assertThat(properties.getMigrate().getTenantJobs()).isEqualTo(3);
        assertThat(properties.getMigrate().getPlaceholders()).containsEntry("owner", "app_owner");
        assertThat(properties.isJoinTransactions()).isFalse();
        assertThat(properties.getMigrate().isBaselineOnMigrate()).isTrue();
        assertThat(properties.getMigrate().getConnectRetries()).isEqualTo(2);
        assertThat(properties.getMigrate().getLocation()).isEqualTo("filesystem:db");
    }

    @Test
    void aMissingLocationAllowedByFailOnMissingLocationStartsTheApplicationAndCreatesNothing() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db,
                "ashlar.migrate.location=filesystem:no/such/project", "ashlar.migrate.fail-on-missing-location=false")) {
            assertThat(app.getBean(AshlarMigrations.class).located()).isFalse();
            assertThat(app.getBean(AshlarMigrations.class).status()).isEmpty();
            assertThat(app.getBeansOfType(dev.ashlar.kernel.Ashlar.class)).hasSize(1);
        }
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")).isEqualTo(0L);
    }

    @Test
    void withMigrateDisabledAMissingLocationDoesNotStopTheStartUp() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.enabled=false",
                "ashlar.migrate.location=classpath:db/nowhere")) {
            assertThat(app.getBean(AshlarMigrations.class).located()).isFalse();
            assertThat(app.getBeansOfType(AshlarMigrationInitializer.class)).isEmpty();
        }
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")).isEqualTo(0L);
    }

    @Test
    void aStartUpFailureIsReportedByAFailureAnalysisNamingThePropertyAndWhatToChange() {
        List<String> report = failureReport(() -> NotesApplication.start(db, "ashlar.migrate.location=classpath:db/nowhere"));
        assertThat(report).singleElement().asString()
                .contains("Ashlar stopped the start-up: ashlar.migrate.location: The migrations location "
                        + "classpath:db/nowhere is not on the class path")
                .contains("Action:", "Fix ashlar.migrate.location or the project file named above");

        report = failureReport(() -> NotesApplication.start(db, TwoDataSources.class));
        assertThat(report).singleElement().asString()
                .contains("several DataSource beans (first, second) and none is @Primary")
                .contains("Change the ashlar.* property or the bean named above");
    }

    @Test
    void aPropertyOfTheWrongTypeIsReportedNamingThePropertyAndItsValueAndNothingIsMigrated() {
        String[][] wrong = {{"ashlar.migrate.tenant-jobs", "abc"}, {"ashlar.migrate.connect-retries", "99999999999"},
                {"ashlar.migrate.connect-retries-interval", "soon"}, {"ashlar.migrate.enabled", "maybe"}};
        for (String[] property : wrong) {
            List<String> report = failureReport(() -> NotesApplication.start(db, property[0] + "=" + property[1]));

            assertThat(report).as(property[0]).singleElement().asString()
                    .contains("Failed to bind properties under '" + property[0] + "'")
                    .contains("Value: \"" + property[1] + "\"").contains("Update your application's configuration");
        }
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsReportedWithTheActionToCheckTheDataSourceUrl() {
        List<String> report = failureReport(() -> NotesApplication.start(db,
                "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nowhere"));
        assertThat(report).singleElement().asString()
                .contains("Connection to 127.0.0.1:1 refused")
                .contains("Check that the database answers at spring.datasource.url");
    }

    @Test
    void aLoginTheServerRefusesIsReportedWithTheActionToSetTheUsernameAndPassword() {
        String url = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*", "$1").replaceAll("[?&]+$", "");
        List<String> report = failureReport(() -> NotesApplication.start(db, "spring.datasource.url=" + url,
                "spring.datasource.username=no_such_role"));
        assertThat(report).singleElement().asString()
                .contains("role \"no_such_role\" does not exist")
                .contains("Action: The server refused the user or its password: set spring.datasource.username and "
                        + "spring.datasource.password");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDatabaseThatDoesNotExistIsReportedWithTheActionToCreateIt() {
        String url = db.jdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1no_such_database");
        List<String> report = failureReport(() -> NotesApplication.start(db, "spring.datasource.url=" + url));
        assertThat(report).singleElement().asString()
                .contains("database \"no_such_database\" does not exist")
                .contains("Action: Create the database named in spring.datasource.url");
    }

    @Test
    void withMigrateDisabledPendingMigrationsAreWarnedAboutAtStartUpNamingThemAndTheFix() {
        // Boot resets logback as the application starts: the warning bean is asked again once it has.
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.enabled=false")) {
            AshlarPendingMigrationsWarning warning = app.getBean(AshlarPendingMigrationsWarning.class);
            assertThat(warnings(warning)).singleElement().asString()
                    .startsWith("ashlar.migrate.enabled=false, and 1 migration(s) of the main schema are pending: "
                            + "20261201100000_create_notes.")
                    .contains("run ashlar migrate", "ashlar.migrate.enabled=true", "ashlar.migrate.validate-only=true");
            assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
        }

        NotesApplication.start(db).close();
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.enabled=false")) {
            assertThat(warnings(app.getBean(AshlarPendingMigrationsWarning.class))).as("nothing pending").isEmpty();
        }
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            assertThat(app.getBeansOfType(AshlarPendingMigrationsWarning.class)).as("migrating at start-up").isEmpty();
        }
    }

    /** What the bean logs at its start-up step. */
    private static List<String> warnings(AshlarPendingMigrationsWarning warning) {
        return logged(AshlarPendingMigrationsWarning.class, ch.qos.logback.classic.Level.WARN,
                warning::afterSingletonsInstantiated);
    }

    /** What the logger of {@code source} logs at {@code level} while {@code step} runs. */
    static List<String> logged(Class<?> source, ch.qos.logback.classic.Level level, Runnable step) {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(source);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        ch.qos.logback.classic.Level configured = logger.getLevel();
        logger.setLevel(level);
        try {
            step.run();
        } finally {
            logger.setLevel(configured);
            logger.detachAppender(events);
        }
        return events.list.stream().filter(event -> event.getLevel() == level)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void theClassPathIsSearchedForPluginsOnceNotOnEveryCallThatOpensTheProject() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            AshlarAutoConfiguration.AshlarDomain domain = app.getBean(AshlarAutoConfiguration.AshlarDomain.class);
            List<dev.ashlar.spi.plugin.AshlarPlugin> first = domain.plugins().all();
            app.getBean(AshlarMigrations.class).status();
            assertThat(first).isNotEmpty();
            assertThat(domain.plugins().all()).hasSameSizeAs(first)
                    .allSatisfy(plugin -> assertThat(first).anySatisfy(known -> assertThat(known).isSameAs(plugin)));
        }
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.discover-plugins=false")) {
            assertThat(app.getBean(AshlarAutoConfiguration.AshlarDomain.class).plugins().all()).isEmpty();
        }
    }

    @Test
    void aFailingMigrationIsReportedByAFailureAnalysisNamingTheFileAndStatus() {
        List<String> report = failureReport(() -> NotesApplication.start(db, "ashlar.migrate.location=classpath:db/broken"));
        assertThat(report).singleElement().asString()
                .contains("Migration 20261201100000_create_notes.sql failed on public")
                .contains("Fix the migration or the database as the message says");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    /**
     * Boot's analysis of the failure the application stopped with: the first of the analyzers that Boot loads from
     * spring.factories to answer, as its start-up asks them.
     */
    private static List<String> failureReport(Runnable start) {
        Throwable failure = catchThrowable(start::run);
        assertThat(failure).isNotNull();
        ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
                .and(Environment.class, new StandardEnvironment());
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, arguments, SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> {
                }));   // as Boot skips an analyzer for classes the application lacks (PathPattern without spring-web)
        assertThat(analyzers).hasAtLeastOneElementOfType(AshlarFailureAnalyzer.class);
        FailureAnalysis analysis = analyzers.stream().map(analyzer -> analyzer.analyze(failure))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        return List.of("Description: " + analysis.getDescription() + "\nAction: " + analysis.getAction());
    }

    /** Two DataSources, neither primary nor marked for the migrations. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoDataSources {
        static TestDatabase db;

        @Bean
        Domain notesDomain() {
            return new NotesApplication().notesDomain();
        }

        @Bean
        DataSource first() {
            return new SimpleDriverDataSource(new org.postgresql.Driver(), db.jdbcUrl(), db.user(), db.password());
        }

        @Bean
        DataSource second() {
            return new SimpleDriverDataSource(new org.postgresql.Driver(), db.jdbcUrl(), db.user(), db.password());
        }
    }
}
