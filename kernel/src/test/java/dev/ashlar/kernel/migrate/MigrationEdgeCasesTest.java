package dev.ashlar.kernel.migrate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.migrate.MigrationStatus.State;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the test suites of Flyway and Liquibase check of a migrator, asked of Ashlar's on a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class MigrationEdgeCasesTest {
    @TempDir
    Path folder;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS tenant_new CASCADE");
    }

    @AfterEach
    void dropRole(TestDatabase db) {
        db.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'probe_app') THEN "
                + "DROP OWNED BY probe_app CASCADE; DROP ROLE probe_app; END IF; END $$");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    @Test
    void aServerErrorAfterCharactersOutsideTheBasicPlaneIsShownAtItsOwnLineAndColumn(TestDatabase db)
            throws IOException {
        // PostgreSQL counts the error position in characters; each emoji is two chars of a Java string.
        file("20260101000000_faces.sql", "CREATE TABLE posts (id int);\nSELECT '\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00',\n"
                + "  nosuch FROM posts;", "DROP TABLE posts;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("\n      nosuch FROM posts;\n      ^ (line 4, column 3)\n")
                .hasMessageContaining("column \"nosuch\" does not exist");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void anErrorInsideADoBlockNamesTheBlocksLineAndTheLineOfTheFile(TestDatabase db) throws IOException {
        file("20260101000000_backfill.sql", String.join("\n",
                "CREATE TABLE posts (id int);",
                "-- fill what is missing",
                "DO $body$",
                "BEGIN",
                "  PERFORM 1;",
                "  INSERT INTO nosuch VALUES (1);",
                "END",
                "$body$;"), "DROP TABLE posts;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("failed on public at statement 2 (line 3)")
                .hasMessageContaining("relation \"nosuch\" does not exist")
                .hasMessageContaining("PL/pgSQL function inline_code_block line 4 at SQL statement (line 7 of the file)");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aHistoryTableOfAnotherToolIsRefusedNamingItAndTheFixInsteadOfABareColumnError(TestDatabase db)
            throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        db.execute("CREATE TABLE ashlar_schema_migrations (id serial PRIMARY KEY, script text)");
        Migrator migrator = new Migrator(db.dataSource(), folder);

        for (Runnable call : new Runnable[] {migrator::migrate, migrator::status, migrator::dryRun}) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.sqlState()).contains("42703"))
                    .hasMessageContaining("The table public.ashlar_schema_migrations is not an Ashlar migration history")
                    .hasMessageContaining("column \"version\" does not exist")
                    .hasMessageContaining("Rename that table (ALTER TABLE \"public\".\"ashlar_schema_migrations\" RENAME TO");
        }
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aHistoryTheMigratingRoleMayNotUseIsRefusedSayingWhatToGrant(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        new Migrator(db.dataSource(), folder).migrate();
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        db.execute("CREATE ROLE probe_app LOGIN PASSWORD 'probe'; GRANT USAGE, CREATE ON SCHEMA public TO probe_app");

        assertThatThrownBy(() -> new Migrator(as(db, "probe_app"), folder).migrate())
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("42501"))
                .hasMessageContaining("permission denied for table ashlar_")
                .hasMessageContaining("SELECT, INSERT, UPDATE, DELETE on Ashlar's tables public.ashlar_schema_migrations "
                        + "and public.ashlar_migration_locks");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL")).isEqualTo(true);
    }

    @Test
    void aRoleThatMayNotCreateInPublicIsToldWhichGrantTheMigratorNeeds(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        // PostgreSQL 15 and later no longer let every role create in public.
        db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC; CREATE ROLE probe_app LOGIN PASSWORD 'probe'; "
                + "GRANT USAGE ON SCHEMA public TO probe_app");

        assertThatThrownBy(() -> new Migrator(as(db, "probe_app"), folder).migrate())
                .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("42501"))
                .hasMessageContaining("permission denied for schema public")
                .hasMessageContaining("GRANT CREATE ON SCHEMA \"public\" TO the role");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aBaselineOverAHistoryTableOfAnotherToolIsRefusedWithoutAlteringThatTable(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        db.execute("CREATE TABLE ashlar_schema_migrations (id serial PRIMARY KEY, script text)");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).baseline(null))
                .hasMessageContaining("is not an Ashlar migration history");
        assertThat(db.value("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
                + "information_schema.columns WHERE table_name = 'ashlar_schema_migrations'")).isEqualTo("id,script");
    }

    @Test
    void aPoolOfOneConnectionIsToldThatAMigrationTakesTwo(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250);
        try (HikariDataSource one = new HikariDataSource(config)) {
            assertThatThrownBy(() -> new Migrator(one, folder).migrate())
                    .isInstanceOf(AshlarException.class)
                    .hasMessageContaining("A migration takes two connections at once, one holding the migration lock "
                            + "and one running the files: if the pool lends only one, let it lend two (HikariCP's "
                            + "maximumPoolSize)");
            assertThat(one.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aSchemaThatDoesNotExistYetHasEveryFilePendingAndMigratingItSaysToCreateItFirst(TestDatabase db)
            throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        Migrator tenant = new Migrator(db.dataSource(), folder).forSchema("tenant_new");

        assertThat(tenant.status()).extracting(MigrationStatus::state).containsExactly(State.PENDING);
        assertThat(tenant.dryRun()).hasSize(1);
        assertThatThrownBy(tenant::migrate)
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.sqlState()).contains("3F000"))
                .hasMessage("Cannot migrate schema tenant_new: it does not exist. Create it first (CREATE SCHEMA "
                        + "\"tenant_new\", or create the tenant, which makes its schema), or check its name. Nothing "
                        + "was applied.");
        assertThat(db.value("SELECT to_regnamespace('tenant_new') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDatabaseWithoutThePublicSchemaIsToldThatAshlarKeepsItsLockTableThere(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE app.notes (id int);", "DROP TABLE app.notes;");
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA app");
        try {
            assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("3F000"))
                    .hasMessageContaining("schema \"public\" does not exist")
                    .hasMessageContaining("create it (CREATE SCHEMA public)");
            assertThat(db.value("SELECT to_regclass('app.notes') IS NULL")).isEqualTo(true);
        } finally {
            db.execute("DROP SCHEMA app CASCADE; CREATE SCHEMA IF NOT EXISTS public");
        }
    }

    @Test
    void aFileNamedTheFlywayWayOrWithLettersOutsideAsciiIsRefusedSayingWhatToRename(TestDatabase db)
            throws IOException {
        Files.writeString(folder.resolve("V2__Add_users.sql"), "CREATE TABLE users (id int);\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .hasMessageContaining("V2__Add_users.sql is not named <14-digit version>_<lowercase_name>.sql; rename "
                        + "it (this is a Flyway name: call it <14-digit version>_add_users.sql");

        Files.delete(folder.resolve("V2__Add_users.sql"));
        Files.writeString(folder.resolve("20260101000000_caf\u00e9_Men\u00fc.sql"), "-- migrate:up\nSELECT 1;\n");
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .hasMessageContaining("(the name after the version holds '\u00e9', 'M', '\u00fc': use lowercase ASCII "
                        + "letters, digits and '_' only)");
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFileSavedAsUtf16IsRefusedSayingSoBeforeAnythingRuns(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        Files.write(folder.resolve("20260102000000_create_tags.sql"),
                "\uFEFF-- migrate:up\r\nCREATE TABLE tags (id int);\r\n".getBytes(StandardCharsets.UTF_16LE));

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).contains("20260102000000_create_tags.sql"))
                .hasMessageContaining("20260102000000_create_tags.sql is UTF-16")
                .hasMessageEndingWith("Save the file as UTF-8.");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void emptyAndCommentOnlyFilesAreRecordedAsAppliedAndRollBackRunningNothing(TestDatabase db) throws IOException {
        Files.writeString(folder.resolve("20260101000000_empty.sql"), "-- migrate:up\n");
        file("20260102000000_comments.sql", "-- to come\n/* nested /* comment; */ still; */", "-- nothing to undo");
        file("20260103000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");

        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(3);
        assertThat(db.value("SELECT string_agg(name, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("empty,comments,create_notes");

        assertThat(new Migrator(db.dataSource(), folder).rollback(3)).hasSize(3);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFailingStatementPastTheThousandthOfALongFileIsNamedByItsOwnNumberWhateverTheLocaleGroupsItWith(TestDatabase db)
            throws IOException {
        // The driver names the failed entry of a batch with a number formatted for the JVM's locale: 20,002 or 20.002.
        StringBuilder up = new StringBuilder("CREATE TABLE numbers (n int);\n");
        for (int i = 0; i < 20_000; i++) {
            up.append("INSERT INTO numbers VALUES (").append(i).append(");\n");
        }
        up.append("INSERT INTO numbers VALUES ('twenty');");
        file("20260101000000_numbers.sql", up.toString(), "DROP TABLE numbers;");
        Locale before = Locale.getDefault();
        try {
            for (Locale locale : new Locale[] {Locale.US, Locale.GERMANY, Locale.FRANCE}) {
                Locale.setDefault(locale);
                assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                        .as(locale.toString())
                        .hasMessageContaining("failed on public at statement 20002 (line 20003):\n"
                                + "    INSERT INTO numbers VALUES ('twenty');");
            }
        } finally {
            Locale.setDefault(before);
        }
        assertThat(db.value("SELECT to_regclass('numbers') IS NULL")).isEqualTo(true);
    }

    @Test
    void statementsAfterTensOfThousandsOfCommentLinesRunAndFailNamingTheirLineInsteadOfOverflowingTheStack(
            TestDatabase db) throws IOException {
        String notes = "-- note\n".repeat(50_000);
        Files.writeString(folder.resolve("20260101000000_index_notes.sql"), "-- migrate:up transaction:false\n"
                + "CREATE TABLE notes (id int);\n" + notes + "CREATE INDEX CONCURRENTLY notes_id_index ON notes (id);\n"
                + notes + "REINDEX INDEX CONCURRENTLY notes_id_index;\n-- migrate:down\nDROP TABLE notes;\n");
        file("20260102000000_backfill.sql", notes + "DO $$\nBEGIN\n  PERFORM nosuch();\nEND\n$$;", "SELECT 1;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_backfill.sql failed on public at statement 1 (line 2)")
                .hasMessageContaining("function nosuch() does not exist")
                .hasMessageContaining("PL/pgSQL function inline_code_block line 3 at PERFORM (line 50004 of the file)");
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_id_index'::regclass"))
                .isEqualTo(true);
    }

    @Test
    void whatTheServerSaysWhileAFileRunsIsReportedNamingTheFileUpToAStatementThatFails(TestDatabase db)
            throws IOException {
        file("20260101000000_backfill.sql", "CREATE TABLE notes (id int);\n"
                + "DO $$ BEGIN RAISE NOTICE 'backfilled % rows', 3; END $$;\nDROP TABLE IF EXISTS nosuch;",
                "DROP TABLE notes;");
        Files.writeString(folder.resolve("20260102000000_index_notes.sql"), "-- migrate:up transaction:false\n"
                + "DO $$ BEGIN RAISE WARNING 'check the % index', 'notes'; END $$;\n"
                + "CREATE INDEX CONCURRENTLY notes_id_index ON notes (id);\n-- migrate:down\nSELECT 1;\n");
        file("20260103000000_steps.sql", "DO $$ BEGIN RAISE NOTICE 'step 1 done'; END $$;\nSELECT nosuch;", "SELECT 1;");
        List<String> lines = new ArrayList<>();

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).progress(lines::add).migrate())
                .isInstanceOf(MigrationException.class).hasMessageContaining("20260103000000_steps.sql failed");

        assertThat(lines).containsSubsequence(
                "NOTICE from 20260101000000_backfill.sql on public: backfilled 3 rows",
                "NOTICE from 20260101000000_backfill.sql on public: table \"nosuch\" does not exist, skipping",
                "WARNING from 20260102000000_index_notes.sql on public: check the notes index",
                "NOTICE from 20260103000000_steps.sql on public: step 1 done");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000");
    }

    @Test
    void twoFilesSharingAVersionAreRefusedNamingBothInOrderBeforeAnythingRuns(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");
        file("20260102000000_add_body.sql", "ALTER TABLE notes ADD COLUMN body text;", "SELECT 1;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).contains("20260102000000_create_tags.sql"))
                .hasMessageStartingWith("Migrations 20260102000000_add_body.sql and 20260102000000_create_tags.sql in "
                        + folder + " share version 20260102000000")
                .hasMessageEndingWith("rename it with a new timestamp), or merge them. Nothing was run.");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL AND to_regclass('ashlar_schema_migrations') IS NULL"))
                .isEqualTo(true);
    }

    @Test
    void aFailingFileInTheMiddleKeepsTheFilesBeforeItAndTheNextRunGoesOnFromIt(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        file("20260102000000_index_notes.sql", "CREATE INDEX notes_id_index ON notes (id);\nALTER TABLE notes ADD "
                + "COLUMN body txet;", "DROP INDEX notes_id_index;");
        file("20260103000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).contains("20260102000000_index_notes.sql"));
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL AND to_regclass('notes_id_index') IS NULL "
                + "AND to_regclass('tags') IS NULL")).isEqualTo(true);
        assertThat(new Migrator(db.dataSource(), folder).status()).extracting(MigrationStatus::state)
                .containsExactly(State.APPLIED, State.PENDING, State.PENDING);

        file("20260102000000_index_notes.sql", "CREATE INDEX notes_id_index ON notes (id);\nALTER TABLE notes ADD "
                + "COLUMN body text;", "DROP INDEX notes_id_index;");
        assertThat(new Migrator(db.dataSource(), folder).migrate()).extracting(MigrationFile::name)
                .containsExactly("index_notes", "create_tags");
        assertThat(db.value("SELECT to_regclass('notes_id_index') IS NOT NULL AND to_regclass('tags') IS NOT NULL"))
                .isEqualTo(true);
    }

    @Test
    void aFailedRunGivesTheLockAndItsConnectionsBackSoTheNextMigratorStartsAtOnce(TestDatabase db) throws IOException {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);\nSELECT nosuch;", "DROP TABLE notes;");
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate()).isInstanceOf(MigrationException.class);
        assertThat(db.activeConnections()).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())")).isEqualTo(0L);

        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        assertThat(new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofMillis(200)).migrate()).hasSize(1);
        assertThat(db.value("SELECT to_regclass('notes') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void identifiersWithDollarsNestedCommentsAndQuotedBodiesHoldingSemicolonsRunWhole(TestDatabase db)
            throws IOException {
        file("20260101000000_bodies.sql", String.join("\n",
                "CREATE TABLE t$x$ (id int, \"a;b\" text DEFAULT 'x;y');",
                "CREATE FUNCTION f$1() RETURNS text LANGUAGE plpgsql AS $outer$",
                "BEGIN",
                "  RETURN $$inner; still$$ || $q$;$q$;",
                "END",
                "$outer$;",
                "/* outer /* inner; */ still; */",
                "DO $$ BEGIN PERFORM 1; END $$;",
                "PREPARE p AS SELECT $1::int;",
                "DEALLOCATE p;",
                "INSERT INTO t$x$ VALUES (1, U&'d\\0061t;a' || E'it\\'s;');"),
                "DROP FUNCTION f$1();\nDROP TABLE t$x$;");

        new Migrator(db.dataSource(), folder).migrate();

        assertThat(db.value("SELECT f$1()")).isEqualTo("inner; still;");
        assertThat(db.value("SELECT \"a;b\" FROM t$x$")).isEqualTo("dat;ait's;");
        new Migrator(db.dataSource(), folder).rollback(1);
        assertThat(db.value("SELECT to_regclass('t$x$') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDryRunNamesTheTableLockOfPlainIndexDropsTriggersRefreshesAndMaintenance(TestDatabase db) throws IOException {
        db.execute("CREATE TABLE posts (id int); CREATE INDEX posts_id_index ON posts (id); "
                + "CREATE MATERIALIZED VIEW post_ids AS SELECT id FROM posts");
        Files.writeString(folder.resolve("20260101000000_maintenance.sql"), String.join("\n",
                "-- migrate:up transaction:false",
                "/* the old index */ DROP INDEX posts_id_index;",
                "CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();",
                "REFRESH MATERIALIZED VIEW post_ids;",
                "REINDEX TABLE CONCURRENTLY posts;",
                "VACUUM (FULL) posts;",
                "LOCK TABLE posts IN SHARE MODE;"));

        assertThat(new Migrator(db.dataSource(), folder).dryRun()).singleElement()
                .satisfies(file -> assertThat(file.statements()).extracting(DryRun.Statement::lock).containsExactly(
                        "ACCESS EXCLUSIVE on its table (reads and writes wait)",
                        "SHARE ROW EXCLUSIVE (writes wait)",
                        "ACCESS EXCLUSIVE (reads and writes wait)",
                        "SHARE UPDATE EXCLUSIVE (reads and writes go on)",
                        "ACCESS EXCLUSIVE (reads and writes wait)",
                        "the mode it names"));
        assertThat(db.value("SELECT to_regclass('posts_id_index') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aDatabaseMadeByAnotherToolWithoutAHistoryIsToldToBaselineWhenAFileMeetsWhatIsThere(TestDatabase db)
            throws IOException {
        db.execute("CREATE TABLE posts (id int)");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.sqlState()).contains("42P07"))
                .hasMessageContaining("relation \"posts\" already exists")
                .hasMessageContaining("'ashlar baseline --to 20260101000000' for this file and the ones before it");
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);

        new Migrator(db.dataSource(), folder).baseline("20260101000000");
        assertThat(new Migrator(db.dataSource(), folder).migrate()).extracting(MigrationFile::name)
                .containsExactly("create_tags");
    }

    /** A data source for {@code role}, which the test made with the password "probe". */
    private static PGSimpleDataSource as(TestDatabase db, String role) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(db.jdbcUrl());
        source.setUser(role);
        source.setPassword("probe");
        return source;
    }
}
