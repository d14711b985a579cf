package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flyway's refusal of a non-empty schema without a schema history table ("Found non-empty schema(s) ... but no schema
 * history table. Use baseline() or set baselineOnMigrate to true"), its baseline at any version, and Liquibase's
 * {@code changelog-sync-sql}, on the main schema.
 */
@ExtendWith(PostgresExtension.class)
class NonEmptySchemaTest {
    private static final String POSTS = "CREATE TABLE posts (id int PRIMARY KEY, title text);";
    private static final MigrateRun REFUSING = MigrateRun.all().refuseNonEmptySchema(true);

    @TempDir
    Path dir;
    TestDatabase db;
    MigrationFolder folder;

    @BeforeEach
    void twoFiles(TestDatabase db) throws IOException {
        this.db = db;
        folder = MigrationFolder.emptied(dir, db);
        folder.file("20260101000000_create_posts.sql", POSTS, "DROP TABLE posts;");
        folder.file("20260102000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text;",
                "ALTER TABLE posts DROP COLUMN body;");
    }

    private List<String> history() {
        return db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version").stream()
                .map(row -> row.get("version") + (Boolean.TRUE.equals(row.get("baselined")) ? " baselined" : " applied"))
                .toList();
    }

    private boolean historyIsEmpty() {
        return (Boolean) db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")
                || history().isEmpty();
    }

    private boolean bodyExists() {
        return (Boolean) db.value("SELECT count(*) = 1 FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'");
    }

