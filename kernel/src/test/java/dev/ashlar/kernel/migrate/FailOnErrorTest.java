package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.migrate.MigrationStatus.State;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Liquibase's changeset attribute {@code failOnError="false"}, restated: a file whose {@code -- fail-on-error: false}
 * header lets it fail is rolled back, left out of the history, and the run goes on with the files after it; the next
 * run tries it again.
 */
@ExtendWith(PostgresExtension.class)
class FailOnErrorTest {
    private static final String FAILING = "CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);";

    @TempDir
    Path folder;
    TestDatabase db;
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void emptySchema(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        write("20260101000000_create_posts.sql", "", "CREATE TABLE posts (id int);");
        write("20260103000000_create_notes.sql", "", "CREATE TABLE notes (id int);");
    }

    @Test
    void aFailingFileThatMayFailIsRolledBackLeftPendingAndTheRunAppliesTheFilesAfterIt() throws IOException {
        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", FAILING);

        assertThat(migrator().migrate()).extracting(MigrationFile::name)
                .containsExactly("create_posts", "create_notes");

        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260103000000");
        assertThat(db.value("SELECT to_regclass('half_done') IS NULL AND to_regclass('notes') IS NOT NULL"))
                .as("nothing of the failed file stays").isEqualTo(true);
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("warning: 20260102000000_backfill.sql "
                + "failed on public and was rolled back; it stays pending and the run goes on (fail-on-error: false)"));
        assertThat(migrator().status()).extracting(MigrationStatus::state)
                .containsExactly(State.APPLIED, State.PENDING, State.APPLIED);

        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", "CREATE TABLE half_done (id int);");
        assertThat(migrator().migrate()).extracting(MigrationFile::name).containsExactly("backfill");
        assertThat(db.value("SELECT to_regclass('half_done') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aFileThatMayFailLeftPendingBehindALaterFileIsRefusedByARunThatRefusesOutOfOrderFilesAndRunsWhenAllowed()
            throws IOException {
        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", FAILING);
        migrator().migrate(MigrateRun.all().outOfOrder(false));
        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", "CREATE TABLE half_done (id int);\n"
                + "INSERT INTO half_done VALUES (1);");

        refusedAsOutOfOrder();
        assertThat(db.value("SELECT to_regclass('half_done') IS NULL")).isEqualTo(true);

        assertThat(migrator().migrate()).extracting(MigrationFile::name).containsExactly("backfill");
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260102000000,20260103000000");
        assertThat(db.value("SELECT count(*) FROM half_done")).isEqualTo(1L);
    }

    @Test
    void aFileMergedLateWithTheHeaderIsRefusedAsOutOfOrderAndValidateCallsItIgnored() throws IOException {
        migrator().migrate();
        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", "CREATE TABLE half_done (id int);");

        refusedAsOutOfOrder();
        assertThatThrownBy(() -> migrator().validate(IgnoreMigrationPatterns.parse("*:pending")))
                .hasMessageContaining("20260102000000_backfill.sql (pending, older than 20260103000000, applied)");
        assertThat(migrator().status()).filteredOn(s -> s.version().equals("20260102000000"))
                .extracting(MigrationStatus::detail).containsExactly(MigrationStatus.MAY_FAIL);
        assertThat(db.value("SELECT to_regclass('half_done') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000,20260103000000");
    }

    @Test
    void aLateFileWithoutTheHeaderIsStillRefusedAsOutOfOrder() throws IOException {
        migrator().migrate();
        write("20260102000000_backfill.sql", "", "CREATE TABLE half_done (id int);");

        refusedAsOutOfOrder();
        assertThat(db.value("SELECT to_regclass('half_done') IS NULL")).isEqualTo(true);
    }

    @Test
    void withoutTheHeaderTheFailingFileStopsTheRunAndTheFilesAfterItStayPending() throws IOException {
        write("20260102000000_backfill.sql", "-- fail-on-error: true\n", FAILING);

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_backfill.sql");

        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aGroupRunStillRollsBackAllItsFilesWhenOneThatMayFailFails() throws IOException {
        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", FAILING);

        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().group(true)))
                .isInstanceOf(MigrationException.class).hasMessageContaining("none of them stays applied");

        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aSessionEndedUnderAFileThatMayFailStillStopsTheRun() throws Exception {
        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", "SELECT pg_sleep(30);");
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(
                () -> migrator().migrate()));
        db.value("SELECT pg_terminate_backend(?)", MigrationFaultsTest.awaitQuery(db, "pg_sleep(30)"));

        assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_backfill.sql");
        assertThat(progress).noneSatisfy(line -> assertThat(line).contains("stays pending and the run goes on"));
        assertThat(db.value("SELECT string_agg(version, ',' ORDER BY version) FROM ashlar_schema_migrations"))
                .isEqualTo("20260101000000");
    }

    @Test
    void aLostMigrationLockStillStopsTheRunOfAFileThatMayFail() throws Exception {
        write("20260102000000_backfill.sql", "-- fail-on-error: false\n", "SELECT pg_sleep(1.5);");
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(
                () -> migrator().migrate()));
        MigrationFaultsTest.awaitQuery(db, "pg_sleep(1.5)");
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND pid <> pg_backend_pid()");

        assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(LockLostException.class)
                .hasMessageContaining("20260102000000_backfill.sql");
        assertThat(progress).noneSatisfy(line -> assertThat(line).contains("stays pending and the run goes on"));
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).as("the files after it do not run").isEqualTo(true);
    }

    @Test
    void theHeaderOnAFileOutsideATransactionIsRefusedBeforeAnythingRuns() throws IOException {
        Files.writeString(folder.resolve("20260102000000_backfill.sql"), "-- fail-on-error: false\n"
                + "-- migrate:up transaction:false\n" + FAILING + "\n-- migrate:down\nSELECT 1;\n");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("has a '-- fail-on-error: false' header but runs outside a transaction");

        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    /** Migrating with out-of-order files refused fails naming the backfill file as older than the newest applied. */
    private void refusedAsOutOfOrder() {
        assertThatThrownBy(() -> migrator().migrate(MigrateRun.all().outOfOrder(false)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration 20260102000000_backfill.sql of ").hasMessageContaining("is older than "
                        + "20260103000000, the newest version applied to public");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder).progress(progress::add);
    }

    private void write(String name, String headers, String up) throws IOException {
        Files.writeString(folder.resolve(name), headers + "-- migrate:up\n" + up + "\n-- migrate:down\nSELECT 1;\n");
    }
}
