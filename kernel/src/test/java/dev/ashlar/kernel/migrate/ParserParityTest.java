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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The files that break naive statement splitters, from Flyway's PostgreSQL parser tests and Liquibase's SQL splitter
 * tests, applied to a real PostgreSQL: each file runs whole, and the catalog and the rows show every statement ran as
 * written, none cut at a semicolon inside a body, string, name or comment.
 */
@ExtendWith(PostgresExtension.class)
class ParserParityTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private void apply(String up) throws IOException {
        Files.writeString(folder.resolve("20260101000000_parsed.sql"), "-- migrate:up\n" + up
                + "\n-- migrate:down\n-- nothing to undo\n");
        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);
    }

    @Test
    void taggedNestedDollarQuotesDollarsInNamesAndParametersKeepEachBodyWhole() throws IOException {
        apply("""
                CREATE TABLE a$b (id int PRIMARY KEY, "a$1" text);
                CREATE FUNCTION add_one(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 + 1; $$;
                CREATE FUNCTION body() RETURNS text LANGUAGE plpgsql AS $body$
                DECLARE s text := $$inner; $x$ not a tag end$$;
                BEGIN
                  RETURN s || $q$;--/*$q$;
                END
                $body$;
                DO $do$ BEGIN INSERT INTO a$b VALUES (add_one(1), body()); END $do$;
                DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM a$b; INSERT INTO a$b VALUES (10 + n, ';'); END $$""");

        assertThat(db.query("SELECT id, \"a$1\" AS v FROM a$b ORDER BY id")).containsExactly(
                Map.of("id", 2, "v", "inner; $x$ not a tag end;--/*"), Map.of("id", 11, "v", ";"));
        assertThat(db.value("SELECT prosrc FROM pg_proc WHERE proname = 'add_one'")).isEqualTo(" SELECT $1 + 1; ");
    }

    @Test
    @RequiresPostgres(value = 14, reason = "SQL-standard function bodies, BEGIN ATOMIC")
    void sqlStandardBodiesWithSemicolonsAndCaseEndsRunAsOneStatement() throws IOException {
        apply("""
                CREATE TABLE grades (score int, grade text);
                CREATE FUNCTION grade(s int) RETURNS text LANGUAGE sql
                BEGIN ATOMIC
                  INSERT INTO grades VALUES (s, CASE WHEN s > 9 THEN 'high' ELSE 'low' END);
                  SELECT CASE s WHEN 0 THEN 'none' ELSE 'some' END;
                END;
                CREATE PROCEDURE record_grade(s int) LANGUAGE sql BEGIN ATOMIC SELECT grade(s); SELECT grade(s + 10); END;
                CALL record_grade(3);""");

        assertThat(db.query("SELECT score, grade FROM grades ORDER BY score")).containsExactly(
                Map.of("score", 3, "grade", "low"), Map.of("score", 13, "grade", "high"));
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname IN ('grade', 'record_grade') "
                + "AND prosqlbody IS NOT NULL")).isEqualTo(2L);
    }

    @Test
    void aRuleWhoseParenthesisedActionsHoldSemicolonsIsCreatedWithEveryAction() throws IOException {
        apply("""
                CREATE TABLE posts (id int);
                CREATE TABLE audit (what text);
                CREATE RULE posts_log AS ON INSERT TO posts DO ALSO (
                  INSERT INTO audit VALUES ('one;');
                  INSERT INTO audit VALUES ('two')
                );
                INSERT INTO posts VALUES (1);""");

        assertThat(db.query("SELECT what FROM audit ORDER BY what COLLATE \"C\"")).extracting(row -> row.get("what"))
                .containsExactly("one;", "two");
        assertThat(db.value("SELECT count(*) FROM pg_rules WHERE rulename = 'posts_log'")).isEqualTo(1L);
    }

    @Test
    void everyKindOfStringAndQuotedNameHoldsSemicolonsAndCommentMarksAsText() throws IOException {
        apply("""
                CREATE TABLE "a;b" ("--x" text, "/*y" text, bits bit varying, raw bytea);
                INSERT INTO "a;b" VALUES ('it''s; -- not a comment', E'\\'; /* no comment', B'0101', '\\xff');
                INSERT INTO "a;b" VALUES (E'\\\\', U&'\\0041;' || U&'!0042' UESCAPE '!', X'FF', NULL);
                INSERT INTO "a;b" ("--x") VALUES ('a'
                'b;');
                INSERT INTO "a;b" ("--x") VALUES ($$;$$ || $_$'$_$)""");

        assertThat(db.query("SELECT \"--x\" AS x, \"/*y\" AS y, bits::text AS bits, encode(raw, 'hex') AS raw "
                + "FROM \"a;b\" ORDER BY \"--x\" COLLATE \"C\"")).containsExactly(
                row("x", ";'", "y", null, "bits", null, "raw", null),
                row("x", "\\", "y", "A;B", "bits", "11111111", "raw", null),
                row("x", "ab;", "y", null, "bits", null, "raw", null),
                row("x", "it's; -- not a comment", "y", "'; /* no comment", "bits", "0101", "raw", "ff"));
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'a;b' "
                + "AND column_name IN ('--x', '/*y')")).isEqualTo(2L);
    }

    @Test
    void aFileThatTurnsStandardConformingStringsOffHasItsBackslashEscapedQuotesReadSo() throws IOException {
        apply("""
                CREATE TABLE paths (p text);
                INSERT INTO paths VALUES ('C:\\');
                SET standard_conforming_strings = off;
                INSERT INTO paths VALUES ('it\\'s; one'), ('D:\\\\');
                SET standard_conforming_strings = on;
                INSERT INTO paths VALUES ('E:\\')""");

        assertThat(db.query("SELECT p FROM paths ORDER BY p COLLATE \"C\"")).extracting(row -> row.get("p"))
                .containsExactly("C:\\", "D:\\", "E:\\", "it's; one");
    }

    @Test
    void nestedBlockCommentsAndACommentEndingTheFileWithoutANewlineHideTheirSemicolons() throws IOException {
        Files.writeString(folder.resolve("20260101000000_parsed.sql"), """
                -- migrate:up
                /* a; /* nested ; */ still a comment; DROP TABLE nothing; */
                CREATE TABLE notes (id int); -- a trailing comment; with a semicolon
                /* between */ INSERT INTO notes VALUES (1) /* ; */ , (2);
                INSERT INTO notes VALUES (3)
                -- the end; no newline after this""".stripTrailing());

        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);

        assertThat(db.value("SELECT sum(id) FROM notes")).isEqualTo(6L);
    }

    @Test
    void copyFromStdinTakesItsTabbedRowsWithNullsAndBackslashesUpToTheEndMark() throws IOException {
        apply("CREATE TABLE lines (id int, body text, note text);\n"
                + "COPY lines (id, body, note) FROM stdin;\n"
                + "1\tC:\\\\dir\\tx\t\\N\n"
                + "2\tsemi; -- /* 'q\tplain\n"
                + "\\.\n"
                + "INSERT INTO lines VALUES (3, 'after', NULL);");

        assertThat(db.query("SELECT id, body, note FROM lines ORDER BY id")).containsExactly(
                row("id", 1, "body", "C:\\dir\tx", "note", null),
                row("id", 2, "body", "semi; -- /* 'q", "note", "plain"),
                row("id", 3, "body", "after", "note", null));
    }

    @Test
    void aPsqlMetaCommandIsRefusedNamingTheFileAndItsLineBeforeAnythingRuns() throws IOException {
        Files.writeString(folder.resolve("20260101000000_parsed.sql"), """
                -- migrate:up
                CREATE TABLE notes (id int);
                \\set answer 42
                INSERT INTO notes VALUES (:answer);
                """);
        Files.writeString(folder.resolve("20260102000000_include.sql"), "-- migrate:up\n\\i other.sql\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260101000000_parsed.sql").hasMessageContaining("statement 2")
                .hasMessageContaining("(line 3)").hasMessageContaining("is a psql command");
        Files.delete(folder.resolve("20260101000000_parsed.sql"));
        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .hasMessageContaining("20260102000000_include.sql").hasMessageContaining("(line 2)")
                .hasMessageContaining("\\i other.sql");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void aFileMixingStatementsATransactionRefusesIsRefusedNamingTheStatementAndTheHeaderThenRunsWithIt()
            throws IOException {
        String statements = """
                CREATE TABLE posts (id int, title text);
                INSERT INTO posts VALUES (1, 'one'), (2, 'two');
                CREATE INDEX CONCURRENTLY posts_title_index ON posts (title);
                DISCARD ALL;
                VACUUM (ANALYZE) posts;""";
        Path file = folder.resolve("20260101000000_parsed.sql");
        Files.writeString(file, "-- migrate:up\n" + statements + "\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.file()).hasValueSatisfying(name -> assertThat(name).endsWith(
                                "20260101000000_parsed.sql")))
                .hasMessageContaining("statement 3 of its up section (line 4)")
                .hasMessageContaining("runs only outside a transaction")
                .hasMessageContaining("'-- migrate:up transaction:false'");
        assertThat(db.value("SELECT to_regclass('posts') IS NULL")).isEqualTo(true);

        Files.writeString(file, "-- migrate:up transaction:false\n" + statements + "\n");
        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(2L);
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'posts_title_index'::regclass"))
                .isEqualTo(true);
        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
    }

    @Test
    void aDiscardAllInAFileOfItsOwnTransactionIsRefusedNamingTheLineItsCommentStartsOnBeforeAnythingRuns()
            throws IOException {
        Files.writeString(folder.resolve("20260101000000_parsed.sql"), "-- migrate:up\nCREATE TABLE notes (id int);\n"
                + "-- reset the session\ndiscard all;\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .hasMessageContaining("statement 2 of its up section (line 3),\n    -- reset the session\n    discard all;")
                .hasMessageContaining("Nothing of this file was run");
        assertThat(db.value("SELECT to_regclass('notes') IS NULL")).isEqualTo(true);
    }

    @Test
    void anEnumValueUsedInTheTransactionThatAddsItFailsNamingTheStatementAndTheHeaderThenRunsWithIt()
            throws IOException {
        apply("CREATE TYPE mood AS ENUM ('fine');\nCREATE TABLE days (id int, m mood);");
        String statements = """
                INSERT INTO days VALUES (1, 'fine');
                ALTER TYPE mood ADD VALUE 'great';
                INSERT INTO days VALUES (2, 'great');""";
        Path file = folder.resolve("20260102000000_great.sql");
        Files.writeString(file, "-- migrate:up\n" + statements + "\n");

        assertThatThrownBy(() -> new Migrator(db.dataSource(), folder).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("20260102000000_great.sql").hasMessageContaining("statement 3")
                .hasMessageContaining("(line 4)").hasMessageContaining("'-- migrate:up transaction:false'");
        assertThat(db.value("SELECT count(*) FROM days")).isEqualTo(0L);
        assertThat(db.value("SELECT count(*) FROM pg_enum WHERE enumtypid = 'mood'::regtype")).isEqualTo(1L);

        Files.writeString(file, "-- migrate:up transaction:false\n" + statements + "\n");
        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);

        assertThat(db.value("SELECT string_agg(m::text, ',' ORDER BY id) FROM days")).isEqualTo("fine,great");
    }

    @Test
    void functionsProceduresTriggersAndGrantsWithQuotedBodiesAllRun() throws IOException {
        apply("""
                CREATE TABLE posts (id int, title text, touched int DEFAULT 0);
                CREATE FUNCTION two() RETURNS int LANGUAGE sql AS 'select 1; select 2';
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.touched := OLD.touched + 1; RETURN NEW; END;
                $$;
                CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();
                CREATE PROCEDURE add_post(t text) LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO posts (id, title) VALUES (two(), t); END $$;
                CALL add_post('first; post');
                UPDATE posts SET title = title || '!';
                GRANT SELECT, INSERT ON posts TO PUBLIC;
                GRANT EXECUTE ON FUNCTION two() TO PUBLIC""");

        assertThat(db.query("SELECT id, title, touched FROM posts"))
                .containsExactly(row("id", 2, "title", "first; post!", "touched", 1));
        assertThat(db.value("SELECT count(*) FROM information_schema.role_table_grants WHERE table_name = 'posts' "
                + "AND grantee = 'PUBLIC'")).isEqualTo(2L);
        assertThat(db.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'posts_touch'")).isEqualTo(1L);
    }

    @Test
    void aFileOfCommentsOnlyIsAppliedAndRecordedRunningNothing() throws IOException {
        apply("-- nothing here yet; maybe later\n/* CREATE TABLE never; */\n;\n");

        assertThat(db.value("SELECT count(*) FROM ashlar_schema_migrations")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                + "AND tablename NOT LIKE 'ashlar%'")).isEqualTo(0L);
    }

    @Test
    void aFileWithAByteOrderMarkCrlfLinesAndALastStatementWithoutSemicolonRunsWhole() throws IOException {
        String text = "\uFEFF-- migrate:up\r\nCREATE TABLE notes (id int, body text);\r\n"
                + "INSERT INTO notes VALUES (1, 'a;\r\nb');\r\nINSERT INTO notes VALUES (2, $$x$$)\r\n";
        Files.write(folder.resolve("20260101000000_parsed.sql"), text.getBytes(StandardCharsets.UTF_8));

        assertThat(new Migrator(db.dataSource(), folder).migrate()).hasSize(1);

        assertThat(db.query("SELECT id, body FROM notes ORDER BY id")).containsExactly(
                row("id", 1, "body", "a;\r\nb"), row("id", 2, "body", "x"));
    }

    @Test
    void tenThousandStatementsAndAOneMegabyteLineAreAppliedWhole() throws IOException {
        StringBuilder up = new StringBuilder("CREATE TABLE seeds (id int PRIMARY KEY, body text);\n");
        for (int i = 0; i < 10_000; i++) {
            up.append("INSERT INTO seeds VALUES (").append(i).append(", 'row; ").append(i).append("');\n");
        }
        String long1Mb = "a;".repeat(512 * 1024);
        up.append("INSERT INTO seeds VALUES (-1, '").append(long1Mb).append("');");
        long start = System.nanoTime();

        apply(up.toString());

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(db.value("SELECT count(*) FROM seeds")).isEqualTo(10_001L);
        assertThat(db.value("SELECT length(body) FROM seeds WHERE id = -1")).isEqualTo(1024 * 1024);
        assertThat(millis).as("milliseconds to split and apply the file").isLessThan(60_000L);
    }

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
