package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@ExtendWith(PostgresExtension.class)
class MigratorTest {
    @TempDir
    Path folder;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private void file(String name, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    @Test
    void appliesPendingFilesInVersionOrderAndRecordsThemInTheHistory(TestDatabase db) throws IOException {
        file("20260102000000_add_title.sql", "ALTER TABLE posts ADD COLUMN title text;", "ALTER TABLE posts DROP COLUMN title;");
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");

        List<MigrationFile> applied = new Migrator(db.dataSource(), folder).migrate();

        assertThat(applied).extracting(MigrationFile::name).containsExactly("create_posts", "add_title");
        assertThat(db.query("SELECT version, name, checksum_algorithm, length(checksum) AS length, duration_ms >= 0 AS timed "
                + "FROM ashlar_schema_migrations ORDER BY version"))
                .extracting(Object::toString)
                .containsExactly("{version=20260101000000, name=create_posts, checksum_algorithm=sha256, length=64, timed=true}",
                        "{version=20260102000000, name=add_title, checksum_algorithm=sha256, length=64, timed=true}");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts'")).isEqualTo(2L);
        assertThat(new Migrator(db.dataSource(), folder).migrate()).isEmpty();
    }

    @Test
    void aFileHoldingANulCharacterIsRefusedNamingItsLineBeforeAnyFileRuns(TestDatabase db) throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260102000000_add_note.sql", "ALTER TABLE posts ADD COLUMN note text;\nINSERT INTO posts VALUES (1, 'a\0b');",
                "ALTER TABLE posts DROP COLUMN note;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 3 of migration ")
                .hasMessageContaining("20260102000000_add_note.sql, 'INSERT INTO posts VALUES (1, 'a\\0b');', holds a "
                        + "NUL character (\\0), which PostgreSQL takes in no SQL text");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFileThatDropsTheHistoryTableIsRolledBackNamingItInsteadOfFailingAsABareDatabaseError(TestDatabase db)
            throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        new Migrator(db.dataSource(), folder).migrate();
        file("20260102000000_reset.sql", "DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\nCREATE TABLE notes (id int);",
                "DROP TABLE notes;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.file()).contains("20260102000000_reset.sql"))
                .hasMessageContaining("Migration 20260102000000_reset.sql ran on public, but the history could not "
                        + "record it: ")
                .hasMessageContaining("(SQL state 42P01). Nothing of this file was applied. The file dropped the "
                        + "history table ")
                .hasMessageContaining("leave Ashlar's ashlar_* tables alone.");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
    }

