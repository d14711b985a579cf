package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.MigrationEvent;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class AshlarAutoConfigurationTest {
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void startUpAppliesTheMigrationsOfTheApplicationBeforeAshlarIsMade() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
            assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
            Ashlar ashlar = app.getBean(Ashlar.class);
            assertThat(ashlar.create("note", Map.of("body", "hello")).get("body")).isEqualTo("hello");
        }
        assertThat(db.value("SELECT body FROM notes")).isEqualTo("hello");
    }

    @Test
    void migrateDisabledLeavesTheSchemaAlone() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.enabled=false")) {
            assertThat(app.getBeansOfType(AshlarMigrationInitializer.class)).isEmpty();
            assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
        }
    }

    @Test
    void disabledMakesNoAshlarRunsNoMigrationAndAddsNoEndpointOrMetrics() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, DomainOnly.class, "ashlar.enabled=false")) {
            assertThat(app.getBeansOfType(Ashlar.class)).isEmpty();
            assertThat(app.getBeansOfType(AshlarMigrations.class)).isEmpty();
            assertThat(app.getBeansOfType(AshlarBuilderCustomizer.class)).isEmpty();
            assertThat(app.getBeansOfType(AshlarEndpoint.class)).isEmpty();
            assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
            assertThat(db.value("SELECT to_regclass('public.ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        }
    }

    /** An application with a domain and nothing that needs Ashlar, so that it starts with Ashlar turned off. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class DomainOnly {
        @Bean
        dev.ashlar.api.resource.Domain notesDomain() {
            return new NotesApplication().notesDomain();
        }
    }

    /** Notes signed by whoever the application's current user bean names at each write. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WithCurrentUser {
        static final java.util.concurrent.atomic.AtomicReference<String> SIGNED_IN =
                new java.util.concurrent.atomic.AtomicReference<>();

        @Bean
        dev.ashlar.api.resource.Domain signedNotes() {
            return dev.ashlar.api.resource.Domain.builder("notes").resource(dev.ashlar.api.resource.Resource
                    .builder("note").table("notes").integerPrimaryKey("id")
                    .attribute("body", dev.ashlar.api.resource.Type.TEXT)
                    .attribute("signed_by", dev.ashlar.api.resource.Type.TEXT).createdBy("signed_by").build()).build();
        }

        @Bean
        AshlarCurrentUser signedIn() {
            return SIGNED_IN::get;
        }
    }

    @Test
    void anAshlarCurrentUserBeanSignsEveryWriteOfAHandleWithoutAUserAsAnAuditorAwareBeanDoes() {
        db.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text, signed_by text)");
        db.execute("INSERT INTO notes (body, signed_by) SELECT 'old', 'seed' FROM generate_series(1, 5)");
        try (ConfigurableApplicationContext app = NotesApplication.start(db, WithCurrentUser.class,
                "ashlar.migrate.enabled=false")) {
            Ashlar ashlar = app.getBean(Ashlar.class);
            WithCurrentUser.SIGNED_IN.set("ada");
            ashlar.create("note", Map.of("body", "first"));
            WithCurrentUser.SIGNED_IN.set("bob");
            ashlar.create("note", Map.of("body", "second"));
            ashlar.withUser("carol").create("note", Map.of("body", "third"));
        }
        assertThat(db.query("SELECT body, signed_by FROM notes WHERE id > 5 ORDER BY id"))
                .extracting(r -> r.get("body") + ":" + r.get("signed_by"))
                .containsExactly("first:ada", "second:bob", "third:carol");
        assertThat(db.value("SELECT count(*) FROM notes WHERE signed_by = 'seed'")).isEqualTo(5L);
    }

    /** The notes application with a migration listener bean that grants what each run made to a reporting role. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WithListener {
        @Bean
        dev.ashlar.api.resource.Domain notesDomain() {
            return new NotesApplication().notesDomain();
        }

        @Bean
        MigrationListener grantToReporting() {
            return new MigrationListener() {
                @Override
                public void afterRun(MigrationEvent event, List<MigrationFile> files) throws SQLException {
                    try (Statement grant = event.connection().createStatement()) {
                        grant.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO starter_reporting");
                    }
                }
            };
        }
    }

    @Test
    void aMigrationListenerBeanIsToldOfTheStartUpMigrationAsFlywaysCallbackBeansAre() {
        db.execute("DROP ROLE IF EXISTS starter_reporting; CREATE ROLE starter_reporting");
        try (ConfigurableApplicationContext app = NotesApplication.start(db, WithListener.class)) {
            assertThat(app.getBeansOfType(MigrationListener.class)).hasSize(1);
            assertThat(db.value("SELECT has_table_privilege('starter_reporting', 'public.notes', 'SELECT')"))
                    .isEqualTo(true);
        } finally {
            db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP ROLE starter_reporting");
        }
    }

    /** The notes application with a listener that leaves the history unreadable once a run ended well. */
    @Import(NotesApplication.class)
    static class WithHistoryBrokenAfterTheRun {
        @Bean
        MigrationListener breakHistory() {
            return new MigrationListener() {
                @Override
                public void afterRun(MigrationEvent event, List<MigrationFile> files) throws SQLException {
                    try (Statement rename = event.connection().createStatement()) {
                        rename.execute("ALTER TABLE ashlar_schema_migrations RENAME COLUMN checksum TO checksum_gone");
                    }
                }
            };
        }
    }

    @Test
    void aHistoryThatCannotBeReadAfterAStartUpMigrateThatSucceededIsAWarningNotAFailedStartUp() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, WithHistoryBrokenAfterTheRun.class)) {
            assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
            assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isNotEqualTo(0L);
            db.execute("ALTER TABLE ashlar_schema_migrations RENAME COLUMN checksum_gone TO checksum");

            assertThat(AshlarBootParityTest.logged(AshlarMigrationInitializer.class, ch.qos.logback.classic.Level.WARN,
                    app.getBean(AshlarMigrationInitializer.class)::afterPropertiesSet))
                    .singleElement().asString().startsWith("Ashlar applied 0 migration(s) to the main schema, but "
                            + "could not read its history after to say what stays pending");
        } finally {
            db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        }
    }

    /** A Java migration, as a bean, that writes the first note after the file that makes the table. */
    static class V20261201110000__first_note extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes (body) VALUES (?)")) {
                insert.setString(1, "welcome, " + "written".toUpperCase(java.util.Locale.ROOT) + " in Java");
                insert.executeUpdate();
            }
        }
    }

    /** The notes application with a Java migration bean. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WithJavaMigration {
        @Bean
        dev.ashlar.api.resource.Domain notesDomain() {
            return new NotesApplication().notesDomain();
        }

        @Bean
        JavaMigration firstNote() {
            return new V20261201110000__first_note();
        }
    }

    @Test
    void aJavaMigrationBeanIsAppliedAtStartUpAfterTheFilesBeforeItAsFlywaysJavaMigrationBeansAre() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, WithJavaMigration.class)) {
            assertThat(app.getBeansOfType(JavaMigration.class)).hasSize(1);
            assertThat(db.value("SELECT body FROM notes")).isEqualTo("welcome, WRITTEN in Java");
            assertThat(db.query("SELECT version, name, checksum_algorithm FROM ashlar_schema_migrations ORDER BY "
                    + "version")).extracting(Object::toString).containsExactly(
                    "{version=20261201100000, name=create_notes, checksum_algorithm=sha256}",
                    "{version=20261201110000, name=first_note, checksum_algorithm=java}");
        }
    }

    @Test
    void aFailingMigrationStopsStartUpWithTheMigratorsMessage() {
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.migrate.location=classpath:db/broken").close())
                .hasMessageContaining("Migration 20261201100000_create_notes.sql failed on public")
                .hasMessageContaining("type \"no_such_type\" does not exist");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aMigrationsLocationThatIsNotThereStopsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.migrate.location=filesystem:no/such/project").close())
                .hasStackTraceContaining("The migrations location filesystem:no/such/project")
                .hasStackTraceContaining("is no folder: set ashlar.migrate.location");
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.migrate.location=classpath:db/nowhere").close())
                .hasStackTraceContaining("ashlar.migrate.location: The migrations location classpath:db/nowhere is not "
                        + "on the class path");
    }

    @Test
    void aLocationWithoutAPrefixIsReadFromTheClassPathAsFlywaysLocationsAre() {
        // db/ashlar and db/shared_migrations are in src/test/resources; the working directory has neither.
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.location=db/ashlar",
                "ashlar.migrate.extra-locations=db/shared_migrations")) {
            assertThat(app.getBean(AshlarProperties.class).getMigrate().getLocation()).isEqualTo("classpath:db/ashlar");
        }
        assertThat(db.value("SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('public.note_tags') IS NOT NULL")).isEqualTo(true);
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.migrate.location=db/nowhere").close())
                .hasStackTraceContaining("ashlar.migrate.location: The migrations location classpath:db/nowhere is not "
                        + "on the class path");
    }

    @Test
    void aMigrationsLocationOfAnotherKindIsRefusedInsteadOfReadAsAnEmptyFolder() {
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.migrate.location=http://example.com/db").close())
                .hasStackTraceContaining("ashlar.migrate.location: 'http://example.com/db' is no migrations location: "
                        + "use classpath:");
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void wrongValuesOfTheOtherPropertiesStopStartUpNamingThePropertyAndTheFix() {
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.migrate.tenant-jobs=0").close())
                .hasStackTraceContaining("ashlar.migrate.tenant-jobs is 0").hasStackTraceContaining("set it to 1 or more");
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.replicas.east.username=reader").close())
                .hasStackTraceContaining("set ashlar.replicas.east.url to its JDBC URL");
        assertThatThrownBy(() -> NotesApplication.start(db, "ashlar.migrate.tenants=true").close())
                .hasStackTraceContaining("ashlar.migrate.tenants=true, but the domain has no tenant list")
                .hasStackTraceContaining("or set ashlar.migrate.tenants=false");
    }

    @Test
    void aTransactionalMethodThatThrowsLeavesNothingOfAshlarsWrite() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            NotesApplication.NoteService notes = app.getBean(NotesApplication.NoteService.class);

            assertThatThrownBy(() -> notes.writeThenFail("rolled back")).isInstanceOf(IllegalStateException.class);
            notes.write("committed");
        }
        assertThat(db.query("SELECT body FROM notes")).extracting(r -> r.get("body")).containsExactly("committed");
    }

    @Test
    void aPoolOutsideAutoCommitCommitsAshlarsOwnWritesAndRollsBackASpringTransactionsWrites() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "spring.datasource.hikari.auto-commit=false")) {
            NotesApplication.NoteService notes = app.getBean(NotesApplication.NoteService.class);
            app.getBean(Ashlar.class).create("note", Map.of("body", "alone"));
            assertThatThrownBy(() -> notes.writeThenFail("rolled back")).isInstanceOf(IllegalStateException.class);
            notes.write("committed");
        }
        assertThat(db.query("SELECT body FROM notes ORDER BY id")).extracting(r -> r.get("body"))
                .containsExactly("alone", "committed");
    }

    @Test
    void ashlarsTransactionInsideSpringsRollsBackItsSavepointAlone() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            app.getBean(NotesApplication.NoteService.class).writeThenFailInAshlarsTransaction("kept", "undone");
        }
        assertThat(db.query("SELECT body FROM notes")).extracting(r -> r.get("body")).containsExactly("kept");
    }

    @Test
    void readsInsideASpringTransactionSeeItsUncommittedWrites() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            assertThat(app.getBean(NotesApplication.NoteService.class).countInside()).isEqualTo(1L);
        }
    }

    @Test
    void withoutJoiningAshlarCommitsOnItsOwnConnectionInsideASpringTransaction() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.join-transactions=false")) {
            NotesApplication.NoteService notes = app.getBean(NotesApplication.NoteService.class);
            assertThatThrownBy(() -> notes.writeThenFail("kept")).isInstanceOf(IllegalStateException.class);
        }
        assertThat(db.query("SELECT body FROM notes")).extracting(r -> r.get("body")).containsExactly("kept");
    }

    @Test
    void propertiesBindUnderAshlar() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, "ashlar.migrate.tenant-jobs=2", "ashlar.optimistic-lock=lock_version",
                "ashlar.discover-plugins=false", "ashlar.replicas.east.url=jdbc:postgresql://east/app",
                "ashlar.replicas.east.username=reader", "ashlar.metrics.enabled=false")) {
            AshlarProperties properties = app.getBean(AshlarProperties.class);
            assertThat(properties.getMigrate().isTenants()).isFalse();
            assertThat(properties.getMigrate().getTenantJobs()).isEqualTo(2);
            assertThat(properties.getMigrate().getLocation()).isEqualTo("classpath:db/ashlar");
            assertThat(properties.getOptimisticLock()).isEqualTo("lock_version");
            assertThat(properties.isDiscoverPlugins()).isFalse();
            assertThat(properties.getReplicas().get("east").getUrl()).isEqualTo("jdbc:postgresql://east/app");
            assertThat(properties.getReplicas().get("east").getUsername()).isEqualTo("reader");
            assertThat(properties.getMetrics().isEnabled()).isFalse();
        }
    }

    @Test
    void thePropertiesCarryMetadataForIdes() throws Exception {
        try (var metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            String json = new String(metadata.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(json).contains("\"ashlar.enabled\"", "\"ashlar.migrate.enabled\"", "\"ashlar.migrate.tenants\"",
                    "\"ashlar.join-transactions\"", "\"ashlar.replicas\"", "\"ashlar.metrics.enabled\"",
                    "Whether to apply pending migrations when the application starts.");
        }
    }

    @Test
    void everyPropertyOfTheReadmesTableIsOneTheStarterBinds() throws Exception {
        String json;
        try (var metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            json = new String(metadata.readAllBytes(), StandardCharsets.UTF_8);
        }
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher row = Pattern.compile("(?m)^\\| `(ashlar\\.[a-z.-]+)").matcher(
                readme.substring(readme.indexOf("## Spring Boot")));
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1).replaceAll("\\.$", ""));   // ashlar.replicas.<name>.url: the map
        }

        assertThat(documented).contains("ashlar.enabled", "ashlar.migrate.location", "ashlar.replicas");
        assertThat(documented).allSatisfy(property -> assertThat(json).contains("\"" + property + "\""));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnAshlarWhichIsMadeAfterTheMigrations() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, OwnAshlar.class)) {
            assertThat(app.getBeansOfType(Ashlar.class)).containsOnlyKeys("myAshlar");
            assertThat(app.getBean(Ashlar.class)).isSameAs(OwnAshlar.made);
            assertThat(OwnAshlar.notesCountedWhenMade).isZero();
        }
    }

    /** An application that builds its Ashlar by hand. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(NotesApplication.class)
    static class OwnAshlar {
        static Ashlar made;
        static long notesCountedWhenMade = -1;

        @Bean
        Ashlar myAshlar(DataSource dataSource, dev.ashlar.api.resource.Domain domain) {
            made = Ashlar.builder().dataSource(dataSource).domain(domain).build();
            // As Boot makes a user's own Flyway-using beans after the migration: the table is there already.
            notesCountedWhenMade = made.read("note").count();
            return made;
        }
    }

    @Test
    void aRepositorysAshlarExceptionsReachTheCallerAsSpringDataAccessExceptionsWithTheirCause() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
            NotesApplication.NoteRepository notes = app.getBean(NotesApplication.NoteRepository.class);

            assertThatThrownBy(() -> notes.create(Map.of()))
                    .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class)
                    .hasMessageContaining("body is required")
                    .hasCauseInstanceOf(dev.ashlar.api.error.InvalidDataException.class);
            assertThatThrownBy(() -> notes.get(404))
                    .isInstanceOf(org.springframework.dao.EmptyResultDataAccessException.class);
            assertThatThrownBy(() -> notes.readBy("no_such_field"))
                    .isInstanceOf(org.springframework.dao.InvalidDataAccessApiUsageException.class)
                    .hasMessageContaining("no_such_field");
        }
    }

    @Test
    void aTakenIdentityThroughARepositoryIsADuplicateKeyException() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, UniqueNotes.class)) {
            db.execute("CREATE UNIQUE INDEX notes_unique_body_index ON notes (body)");
            NotesApplication.NoteRepository notes = app.getBean(NotesApplication.NoteRepository.class);
            notes.create(Map.of("body", "once"));

            assertThatThrownBy(() -> notes.create(Map.of("body", "once")))
                    .isInstanceOf(org.springframework.dao.DuplicateKeyException.class)
                    .hasMessageContaining("body has already been taken")
                    .hasCauseInstanceOf(dev.ashlar.api.error.InvalidDataException.class);
        }
    }

    /** Notes whose body is an identity. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(NotesApplication.class)
    static class UniqueNotes {
        @Bean
        @org.springframework.context.annotation.Primary
        dev.ashlar.api.resource.Domain uniqueNotesDomain() {
            dev.ashlar.api.resource.Resource note = dev.ashlar.api.resource.Resource.builder("note").table("notes")
                    .integerPrimaryKey("id").attribute("body", dev.ashlar.api.resource.Type.TEXT, a -> a.notNull())
                    .identity("unique_body", "body").build();
            return dev.ashlar.api.resource.Domain.builder("notes").resources(note).build();
        }
    }

    @Test
    void twoApplicationsStartingTogetherOnOneDatabaseApplyEachMigrationOnce() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Callable<Long> start = () -> {
                try (ConfigurableApplicationContext app = NotesApplication.start(db)) {
                    app.getBean(Ashlar.class).create("note", Map.of("body", "from " + Thread.currentThread().getName()));
                    return 1L;
                }
            };
            var first = pool.submit(start);
            var second = pool.submit(start);
            assertThat(first.get() + second.get()).isEqualTo(2L);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(2L);
    }
}
