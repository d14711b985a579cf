package dev.ashlar.spring.boot;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up migration on a connection of its own, as Boot's Flyway auto-configuration tests check it: a user that
 * may change the schema for the migrations, the application's user for its rows, and the strategy that replaces the
 * start-up migration.
 */
@ExtendWith(PostgresExtension.class)
class AshlarMigrationDataSourceTest {
    private static final String MIGRATOR = "ashlar_boot_migrator";
    private static final String APP = "ashlar_boot_app";

    TestDatabase db;
    List<TestDatabase.Role> roles;

    @BeforeEach
    void roles(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        roles = List.of(db.loginRole(MIGRATOR), db.loginRole(APP));
    }

    @AfterEach
    void dropRoles() {
        roles.forEach(TestDatabase.Role::close);
    }

    @Test
    void theMigrationsRunAsTheirOwnUserWhileTheApplicationConnectsAsItsOwn() {
        try (ConfigurableApplicationContext app = start(NotesApplication.class, "spring.datasource.username=" + APP,
                "spring.datasource.url=" + bare(db), "ashlar.migrate.username=" + MIGRATOR)) {
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(MIGRATOR);
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'ashlar_schema_migrations'"))
                    .isEqualTo(MIGRATOR);
            assertThat(app.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
                    .isEqualTo(APP);
        }
    }

    @Test
    void theInitSqlsRunOnTheMigrationsConnectionsAndThePoolGetsThemBackAsItLentThem() {
        // A pool of two: the migration's lock and work connections are the only ones the application can get back.
        try (ConfigurableApplicationContext app = start(NotesApplication.class,
                "spring.datasource.hikari.maximum-pool-size=2",
                "ashlar.migrate.init-sqls=SET ROLE " + MIGRATOR + ",SET lock_timeout = '3s'")) {
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(MIGRATOR);
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'ashlar_schema_migrations'"))
                    .isEqualTo(MIGRATOR);
            assertThat(app.getBean(JdbcTemplate.class).queryForObject("SELECT current_user || ' ' || "
                    + "current_setting('lock_timeout')", String.class)).isEqualTo(db.user() + " 0");
        }
    }

    @Test
    void theMigrationsUserWinsOverAUserInTheApplicationsUrl() {
        assertThat(db.jdbcUrl()).as("the test server's URL names its user").contains("user=");
        try (ConfigurableApplicationContext app = start(NotesApplication.class, "ashlar.migrate.username=" + MIGRATOR)) {
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(MIGRATOR);
            assertThat(app.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
                    .isEqualTo(db.user());
        }
    }

    @Test
    void onlyTheUserAndPasswordLeaveTheUrl() {
        assertThat(AshlarAutoConfiguration.withoutCredentials("jdbc:postgresql://h/db?user=a&password=b&sslmode=require"))
                .isEqualTo("jdbc:postgresql://h/db?sslmode=require");
        assertThat(AshlarAutoConfiguration.withoutCredentials("jdbc:postgresql://h/db?ApplicationName=x&user=a"))
                .isEqualTo("jdbc:postgresql://h/db?ApplicationName=x");
        assertThat(AshlarAutoConfiguration.withoutCredentials("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void aMigrationUrlAloneConnectsThereAsTheApplicationsUser() {
        try (ConfigurableApplicationContext app = start(NotesApplication.class, "ashlar.migrate.url=" + db.jdbcUrl())) {
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(db.user());
            assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
            assertThat(app.getBean(Ashlar.class).read("note").count()).isZero();
        }
    }

    @Test
    void aDataSourceBeanMarkedForTheMigrationsIsWhatTheyRunOn() {
        try (ConfigurableApplicationContext app = start(TwoDataSources.class)) {
            assertThat(db.value("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo(MIGRATOR);
            assertThat(app.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
                    .isEqualTo(db.user());
        }
    }

    @Test
    void aMigrationUrlNamingNoDatabaseStopsStartUpNamingThePropertyRatherThanMigratingTheUsersDatabase() {
        String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");

        assertThatThrownBy(() -> start(NotesApplication.class, "ashlar.migrate.url=jdbc:postgresql://" + server + "/",
                "ashlar.migrate.username=" + db.user(), "ashlar.migrate.password=XQSECRET").close())
                .rootCause().hasMessageStartingWith("ashlar.migrate.url: The database URL 'jdbc:postgresql://" + server
                        + "/' names no database").hasMessageContaining("add it after the host and port")
                .hasMessageNotContaining("XQSECRET");
        assertThatThrownBy(() -> start(NotesApplication.class,
                "ashlar.migrate.url=jdbc:postgresql://app:XQSECRET@" + server + "/notes").close())
                .rootCause().hasMessageContaining("puts a user before the host").hasMessageNotContaining("XQSECRET");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aPasswordForTheMigrationsWithoutTheirUserStopsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(NotesApplication.class, "ashlar.migrate.password=secret").close())
                .rootCause().hasMessageContaining("ashlar.migrate.password is set without ashlar.migrate.username");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void theStartUpMigrationTriesADatabaseThatDoesNotAnswerAgainAsConnectRetriesSays() {
        assertThatThrownBy(() -> start(NotesApplication.class, "spring.datasource.url=jdbc:postgresql://localhost:1/notes",
                "ashlar.migrate.connect-retries=1").close()).hasStackTraceContaining("refused")
                .hasStackTraceContaining("after 1 connection retries");
        assertThatThrownBy(() -> start(NotesApplication.class, "ashlar.migrate.connect-retries=-1").close())
                .hasStackTraceContaining("ashlar.migrate.connect-retries is -1");
    }

    @Test
    void theConnectRetriesIntervalBoundsTheWaitBetweenRetriesAndOneNotAboveZeroStopsStartUpNamingIt() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> start(NotesApplication.class, "spring.datasource.url=jdbc:postgresql://localhost:1/notes",
                "ashlar.migrate.connect-retries=3", "ashlar.migrate.connect-retries-interval=100ms").close())
                .hasStackTraceContaining("after 3 connection retries");

        // Without the bound the waits are 1 s, 2 s and 4 s.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThatThrownBy(() -> start(NotesApplication.class, "ashlar.migrate.connect-retries-interval=0").close())
                .hasStackTraceContaining("ashlar.migrate.connect-retries-interval is PT0S");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aMigrationStrategyBeanRunsInsteadOfTheStartUpMigration() {
        StatusOnly.seen.clear();
        try (ConfigurableApplicationContext app = start(StatusOnly.class)) {
            assertThat(app.getBeansOfType(AshlarMigrationInitializer.class)).hasSize(1);
            assertThat(StatusOnly.seen).containsExactly("20261201100000 pending");
            assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
        }
    }

    @Test
    void aStrategyThatCleansThenMigratesStartsOnAFreshSchemaAsFlywaysCleanThenMigrateStrategyDoes() {
        db.execute("CREATE TABLE leftover (id int); CREATE TABLE notes (id int, body text NOT NULL); "
                + "INSERT INTO notes VALUES (1, 'old')");
        start(CleanThenMigrate.class).close();

        assertThat(db.value("SELECT to_regclass('public.leftover') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aStrategyThatRepairsThenMigratesStartsOverAnAppliedFileChangedOnPurpose() {
        NotesApplication.start(db).close();
        db.execute("UPDATE ashlar_schema_migrations SET checksum = 'edited since'");
        assertThatThrownBy(() -> NotesApplication.start(db).close()).hasStackTraceContaining("20261201100000");

        start(RepairThenMigrate.class).close();

        assertThat(db.value("SELECT checksum <> 'edited since' FROM ashlar_schema_migrations")).isEqualTo(true);
    }

    @Test
    void aJdbcTemplateBeanIsMadeAfterTheMigrations() {
        try (ConfigurableApplicationContext app = start(ReadsAtStartUp.class)) {
            assertThat(app.getBean(ReadsAtStartUp.Counter.class).notes).isZero();
        }
    }

    @Test
    void aBeanMarkedDependsOnDatabaseInitializationAndANamedParameterJdbcTemplateAreMadeAfterTheMigrations() {
        try (ConfigurableApplicationContext app = start(WaitsForTheSchema.class)) {
            assertThat(app.getBean(WaitsForTheSchema.Reader.class).notes()).isZero();
            assertThat(app.getBean(ReadsAtStartUp.Counter.class).notes()).isZero();
        }
    }

    @Test
    void withoutADataSourceTheStarterBacksOff() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(NoDatabase.class)
                .properties("spring.main.banner-mode=off").run()) {
            assertThat(app.getBeansOfType(Ashlar.class)).isEmpty();
            assertThat(app.getBeansOfType(AshlarMigrationInitializer.class)).isEmpty();
        }
    }

    @Test
    void withoutADataSourceAMigrationUrlStillMigratesThereAsFlywaysUrlDoes() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(NoDatabase.class)
                .properties("spring.main.banner-mode=off", "ashlar.migrate.url=" + db.jdbcUrl(),
                        "ashlar.migrate.username=" + db.user(), "ashlar.migrate.password=" + db.password()).run()) {
            assertThat(app.getBeansOfType(AshlarMigrationInitializer.class)).hasSize(1);
            assertThat(app.getBeansOfType(Ashlar.class)).isEmpty();
        }
        assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    private ConfigurableApplicationContext start(Class<?> source, String... properties) {
        List<String> all = new ArrayList<>(List.of(properties));
        if (source == TwoDataSources.class) {
            TwoDataSources.db = db;
        }
        return NotesApplication.start(db, source, all.toArray(String[]::new));
    }

    /** The test database's URL without the user and password it may carry. */
    private static String bare(TestDatabase db) {
        return AshlarAutoConfiguration.withoutCredentials(db.jdbcUrl());
    }

    private static Domain notes() {
        return new NotesApplication().notesDomain();
    }

    /** The application's DataSource for its rows, and one marked for the migrations as another user. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoDataSources {
        static TestDatabase db;

        @Bean
        Domain notesDomain() {
            return notes();
        }

        @Bean
        @Primary
        DataSource application() {
            return new SimpleDriverDataSource(new org.postgresql.Driver(), db.jdbcUrl(), db.user(), db.password());
        }

        @Bean
        @AshlarMigrationDataSource
        DataSource migrations() {
            return new SimpleDriverDataSource(new org.postgresql.Driver(), bare(db), MIGRATOR, "");
        }
    }

    /** A strategy that only looks: the start-up applies nothing. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StatusOnly {
        static final List<String> seen = new ArrayList<>();

        @Bean
        Domain notesDomain() {
            return notes();
        }

        @Bean
        AshlarMigrationStrategy lookOnly() {
            return migrations -> migrations.status().forEach(status -> seen.add(status.version() + " "
                    + status.state().name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /** Boot's much-copied test set-up for Flyway, {@code flyway.clean(); flyway.migrate()}, as a strategy. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class CleanThenMigrate {
        @Bean
        Domain notesDomain() {
            return notes();
        }

        @Bean
        AshlarMigrationStrategy cleanThenMigrate() {
            return migrations -> {
                migrations.project().cleanEnabled(true).clean();
                migrations.migrate();
            };
        }
    }

    /** {@code flyway.repair(); flyway.migrate()} as a strategy. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class RepairThenMigrate {
        @Bean
        Domain notesDomain() {
            return notes();
        }

        @Bean
        AshlarMigrationStrategy repairThenMigrate() {
            return migrations -> {
                migrations.project().repair();
                migrations.migrate();
            };
        }
    }

    /** A bean that reads the migrated table through Boot's JdbcTemplate while the application starts. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ReadsAtStartUp {
        @Bean
        Domain notesDomain() {
            return notes();
        }

        @Bean
        Counter counter(JdbcTemplate jdbc) {
            return new Counter(jdbc.queryForObject("SELECT count(*) FROM notes", Integer.class));
        }

        record Counter(int notes) {
        }
    }

    /**
     * Beans that read the schema as they are made: one on the bare DataSource, marked as Boot lets an application mark
     * such a bean, and a NamedParameterJdbcTemplate's user.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WaitsForTheSchema {
        @Bean
        Domain notesDomain() {
            return notes();
        }

        @Bean
        @DependsOnDatabaseInitialization
        Reader reader(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM notes")) {
                rows.next();
                return new Reader(rows.getInt(1));
            }
        }

        @Bean
        ReadsAtStartUp.Counter counter(NamedParameterJdbcTemplate jdbc) {
            return new ReadsAtStartUp.Counter(jdbc.queryForObject("SELECT count(*) FROM notes", Map.of(), Integer.class));
        }

        record Reader(int notes) {
        }
    }

    /** An application without a database. */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class NoDatabase {
    }
}
