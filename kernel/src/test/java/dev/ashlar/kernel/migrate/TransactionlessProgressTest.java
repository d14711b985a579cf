package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.migrate.MigrationStatus.State;
import dev.ashlar.kernel.project.Project;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A {@code transaction:false} file commits statement by statement: how far it got is recorded, so that a run that failed
 * or died inside it is shown as such, never run again from its first statement without a repair, and resumed exactly
 * where it stopped (Flyway's failed migration state; where Flyway needs a repair before it runs a failed file again,
 * here the file goes on at the statement that failed).
 */
@ExtendWith(PostgresExtension.class)
class TransactionlessProgressTest {
    private static final String FILE = "20260101000000_books.sql";

    @TempDir
    Path folder;
    Path migrations;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) throws IOException {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        migrations = Files.createDirectories(folder.resolve("migrations"));
    }

    private Project project() {
        return Project.open(folder).dataSource(db.dataSource());
    }

    private void books(String statements) throws IOException {
        Files.writeString(migrations.resolve(FILE), "-- migrate:up transaction:false\n" + statements
                + "-- migrate:down\nDROP TABLE IF EXISTS books;\n");
    }

    @Test
    void aFileThatFailsPartWayIsShownFailedAtItsStatementFailsThereAgainUntilItsCauseIsFixedAndThenResumesThere()
            throws IOException {
        db.execute("CREATE TABLE authors (id int PRIMARY KEY)");
        books("CREATE TABLE books (id int PRIMARY KEY, author_id int);\n"
                + "INSERT INTO books VALUES (1, 7);\n"
                + "ALTER TABLE books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors (id);\n"
                + "CREATE TABLE shelves (id int);\n");

        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("at statement 3 (line 4)")
                .hasMessageContaining("It is recorded as failed at statement 3")
                .hasMessageContaining("fix the cause and migrate again, and it resumes there");

        List<MigrationStatus> status = project().status();
        assertThat(status).extracting(MigrationStatus::state).containsExactly(State.PARTIAL);
        assertThat(status.get(0).detail()).contains("failed at statement 3 of 4 (line 4)")
                .contains("statements 1 to 2 stay applied").contains("violates foreign key constraint")
                .contains("migrate resumes it at that statement, which fails again until its cause is fixed");
        assertThat(status.get(0).toRun()).isTrue();

        // Run again before the cause is fixed, it goes on at the statement that failed, never at the first one: the
        // row is not inserted a second time, and it fails the same way.
        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("at statement 3 (line 4)")
                .hasMessageContaining("violates foreign key constraint");
        assertThat(db.value("SELECT count(*) FROM books")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);

        db.execute("INSERT INTO authors VALUES (7)");
        assertThat(project().migrate()).extracting(MigrationFile::fileName).containsExactly(FILE);
        assertThat(db.value("SELECT count(*) FROM books")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM pg_constraint WHERE conname = 'books_author_fkey'")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('shelves') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT string_agg(version, ',') FROM ashlar_schema_migrations")).isEqualTo("20260101000000");
        assertThat(db.value("SELECT to_regclass('" + MigrationProgress.TABLE + "') IS NULL")).isEqualTo(true);
        assertThat(project().status()).extracting(MigrationStatus::state).containsExactly(State.APPLIED);
    }

    @Test
    void aFileWhoseRunDiedIsShownPartialAndTheNextMigrateResumesAtTheStatementItReached() throws Exception {
        db.execute("CREATE TABLE gate (id int); INSERT INTO gate VALUES (1)");
        books("CREATE TABLE books (id int);\nINSERT INTO books VALUES (1);\nSELECT pg_sleep(30) FROM gate;\n"
                + "CREATE TABLE shelves (id int);\n");
        CompletableFuture<Throwable> died = CompletableFuture.supplyAsync(() -> catchThrowable(project()::migrate));
        db.value("SELECT pg_terminate_backend(?)", MigrationFaultsTest.awaitQuery(db, "pg_sleep(30)"));
        assertThat(died.get(30, TimeUnit.SECONDS)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("migrate again to run it from where it stopped");

        List<MigrationStatus> status = project().status();
        assertThat(status).extracting(MigrationStatus::state).containsExactly(State.PARTIAL);
        assertThat(status.get(0).detail()).isEqualTo("stopped at statement 3 of 4 (line 4), statements 1 to 2 stay "
                + "applied; migrate resumes it there");
        assertThat(status.get(0).toRun()).isTrue();

        db.execute("DELETE FROM gate");
        assertThat(project().migrate()).extracting(MigrationFile::fileName).containsExactly(FILE);
        assertThat(db.value("SELECT count(*) FROM books")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('shelves') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(db.value("SELECT to_regclass('" + MigrationProgress.TABLE + "') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFileChangedAfterItsRunDiedIsRefusedUntilRepairForgetsWhereItStoppedAndThenRunsFromItsFirstStatement()
            throws Exception {
        db.execute("CREATE TABLE gate (id int); INSERT INTO gate VALUES (1)");
        books("CREATE TABLE books (id int);\nSELECT pg_sleep(30) FROM gate;\nCREATE TABLE shelves (id int);\n");
        CompletableFuture<Throwable> died = CompletableFuture.supplyAsync(() -> catchThrowable(project()::migrate));
        db.value("SELECT pg_terminate_backend(?)", MigrationFaultsTest.awaitQuery(db, "pg_sleep(30)"));
        assertThat(died.get(30, TimeUnit.SECONDS)).isInstanceOf(MigrationException.class);
        books("CREATE TABLE IF NOT EXISTS books (id int);\nCREATE TABLE shelves (id int);\n");

        assertThat(project().status()).extracting(MigrationStatus::state).containsExactly(State.FAILED);
        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration " + FILE + " on public stopped at statement 2 of 3 (line 3) in an "
                        + "earlier run, and the statements before it changed since")
                .hasMessageContaining("then run 'ashlar repair', after which migrate runs it from its first statement")
                .hasMessageContaining("statement 1 stays applied");
        assertThat(db.value("SELECT to_regclass('shelves') IS NULL")).isEqualTo(true);

        assertThat(project().repair()).singleElement().asString().isEqualTo("forgot where " + FILE + " stopped in "
                + "public (statement 2 of 3 (line 3), statement 1 stays applied): the next migrate runs it from its "
                + "first statement");
        assertThat(project().status()).extracting(MigrationStatus::state).containsExactly(State.PENDING);
        project().migrate();
        assertThat(db.value("SELECT to_regclass('shelves') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aFileThatFailedAtItsFirstStatementRunsAgainOnceFixedWithoutARepair() throws IOException {
        books("CREATE TABLE books (id int REFERENCES nowhere (id));\nCREATE TABLE shelves (id int);\n");
        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Nothing of it was applied: migrate again once the cause is fixed.");
        assertThat(project().status()).extracting(MigrationStatus::state).containsExactly(State.PENDING);

        books("CREATE TABLE books (id int);\nCREATE TABLE shelves (id int);\n");
        assertThat(project().migrate()).hasSize(1);
        assertThat(db.value("SELECT to_regclass('shelves') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aBaselineOfAFailedFileRecordsItAndForgetsWhereItStopped() throws IOException {
        books("CREATE TABLE books (id int);\nCREATE TABLE books (id int);\nCREATE TABLE shelves (id int);\n");
        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class);
        assertThat(project().status()).extracting(MigrationStatus::state).containsExactly(State.PARTIAL);

        db.execute("CREATE TABLE shelves (id int)");
        assertThat(project().baseline("20260101000000")).hasSize(1);
        assertThat(project().status()).extracting(MigrationStatus::state).containsExactly(State.BASELINED);
        assertThat(db.value("SELECT to_regclass('" + MigrationProgress.TABLE + "') IS NULL")).isEqualTo(true);
        assertThat(project().migrate()).isEmpty();
    }

    @Test
    void aFileThatBecomesAnotherRoleCountsItsStatementsAsTheMigratorAndResumesWhereItFailed() throws IOException {
        String role = "ashlar_test_progress_owner";
        db.execute("DO $$ BEGIN CREATE ROLE " + role + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                + "GRANT CREATE, USAGE ON SCHEMA public TO " + role);
        try {
            books("SET ROLE " + role + ";\nCREATE TABLE books (id int);\nINSERT INTO books VALUES ('x');\n"
                    + "CREATE TABLE shelves (id int);\n");
            assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("It is recorded as failed at statement 3");
            assertThat(project().status().get(0).detail()).startsWith("failed at statement 3 of 4 (line 4)");

            books("SET ROLE " + role + ";\nCREATE TABLE books (id int);\nINSERT INTO books VALUES (1);\n"
                    + "CREATE TABLE shelves (id int);\n");
            assertThat(project().migrate()).hasSize(1);
            assertThat(db.value("SELECT string_agg(tableowner, ',' ORDER BY tablename) FROM pg_tables WHERE "
                    + "tablename IN ('books', 'shelves')")).isEqualTo(role + "," + role);
            assertThat(db.value("SELECT count(*) FROM books")).isEqualTo(1L);
        } finally {
            db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP ROLE " + role);
        }
    }

    @Test
    void statementsInsideATransactionTheFileBeganCountOnlyOnceItCommits() throws IOException {
        books("CREATE TABLE books (id int UNIQUE);\nBEGIN;\nINSERT INTO books VALUES (1);\nINSERT INTO books VALUES (1);\n"
                + "COMMIT;\nCREATE TABLE shelves (id int);\n");
        assertThatThrownBy(() -> project().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("It is recorded as failed at the statement that began the transaction that failed");
        assertThat(project().status().get(0).detail()).startsWith("failed at statement 2 of 6 (line 3), statement 1 "
                + "stays applied");

        Files.writeString(migrations.resolve(FILE), Files.readString(migrations.resolve(FILE)));
        db.execute("ALTER TABLE books DROP CONSTRAINT books_id_key");
        project().repair();
        project().migrate();
        assertThat(db.value("SELECT count(*) FROM books")).isEqualTo(2L);
        assertThat(db.value("SELECT to_regclass('shelves') IS NOT NULL")).isEqualTo(true);
    }
}