    @Test
    void aPipeNamedLikeAMigrationIsRefusedBeforeAnyFileRunsInsteadOfBlockingTheRead(TestDatabase db) throws Exception {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        Path pipe = folder.resolve("20260102000000_add_title.sql");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                () -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_add_title.sql: it is no regular file (a pipe, a socket or a "
                        + "device, or a link to one)"));
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFileOlderThanTheNewestAppliedOneIsAppliedAndRollbackStillUndoesTheNewestVersionFirst(TestDatabase db)
            throws IOException {
        file("20260102000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        new Migrator(db.dataSource(), folder).migrate();
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");

        assertThat(new Migrator(db.dataSource(), folder).status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.PENDING, MigrationStatus.State.APPLIED);
        assertThat(new Migrator(db.dataSource(), folder).migrate()).extracting(MigrationFile::name)
                .containsExactly("create_posts");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000");

        assertThat(new Migrator(db.dataSource(), folder).rollback(1)).extracting(MigrationFile::name)
                .containsExactly("create_notes");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void refusesToRunWhenAnAppliedFileChangedNamingIt(TestDatabase db) throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        new Migrator(db.dataSource(), folder).migrate();
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id bigint);", "DROP TABLE posts;");
        file("20260102000000_more.sql", "CREATE TABLE more (id int);", "DROP TABLE more;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
                    assertThat(e.file()).contains("20260101000000_create_posts.sql");
                })
                .hasMessageContaining("20260101000000_create_posts.sql was changed after it was applied");
        assertThat(db.value("SELECT to_regclass('more') IS NULL")).isEqualTo(true);
    }

    @Test
    void validateChecksTheHistoryAgainstTheFilesAndRunsNothing(TestDatabase db) throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        new Migrator(db.dataSource(), folder).migrate();
        file("20260102000000_more.sql", "CREATE TABLE more (id int);", "DROP TABLE more;");

        assertThat(new Migrator(db.dataSource(), folder).validate()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED, MigrationStatus.State.PENDING);
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id bigint);", "DROP TABLE posts;");
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).validate())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
                .hasMessageContaining("20260101000000_create_posts.sql was changed after it was applied");
        assertThat(db.value("SELECT to_regclass('more') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aFilesSqlReachesTheServerAsWrittenWithoutTheDriversEscapeProcessing(TestDatabase db) throws IOException {
        // The driver would rewrite {fn ucase(...)} into upper(...); psql, and so a file, would not.
        file("20260101000000_escapes.sql", "CREATE TABLE posts (title text DEFAULT {fn ucase('draft')});",
                "DROP TABLE posts;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.sqlState()).contains("42601"))
                .hasMessageContaining("syntax error at or near \"{\"");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFailingStatementLeavesNothingOfItsFileAppliedAndShowsWhere(TestDatabase db) throws IOException {
        file("20260101000000_broken.sql", "CREATE TABLE posts (id int);\nALTER TABLE posts\n  ADD COLUMN title txet;",
                "DROP TABLE posts;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.sqlState()).contains("42704");
                    assertThat(e.statement()).contains("ALTER TABLE posts\n  ADD COLUMN title txet;");
                })
                .hasMessageContaining("Migration 20260101000000_broken.sql failed on public at statement 2 (line 3):")
                .hasMessageContaining("      ADD COLUMN title txet;\n                       ^ (line 4, column 20)")
                .hasMessageContaining("ERROR: type \"txet\" does not exist (SQL state 42704)")
                .hasMessageEndingWith("Nothing of this file was applied.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void anErrorFarIntoALongStatementIsShownAsAnExcerptAroundTheCaretInAMessageOfReadableLength(TestDatabase db)
            throws IOException {
        StringBuilder insert = new StringBuilder("INSERT INTO posts VALUES ");
        for (int i = 0; i < 20_000; i++) {
            insert.append(i == 0 ? "" : ", ").append('(').append(i).append(')');
        }
        file("20260101000000_seed.sql", "CREATE TABLE posts (id int);\n" + insert + ", (20000, 'extra');",
                "DROP TABLE posts;");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.getMessage().length()).isLessThan(3_000);
                    assertThat(e.statement()).hasValueSatisfying(sql -> assertThat(sql).endsWith("'extra');"));
                })
                .hasMessageContaining("INSERT INTO posts VALUES (0), (1), (2)")
                .hasMessageMatching("(?s).*  at line 3, column \\d+:\n    \\.\\.\\..*\\(19999\\), \\(20000, 'extra'\\);\n +\\^ "
                        + "\\(line 3, column \\d+\\).*")
                .hasMessageContaining("VALUES lists must all be the same length");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aPoolWhoseConnectionsStartOutsideAutoCommitStillRecordsEveryFileBaselineAndRepair(TestDatabase db)
            throws IOException {
        // HikariCP's autoCommit=false, a common setting: every connection it hands out starts a transaction.
        DataSource plain = db.dataSource();
        DataSource pool = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(plain, args);
                    if (result instanceof Connection connection) {
                        connection.setAutoCommit(false);
                    }
                    return result;
                });
        Files.writeString(folder.resolve("20260101000000_index.sql"), "-- migrate:up transaction:false\n"
                + "CREATE TABLE posts (id int);\nCREATE INDEX CONCURRENTLY posts_id_index ON posts (id);\n"
                + "-- migrate:down\nDROP TABLE posts;\n");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int);", "DROP TABLE tags;");

        assertThat(new Migrator(pool, folder).migrateTo("20260101000000")).hasSize(1);
        assertThat(new Migrator(pool, folder).baseline(null)).extracting(MigrationFile::name)
                .containsExactly("create_tags");
        file("20260102000000_create_tags.sql", "CREATE TABLE tags (id int); -- a comment", "DROP TABLE tags;");
        assertThat(new Migrator(pool, folder).repair()).hasSize(1);

        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'posts_id_index'::regclass"))
                .isEqualTo(true);
        assertThat(new Migrator(plain, folder).status()).extracting(s -> s.state().name())
                .containsExactly("APPLIED", "BASELINED");
    }

    @Test
    void rollsBackTheLastFilesWithTheirDownSectionsNewestFirst(TestDatabase db) throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260102000000_add_title.sql", "ALTER TABLE posts ADD COLUMN title text;", "ALTER TABLE posts DROP COLUMN title;");
        Migrator migrator = new Migrator(db.dataSource(), folder);
        migrator.migrate();

        assertThat(migrator.rollback(1)).extracting(MigrationFile::name).containsExactly("add_title");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts'")).isEqualTo(1L);
        assertThat(migrator.status()).extracting(s -> s.name() + " " + s.state())
                .containsExactly("create_posts APPLIED", "add_title PENDING");
    }

    @Test
    void twoMigratorsAtOnceApplyEachFileOnceTheSecondWaiting(TestDatabase db) throws Exception {
        file("20260101000000_slow.sql", "CREATE TABLE posts (id int);\nSELECT pg_sleep(0.5);", "DROP TABLE posts;");
        Migrator migrator = new Migrator(db.dataSource(), folder);

        CompletableFuture<List<MigrationFile>> first = CompletableFuture.supplyAsync(migrator::migrate);
        CompletableFuture<List<MigrationFile>> second = CompletableFuture.supplyAsync(migrator::migrate);

        int applied = first.get(30, TimeUnit.SECONDS).size() + second.get(30, TimeUnit.SECONDS).size();
        assertThat(applied).isEqualTo(1);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aConcurrentIndexBuildUnderTheLockDoesNotDeadlockWithAWaitingMigrator(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE posts (id int); INSERT INTO posts SELECT generate_series(1, 10000)");
        Files.writeString(folder.resolve("20260101000000_index.sql"), "-- migrate:up transaction:false\n"
                + "SELECT pg_sleep(0.3);\nCREATE INDEX CONCURRENTLY posts_id_index ON posts (id);\n"
                + "-- migrate:down\nDROP INDEX CONCURRENTLY posts_id_index;\n");
        Migrator migrator = new Migrator(db.dataSource(), folder).lockTimeout(Duration.ofSeconds(20));

        CompletableFuture<List<MigrationFile>> first = CompletableFuture.supplyAsync(migrator::migrate);
        CompletableFuture<List<MigrationFile>> second = CompletableFuture.supplyAsync(migrator::migrate);

        assertThat(first.get(20, TimeUnit.SECONDS).size() + second.get(20, TimeUnit.SECONDS).size()).isEqualTo(1);
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'posts_id_index'::regclass")).isEqualTo(true);
    }

    @Test
    void refusesAFileThatNeedsANewerServerBeforeRunningAnything(TestDatabase db) throws IOException {
        file("20260101000000_create_posts.sql", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        Files.writeString(folder.resolve("20260102000000_future.sql"), "-- requires: postgresql 99 (time travel)\n"
                + "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .hasMessageStartingWith("Migration 20260102000000_future.sql needs PostgreSQL 99 for time travel, but "
                        + "this server is PostgreSQL " + db.serverMajorVersion() + ". Nothing was applied.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void appliesTenantFilesInsideTheirSchemaWithAHistoryThere(TestDatabase db) throws IOException {
        db.execute("CREATE SCHEMA tenant_acme");
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");

        new Migrator(db.dataSource(), folder).forSchema("tenant_acme").migrate();

        assertThat(db.value("SELECT to_regclass('tenant_acme.notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM tenant_acme.ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('public.notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aTenantMigratorTakenToAnotherSchemaKeepsWhatItWasGivenAndRecordsInThatSchemaAlone(TestDatabase db)
            throws Exception {
        db.execute("CREATE SCHEMA tenant_a");
        db.execute("CREATE SCHEMA tenant_b");
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        List<String> told = new ArrayList<>();
        Migrator first = new Migrator(db.dataSource(), folder).historyTable("tenant_history").forSchema("tenant_a")
                .onApplied(applied -> told.add(applied.fileName()));

        first.forSchemaLikeThis("tenant_b").migrate();

        assertThat(db.value("SELECT to_regclass('tenant_b.notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM tenant_b.tenant_history")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname IN ('tenant_a', 'public') AND c.relname IN ('notes', 'tenant_history', "
                + "'ashlar_schema_migrations')")).isEqualTo(0L);
        assertThat(told).containsExactly("20260101000000_create_notes.sql");
        db.execute("DROP SCHEMA tenant_a, tenant_b CASCADE");
    }

    @Test
    void aTenantMigratorIsNotTakenToASchemaWithoutANameOrWithOneOverSixtyThreeBytes(TestDatabase db) {
        Migrator tenant = new Migrator(db.dataSource(), folder).forSchema("tenant_a");

        assertThatThrownBy(() -> tenant.forSchemaLikeThis(null)).hasMessageContaining("is empty; give it a name");
        assertThatThrownBy(() -> tenant.forSchemaLikeThis("t".repeat(64))).hasMessageContaining("64 bytes");
    }

    @Test
    void aRunnerTakenToAnotherSchemaDoesNotExpectThereTheHistoryItExpectedOfTheFirst(TestDatabase db)
            throws Exception {
        db.execute("CREATE SCHEMA tenant_a");
        db.execute("CREATE SCHEMA tenant_b");
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        MigrationFile notes = MigrationDirectory.read(folder).get(0);
        FileRunner runner = new FileRunner("tenant_a", true)
                .expecting(List.of(History.line("20250101000000", "only tenant_a's"))).inSchema("tenant_b");
        db.execute(runner.history().createStatement());

        try (Connection connection = db.dataSource().getConnection()) {
            runner.run(connection, notes, FileRunner.Direction.UP, TransactionMode.OWN);
        }

        assertThat(db.value("SELECT to_regclass('tenant_b.notes') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM tenant_b.ashlar_schema_migrations")).isEqualTo(1L);
        db.execute("DROP SCHEMA tenant_a, tenant_b CASCADE");
    }

    @Test
    void theMainSchemasMigratorIsNotTakenToATenantSchemaAsIfItWereATenants(TestDatabase db) {
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).forSchemaLikeThis("tenant_a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this one migrates public: call forSchema");
    }

    @Test
    void appliesEveryFileInsideTheCallersTransactionSoARolledBackTenantLeavesNothing(TestDatabase db) throws Exception {
        file("20260101000000_create_notes.sql", "CREATE TABLE notes (id int);", "DROP TABLE notes;");
        Files.writeString(folder.resolve("20260102000000_index.sql"), "-- migrate:up transaction:false\n"
                + "CREATE INDEX CONCURRENTLY notes_id_index ON notes (id);\n-- migrate:down\nDROP INDEX notes_id_index;\n");
        Migrator tenant = new Migrator(db.dataSource(), folder).forSchema("tenant_new");

        try (var connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("CREATE SCHEMA tenant_new");
            assertThat(tenant.applyWithin(connection)).hasSize(2);
            connection.rollback();
            connection.setAutoCommit(true);
        }
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_new'")).isEqualTo(0L);

        try (var connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("CREATE SCHEMA tenant_new");
            tenant.applyWithin(connection);
            connection.commit();
            connection.setAutoCommit(true);
        }
        assertThat(db.value("SELECT count(*) FROM pg_indexes WHERE schemaname = 'tenant_new' AND indexname = "
                + "'notes_id_index'")).isEqualTo(1L);
        assertThat(tenant.status()).extracting(s -> s.state().name()).containsExactly("APPLIED", "APPLIED");
        db.execute("DROP SCHEMA tenant_new CASCADE");
    }
}
