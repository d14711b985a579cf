package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A migrate run that stops after a number of files, one that first baselines a schema made without Ashlar, and one that
 * refuses a file merged late (Flyway's default {@code outOfOrder=false}).
 */
@ExtendWith(PostgresExtension.class)
class MigrateRunTest {
    private static final String POSTS = "CREATE TABLE posts (id int PRIMARY KEY, title text);";
    private static final String INDEX = "CREATE INDEX posts_title_index ON posts (title);";

    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void threeFiles(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        file("20260101000000_create_posts.sql", POSTS, "DROP TABLE posts;");
        file("20260102000000_index_titles.sql", INDEX, "DROP INDEX posts_title_index;");
        file("20260103000000_add_body.sql", "ALTER TABLE posts ADD COLUMN body text NOT NULL DEFAULT '';",
                "ALTER TABLE posts DROP COLUMN body;");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private List<MigrationFile> migrate(MigrateRun run) {
        return new Migrator(db.dataSource(), folder).migrate(run);
    }

    private List<String> history() {
        return db.query("SELECT version, baselined FROM ashlar_schema_migrations ORDER BY version").stream()
                .map(row -> row.get("version") + (Boolean.TRUE.equals(row.get("baselined")) ? " baselined" : " applied"))
                .toList();
    }

    private boolean bodyExists() {
        return (Boolean) db.value("SELECT count(*) = 1 FROM information_schema.columns WHERE table_name = 'posts' "
                + "AND column_name = 'body'");
    }

    @Test
    void baselineOnMigrateRecordsTheFilesUpToItsVersionInASchemaMadeByHandKeepsTheRowsAndAppliesTheRest() {
        db.execute(POSTS + INDEX + "INSERT INTO posts VALUES (1, 'kept'), (2, 'also kept')");

        List<MigrationFile> applied = migrate(MigrateRun.all().baselineOnMigrate("20260102000000"));

        assertThat(applied).extracting(MigrationFile::name).containsExactly("add_body");
        assertThat(history()).containsExactly("20260101000000 baselined", "20260102000000 baselined",
                "20260103000000 applied");
        assertThat(db.value("SELECT string_agg(title || ':' || body, ',' ORDER BY id) FROM posts"))
                .isEqualTo("kept:,also kept:");
        assertThat(bodyExists()).isTrue();
    }

    @Test
    void aDryRunOfABaselineOnMigrateListsOnlyTheFilesThatWouldRunAndRecordsNothing() {
        db.execute(POSTS + INDEX);
        Migrator migrator = new Migrator(db.dataSource(), folder);

        assertThat(migrator.dryRun(MigrateRun.all().baselineOnMigrate("20260102000000")))
                .extracting(run -> run.file().name()).containsExactly("add_body");
        assertThat(migrator.dryRun(MigrateRun.all().baselineOnMigrate(null)))
                .extracting(run -> run.file().name()).containsExactly("index_titles", "add_body");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
        assertThat(bodyExists()).isFalse();

        assertThat(migrate(MigrateRun.all().baselineOnMigrate("20260102000000")))
                .extracting(MigrationFile::name).containsExactly("add_body");
    }

    @Test
    void withoutTheOptionASchemaMadeByHandStillFailsAtTheFirstFileNamingTheBaselineThatRecordsIt() {
        db.execute(POSTS + "INSERT INTO posts VALUES (1, 'kept')");

        assertThatThrownBy(() -> migrate(MigrateRun.all())).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_create_posts.sql")
                .hasMessageContaining("'ashlar baseline --to 20260101000000'");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE SEQUENCE made_by_hand", "CREATE TYPE made_by_hand AS ENUM ('a')",
            "CREATE TYPE made_by_hand AS (a int)", "CREATE DOMAIN made_by_hand AS text",
            "CREATE FUNCTION made_by_hand() RETURNS int LANGUAGE sql AS 'SELECT 1'"})
    void baselineOnMigrateTakesASchemaHoldingOnlyASequenceTypeOrFunctionForOneMadeWithoutAshlar(String made)
            throws IOException {
        file("20251231000000_made_by_hand.sql", made + ";", "-- made by hand");
        db.execute(made);

        migrate(MigrateRun.all().baselineOnMigrate(null));

        assertThat(history()).containsExactly("20251231000000 baselined", "20260101000000 applied",
                "20260102000000 applied", "20260103000000 applied");
    }

    @Test
    void baselineOnMigrateMigratesASchemaWhereOnlyAnExtensionAndAshlarsTenantRegistryAreAsAnEmptyOne() {
        // The registry a tenant run (`ashlar migrate --tenants`, run first) keeps in the main schema.
        db.execute("CREATE TABLE ashlar_tenant_migrations (schema_name text NOT NULL, version text NOT NULL, "
                + "checksum text NOT NULL, PRIMARY KEY (schema_name, version))");
        db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
        try {
            migrate(MigrateRun.all().baselineOnMigrate(null));

            assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied",
                    "20260103000000 applied");
        } finally {
            db.execute("DROP EXTENSION pg_trgm");
        }
    }

    @Test
    void baselineOnMigrateWithoutAVersionBaselinesTheOldestFileOnly() {
        db.execute(POSTS);

        migrate(MigrateRun.all().baselineOnMigrate(null));

        assertThat(history()).containsExactly("20260101000000 baselined", "20260102000000 applied",
                "20260103000000 applied");
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_title_index'")).isEqualTo(1L);
    }

    @Test
    void baselineOnMigrateMigratesAnEmptySchemaAndOneWithAHistoryAsUsual() throws IOException {
        migrate(MigrateRun.all().upTo("20260101000000").baselineOnMigrate("20260103000000"));
        assertThat(history()).containsExactly("20260101000000 applied");

        db.execute("CREATE TABLE made_by_hand (id int)");
        migrate(MigrateRun.all().baselineOnMigrate("20260103000000"));

        assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied",
                "20260103000000 applied");
        assertThat(bodyExists()).isTrue();
    }

    @Test
    void aBaselineVersionNotFourteenDigitsIsRefusedNamingTheNearestFilesBeforeAnythingIsRecorded() {
        db.execute(POSTS);

        assertThatThrownBy(() -> migrate(MigrateRun.all().baselineOnMigrate("2026010212000")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot baseline to 2026010212000: a version is 14 digits")
                .hasMessageContaining("The nearest are 20260102000000_index_titles.sql (before it) and "
                        + "20260103000000_add_body.sql (after it).")
                .hasMessageEndingWith("Nothing was applied.");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void anEmptyVersionOrOneWithSpacesAroundItIsRefusedAsSuchRatherThanLookedUpAndNothingChanges() {
        Migrator migrator = new Migrator(db.dataSource(), folder);
        migrate(MigrateRun.all().steps(1));

        assertThatThrownBy(() -> migrate(MigrateRun.all().upTo(""))).isInstanceOf(MigrationException.class)
                .hasMessage("The version given is empty (an unset variable?): give one of the files' 14-digit "
                        + "versions (ashlar status lists them). Nothing was applied.");
        assertThatThrownBy(() -> migrate(MigrateRun.all().upTo(" 20260102000000"))).isInstanceOf(MigrationException.class)
                .hasMessage("The version ' 20260102000000' has spaces around it: give it alone, 20260102000000. "
                        + "Nothing was applied.");
        assertThatThrownBy(() -> migrator.baseline("")).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("The version given is empty");
        assertThatThrownBy(() -> migrator.rollbackTo(" ")).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("The version given is empty").hasMessageEndingWith("Nothing was rolled back.");
        assertThatThrownBy(() -> migrator.rollbackDryRun(0, "")).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("The version given is empty");

        assertThat(history()).containsExactly("20260101000000 applied");
    }

    @Test
    void stepsApplyTheNextPendingFilesOldestFirstAndLeaveTheRestPending() throws IOException {
        assertThat(migrate(MigrateRun.all().steps(2))).extracting(MigrationFile::name)
                .containsExactly("create_posts", "index_titles");
        assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied");
        assertThat(bodyExists()).isFalse();

        file("20260101120000_add_slug.sql", "ALTER TABLE posts ADD COLUMN slug text;",
                "ALTER TABLE posts DROP COLUMN slug;");   // merged late, older than the newest applied
        assertThat(migrate(MigrateRun.all().steps(1))).extracting(MigrationFile::name).containsExactly("add_slug");
        assertThat(bodyExists()).isFalse();

        assertThat(migrate(MigrateRun.all().steps(5))).extracting(MigrationFile::name).containsExactly("add_body");
        assertThat(bodyExists()).isTrue();
    }

    @Test
    void aStepCountBelowOneOrOneGivenWithAVersionIsRefused() {
        assertThatThrownBy(() -> MigrateRun.all().steps(0)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot migrate 0 steps").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> MigrateRun.all().steps(-2)).hasMessageContaining("Cannot migrate -2 steps");
        assertThatThrownBy(() -> MigrateRun.all().upTo("20260102000000").steps(1))
                .hasMessageContaining("either a number of steps (1) or a version to migrate to (20260102000000)");
    }

    @Test
    void aRunRefusingOutOfOrderFilesAppliesNothingWhenAFileOlderThanTheNewestAppliedIsPending() throws IOException {
        migrate(MigrateRun.all().upTo("20260102000000"));
        file("20260101120000_add_slug.sql", "ALTER TABLE posts ADD COLUMN slug text;",
                "ALTER TABLE posts DROP COLUMN slug;");   // merged late, older than the newest applied

        assertThatThrownBy(() -> migrate(MigrateRun.all().outOfOrder(false))).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration 20260101120000_add_slug.sql of " + folder + " is older than "
                        + "20260102000000, the newest version applied to public")
                .hasMessageContaining("Give each a version after 20260102000000")
                .hasMessageEndingWith("Nothing was applied.");
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).dryRun(MigrateRun.all().outOfOrder(false)))
                .hasMessageStartingWith("Migration 20260101120000_add_slug.sql of ");
        assertThatThrownBy(() -> migrate(MigrateRun.all().steps(1).outOfOrder(false)))
                .hasMessageContaining("older than 20260102000000");
        assertThat(history()).containsExactly("20260101000000 applied", "20260102000000 applied");
        assertThat(bodyExists()).as("the newer pending file did not run either").isFalse();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'slug'"))
                .isEqualTo(0L);

        // Renamed after the newest applied version, it is an ordinary pending file.
        Files.move(folder.resolve("20260101120000_add_slug.sql"), folder.resolve("20260102120000_add_slug.sql"));
        assertThat(migrate(MigrateRun.all().outOfOrder(false))).extracting(MigrationFile::name)
                .containsExactly("add_slug", "add_body");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'slug'"))
                .isEqualTo(1L);
    }

    @Test
    void aRunRefusingOutOfOrderFilesAppliesFilesNewerThanTheHistoryAndLateOnesByDefault() throws IOException {
        assertThat(migrate(MigrateRun.all().upTo("20260101000000").outOfOrder(false))).hasSize(1);
        file("20260100000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        assertThat(migrate(MigrateRun.all())).extracting(MigrationFile::name)
                .containsExactly("create_tags", "index_titles", "add_body");
        assertThat(history()).containsExactly("20260100000000 applied", "20260101000000 applied",
                "20260102000000 applied", "20260103000000 applied");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);
        assertThat(migrate(MigrateRun.all().outOfOrder(false))).as("nothing pending, nothing refused").isEmpty();
    }

    @Test
    void aTargetOfCurrentAsFlywaysAppliesALateFileAndRepeatablesButNoVersionNewerThanTheHistory() throws IOException {
        MigrateRun current = MigrateRun.all().upTo(" Current ");
        Files.writeString(folder.resolve("R__answer.sql"), "-- migrate:up\nCREATE OR REPLACE VIEW answer AS SELECT 42 "
                + "AS n;\n");
        assertThat(current.bounded()).isTrue();
        assertThat(migrate(current)).as("no history: the repeatable file only").extracting(MigrationFile::fileName)
                .containsExactly("R__answer.sql");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        migrate(MigrateRun.all().upTo("20260102000000"));
        file("20260101120000_add_slug.sql", "ALTER TABLE posts ADD COLUMN slug text;",
                "ALTER TABLE posts DROP COLUMN slug;");   // merged late, older than the newest applied

        assertThat(new Migrator(db.dataSource(), folder).dryRun(current)).extracting(d -> d.file().name())
                .containsExactly("add_slug");
        assertThat(migrate(current)).extracting(MigrationFile::name).containsExactly("add_slug");

        assertThat(history()).containsExactly("20260101000000 applied", "20260101120000 applied",
                "20260102000000 applied", "R__answer applied");
        assertThat(bodyExists()).as("newer than the history: still pending").isFalse();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE column_name = 'slug'"))
                .isEqualTo(1L);
    }

    @Test
    void aTargetOfLatestAsFlywaysAppliesEveryPendingFileAndBoundsNothing() {
        MigrateRun latest = MigrateRun.all().upTo(" Latest ");

        assertThat(latest.upTo()).isNull();
        assertThat(latest.bounded()).isFalse();
        assertThat(migrate(latest)).extracting(MigrationFile::name)
                .containsExactly("create_posts", "index_titles", "add_body");
        assertThat(bodyExists()).isTrue();
    }
}
