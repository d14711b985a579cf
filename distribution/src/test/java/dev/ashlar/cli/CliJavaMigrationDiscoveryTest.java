package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.BaseJavaMigration;
import dev.ashlar.kernel.migrate.ListedJavaMigrations;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line loads the Java migrations that the classes on {@code --classpath} list in
 * {@code META-INF/services/dev.ashlar.kernel.migrate.JavaMigration}: applied with the files, shown by status, rolled
 * back through their down; a listed class it cannot make is refused, naming it, before anything runs.
 */
@ExtendWith(PostgresExtension.class)
class CliJavaMigrationDiscoveryTest {
    @TempDir
    Path project;
    @TempDir
    Path classes;
    TestDatabase db;

    /** A backfill between the file that makes the table and the one after it. */
    public static class V20260101010000__backfill_titles extends BaseJavaMigration {
        @Override
        public void up(Connection connection) throws SQLException {
            execute(connection, "UPDATE posts SET title = 'untitled' WHERE title IS NULL");
        }

        @Override
        public void down(Connection connection) throws SQLException {
            execute(connection, "UPDATE posts SET title = NULL WHERE title = 'untitled'");
        }
    }

    /** Listed by mistake: a class of the application that is no JavaMigration. */
    public static class V20260101015000__not_a_migration {
    }

    /** ServiceLoader can only make a class through a public constructor without arguments. */
    public static class V20260101020000__needs_a_clock extends BaseJavaMigration {
        public V20260101020000__needs_a_clock(java.time.Clock clock) {
        }

        @Override
        public void up(Connection connection) {
        }
    }

    public static class V20260101030000__throws_when_made extends BaseJavaMigration {
        public V20260101030000__throws_when_made() {
            throw new IllegalStateException("no configuration for the backfill");
        }

        @Override
        public void up(Connection connection) {
        }
    }

    /** Not a V<version>__<name> class: BaseJavaMigration refuses it when it is made. */
    public static class BackfillTitles extends BaseJavaMigration {
        @Override
        public void up(Connection connection) {
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    @BeforeEach
    void project(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/20260101000000_create_posts.sql"), "-- migrate:up\n"
                + "CREATE TABLE posts (id int, title text);\nINSERT INTO posts VALUES (1, NULL), (2, 'kept');\n"
                + "-- migrate:down\nDROP TABLE posts;\n");
    }

    private void list(String... classNames) throws IOException {
        Path services = classes.resolve(ListedJavaMigrations.SERVICES_FILE);
        Files.createDirectories(services.getParent());
        Files.writeString(services, "# the application's Java migrations\n" + String.join("\n", classNames) + "\n");
    }

    private static String nested(String simpleName) {
        return CliJavaMigrationDiscoveryTest.class.getName() + "$" + simpleName;
    }

    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    @Test
    void migrateWithTheClasspathAppliesTheListedJavaMigrationWithTheFilesAndRollbackRunsItsDown() throws IOException {
        list(nested("V20260101010000__backfill_titles"));

        CliRun pending = ashlar("status", "--classpath", classes.toString());
        assertThat(pending.code()).isEqualTo(StatusCommand.PENDING);
        assertThat(pending.out()).contains("20260101010000_backfill_titles", "2 pending: run 'ashlar migrate'.");

        CliRun migrate = ashlar("migrate", "--classpath", classes.toString());

        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(db.value("SELECT string_agg(id || '=' || title, ',' ORDER BY id) FROM posts"))
                .isEqualTo("1=untitled,2=kept");
        assertThat(db.value("SELECT name || ' ' || checksum_algorithm || ' ' || checksum || ' ' || baselined "
                + "FROM ashlar_schema_migrations WHERE version = '20260101010000'"))
                .isEqualTo("backfill_titles java java false");
        CliRun applied = ashlar("status", "--classpath", classes.toString());
        assertThat(applied.code()).isZero();
        assertThat(applied.out()).containsPattern("applied +20260101010000_backfill_titles").doesNotContain("java  ");
        assertThat(ashlar("validate", "--classpath", classes.toString()).code()).isZero();

        CliRun rollback = ashlar("rollback", "--classpath", classes.toString());

        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(db.value("SELECT count(*) FROM posts WHERE title IS NULL")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations WHERE version = '20260101010000'"))
                .isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'posts'"))
                .isEqualTo(1L);
    }

    @Test
    void withoutTheClasspathTheJavaMigrationsRowStaysJavaAndLeftAlone() throws IOException {
        list(nested("V20260101010000__backfill_titles"));
        assertThat(ashlar("migrate", "--classpath", classes.toString()).code()).isZero();

        CliRun status = ashlar("status");

        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("java      20260101010000_backfill_titles",
                "1 applied by Java migrations not found on --classpath: left alone");
        CliRun rollback = ashlar("rollback");
        assertThat(rollback.code()).isEqualTo(1);
        assertThat(rollback.err()).contains("Cannot roll back 20260101010000: a Java migration applied it",
                ListedJavaMigrations.SERVICES_FILE + " on --classpath");
        assertThat(db.value("SELECT count(*) FROM posts WHERE title = 'untitled'")).isEqualTo(1L);
    }

    @Test
    void aClasspathListingNoJavaMigrationKeepsTheJavaRowLeftAlone() throws IOException {
        list(nested("V20260101010000__backfill_titles"));
        assertThat(ashlar("migrate", "--classpath", classes.toString()).code()).isZero();
        Path empty = Files.createDirectories(project.resolve("empty"));

        CliRun status = ashlar("status", "--classpath", empty.toString());

        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("java      20260101010000_backfill_titles").doesNotContain("missing");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "com.example.V20260101040000__not_compiled | Provider com.example.V20260101040000__not_compiled not found",
        "$V20260101015000__not_a_migration | V20260101015000__not_a_migration not a subtype",
        "$V20260101020000__needs_a_clock | Unable to get public no-arg constructor",
        "$V20260101030000__throws_when_made | could not be instantiated (java.lang.IllegalStateException: no "
            + "configuration for the backfill)",
    })
    void aListedClassThatCannotBeMadeIsRefusedNamingItAndTheFixBeforeAnythingRuns(String listed, String why)
            throws IOException {
        String className = listed.startsWith("$") ? nested(listed.substring(1)) : listed;
        list(className);

        CliRun migrate = ashlar("migrate", "--classpath", classes.toString());

        assertThat(migrate.code()).isEqualTo(1);
        assertThat(migrate.err()).contains("A Java migration listed in " + ListedJavaMigrations.SERVICES_FILE
                + " cannot be loaded", className, why, "with a public no-argument constructor that does not throw");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                .isEqualTo(0L);
    }

    @Test
    void aListedClassNotNamedAsAVersionIsRefusedNamingTheRule() throws IOException {
        list(nested("BackfillTitles"));

        CliRun migrate = ashlar("migrate", "--classpath", classes.toString());

        assertThat(migrate.code()).isEqualTo(1);
        assertThat(migrate.err()).contains(nested("BackfillTitles") + " is not named V<14-digit version>__");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                .isEqualTo(0L);
    }
}
