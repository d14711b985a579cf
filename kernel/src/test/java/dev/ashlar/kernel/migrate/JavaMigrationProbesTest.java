package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Java migrations that misbehave: what they leave on the runner's connection, and what a run makes of them. */
@ExtendWith(PostgresExtension.class)
class JavaMigrationProbesTest {
    private static final String ROLE = "java_probe_owner";

    @TempDir
    Path folder;
    TestDatabase db;

    /** Switches role and search path for the session and leaves them so. */
    static class V20260102000000__switch_session extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA elsewhere");
                statement.execute("SET ROLE " + ROLE);
                statement.execute("SET search_path TO elsewhere");
            }
        }
    }

    /** Moves the search path through the JDBC API instead of SQL. */
    static class V20260102000000__set_schema extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA elsewhere");
            }
            connection.setSchema("elsewhere");
        }
    }

    /** Outside a transaction, switches the role and leaves it so. */
    static class V20260102000000__switch_role_outside extends BaseJavaMigration {
        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET ROLE " + ROLE);
            }
        }
    }

    /** Builds an index without locking writes, which must run outside a transaction. */
    static class V20260102000000__index_concurrently extends BaseJavaMigration {
        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE INDEX CONCURRENTLY posts_title ON posts (title)");
            }
        }
    }

    /** Runs longer than the run's statement timeout. */
    static class V20260102000000__slow extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO posts (id, title) VALUES (3, 'slow')");
                statement.execute("SELECT pg_sleep(5)");
            }
        }
    }

    /** Has the version of {@link V20260102000000__slow}. */
    static class V20260102000000__other_slow extends V20260102000000__slow {
    }

    /** Fails with an Error, not an exception. */
    static class V20260102000000__asserting extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO posts (id, title) VALUES (3, 'half')");
            }
            throw new AssertionError("title 3 is not what the backfill expects");
        }
    }

    @BeforeEach
    void twoFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS elsewhere CASCADE; "
                + "DROP ROLE IF EXISTS " + ROLE + "; CREATE ROLE " + ROLE + " NOLOGIN; GRANT ALL ON SCHEMA public TO "
                + ROLE);
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL);\n"
                + "INSERT INTO posts (id, title) VALUES (1, 'Hello'), (2, 'World');", "DROP TABLE posts;");
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
    }

    @AfterEach
    void dropRole() {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS elsewhere CASCADE; "
                + "DROP ROLE IF EXISTS " + ROLE);
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator(JavaMigration... java) {
        return new Migrator(db.dataSource(), folder).javaMigrations(List.of(java));
    }

    private String tagsOwner() {
        return (String) db.value("SELECT pg_get_userbyid(c.relowner) || ' ' || n.nspname FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'tags'");
    }

    @Test
    void aJavaMigrationThatSetsRoleAndSearchPathLeavesTheNextFileInTheMigratorsSchemaAndRole() {
        migrator(new V20260102000000__switch_session()).migrate();

        assertThat(tagsOwner()).isEqualTo(db.value("SELECT current_user") + " public");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }

    @Test
    void aJavaMigrationThatCallsSetSchemaLeavesTheNextFileInTheMigratorsSchema() {
        migrator(new V20260102000000__set_schema()).migrate();

        assertThat(tagsOwner()).isEqualTo(db.value("SELECT current_user") + " public");
    }

    @Test
    void aJavaMigrationOutsideATransactionThatSetsRoleLeavesTheNextFileInTheMigratorsRole() {
        migrator(new V20260102000000__switch_role_outside()).migrate();

        assertThat(tagsOwner()).isEqualTo(db.value("SELECT current_user") + " public");
    }

    @Test
    void aJavaMigrationOutsideATransactionBuildsAnIndexConcurrently() {
        migrator(new V20260102000000__index_concurrently()).migrate();

        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.posts_title'::regclass"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }

    @Test
    void aJavaMigrationThatThrowsAnErrorIsRolledBackNamedAndTheNextRunCanTakeTheLock() {
        assertThatThrownBy(() -> migrator(new V20260102000000__asserting()).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_asserting")
                .hasMessageContaining("title 3 is not what the backfill expects")
                .hasMessageContaining("Nothing of it was applied");

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(migrator().migrate()).extracting(MigrationFile::version).containsExactly("20260103000000");
    }
    @Test
    void aJavaMigrationOlderThanTheNewestAppliedFileIsAppliedByTheNextRun() {
        migrator().migrate();

        assertThat(migrator(new V20260102000000__index_concurrently()).migrate()).extracting(MigrationFile::version)
                .containsExactly("20260102000000");
        assertThat(db.value("SELECT to_regclass('public.posts_title') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void stepsCountAJavaMigrationAsOneMigration() {
        migrator(new V20260102000000__index_concurrently()).migrate(MigrateRun.all().steps(2));

        assertThat(db.value("SELECT to_regclass('public.posts_title') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('public.tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void aBaselineCoveringAJavaMigrationRecordsItAsJavaWithoutRunningIt() {
        migrator(new V20260102000000__switch_session()).baseline("20260102000000");

        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'elsewhere'")).isEqualTo(0L);
        assertThat(db.value("SELECT checksum_algorithm || ' ' || baselined FROM ashlar_schema_migrations "
                + "WHERE version = '20260102000000'")).isEqualTo("java true");
        assertThat(migrator(new V20260102000000__switch_session()).migrate()).extracting(MigrationFile::version)
                .containsExactly("20260103000000");
    }
    @Test
    void aJavaMigrationIsBoundByTheRunsStatementTimeoutAndRolledBackNamingIt() {
        Migrator bounded = migrator(new V20260102000000__slow())
                .timeouts(Timeouts.none().withStatement(Duration.ofMillis(300)));

        assertThatThrownBy(bounded::migrate).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_slow")
                .hasMessageContaining("57014")
                .satisfies(e -> assertThat(((MigrationException) e).sqlState()).contains("57014"));

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void twoJavaMigrationsWithOneVersionAreRefusedNamingBothBeforeAnythingRuns() {
        assertThatThrownBy(() -> migrator(new V20260102000000__slow(), new V20260102000000__other_slow()).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining(V20260102000000__slow.class.getName())
                .hasMessageContaining(V20260102000000__other_slow.class.getName())
                .hasMessageContaining("share version 20260102000000");

        assertThat(db.value("SELECT to_regclass('public.posts') IS NULL")).isEqualTo(true);
    }
    @Test
    void aRollbackThatWouldReachAJavaMigrationWithoutADownIsRefusedBeforeRollingBackAnything() {
        migrator(new V20260102000000__index_concurrently()).migrate();

        assertThatThrownBy(() -> migrator(new V20260102000000__index_concurrently()).rollback(2))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_index_concurrently")
                .hasMessageContaining("it has no down");

        assertThat(db.value("SELECT to_regclass('public.tags') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(3L);
    }
    @Test
    void aJavaMigrationRunByAMigratorThatIsNoSuperuserIsAppliedWithItsSessionGivenBack() {
        try (TestDatabase.Role migrator = db.loginRole("java_probe_migrator")) {
            PGSimpleDataSource source = new PGSimpleDataSource();
            source.setURL(db.jdbcUrl());
            source.setUser(migrator.name());

            new Migrator(source, folder).javaMigrations(List.of(new V20260102000000__index_concurrently())).migrate();

            assertThat(tagsOwner()).isEqualTo("java_probe_migrator public");
            assertThat(db.value("SELECT to_regclass('public.posts_title') IS NOT NULL")).isEqualTo(true);
        }
    }
}