    @Test
    void migrateRefusesASchemaHoldingObjectsButNoHistoryNamingThemAndTheFixesAndRunsNothing() {
        db.execute(POSTS + "CREATE VIEW recent_posts AS SELECT * FROM posts; CREATE SEQUENCE post_numbers; "
                + "CREATE TYPE post_state AS ENUM ('draft'); CREATE FUNCTION slug(t text) RETURNS text "
                + "LANGUAGE sql AS 'SELECT lower(t)'");

        assertThatThrownBy(() -> folder.migrator().migrate(REFUSING))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Cannot migrate public: it holds function slug(), sequence post_numbers, "
                        + "table posts, type post_state, view recent_posts, but no migration history "
                        + "(ashlar_schema_migrations is missing or empty)")
                .hasMessageContaining("'ashlar baseline --to VERSION', or migrate with --baseline-on-migrate=VERSION")
                .hasMessageContaining("--baseline-on-migrate=00000000000000 records none and runs them all")
                .hasMessageEndingWith("Nothing was applied.");
        assertThat(historyIsEmpty()).isTrue();
        assertThat(bodyExists()).isFalse();
    }

    @Test
    void withoutTheOptionTheFirstFileMeetsWhatIsThereAndNamesTheBaselineThatRecordsIt() {
        db.execute(POSTS);

        assertThatThrownBy(() -> folder.migrator().migrate()).hasMessageContaining("relation \"posts\" already exists")
                .hasMessageContaining("'ashlar baseline --to 20260101000000'");
    }

    @Test
    void aFirstFileOutsideATransactionStoppedPartWayIsResumedNeitherRefusedNorBaselined() throws IOException {
        db.execute("CREATE SCHEMA side; CREATE TABLE side.gate (id int)");
        try {
            Files.writeString(dir.resolve("20260101000000_create_posts.sql"), "-- migrate:up transaction:false\n"
                    + POSTS + "\nSELECT 1 / count(*) FROM side.gate;\n-- migrate:down\nDROP TABLE posts;\n");
            assertThatThrownBy(() -> folder.migrator().migrate(REFUSING)).hasMessageContaining("division by zero");
            assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL")).isEqualTo(true);

            // The table its first statement made is the run's, not one made by hand: the run resumes at statement 2.
            assertThatThrownBy(() -> folder.migrator().migrate(REFUSING)).hasMessageContaining("division by zero");
            db.execute("INSERT INTO side.gate VALUES (1)");
            assertThat(folder.migrator().migrate(REFUSING.baselineOnMigrate(null))).hasSize(2);

            assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied");
            assertThat(bodyExists()).isTrue();
        } finally {
            db.execute("DROP SCHEMA side CASCADE");
        }
    }

    @Test
    void aBaselineScriptForgetsWhereAFileOutsideATransactionStoppedAsTheBaselineDoes() throws IOException {
        db.execute("CREATE SCHEMA side; CREATE TABLE side.gate (id int)");
        try {
            Files.writeString(dir.resolve("20260101000000_create_posts.sql"), "-- migrate:up transaction:false\n"
                    + POSTS + "\nSELECT 1 / count(*) FROM side.gate;\n-- migrate:down\nDROP TABLE posts;\n");
            assertThatThrownBy(() -> folder.migrator().migrate()).hasMessageContaining("division by zero");
            assertThat(db.value("SELECT count(*) FROM " + MigrationProgress.TABLE)).isEqualTo(1L);
            Migrator migrator = folder.migrator();

            db.execute(DryRunText.baselineScript(migrator.baselineDryRun("20260101000000"), migrator.history())
                    .replace("\\set ON_ERROR_STOP on\n", ""));

            assertThat(history()).containsExactly("20260101000000 baselined");
            assertThat(db.value("SELECT to_regclass('" + MigrationProgress.TABLE + "') IS NULL")).isEqualTo(true);
            // Rolled back and migrated again, it runs from its first statement, not where it once stopped.
            migrator.rollback(1);
            db.execute("INSERT INTO side.gate VALUES (1)");
            assertThat(migrator.migrate()).hasSize(2);
            assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL")).isEqualTo(true);
        } finally {
            db.execute("DROP SCHEMA side CASCADE");
        }
    }

    @Test
    void whatBeforeMigrateMakesInANewSchemaIsNeitherRefusedNorBaselined() throws IOException {
        Files.writeString(dir.resolve("beforeMigrate.sql"), "CREATE TABLE IF NOT EXISTS audit (line text);");

        assertThat(folder.migrator().migrate(REFUSING.upTo("20260101000000"))).hasSize(1);
        db.execute("DROP TABLE ashlar_schema_migrations, posts, audit");
        assertThat(folder.migrator().migrate(MigrateRun.all().baselineOnMigrate(null))).hasSize(2);

        assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied");
        assertThat(bodyExists()).isTrue();
    }

    @Test
    void aRefusedRunRunsNoBeforeMigrateCallback() throws IOException {
        Files.writeString(dir.resolve("beforeMigrate.sql"), "CREATE TABLE audit (line text);");
        db.execute(POSTS);

        assertThatThrownBy(() -> folder.migrator().migrate(REFUSING))
                .hasMessageStartingWith("Cannot migrate public: it holds table posts, but no migration history");
        assertThat(db.value("SELECT to_regclass('audit') IS NULL")).isEqualTo(true);
    }

    @Test
    void theRefusalNamesFiveObjectsAndCountsTheRest() {
        db.execute("CREATE TABLE a (); CREATE TABLE b (); CREATE TABLE c (); CREATE TABLE d (); CREATE TABLE e (); "
                + "CREATE TABLE f (); CREATE TABLE g ()");

        assertThatThrownBy(() -> folder.migrator().migrate(REFUSING))
                .hasMessageStartingWith("Cannot migrate public: it holds table a, table b, table c, table d, table e, "
                        + "and 2 more, but no migration history");
    }

    @Test
    void aDryRunRefusesTheSameSchema() {
        db.execute(POSTS);

        assertThatThrownBy(() -> folder.migrator().dryRun(REFUSING))
                .hasMessageStartingWith("Cannot migrate public: it holds table posts, but no migration history");
        assertThat(historyIsEmpty()).isTrue();
    }

    @Test
    void anEmptySchemaOneWithAnExtensionAndAshlarsOwnTablesOnlyAndOneWithHistoryAreMigrated() {
        db.execute("CREATE TABLE ashlar_tenant_migrations (schema_name text NOT NULL, version text NOT NULL, "
                + "checksum text NOT NULL, PRIMARY KEY (schema_name, version))");
        db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
        try {
            folder.migrator().migrate(REFUSING.upTo("20260101000000"));
            // A table made by hand once the schema has a history is the schema's own business, as in Flyway.
            db.execute("CREATE TABLE audit (id int)");

            assertThat(folder.migrator().migrate(REFUSING)).extracting(MigrationFile::name)
                    .containsExactly("add_body");
            assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied");
        } finally {
            db.execute("DROP EXTENSION pg_trgm");
        }
    }

    @Test
    void aTableInAnotherSchemaDoesNotMakeTheMainSchemaNonEmpty() {
        db.execute("CREATE SCHEMA reporting; CREATE TABLE reporting.totals (n int)");
        try {
            assertThat(folder.migrator().migrate(REFUSING)).hasSize(2);
        } finally {
            db.execute("DROP SCHEMA reporting CASCADE");
        }
    }

    @Test
    void baselineOnMigrateBeforeEveryFileRecordsNoneAndRunsThemAllOverWhatIsThere() throws IOException {
        db.execute("CREATE TABLE legacy (id int); INSERT INTO legacy VALUES (1)");

        List<MigrationFile> applied = folder.migrator().migrate(REFUSING.baselineOnMigrate("00000000000000"));

        assertThat(applied).hasSize(2);
        assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied");
        assertThat(bodyExists()).isTrue();
        assertThat(db.value("SELECT count(*) FROM legacy")).isEqualTo(1L);
    }

    @Test
    void skipExecutingMigrationsRecordsTheFilesOfASchemaMadeByHand() {
        db.execute(POSTS + "ALTER TABLE posts ADD COLUMN body text");

        folder.migrator().migrate(REFUSING.skipExecutingMigrations(true));

        assertThat(history()).containsExactly("20260101000000 baselined", "20260102000000 baselined");
    }

    @Test
    void baselineAtAVersionBetweenTwoFilesRecordsTheFilesBeforeItAsFlywaysBaselineVersion() {
        db.execute(POSTS);

        assertThat(folder.migrator().baseline("20260101120000")).extracting(MigrationFile::name)
                .containsExactly("create_posts");
        assertThat(history()).containsExactly("20260101000000 baselined");
        assertThat(folder.migrator().migrate()).extracting(MigrationFile::name).containsExactly("add_body");
        assertThat(bodyExists()).isTrue();
    }

    @Test
    void baselineOnMigrateAtAVersionBetweenTwoFilesRecordsTheFilesBeforeIt() {
        db.execute(POSTS);

        folder.migrator().migrate(MigrateRun.all().baselineOnMigrate("20260101120000"));

        assertThat(history()).containsExactly("20260101000000 baselined", "20260102000000 applied");
    }

    @Test
    void baselineAfterEveryFileRecordsThemAll() {
        db.execute(POSTS + "ALTER TABLE posts ADD COLUMN body text");

        assertThat(folder.migrator().baseline("20991231000000")).hasSize(2);
        assertThat(history()).containsExactly("20260101000000 baselined", "20260102000000 baselined");
    }

    @Test
    void baselineBeforeEveryFileIsRefusedAsItWouldRecordNothingAndLeaveTheSchemaWithoutHistory() {
        db.execute(POSTS);

        assertThatThrownBy(() -> folder.migrator().baseline("20250101000000"))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Cannot baseline public to 20250101000000: no migration of " + dir
                        + " is at or before it, so there is nothing to record. The nearest are "
                        + "20260101000000_create_posts.sql (after it).")
                .hasMessageContaining("migrate with --baseline-on-migrate=00000000000000")
                .hasMessageEndingWith("Nothing was recorded.");
        assertThat(historyIsEmpty()).isTrue();
    }

    @Test
    void aBaselineVersionThatIsNotFourteenDigitsIsRefusedBeforeAnythingIsRecorded() {
        db.execute(POSTS);

        assertThatThrownBy(() -> folder.migrator().baseline("2026010100000"))
                .hasMessageStartingWith("Cannot baseline to 2026010100000: a version is 14 digits")
                .hasMessageEndingWith("Nothing was recorded.");
        assertThatThrownBy(() -> folder.migrator().migrate(MigrateRun.all().baselineOnMigrate("v1")))
                .hasMessageStartingWith("Cannot baseline to v1: a version is 14 digits")
                .hasMessageEndingWith("Nothing was applied.");
        assertThat(historyIsEmpty()).isTrue();
    }

    @Test
    void aBaselineScriptRecordsWhatTheBaselineWouldWithoutRunningAFileAndTheDryRunWritesNothing() throws IOException {
        Files.writeString(dir.resolve("20260103000000_index_titles.sql"), "-- tag: release-1\n-- migrate:up\n"
                + "CREATE INDEX posts_title_index ON posts (title);\n-- migrate:down\nDROP INDEX posts_title_index;\n");
        db.execute(POSTS);
        Migrator migrator = folder.migrator();

        List<MigrationFile> files = migrator.baselineDryRun("20260102000000");
        String script = DryRunText.baselineScript(files, migrator.history());

        assertThat(files).extracting(MigrationFile::name).containsExactly("create_posts", "add_body");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        assertThat(script).startsWith("-- What 'ashlar baseline' would run on schema public, as one script for psql.")
                .doesNotContain("ALTER TABLE posts");
        db.execute(script.replace("\\set ON_ERROR_STOP on\n", ""));
        assertThat(history()).containsExactly("20260101000000 baselined", "20260102000000 baselined");
        assertThat(bodyExists()).as("no file ran").isFalse();
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations WHERE deployment_id IS NOT NULL"))
                .isEqualTo(2L);
        assertThat(migrator.baselineDryRun(null)).extracting(MigrationFile::name).containsExactly("index_titles");
        assertThat(migrator.baselineDryRunToTag("release-1")).extracting(MigrationFile::name)
                .containsExactly("index_titles");
        String tagged = DryRunText.baselineScript(migrator.baselineDryRunToTag("release-1"), migrator.history());
        db.execute(tagged.replace("\\set ON_ERROR_STOP on\n", ""));
        assertThat(db.value("SELECT tags[1] FROM ashlar_schema_migrations WHERE version = '20260103000000'"))
                .isEqualTo("release-1");
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_title_index'")).isEqualTo(0L);
        assertThat(DryRunText.baselineScript(migrator.baselineDryRun(null), migrator.history()))
                .contains("-- Nothing to baseline.");
    }

    @Test
    void aBaselineScriptOfAHistoryMadeBeforeBaselinesAndTagsGivesItThoseColumns() {
        db.execute(POSTS + "CREATE TABLE ashlar_schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
                + "checksum text NOT NULL, checksum_algorithm text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
                + "now(), duration_ms bigint NOT NULL)");
        Migrator migrator = folder.migrator();

        db.execute(DryRunText.baselineScript(migrator.baselineDryRun("20260101000000"), migrator.history())
                .replace("\\set ON_ERROR_STOP on\n", ""));

        assertThat(history()).containsExactly("20260101000000 baselined");
    }
}
