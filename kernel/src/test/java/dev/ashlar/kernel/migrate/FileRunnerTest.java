package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.RequiresPostgres;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a migration file's SQL may hold, and what the runner refuses before running any of it. */
@ExtendWith(PostgresExtension.class)
class FileRunnerTest {
    @TempDir
    Path folder;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private void file(String name, String upLine, String up, String down) throws IOException {
        Files.writeString(folder.resolve(name), upLine + "\n" + up + "\n-- migrate:down\n" + down + "\n");
    }

    private Migrator migrator(TestDatabase db) {
        return new Migrator(db.dataSource(), folder);
    }

    @Test
    @RequiresPostgres(value = 14, reason = "SQL-standard function bodies (BEGIN ATOMIC)")
    void runsSqlStandardFunctionBodiesAndRuleActionsWhole(TestDatabase db) throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up", """
                CREATE TABLE posts (id int GENERATED ALWAYS AS IDENTITY, score int);
                CREATE TABLE audit (note text);
                CREATE RULE posts_audit AS ON INSERT TO posts DO ALSO (
                    INSERT INTO audit VALUES ('first'); INSERT INTO audit VALUES ('second'));
                CREATE FUNCTION add_post(p_score int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                    INSERT INTO posts (score) VALUES (greatest(p_score, 0));
                    SELECT CASE WHEN count(*) > 0 THEN count(*)::int ELSE -1 END FROM posts;
                END;""", "DROP FUNCTION add_post; DROP TABLE audit; DROP TABLE posts;");

        migrator(db).migrate();

        assertThat(db.value("SELECT prosqlbody IS NOT NULL FROM pg_proc WHERE proname = 'add_post'")).isEqualTo(true);
        assertThat(db.value("SELECT add_post(-5)")).isEqualTo(1);
        assertThat(db.value("SELECT score FROM posts")).isEqualTo(0);
        assertThat(db.value("SELECT string_agg(note, ',' ORDER BY note) FROM audit")).isEqualTo("first,second");
    }

    @Test
    void refusesAPsqlCommandBeforeRunningAnythingEvenOutsideATransaction(TestDatabase db) throws IOException {
        file("20260101000000_dump.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\n\\connect other\nCREATE TABLE more (id int);", "DROP TABLE posts;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION);
                    assertThat(e.file()).contains("20260101000000_dump.sql");
                    assertThat(e.statement()).contains("\\connect other");
                })
                .hasMessageContaining("Migration 20260101000000_dump.sql was not run on public: statement 2 of its up "
                        + "section (line 3),\n    \\connect other\nis a psql command, and Ashlar runs SQL only");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void copyFromStdinLoadsTheRowsThatFollowItAsPgDumpWritesThemAndTheFileGoesOnAfterThem(TestDatabase db)
            throws IOException {
        file("20260101000000_seed.sql", "-- migrate:up", "CREATE TABLE posts (id int, title text, body text);\n"
                + "COPY public.posts (id, title, body) FROM stdin;\n"
                + "1\thello; DROP TABLE posts; --\tit's\n"
                + "2\t\\N\ttab\\there\n"
                + "\\.\n"
                + "COPY posts FROM STDIN WITH (FORMAT csv, HEADER true);\n"
                + "id,title,body\n3,\"a, \"\"quoted\"\" title\",\n"
                + "\\.\n"
                + "CREATE INDEX posts_title ON posts (title);", "DROP TABLE posts;");

        migrator(db).migrate();

        assertThat(db.value("SELECT string_agg(id || '|' || coalesce(title, 'NULL') || '|' || coalesce(body, 'NULL'), "
                + "E'\\n' ORDER BY id) FROM posts")).isEqualTo("1|hello; DROP TABLE posts; --|it's\n"
                + "2|NULL|tab\there\n3|a, \"quoted\" title|NULL");
        assertThat(db.value("SELECT to_regclass('posts_title') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aCopyEndingTheSectionWithAQuoteInItsRowsRunsRatherThanBeingReadAsAStringLeftOpen(TestDatabase db)
            throws IOException {
        file("20260101000000_seed.sql", "-- migrate:up", "CREATE TABLE posts (id int, title text);\n"
                + "COPY posts (id, title) FROM stdin;\n1\tit's\n\\.", "DROP TABLE posts;");

        migrator(db).migrate();

        assertThat(db.value("SELECT title FROM posts")).isEqualTo("it's");
    }

    @Test
    void aCopyRowTheServerRefusesFailsTheFileNamingItAndLeavesNothingApplied(TestDatabase db) throws IOException {
        file("20260101000000_seed.sql", "-- migrate:up", "CREATE TABLE posts (id int, title text);\n"
                + "COPY posts (id, title) FROM stdin;\n1\tfine\nnot a number\tbad\n\\.", "DROP TABLE posts;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.file())
                        .contains("20260101000000_seed.sql"))
                .hasMessageContaining("20260101000000_seed.sql failed on public at statement 2 (line 3):\n"
                        + "    COPY posts (id, title) FROM stdin;\nERROR: invalid input syntax for type integer")
                .hasMessageContaining("WHERE: COPY posts, line 2, column id: \"not a number\" (line 5 of the file)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("fine"));
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).as("the file's transaction was rolled back")
                .isEqualTo(true);
    }

    @Test
    void refusesCopyFromStdinWhoseRowsNothingEndsAndCopyToStdout(TestDatabase db) throws IOException {
        file("20260101000000_seed.sql", "-- migrate:up", "CREATE TABLE posts (id int, title text);\n"
                + "COPY public.posts (id, title) FROM stdin;\n1\thello\nCREATE TABLE more (id int);", "DROP TABLE posts;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION))
                .hasMessageContaining("statement 2 of its up section (line 3)")
                .hasMessageContaining("no line holding only \\. ends them")
                .hasMessageContaining("Nothing of this file was run.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

        file("20260101000000_seed.sql", "-- migrate:up transaction:false", "CREATE TABLE posts (id int);\n"
                + "COPY posts TO STDOUT;", "DROP TABLE posts;");
        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("statement 2 of its up section (line 3),\n    COPY posts TO STDOUT;\nwrites its rows to "
                        + "psql's output, and a migration has no output to write them to. Take it out, or COPY TO a "
                        + "file on the server. Nothing of this file was run.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFileThatTurnsStandardConformingStringsOffIsSplitAsPsqlWouldAndItsStringsArriveWhole(TestDatabase db)
            throws IOException {
        file("20260101000000_notes.sql", "-- migrate:up", "CREATE TABLE notes (body text);\n"
                + "SET LOCAL standard_conforming_strings = off;\nINSERT INTO notes SELECT 'it\\'s; one';\n"
                + "RESET standard_conforming_strings;\nINSERT INTO notes SELECT 'C:\\';", "DROP TABLE notes;");

        migrator(db).migrate();

        assertThat(db.value("SELECT string_agg(body, '|' ORDER BY body) FROM notes")).isEqualTo("C:\\|it's; one");
    }

    @Test
    void refusesAStatementThatEndsTheFilesTransactionButNotOneOutsideATransaction(TestDatabase db) throws IOException {
        String up = "CREATE TABLE posts (id int);\nSAVEPOINT s;\nCREATE TABLE scratch (id int);\n"
                + "ROLLBACK TO SAVEPOINT s;\nCOMMIT;\nCREATE TABLE more (id int);";
        file("20260101000000_posts.sql", "-- migrate:up", up, "DROP TABLE more; DROP TABLE posts;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("statement 5 of its up section (line 6),\n    COMMIT;\nbegins or ends a transaction, but "
                        + "the file already runs in one transaction")
                .hasMessageContaining("or write the up line as '-- migrate:up transaction:false' to manage transactions "
                        + "yourself. Nothing of this file was run.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

        file("20260101000000_posts.sql", "-- migrate:up transaction:false", "BEGIN;\n" + up, "DROP TABLE more; "
                + "DROP TABLE posts;");
        migrator(db).migrate();

        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('more') IS NOT NULL "
                + "AND to_regclass('scratch') IS NULL")).isEqualTo(true);

        Files.writeString(folder.resolve("20260101000000_posts.sql"), "-- migrate:up transaction:false\nBEGIN;\n" + up
                + "\n-- migrate:down transaction:true\nBEGIN;\nDROP TABLE more;\nCOMMIT;\nDROP TABLE posts;\n");
        assertThatThrownBy(() -> migrator(db).rollback(1))
                .hasMessageContaining("statement 1 of its down section")
                .hasMessageContaining("or write the down line as '-- migrate:down transaction:false' to manage "
                        + "transactions yourself. Nothing of this file was run.");
    }

    @Test
    void aTransactionFalseFileThatFailedMidwayAndWasFixedAfterItsFirstStatementsResumesWhereItFailed(TestDatabase db)
            throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\nINSERT INTO posts VALUES ('one');", "DROP TABLE posts;");
        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("at statement 2 (line 3):")
                .hasMessageContaining("This file runs outside a transaction: the statements before this one stay "
                        + "applied. It is recorded as failed at statement 2");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL")).isEqualTo(true);

        // The fix changes the statement that failed, not those before it: the next run goes on there.
        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\nINSERT INTO posts VALUES (1);", "DROP TABLE posts;");
        assertThat(migrator(db).migrate()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void aTransactionFalseFileRunAgainFromItsFirstStatementAfterARepairNamesTheBaselineWhenItMeetsWhatItMade(
            TestDatabase db) throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\nINSERT INTO posts VALUES ('one');", "DROP TABLE posts;");
        assertThatThrownBy(() -> migrator(db).migrate()).hasMessageContaining("at statement 2 (line 3):");
        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id bigint);\nINSERT INTO posts VALUES (1);", "DROP TABLE posts;");
        assertThatThrownBy(() -> migrator(db).migrate()).hasMessageContaining("the statements before it changed since");
        migrator(db).repair();

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("at statement 1 (line 2):")
                .hasMessageContaining("(SQL state 42P07)")
                .hasMessageEndingWith("A former run of this file that failed (or whose process died) may have made "
                        + "it: outside a transaction, each statement stays applied. Write the statements so that they "
                        + "can run again (CREATE ... IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, DROP ... IF EXISTS), or "
                        + "undo what the former run left, then migrate again; if it made all of the file, record the "
                        + "file as applied without running it ('ashlar baseline --to 20260101000000' for this file and "
                        + "the ones before it).");

        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE IF NOT EXISTS posts (id int);\nINSERT INTO posts VALUES (1);", "DROP TABLE posts;");
        assertThat(migrator(db).migrate()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void aTransactionFalseFileThatBeginsATransactionItNeverEndsIsRefusedBeforeAnythingRuns(TestDatabase db)
            throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\nBEGIN;\nCREATE TABLE comments (id int);", "SELECT 1;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("statement 2 of its up section (line 3),\n    BEGIN;\nbegins a transaction that the "
                        + "section never ends, so what follows it would never be committed. End it with COMMIT. "
                        + "Nothing of this file was run.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);

        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\nBEGIN;\nCREATE TABLE comments (id int);\nCOMMIT;", "SELECT 1;");
        assertThat(migrator(db).migrate()).hasSize(1);
        assertThat(db.value("SELECT to_regclass('comments') IS NOT NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aStatementFailingInsideATransactionTheFileBeganRollsItBackAndLeavesNoSessionInIt(TestDatabase db)
            throws IOException {
        String up = "CREATE TABLE IF NOT EXISTS posts (id int);\nBEGIN;\nCREATE TABLE comments (id int);\n"
                + "INSERT INTO comments VALUES (1 / %d);\nCOMMIT;";
        file("20260101000000_posts.sql", "-- migrate:up transaction:false", up.formatted(0), "SELECT 1;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("at statement 4 (line 5):")
                .hasMessageContaining("division by zero")
                .hasMessageContaining("This file runs outside a transaction: the transaction it began was rolled "
                        + "back, and the statements committed before it stay applied.");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('comments') IS NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'")).isEqualTo(0L);

        file("20260101000000_posts.sql", "-- migrate:up transaction:false", up.formatted(1), "SELECT 1;");
        assertThat(migrator(db).migrate()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM comments")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aTransactionFalseFileLeftInsideAChainedTransactionIsRolledBackAndNotRecorded(TestDatabase db)
            throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "BEGIN;\nCREATE TABLE posts (id int);\nCOMMIT AND CHAIN;\nCREATE TABLE comments (id int);",
                "SELECT 1;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("Migration 20260101000000_posts.sql on public ended inside a transaction that "
                        + "it began (a COMMIT AND CHAIN, say): what ran in it was rolled back, and the file was not "
                        + "recorded. End its last transaction with a plain COMMIT");
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL AND to_regclass('comments') IS NULL"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'")).isEqualTo(0L);
    }

    @Test
    void aCommentStringOrBodyThatNeverEndsIsRefusedBeforeAnythingRunsInsteadOfSwallowingTheRest(TestDatabase db)
            throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\n/* the comments table\nCREATE TABLE comments (id int);", "SELECT 1;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("statement 2 of its up section (line 3),\n    /* the comments table\n    ^ (line 3, "
                        + "column 1)\n    CREATE TABLE comments (id int);\nopens a comment (/* ... */) that never ends, "
                        + "so everything after it in the section would be read as part of it. Close it. Nothing of "
                        + "this file was run.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);

        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\nDO $do$ BEGIN CREATE TABLE comments (id int); END $;", "SELECT 1;");
        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("opens a dollar-quoted body ($do$ ... $do$) that never ends");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

        file("20260101000000_posts.sql", "-- migrate:up transaction:false",
                "CREATE TABLE posts (id int);\n/* the comments table */\nCREATE TABLE comments (id int);",
                "SELECT 1;");
        assertThat(migrator(db).migrate()).hasSize(1);
        assertThat(db.value("SELECT to_regclass('comments') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aProcedureThatCommitsSaysToCallItFromAFileOutsideATransaction(TestDatabase db) throws IOException {
        String up = "CREATE TABLE posts (id int);\nCREATE PROCEDURE fill() LANGUAGE plpgsql AS $$ BEGIN "
                + "INSERT INTO posts VALUES (1); COMMIT; END $$;\nCALL fill();";
        file("20260101000000_posts.sql", "-- migrate:up", up, "DROP PROCEDURE fill; DROP TABLE posts;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("(SQL state 2D000)")
                .hasMessageEndingWith("A procedure that commits or rolls back runs only outside a transaction block: "
                        + "call it from a file whose up line is '-- migrate:up transaction:false'.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

        file("20260101000000_posts.sql", "-- migrate:up transaction:false", up, "DROP PROCEDURE fill; DROP TABLE posts;");
        assertThat(migrator(db).migrate()).hasSize(1);
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(1L);
    }

    @Test
    void aStatementThatCannotRunInATransactionSaysToMoveItToAFileOutsideOne(TestDatabase db) throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up", "CREATE TABLE posts (id int);\nVACUUM posts;",
                "DROP TABLE posts;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("statement 2 of its up section (line 3),\n    VACUUM posts;\nruns only outside "
                        + "a transaction (PostgreSQL refuses it inside one), but the file runs in one. Move it into a "
                        + "file of its own whose up line is '-- migrate:up transaction:false'. Nothing of this file "
                        + "was run.");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);

        file("20260101000000_posts.sql", "-- migrate:up transaction:false", "CREATE TABLE posts (id int);\n"
                + "VACUUM posts;", "DROP TABLE posts;");
        assertThat(migrator(db).migrate()).hasSize(1);
        assertThat(db.value("SELECT to_regclass('posts') IS NOT NULL")).isEqualTo(true);
    }

    @Test
    void aDownLineOfItsOwnSaysWhetherTheDownSectionRunsInATransaction(TestDatabase db) throws IOException {
        Files.writeString(folder.resolve("20260101000000_posts.sql"), "-- migrate:up\nCREATE TABLE posts (id int);\n"
                + "CREATE INDEX posts_id_index ON posts (id);\n-- migrate:down transaction:false\n"
                + "DROP INDEX CONCURRENTLY posts_id_index;\nDROP TABLE posts;\n");
        Files.writeString(folder.resolve("20260102000000_tags.sql"), "-- migrate:up transaction:false\n"
                + "CREATE TABLE tags (id int);\n-- migrate:down transaction:true\nDROP TABLE tags;\nVACUUM posts;\n");
        migrator(db).migrate();

        assertThatThrownBy(() -> migrator(db).rollback(1))
                .hasMessageContaining("statement 2 of its down section (line 5),\n    VACUUM posts;\nruns only "
                        + "outside a transaction (PostgreSQL refuses it inside one), but the file runs in one. Write "
                        + "the file's down line as '-- migrate:down transaction:false' to roll it back outside one. "
                        + "Nothing of this file was run.");
        assertThat(db.value("SELECT to_regclass('tags') IS NOT NULL")).isEqualTo(true);

        Files.writeString(folder.resolve("20260102000000_tags.sql"), "-- migrate:up transaction:false\n"
                + "CREATE TABLE tags (id int);\n-- migrate:down transaction:true\nDROP TABLE tags;\n");
        assertThat(migrator(db).rollback(2)).hasSize(2);
        assertThat(db.value("SELECT to_regclass('posts') IS NULL AND to_regclass('tags') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(0L);
    }

    @Test
    void usingAnEnumValueInTheFileThatAddsItSaysToUseItInALaterFile(TestDatabase db) throws IOException {
        file("20260101000000_mood.sql", "-- migrate:up", "CREATE TYPE mood AS ENUM ('fine');", "DROP TYPE mood;");
        migrator(db).migrate();
        file("20260102000000_great.sql", "-- migrate:up", "ALTER TYPE mood ADD VALUE 'great';\n"
                + "CREATE TABLE days (m mood);\nINSERT INTO days VALUES ('great');",
                "SELECT 1;");

        assertThatThrownBy(() -> migrator(db).migrate())
                .hasMessageContaining("(SQL state 55P04)")
                .hasMessageContaining("add the value in one file and use it in a later one");
        assertThat(db.value("SELECT count(*) FROM pg_enum WHERE enumlabel = 'great'")).isEqualTo(0L);
        assertThat(db.value("SELECT to_regclass('days') IS NULL")).isEqualTo(true);
    }

    @Test
    void refusesToRollBackAFileWithAnEmptyDownSectionUntilItSaysWhatUndoesIt(TestDatabase db) throws IOException {
        file("20260101000000_posts.sql", "-- migrate:up", "CREATE TABLE posts (id int);", "DROP TABLE posts;");
        file("20260102000000_title.sql", "-- migrate:up", "ALTER TABLE posts ADD COLUMN title text;", "");
        migrator(db).migrate();

        assertThatThrownBy(() -> migrator(db).rollback(1))
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION);
                    assertThat(e.file()).contains("20260102000000_title.sql");
                })
                .hasMessage("Cannot roll back 20260102000000_title.sql on public: its '-- migrate:down' section is "
                        + "empty, so nothing would be undone. Write there the SQL that undoes its up section, or a "
                        + "comment such as '-- nothing to undo' if it needs none. Nothing was rolled back.");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts'")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(2L);

        file("20260102000000_title.sql", "-- migrate:up", "ALTER TABLE posts ADD COLUMN title text;",
                "-- nothing to undo: the column stays");
        migrator(db).rollback(1);

        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts'")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }
}
