package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.RequiresPostgres;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviours that Flyway's and Liquibase's own test suites prove of their runners, proved of Ashlar's. */
@ExtendWith(PostgresExtension.class)
class MigrationParityTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE applied_log (name text)");
    }

    private void file(String name, String up) throws IOException {
        Files.writeString(folder.resolve(name), up + "\n-- migrate:down\nSELECT 1;\n");
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), folder);
    }

    private List<Object> history() {
        return db.query("SELECT version FROM ashlar_schema_migrations ORDER BY version").stream()
                .map(row -> row.get("version")).toList();
    }

    @Test
    @RequiresPostgres(value = 14, reason = "SQL-standard function bodies (BEGIN ATOMIC)")
    void aFileOfEveryLexicalTrapSavedWithAByteOrderMarkAndCrlfRunsEachStatementWhole() throws IOException {
        String text = String.join("\r\n", "\uFEFF-- migrate:up",
                "CREATE TABLE \"semi;colon\" (\"a;b\" text);",
                "/* outer /* nested; */ still a comment; */",
                "INSERT INTO \"semi;colon\" VALUES (E'it\\'s; here'), ('two'';three'), (E'ends in \\\\');",
                "-- a comment; with a semicolon",
                "CREATE FUNCTION quoted() RETURNS text AS $fn$ SELECT 'a;b' || $inner$;$inner$ $fn$ LANGUAGE sql;",
                "CREATE FUNCTION atomic(x int) RETURNS int LANGUAGE sql",
                "BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT x + 1; END;",
                "CREATE TABLE a$b (x int);",
                "COPY \"semi;colon\" (\"a;b\") FROM stdin;", "copied;row", "\\.",
                "-- migrate:down", "DROP TABLE \"semi;colon\";", "");
        Files.write(folder.resolve("20260101000000_traps.sql"), text.getBytes(StandardCharsets.UTF_8));

        migrator().migrate();

        assertThat(db.query("SELECT \"a;b\" AS v FROM \"semi;colon\"").stream().map(row -> row.get("v")))
                .containsExactly("it's; here", "two';three", "ends in \\", "copied;row");
        assertThat(db.value("SELECT quoted()")).isEqualTo("a;b;");
        assertThat(db.value("SELECT atomic(3)")).isEqualTo(4);
        assertThat(db.value("SELECT to_regclass('a$b') IS NOT NULL")).isEqualTo(true);
        assertThat(history()).containsExactly("20260101000000");
    }

    @Test
    void aPsqlCommandAfterAQueryOnItsLineIsRefusedAsOneBeforeAnythingRuns() throws IOException {
        file("20260101000000_counts.sql", "-- migrate:up\nCREATE TABLE notes (id int);\n"
                + "SELECT count(*) AS notes FROM notes \\gset\nSELECT :notes;");

        assertThatThrownBy(() -> migrator().migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("statement 3 of its up section (line 3)")
                .hasMessageContaining("\\gset\nis a psql command, and Ashlar runs SQL only")
                .hasMessageContaining("Nothing of this file was run.");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('ashlar_schema_migrations') IS NULL "
                + "OR NOT EXISTS (SELECT FROM ashlar_schema_migrations)")).isEqualTo(true);
    }

    @Test
    void aStatementFailingAtAPsqlVariableSaysToWriteAPlaceholderInstead() throws IOException {
        file("20260101000000_notes.sql", "-- migrate:up\nCREATE TABLE notes (id int);\n"
                + "INSERT INTO notes SELECT :'start'::int;");

        assertThatThrownBy(() -> migrator().migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("at statement 2 (line 3)")
                .hasMessageContaining("syntax error at or near \":\"")
                .hasMessageContaining(":'start' is a psql variable, which only psql replaces (Ashlar refuses \\set "
                        + "too): write a placeholder, '${start}', and give it a value (Project.placeholders, "
                        + "--placeholder start=value).");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFlywayCallbackThatAshlarDoesNotRunIsRefusedNamingTheOnesItRunsAndTheListener() throws IOException {
        for (String name : List.of("afterEachMigrateError.sql", "beforeValidate.sql", "afterMigrate__grants.sql")) {
            Files.writeString(folder.resolve(name), "GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;\n");
            file("20260101000000_notes.sql", "-- migrate:up\nCREATE TABLE notes (id int);");

            assertThatThrownBy(() -> migrator().migrate())
                    .hasMessageContaining(name + " is not named <14-digit version>_<lowercase_name>.sql")
                    .hasMessageContaining("a Flyway callback that Ashlar does not run: its callback files are "
                            + "beforeMigrate.sql, beforeEachMigrate.sql, afterEachMigrate.sql, afterMigrate.sql and "
                            + "afterMigrateError.sql, one each, without a description")
                    .hasMessageContaining("MigrationListener");
            assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
            Files.delete(folder.resolve(name));
        }
    }

    @Test
    void aTransactionFalseFileFailingMidwayIsRecordedAsFailedThereAndResumesThereOnceFixed() throws IOException {
        file("20260101000000_index.sql", "-- migrate:up transaction:false\nCREATE TABLE notes (id int);\n"
                + "CREATE INDEX CONCURRENTLY notes_id_index ON notes (id);\nINSERT INTO notes VALUES ('x');");

        assertThatThrownBy(() -> migrator().migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_index.sql failed on public at statement 3 (line 4)")
                .hasMessageContaining("the statements before this one stay applied. It is recorded as failed at "
                        + "statement 3 ('ashlar status' shows it)");
        assertThat(db.value("SELECT count(*) FROM pg_index WHERE indexrelid = 'notes_id_index'::regclass "
                + "AND indisvalid")).isEqualTo(1L);
        assertThat(history()).isEmpty();

        file("20260101000000_index.sql", "-- migrate:up transaction:false\nCREATE TABLE notes (id int);\n"
                + "CREATE INDEX CONCURRENTLY notes_id_index ON notes (id);\nINSERT INTO notes VALUES (1);");
        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000");
        assertThat(db.value("SELECT count(*) FROM notes")).isEqualTo(1L);
    }

    @Test
    void aTransactionFalseFileFailingAfterItWroteRowsResumesWithoutWritingThemAgain() throws IOException {
        file("20260101000000_seed.sql", "-- migrate:up transaction:false\nCREATE TABLE IF NOT EXISTS codes (code text);"
                + "\n-- the seed rows\nINSERT INTO codes VALUES ('a'), ('a');\n"
                + "INSERT INTO codes VALUES ('b') ON CONFLICT DO NOTHING;\nUPDATE codes SET code = code || '!';\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY codes_code_index ON codes (code);");

        assertThatThrownBy(() -> migrator().migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("It is recorded as failed at statement 5")
                .hasMessageNotContaining("must be able to run again");
        assertThat(history()).isEmpty();
        assertThat(db.value("SELECT string_agg(code, ',' ORDER BY code) FROM codes")).isEqualTo("a!,a!,b!");
        // Run again before the duplicate goes, it fails at the same statement, the rows not written again.
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("at statement 5 (line 7)").hasMessageContaining("is duplicated");
        assertThat(db.value("SELECT string_agg(code, ',' ORDER BY code) FROM codes")).isEqualTo("a!,a!,b!");

        db.execute("DELETE FROM codes WHERE ctid = (SELECT min(ctid) FROM codes WHERE code = 'a!')");
        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000");
        assertThat(db.value("SELECT string_agg(code, ',' ORDER BY code) FROM codes")).isEqualTo("a!,b!");
    }

    @Test
    void aTransactionFalseFileFailingBeforeItWroteRowsSaysNothingOfRows() throws IOException {
        file("20260101000000_index.sql", "-- migrate:up transaction:false\nCREATE TABLE notes (id int);\n"
                + "WITH n AS (SELECT count(*) FROM notes) SELECT * FROM n;\nSELECT 1/0;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("It is recorded as failed at statement 3")
                .hasMessageNotContaining("wrote rows");
    }

    @Test
    void aTransactionFalseDownSectionFailingMidwayStaysAppliedAndSaysHowToRollItBackAgain() throws IOException {
        Path index = folder.resolve("20260101000000_notes.sql");
        Files.writeString(index, "-- migrate:up\nCREATE TABLE notes (id int);\nCREATE TABLE tags (id int);\n"
                + "-- migrate:down transaction:false\nDROP TABLE tags;\nDROP TABLE missing;\nDROP TABLE notes;\n");
        migrator().migrate();

        assertThatThrownBy(() -> migrator().rollback(1))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_notes.sql failed on public at statement 2 (line 6)")
                .hasMessageContaining("the statements before this one stay run, and the file stays recorded as "
                        + "applied. Once the cause is fixed, roll it back again, and its down section runs again from "
                        + "its first statement, so statement 1 must be able to run again (DROP ... IF EXISTS");
        assertThat(history()).containsExactly("20260101000000");
        assertThat(db.value("SELECT to_regclass('tags') IS NULL AND to_regclass('notes') IS NOT NULL")).isEqualTo(true);

        Files.writeString(index, "-- migrate:up\nCREATE TABLE notes (id int);\nCREATE TABLE tags (id int);\n"
                + "-- migrate:down transaction:false\nDROP TABLE IF EXISTS tags;\nDROP TABLE IF EXISTS missing;\n"
                + "DROP TABLE notes;\n");
        new Migrator(db.dataSource(), folder).repair();
        migrator().rollback(1);

        assertThat(history()).isEmpty();
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void fourMigratorsOnThreadsApplyEachFileExactlyOnce() throws Exception {
        for (int i = 1; i <= 5; i++) {
            file("2026010100000" + i + "_f" + i + ".sql", "-- migrate:up\nINSERT INTO applied_log VALUES ('f" + i
                    + "');\nSELECT pg_sleep(0.1);");
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<List<MigrationFile>>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                runs.add(threads.submit(() -> migrator().migrate()));
            }
            int applied = 0;
            for (Future<List<MigrationFile>> run : runs) {
                applied += run.get().size();
            }
            assertThat(applied).isEqualTo(5);
        } finally {
            threads.shutdown();
        }
        assertThat(db.value("SELECT string_agg(name, ',' ORDER BY name) FROM applied_log")).isEqualTo("f1,f2,f3,f4,f5");
        assertThat(history()).hasSize(5);
    }
}
