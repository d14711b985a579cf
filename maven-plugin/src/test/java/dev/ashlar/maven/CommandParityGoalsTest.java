package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.AdvisoryLock;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.maven.DatabaseGoalsTest.execution;
import static dev.ashlar.maven.DatabaseGoalsTest.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The goals' parameters for what the {@code ashlar} command gained: skipDefaultCallbacks, validateOnMigrate,
 * testRollback, skipExecutingMigrations, status with a target, rollback of the pending files, tag exists, the locks and
 * checksum goals, connectRetriesInterval, placeholderPrefix and placeholderSuffix, migrate's toTag and minVersion,
 * baseline's toTag; and a boolean parameter's bad value.
 */
@ExtendWith(PostgresExtension.class)
class CommandParityGoalsTest {
    @TempDir
    Path project;
    TestDatabase db;
    Path migrations;
    MavenProject maven;

    @BeforeEach
    void threeFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        migrations = Files.createDirectories(project.resolve("db/migrations"));
        file("20260101000000_create_posts.sql", "posts", "");
        file("20260102000000_create_tags.sql", "tags", "");
        file("20260103000000_create_notes.sql", "notes", "");
        maven = new MavenProject();
        maven.getBuild().setOutputDirectory(Files.createDirectories(project.resolve("classes")).toString());
    }

    private void file(String name, String table, String columns) throws IOException {
        Files.writeString(migrations.resolve(name), "-- migrate:up\nCREATE TABLE " + table + " (id bigint PRIMARY KEY"
                + columns + ");\n-- migrate:down\nDROP TABLE " + table + ";\n");
    }

    /** A goal on the project folder and the test database. */
    private <T extends AshlarMojo> T goal(T goal) {
        goal.mavenProject = maven;
        goal.folder = project.resolve("db").toFile();
        goal.url = db.urlWithCredentials();
        return goal;
    }

    private MigrateMojo migrateTo(String version) throws Exception {
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.upTo = version;
        migrate.execute();
        migrate.upTo = null;
        return migrate;
    }

    private Object history() {
        return db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations");
    }

    @Test
    void installedByIsRecordedAndCreateSchemasFalseFailsOnAMissingMainSchema() throws Exception {
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.installedBy = "maven-release";
        migrate.upTo = "20260101000000";
        migrate.execute();

        assertThat(db.value("SELECT installed_by FROM ashlar_schema_migrations")).isEqualTo("maven-release");

        db.execute("DROP SCHEMA public CASCADE");
        try {
            MigrateMojo refused = goal(new MigrateMojo());
            refused.createSchemas = false;
            assertThatThrownBy(refused::execute).hasMessageContaining("the schema public does not exist");
            assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'")).isEqualTo(0L);
        } finally {
            db.execute("CREATE SCHEMA IF NOT EXISTS public");
        }
    }

    @Test
    void migrateLogsTheRowsOfAFilesSelectUnlessOutputQueryResultsIsFalse() throws Exception {
        Files.writeString(migrations.resolve("20260104000000_count_posts.sql"), "-- migrate:up\n"
                + "INSERT INTO posts VALUES (1), (2);\nSELECT count(*) AS posts FROM posts;\n-- migrate:down\nSELECT 1;\n");
        List<String> logged = new ArrayList<>();
        MigrateMojo quiet = goal(new MigrateMojo());
        quiet.upTo = "20260104000000";
        quiet.outputQueryResults = false;
        quiet.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                logged.add(content.toString());
            }
        });
        quiet.execute();

        assertThat(logged).noneMatch(line -> line.startsWith("Query result"));
        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000,20260104000000");

        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        quiet.outputQueryResults = null;
        quiet.execute();

        assertThat(logged).contains("""
                Query result of statement 2 (line 3) of 20260104000000_count_posts.sql on public:
                +-------+
                | posts |
                +-------+
                | 2     |
                +-------+
                (1 row)""");
    }

    @Test
    void skipDefaultCallbacksLeavesOutTheCallbackFilesAndALaterMigrateRunsThem() throws Exception {
        Files.writeString(migrations.resolve("afterMigrate.sql"), "CREATE TABLE after_ran (id int);");
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.skipDefaultCallbacks = true;

        migrate.execute();

        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL AND to_regclass('after_ran') IS NULL"))
                .isEqualTo(true);
        migrate.skipDefaultCallbacks = false;
        migrate.execute();
        assertThat(db.value("SELECT to_regclass('after_ran') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void validateOnMigrateFalseAppliesThePendingFilesPastAChangedAppliedOneWithAWarning() throws Exception {
        MigrateMojo migrate = migrateTo("20260101000000");
        db.execute("INSERT INTO posts VALUES (1), (2)");
        file("20260101000000_create_posts.sql", "posts", ", edited text");

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("was changed after it was applied");
        assertThat(history()).isEqualTo("20260101000000");
        migrate.validateOnMigrate = false;
        List<String> logged = logged(migrate);
        migrate.execute();

        assertThat(String.join("\n", logged)).contains("a changed applied file was not checked",
                "Applied 2 migration(s).");
        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'edited'")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
    }

    @Test
    void aBooleanParameterThatIsNeitherTrueNorFalseFailsNamingItBeforeAnythingIsApplied() {
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.mojoExecution = execution("skipDefaultCallbacks", "yes");

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessage("The plugin's <skipDefaultCallbacks> (-Dashlar.skipDefaultCallbacks) is 'yes', which is "
                        + "neither true nor false: Maven would read it as false. Give true or false.");
        System.setProperty("ashlar.validateOnMigrate", "off");
        try {
            migrate.mojoExecution = execution("validateOnMigrate", "${ashlar.validateOnMigrate}");
            assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageStartingWith("The plugin's <validateOnMigrate> (-Dashlar.validateOnMigrate) is 'off'");
        } finally {
            System.clearProperty("ashlar.validateOnMigrate");
        }
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void testRollbackAppliesThePendingFilesAfterRollingEachBackAndIsRefusedWithADryRun() throws Exception {
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.testRollback = true;
        migrate.dryRun = true;
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("give it without ashlar.dryRun and ashlar.script");
        migrate.dryRun = false;
        List<String> logged = logged(migrate);

        migrate.execute();

        assertThat(logged).contains("Applied 3 migration(s), after rolling each back and finding the schema as before it.");
        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name IN ('posts', 'tags', 'notes')")).isEqualTo(3L);
    }

    @Test
    void statusWithATargetShowsTheFilesAfterItAsAboveTargetAndAVersionNoFileHasFailsNamingTheParameter()
            throws Exception {
        migrateTo("20260102000000");
        StatusMojo status = goal(new StatusMojo());
        status.target = "20260102000000";
        List<String> logged = logged(status);

        status.execute();

        assertThat(logged).contains("  above-target 20260103000000_create_notes",
                "1 above the target (above-target): ashlar:migrate -Dashlar.to=20260102000000 leaves them pending.",
                "Everything is applied.");
        status.target = "20260102120000";
        assertThatThrownBy(status::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.target: No migration has version 20260102120000")
                .hasMessageContaining("20260102000000_create_tags.sql (before it)");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void rollbackPendingWritesTheDownSectionsOfThePendingFilesNewestFirstAndChangesNothing() throws Exception {
        migrateTo("20260101000000");
        RollbackMojo rollback = goal(new RollbackMojo());
        rollback.pending = true;
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.pending previews rolling back the migrations not yet applied");
        rollback.script = project.resolve("future-rollback.sql").toFile();

        rollback.execute();

        String sql = Files.readString(rollback.script.toPath());
        assertThat(sql).contains("DROP TABLE notes;", "DROP TABLE tags;").doesNotContain("DROP TABLE posts");
        assertThat(sql.indexOf("DROP TABLE notes")).isLessThan(sql.indexOf("DROP TABLE tags"));
        rollback.steps = 1;
        rollback.execute();
        assertThat(Files.readString(rollback.script.toPath())).contains("DROP TABLE tags;")
                .doesNotContain("DROP TABLE notes");
        rollback.steps = 0;
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.steps is 0");
        assertThat(history()).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void rollbackDeploymentUndoesTheMigrationsOfThatRunOnlyAndRefusesItWithAnotherTarget() throws Exception {
        migrateTo("20260101000000");
        goal(new MigrateMojo()).execute();
        Object second = db.value("SELECT deployment_id FROM ashlar_schema_migrations WHERE version = '20260103000000'");
        RollbackMojo rollback = goal(new RollbackMojo());
        rollback.deployment = (String) second;
        rollback.to = "20260101000000";
        assertThatThrownBy(rollback::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("Give one of ashlar.to, ashlar.toDate, ashlar.toTag and ashlar.deployment");
        rollback.to = null;

        rollback.execute();

        assertThat(history()).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('tags') IS NULL "
                + "AND to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void tagExistsPassesNamingTheMigrationItMarksAndFailsTheBuildWhenNoneCarriesItTaggingNothing() throws Exception {
        migrateTo("20260102000000");
        TagMojo tag = goal(new TagMojo());
        tag.tag = "release-1";
        tag.execute();
        tag.exists = true;
        List<String> logged = logged(tag);

        tag.execute();
        tag.tag = "release-2";

        assertThat(logged).containsExactly("The tag release-1 marks 20260102000000.");
        assertThatThrownBy(tag::execute).isInstanceOf(MojoFailureException.class)
                .hasMessage("No migration of the main schema carries the tag release-2 (ashlar.exists): the tags are "
                        + "release-1.");
        assertThat(db.value("SELECT string_agg(version || ':' || array_to_string(tags, '+'), ',') "
                + "FROM ashlar_schema_migrations WHERE cardinality(tags) > 0")).isEqualTo("20260102000000:release-1");
    }

    @Test
    void locksListsTheSessionHoldingAMigrationLockAndReleaseEndsThatSessionSoThatMigrateRuns() throws Exception {
        try (AdvisoryLock stuck = AdvisoryLock.acquire(db.dataSource(), "migrations:public", Duration.ofSeconds(5))) {
            // The lock's session, the one holding an advisory lock in this database.
            int holder = ((Number) db.value("SELECT DISTINCT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).intValue();
            LocksMojo locks = goal(new LocksMojo());
            List<String> logged = logged(locks);

            locks.execute();

            assertThat(logged).hasSize(2).startsWith("1 migration lock(s) held:");
            assertThat(logged.get(1)).startsWith("  migrations:public: pid " + holder + " (user " + db.user())
                    .contains("(pid " + ProcessHandle.current().pid() + ")");
            locks.release = 1;
            assertThatThrownBy(locks::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageContaining("pid 1 holds no migration lock").hasMessageContaining("pid " + holder);
            assertThat(stuck.lost()).isFalse();
            locks.release = 0;
            assertThatThrownBy(locks::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageStartingWith("ashlar.release is 0, which is no session's pid");
            locks.release = holder;
            logged.clear();

            locks.execute();

            assertThat(logged).containsExactly("Ended the session of pid " + holder + ", which held migrations:public: "
                    + "the lock is free.");
            assertThat(stuck.lost()).isTrue();
            assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE pid = " + holder)).isEqualTo(0L);
            locks.release = null;
            logged.clear();
            locks.execute();
            assertThat(logged).containsExactly("No migration lock is held.");
            MigrateMojo migrate = goal(new MigrateMojo());
            migrate.lockTimeout = "2s";
            migrate.execute();
            assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        }
    }

    @Test
    void migrateLogsThatAFileLeftPendingByAToleratedFailureStaysPendingNotThatTheDatabaseIsUpToDate()
            throws Exception {
        Files.writeString(migrations.resolve("20260102000000_create_tags.sql"), "-- fail-on-error: false\n"
                + "-- migrate:up\nCREATE TABLE tags (id int);\nINSERT INTO nope VALUES (1);\n-- migrate:down\nSELECT 1;\n");
        MigrateMojo migrate = goal(new MigrateMojo());
        List<String> logged = logged(migrate);

        migrate.execute();
        migrate.execute();

        assertThat(history()).isEqualTo("20260101000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
        assertThat(logged).contains("Applied 2 migration(s).", "Nothing to migrate.")
                .filteredOn(line -> line.contains("1 migration(s) stay pending: ashlar:status lists them.")).hasSize(2);
        assertThat(logged).noneSatisfy(line -> assertThat(line).contains("up to date"));
    }

    @Test
    void checksumSaysTheHistoryHoldsAnotherChecksumThatTheValidChecksumHeaderAccepts() throws Exception {
        migrateTo("20260101000000");
        Object recorded = db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260101000000'");
        Path posts = migrations.resolve("20260101000000_create_posts.sql");
        Files.writeString(posts, "-- valid-checksum: sha256:" + recorded + "\n" + Files.readString(posts));
        ChecksumMojo checksum = goal(new ChecksumMojo());
        checksum.file = "20260101000000";
        List<String> logged = logged(checksum);

        checksum.execute();

        assertThat(logged).hasSize(2).last().isEqualTo("The history holds sha256:" + recorded + ", not the file's "
                + "checksum: the file changed since it was applied, and its '-- valid-checksum:' header accepts the "
                + "checksum the history holds.");
    }

    @Test
    void checksumLogsTheFilesChecksumAsTheHistoryHoldsItAndFailsTheBuildOnceTheAppliedFileChanged() throws Exception {
        migrateTo("20260101000000");
        ChecksumMojo checksum = goal(new ChecksumMojo());
        checksum.file = "20260101000000_create_posts.sql";
        List<String> logged = logged(checksum);

        checksum.execute();

        Object recorded = db.value("SELECT checksum_algorithm || ':' || checksum FROM ashlar_schema_migrations "
                + "WHERE version = '20260101000000'");
        assertThat(logged).containsExactly("20260101000000_create_posts.sql  " + recorded, "The history holds the same.");
        checksum.file = "20260102000000";
        logged.clear();
        checksum.execute();
        assertThat(logged).hasSize(2).endsWith("Not applied.");
        assertThat(logged.get(0)).startsWith("20260102000000_create_tags.sql  ");
        file("20260101000000_create_posts.sql", "posts", ", edited text");
        checksum.file = "20260101000000";
        assertThatThrownBy(checksum::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("The history holds " + db.value("SELECT checksum FROM ashlar_schema_migrations "
                        + "WHERE version = '20260101000000'") + " for 20260101000000_create_posts.sql: the file changed "
                        + "since it was applied.").hasMessageContaining("ashlar:repair");
        checksum.file = "20260109000000";
        assertThatThrownBy(checksum::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("is named or versioned '20260109000000'");
        checksum.file = null;
        assertThatThrownBy(checksum::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("Give the migration file: -Dashlar.file=NAME");
        assertThat(history()).isEqualTo("20260101000000");
    }

    @Test
    void connectRetriesIntervalBoundsTheWaitBetweenRetriesAndOneThatIsNoDurationFailsNamingIt() {
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.url = "jdbc:postgresql://localhost:1/blog";
        migrate.connectRetries = 2;
        migrate.connectRetriesInterval = "200ms";
        List<String> logged = logged(migrate);
        long start = System.nanoTime();

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("after 2 connection retries");

        // Without the bound the waits are 1 s then 2 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(String.join("\n", logged)).contains("connection retry 1 of 2 in 200 ms",
                "connection retry 2 of 2 in 200 ms");
        migrate.connectRetriesInterval = "soon";
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.connectRetriesInterval 'soon' is not a duration");
    }

    @Test
    void placeholderPrefixAndSuffixReplaceThePlaceholdersWrittenSoAndLeaveDollarBracesAsText() throws Exception {
        Files.writeString(migrations.resolve("20260104000000_create_notes.sql"), "-- migrate:up\nCREATE TABLE "
                + "#[prefix]_notes (id bigint, note text DEFAULT '${kept}');\n-- migrate:down\nDROP TABLE "
                + "#[prefix]_notes;\n");
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.placeholders = Map.of("prefix", "app");
        migrate.placeholderSuffix = "] ";
        migrate.placeholderPrefix = "#[";

        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("The plugin's <placeholderSuffix> (-Dashlar.placeholderSuffix): The "
                        + "placeholder suffix '] ' cannot mark a placeholder");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        migrate.placeholderSuffix = "]";
        migrate.execute();

        assertThat(db.value("SELECT column_default FROM information_schema.columns WHERE table_name = 'app_notes' "
                + "AND column_name = 'note'")).isEqualTo("'${kept}'::text");
    }

    @Test
    void refuseNonEmptySchemaFailsTheBuildOnASchemaMadeByHandAndBaselineOnMigrateTakesItOver() throws Exception {
        db.execute("CREATE TABLE posts (id bigint PRIMARY KEY); INSERT INTO posts VALUES (1)");
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.refuseNonEmptySchema = true;

        assertThatThrownBy(migrate::execute).hasStackTraceContaining("Cannot migrate public: it holds table posts, "
                + "but no migration history");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
        migrate.baselineOnMigrate = true;
        migrate.execute();
        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations WHERE baselined")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void skipExecutingMigrationsRecordsThePendingFilesWithoutRunningThemAndALaterMigrateRunsOnlyTheRest()
            throws Exception {
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.skipExecutingMigrations = true;
        migrate.dryRun = true;
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.skipExecutingMigrations records the pending files without running "
                        + "them: give it without ashlar.dryRun");
        migrate.dryRun = false;
        migrate.group = true;
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.skipExecutingMigrations: Give either group or skip executing");
        migrate.group = false;
        migrate.upTo = "20260102000000";
        List<String> logged = logged(migrate);

        migrate.execute();

        assertThat(logged).containsExactly("baselined 20260101000000_create_posts.sql in public (not run)",
                "baselined 20260102000000_create_tags.sql in public (not run)",
                "Recorded 2 migration(s) without running them.", "1 migration(s) stay pending: ashlar:status lists them.");
        assertThat(history()).isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
        migrate.skipExecutingMigrations = false;
        migrate.upTo = null;
        migrate.execute();
        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL AND to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void toTagAppliesThePendingFilesUpToTheFileWithThatTagHeaderAndTagsItsRow() throws Exception {
        Files.writeString(migrations.resolve("20260102000000_create_tags.sql"), "-- tag: release-1\n-- migrate:up\n"
                + "CREATE TABLE tags (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n");
        MigrateMojo migrate = goal(new MigrateMojo());
        migrate.toTag = "release-1";
        migrate.steps = 1;
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessage("ashlar.toTag: Give either a tag to migrate to (release-1) or a number of steps (1), not "
                        + "both. Nothing was applied.");
        migrate.steps = null;
        List<String> logged = logged(migrate);

        migrate.execute();

        assertThat(logged).contains("Applied 2 migration(s).", "1 migration(s) stay pending: ashlar:status lists them.");
        assertThat(history()).isEqualTo("20260101000000,20260102000000");
        assertThat(db.value("SELECT array_to_string(tags, ',') FROM ashlar_schema_migrations "
                + "WHERE version = '20260102000000'")).isEqualTo("release-1");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void minVersionFailsTheBuildOnAHistoryEndingBeforeItRunAndDryRunAlikeAndMigratesOneThatReachesIt()
            throws Exception {
        MigrateMojo migrate = migrateTo("20260101000000");
        db.execute("INSERT INTO posts SELECT generate_series(1, 30)");
        migrate.minVersion = "1.3";
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("ashlar.minVersion: The minimum version '1.3' is not a migration version");
        migrate.minVersion = "20260102000000";
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("ends at 20260101000000, before the minimum version 20260102000000");
        migrate.dryRun = true;
        assertThatThrownBy(migrate::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("before the minimum version 20260102000000");
        assertThat(history()).isEqualTo("20260101000000");
        migrate.dryRun = false;
        migrateTo("20260102000000");

        migrate.execute();

        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*)::int FROM posts")).isEqualTo(30);
    }

    @Test
    void baselineToTagRecordsTheFilesUpToTheTaggedOneWithoutRunningThemAndTagsItsRow() throws Exception {
        Files.writeString(migrations.resolve("20260102000000_create_tags.sql"), "-- tag: release-1\n-- migrate:up\n"
                + "CREATE TABLE tags (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n");
        db.execute("CREATE TABLE posts (id bigint PRIMARY KEY); CREATE TABLE tags (id bigint PRIMARY KEY)");
        BaselineMojo baseline = goal(new BaselineMojo());
        baseline.toTag = "release-1";
        baseline.to = "20260101000000";
        assertThatThrownBy(baseline::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("Give either ashlar.toTag (release-1) or ashlar.to (20260101000000), not both");
        baseline.to = null;
        baseline.toTag = "release-9";
        assertThatThrownBy(baseline::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("'-- tag: release-9'");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        baseline.toTag = "release-1";
        List<String> logged = logged(baseline);

        baseline.execute();
        goal(new MigrateMojo()).execute();

        assertThat(logged).contains("Baselined 2 migration(s): recorded as applied, not run.");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations "
                + "WHERE baselined")).isEqualTo("20260101000000,20260102000000");
        assertThat(history()).isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT array_to_string(tags, ',') FROM ashlar_schema_migrations "
                + "WHERE version = '20260102000000'")).isEqualTo("release-1");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
    }
}
