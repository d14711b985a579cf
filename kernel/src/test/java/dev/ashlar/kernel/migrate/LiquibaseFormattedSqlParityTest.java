package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Liquibase's formatted SQL changelog tests ({@code FormattedSqlChangeLogParserTest}) and the changeset attributes they
 * parse ({@code context}, {@code dbms}, {@code --rollback}, {@code --preconditions} with {@code onFail} and
 * {@code onError}, {@code --precondition-sql-check expectedResult:}, {@code --property}, {@code --ignoreLines}),
 * restated as Ashlar migration files applied to a table holding rows: each asserts the history rows, the catalog and
 * the rows. What those tests cover elsewhere is named in the README's "Liquibase's own tests, restated".
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseFormattedSqlParityTest {
    private static final String POSTS = "20260101000000_create_posts.sql";
    private static final String CHANGE = "20260102000000_change.sql";

    @TempDir
    Path folder;
    TestDatabase db;
    MigrationFolder files;
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void postsWithRowsApplied(TestDatabase db) throws IOException {
        this.db = db;
        files = MigrationFolder.emptied(folder, db);
        files.file(POSTS, "CREATE TABLE posts (id int PRIMARY KEY, title text);\n"
                + "INSERT INTO posts SELECT g, 'post ' || g FROM generate_series(1, 40) g;", "DROP TABLE posts;");
        migrator().migrate();
    }

    private Migrator migrator() {
        return files.migrator().progress(progress::add);
    }

    /** Writes a file with header lines above its up section. */
    private void write(String name, String headers, String up, String down) throws IOException {
        files.file(name, headers, up, down);
    }

    private boolean table(String name) {
        return (Boolean) db.value("SELECT to_regclass(?) IS NOT NULL", name);
    }

    private int rows(String table) {
        return ((Number) db.value("SELECT count(*) FROM " + table)).intValue();
    }

    /** The posts' 40 rows are all there, and the history holds the first file alone. */
    private void assertNothingOfTheFileApplied() {
        assertThat(rows("posts")).isEqualTo(40);
        assertThat(history()).containsExactly("20260101000000");
    }

    /** The history as "version[ baselined]" lines, oldest first. */
    private List<String> history() {
        return db.query("SELECT version || CASE WHEN baselined THEN ' baselined' ELSE '' END AS row "
                + "FROM ashlar_schema_migrations ORDER BY version").stream().map(r -> (String) r.get("row")).toList();
    }

    /**
     * The parser test's changeset {@code paikens:6}, {@code create table ${tablename}} with
     * {@code --rollback drop table ${tablename}} and the parameter given to the parse: the run's placeholder names
     * the table in both sections, so the rollback drops the table the up section made, rows and all.
     */
    @Test
    void aPropertyGivenToTheRunNamesTheTableInBothSections() throws IOException {
        write(CHANGE, "", "CREATE TABLE ${tablename} (id int PRIMARY KEY);\n"
                + "INSERT INTO ${tablename} SELECT id FROM posts;", "DROP TABLE ${tablename};");
        Migrator withProperty = migrator().placeholders(Placeholders.of(Map.of("tablename", "table4")));

        withProperty.migrate();
        assertThat(rows("table4")).isEqualTo(40);
        assertThat(history()).containsExactly("20260101000000", "20260102000000");

        withProperty.rollback(1);
        assertThat(table("table4")).isFalse();
        assertThat(history()).containsExactly("20260101000000");
        assertThat(rows("posts")).isEqualTo(40);
    }

    /**
     * Changeset {@code "n voxland":"change 2"}: two {@code --rollback} lines make one rollback of two statements,
     * {@code delete from table1;} then {@code drop table table1;}. The down section holds both and runs them in order.
     */
    @Test
    void twoRollbackStatementsAreOneDownSectionRunInOrder() throws IOException {
        write(CHANGE, "", "CREATE TABLE table1 (id int PRIMARY KEY REFERENCES posts);\n"
                + "INSERT INTO table1 SELECT id FROM posts WHERE id <= 10;",
                "DELETE FROM table1;\nDROP TABLE table1;");
        migrator().migrate();
        assertThat(rows("table1")).isEqualTo(10);

        migrator().rollback(1);

        assertThat(table("table1")).isFalse();
        assertThat(history()).containsExactly("20260101000000");
        assertThat(rows("posts")).isEqualTo(40);
    }

    /**
     * Changesets {@code alwyn:4} and {@code nvoxland:5}, {@code --rollback not required} (an empty rollback): a down
     * section holding a comment runs nothing and removes the history row, the rows the up section wrote staying.
     */
    @Test
    void aRollbackNotRequiredIsADownSectionOfACommentThatRemovesTheHistoryRowAlone() throws IOException {
        write(CHANGE, "", "UPDATE posts SET title = upper(title) WHERE id <= 5;", "-- nothing to undo");
        migrator().migrate();

        migrator().rollback(1);

        assertThat(history()).containsExactly("20260101000000");
        assertThat(db.value("SELECT count(*)::int FROM posts WHERE title LIKE 'POST %'")).isEqualTo(5);
    }

    /**
     * Changesets {@code multicontext:1 context:first,second,third} and {@code complexContext:1 context:"a or b"}: a
     * list is any of its names, an expression is evaluated; a run with no context applies both, one with a context
     * neither names applies neither, and the files it left out stay pending until a run chooses them.
     */
    @Test
    void aContextListIsAnyOfItsNamesAndAnExpressionIsEvaluatedAgainstTheRunsContexts() throws IOException {
        write(CHANGE, "-- context: first, second, third\n", "UPDATE posts SET title = 'listed' WHERE id = 1;",
                "UPDATE posts SET title = 'post 1' WHERE id = 1;");
        write("20260103000000_expression.sql", "-- context: a or b\n", "UPDATE posts SET title = 'either' WHERE id = 2;",
                "UPDATE posts SET title = 'post 2' WHERE id = 2;");

        migrator().migrate(MigrateRun.all().contexts(List.of("c")));
        assertThat(history()).containsExactly("20260101000000");

        migrator().migrate(MigrateRun.all().contexts(List.of("second")));
        assertThat(history()).containsExactly("20260101000000", "20260102000000");

        migrator().migrate(MigrateRun.all().contexts(List.of("B")));
        assertThat(history()).containsExactly("20260101000000", "20260102000000", "20260103000000");
        assertThat(db.value("SELECT string_agg(title, ',' ORDER BY id) FROM posts WHERE id <= 3"))
                .isEqualTo("listed,either,post 3");
    }

    /**
     * {@code parse_multipleDbms}: Liquibase reads {@code dbms:db2, db2i} as db2 alone, {@code dbms:db2,} as db2 and
     * {@code dbms:,db2,} as no dbms at all, a file for every database. Here the names around a comma are each a name,
     * so the first is a file for db2 and db2i, never read on PostgreSQL; and an empty name is refused naming the
     * line, rather than making a file meant for db2 run on PostgreSQL.
     */
    @Test
    void aDbmsListWithSpacesNamesEachDatabaseAndAnEmptyNameIsRefusedNotReadAsEveryDatabase() throws IOException {
        write(CHANGE, "-- dbms: db2, db2i\n", "DELETE FROM posts;", "SELECT 1;");
        assertThat(migrator().migrate()).isEmpty();
        assertThat(rows("posts")).isEqualTo(40);

        for (String list : List.of("db2,", ",db2,")) {
            write(CHANGE, "-- dbms: " + list + "\n", "DELETE FROM posts;", "SELECT 1;");
            assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("Line 1 of migration").hasMessageContaining(CHANGE)
                    .hasMessageContaining("has an empty name");
        }
        assertNothingOfTheFileApplied();
    }

    /**
     * Changeset {@code bboisvert:with_preconditions}: {@code --preconditions onFail:MARK_RAN onError:HALT} with two
     * {@code --precondition-sql-check}s, {@code expectedResult:"0 table(s)"} of a text query and
     * {@code expectedResult:0} of a count, both to hold. One boolean query says both; where the table exists with its
     * rows, the file is recorded as run without running (its CREATE would fail), and where it does not, it runs.
     */
    @Test
    void twoSqlChecksWithExpectedResultsAreOneBooleanQueryAndMarkRanRecordsTheFileWhereTheyFail() throws IOException {
        String precondition = "-- precondition: SELECT (SELECT count(*) || ' table(s)' FROM information_schema.tables "
                + "WHERE table_name = 'my_table') = '0 table(s)' AND (SELECT count(*) FROM information_schema.columns "
                + "WHERE table_name = 'my_table' AND column_name = 'id') = 0\n-- on-fail: mark-ran\n";
        write(CHANGE, precondition, "CREATE TABLE my_table (id int PRIMARY KEY);", "DROP TABLE my_table;");
        db.execute("CREATE TABLE my_table (id int PRIMARY KEY); INSERT INTO my_table VALUES (1), (2)");

        migrator().migrate();
        assertThat(history()).containsExactly("20260101000000", "20260102000000 baselined");
        assertThat(rows("my_table")).isEqualTo(2);

        migrator().rollback(1);
        db.execute("DROP TABLE IF EXISTS my_table");
        migrator().migrate();
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(rows("my_table")).isZero();
    }

    /**
     * Liquibase's {@code onFail:WARN}, built here as {@code -- on-fail: warn}: the precondition not holding is reported
     * with the file and the query, and the file runs all the same, recorded as applied.
     */
    @Test
    void onFailWarnReportsThePreconditionAndRunsTheFileAllTheSame() throws IOException {
        write(CHANGE, "-- precondition: SELECT count(*) = 0 FROM posts\n-- on-fail: warn\n",
                "UPDATE posts SET title = 'warned' WHERE id <= 3;", "UPDATE posts SET title = 'post ' || id;");

        migrator().migrate();

        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("warning: " + CHANGE
                + "'s precondition 'SELECT count(*) = 0 FROM posts' does not hold on public; it runs all the same"));
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT count(*)::int FROM posts WHERE title = 'warned'")).isEqualTo(3);
        assertThat(migrator().dryRun()).isEmpty();
    }

    /**
     * {@code onError:HALT} (Liquibase's default): a precondition whose query fails stops the run naming the file,
     * the query and the server's message, nothing of the file applied and the file before it staying applied.
     */
    @Test
    void aPreconditionWhoseQueryFailsHaltsTheRunWithTheServersMessage() throws IOException {
        write(CHANGE, "-- precondition: SELECT count(*) = 0 FROM legacy_posts\n-- on-fail: mark-ran\n",
                "DELETE FROM posts;", "SELECT 1;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("The precondition of migration " + CHANGE + " on public")
                .hasMessageContaining("relation \"legacy_posts\" does not exist")
                .hasMessageContaining("Nothing of " + CHANGE + " was applied");
        assertNothingOfTheFileApplied();
    }

    /**
     * {@code invalidPrecondition}, {@code invalidPreconditionPattern}, {@code parse_rollbackWithOneDash} and the other
     * lines Liquibase's parser acts on: left in a file carried over, each was a comment here, so a precondition went
     * unchecked, a rollback never ran and two changesets ran as one. Each is refused naming the file, its line and
     * what does its work here, nothing run.
     */
    @ParameterizedTest(name = "{0} in the {1} section")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--changeset nvoxland:3|up|put each changeset in a file of its own",
        "--changeset nvoxland:3 context:test runInTransaction:false|header|'-- context:'",
        "--rollback empty|up|'-- nothing to undo'",
        "-- rollback changesetId:create changeSetAuthor:the_user|down|another changeset's SQL",
        "/* liquibase rollback|up|opens Liquibase's rollback block",
        "--rollback DROP TABLE posts;|up|under the file's '-- migrate:down' line",
        "-- rollback drop table posts;|down|under the file's '-- migrate:down' line",
        "--rollback not required|up|'-- nothing to undo'",
        "--preconditions onFail:MARK_RAN onError:HALT|header|'-- on-fail: halt",
        "--preconditions onFail:CONTINUE|up|'-- on-fail: halt",
        "--precondition-sql-check expectedResult:0 SELECT count(*) FROM posts|up|'-- precondition: SELECT count(*) = 0",
        "--precondition-sql-check expectedResult:0 SELECT count(*) FROM posts|header|a query answering one boolean",
        "--precondition-invalid-type 123|header|'-- precondition: SELECT ...'",
        "--property name:tablename value:table4|header|--placeholder name=value",
        "--validCheckSum: ANY|up|'-- valid-checksum: sha256:",
        "--ignoreLines:start|up|'-- ignore-lines: start'",
        "-- context: test|up|is a header below '-- migrate:up'",
        "-- run-always|up|is a header below '-- migrate:up'",
        "-- on-fail: skip|down|is a header below '-- migrate:down'",
        "-changeset John Doe:12345|header|is SQL before '-- migrate:up'",
        "-precondition 123|header|is SQL before '-- migrate:up'",
        "-property name=foo value=bar|header|is SQL before '-- migrate:up'",
        "-comment: This is a test comment|header|is SQL before '-- migrate:up'",
        "--ignore:1|up|'-- ignore-lines: start'",
        "--changeset John Doe:12345|up|put each changeset in a file of its own",
        "--changeset \"John Doe\":12345 context:test|header|'-- context:'",
        "--changeset|up|put each changeset in a file of its own",
        "-- rollback DELETE FROM posts|up|under the file's '-- migrate:down' line",
        "-- rollback DELETE FROM posts;  -- undo|up|under the file's '-- migrate:down' line",
        "-- Rollback|up|under the file's '-- migrate:down' line",
        "--preconditions|up|'-- on-fail: halt",
    })
    void aLiquibaseLineLeftInAFileIsRefusedNamingItsLineAndWhatDoesItsWorkHere(String line, String where, String fix)
            throws IOException {
        String header = where.equals("header") ? line + "\n" : "";
        String up = (where.equals("up") ? line + "\n" : "") + "DELETE FROM posts;";
        String down = (where.equals("down") ? line + "\n" : "") + "SELECT 1;";
        write(CHANGE, header, up, down);
        int number = where.equals("header") ? 1 : where.equals("up") ? 2 : 4;

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line " + number + " of migration").hasMessageContaining(CHANGE)
                .hasMessageContaining(fix);
        assertNothingOfTheFileApplied();
    }

    /**
     * Comments users write that only resemble a Liquibase line or a header, and Liquibase lines inside a dollar-quoted
     * body, a string literal or a block comment (a function's text, a value): none is refused, and the file applies.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "-- rollback: see ticket 42",
        "--rollback: see ticket 42",
        "--rollback-safe: yes",
        "-- Tags: cleanup, posts",
        "-- Context: posts imported twice in 2025 are removed here",
        "-- Requires: the nightly import to be paused",
        "-- Ignore: the legacy rows, they are gone",
        "-- rollback is in the down section",
        "DELETE FROM posts WHERE id = 0;~-- tag: the rest is prose~-- context: still prose",
        "CREATE FUNCTION note() RETURNS text LANGUAGE sql AS $$~--changeset a:b~SELECT 'x'~$$;",
        "CREATE FUNCTION note() RETURNS text LANGUAGE plpgsql AS $body$~BEGIN~/* liquibase rollback~"
            + "DROP TABLE posts; */~RETURN 'x';~END~$body$;",
        "INSERT INTO posts VALUES (41, 'line one~--rollback DROP TABLE posts;~-- ignore-lines: start');",
        "/* notes:~--preconditions onFail:HALT~*/",
    })
    void aCommentOrLiteralThatOnlyResemblesALiquibaseLineOrAHeaderIsKept(String lines) throws IOException {
        // '~' stands for a line break: a CSV row is one line.
        write(CHANGE, "", lines.replace('~', '\n') + "\nDELETE FROM posts WHERE id BETWEEN 31 AND 40;",
                "SELECT 1;");

        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(rows("posts")).isEqualTo(lines.startsWith("INSERT") ? 31 : 30);
    }

    /**
     * {@code parseIgnoreProperty}, a changeset with {@code ignore:true}: {@code -- dbms: none} keeps a file out of
     * every run, never applied, recorded or pending, its DELETE never reaching the rows.
     */
    @Test
    void anIgnoredChangesetIsAFileForNoDatabaseThatNoRunReads() throws IOException {
        write(CHANGE, "-- dbms: none\n", "DELETE FROM posts;", "SELECT 1;");

        assertThat(migrator().migrate()).isEmpty();

        assertNothingOfTheFileApplied();
        assertThat(migrator().status()).extracting(MigrationStatus::version).containsExactly("20260101000000");
    }

    /**
     * "parse strings that contain keywords not at the beginning" and {@code parse_withComment}: a comment that merely
     * mentions rollback, a precondition or a changeset stays a comment, and so does {@code -- comment:} above the up
     * line (Liquibase stores it in its history's COMMENTS column; here the file keeps it, under its checksum).
     */
    @Test
    void commentsThatOnlyMentionLiquibaseWordsStayCommentsAndTheFileRuns() throws IOException {
        write(CHANGE, "-- comment: this is a comment\n", "-- not a rollback here\n-- rollback is in the down section\n"
                + "-- not a changeset here\nUPDATE posts SET title = 'ran' WHERE id = 1;\n-- precondition: none needed\n"
                + "-- changeset of the day\n-- property of the posts table", "-- rollback: nothing to undo");

        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT title FROM posts WHERE id = 1")).isEqualTo("ran");
    }

    /**
     * Liquibase's {@code --ignoreLines:start} / {@code --ignoreLines:end} and {@code --ignoreLines:N}, built here as
     * {@code -- ignore-lines:}: psql lines kept for running the file by hand are skipped, the rest runs on the rows,
     * the checksum is the file's own, and a failing statement after them is named by its line in the file.
     */
    @Test
    void ignoreLinesSkipsWhatTheyCoverAndLineNumbersStayTheFiles() throws IOException {
        write(CHANGE, "", "-- ignore-lines: start\n\\set ON_ERROR_STOP on\n\\timing on\n-- ignore-lines: end\n"
                + "UPDATE posts SET title = 'kept' WHERE id <= 2;\n-- ignore-lines: 1\n\\echo done", "-- ignore-lines: 1\n"
                + "\\set ON_ERROR_STOP on\nUPDATE posts SET title = 'post ' || id;");

        migrator().migrate();
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT count(*)::int FROM posts WHERE title = 'kept'")).isEqualTo(2);
        Path file = folder.resolve(CHANGE);
        String text = Files.readString(file);
        assertThat(db.value("SELECT checksum FROM ashlar_schema_migrations WHERE version = '20260102000000'"))
                .isEqualTo(MigrationFile.checksum(Files.readAllBytes(file)));

        // A skipped line counts in the checksum: editing it alone changes the applied file.
        Files.writeString(file, text.replace("\\timing on", "\\timing off"));
        assertThat(migrator().status()).filteredOn(status -> status.version().equals("20260102000000"))
                .extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.CHANGED);
        Files.writeString(file, text);

        migrator().rollback(1);
        assertThat(db.value("SELECT count(*)::int FROM posts WHERE title = 'kept'")).isEqualTo(0);

        write(CHANGE, "", "-- ignore-lines: start\n\\set ON_ERROR_STOP on\n-- ignore-lines: end\n"
                + "UPDATE posts SET missing = 1;", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("statement 1 (line 5)");
        assertThat(history()).containsExactly("20260101000000");
    }

    /**
     * pg_dump's COPY blocks beside psql lines, what ignore-lines is for: a row holding a quote is data, not the start
     * of a string, so the psql line after the rows is skipped and the file applies.
     */
    @Test
    void ignoreLinesAfterTheRowsOfACopyHoldingAQuoteSkipTheirLinesAndTheFileApplies() throws IOException {
        write(CHANGE, "", "COPY posts (id, title) FROM stdin;\n41\tO'Brien\n\\.\n-- ignore-lines: 1\n"
                + "\\set ON_ERROR_STOP on\nDELETE FROM posts WHERE id <= 10;", "DELETE FROM posts WHERE id = 41;");

        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(rows("posts")).isEqualTo(31);
        assertThat(db.value("SELECT title FROM posts WHERE id = 41")).isEqualTo("O'Brien");
    }

    /** A Liquibase line after the rows of a COPY holding a quote is at statement level, and refused naming it. */
    @Test
    void aRollbackLineAfterTheRowsOfACopyHoldingAQuoteIsRefusedWithNothingApplied() throws IOException {
        write(CHANGE, "", "COPY posts (id, title) FROM stdin;\n41\tO'Brien\n\\.\n--rollback DELETE FROM posts;",
                "SELECT 1;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 5 of migration").hasMessageContaining("'--rollback DELETE FROM posts;'");
        assertNothingOfTheFileApplied();
    }

    /** {@code -- Rollback} alone heading the down section is a heading there, as Liquibase reads it: no rollback. */
    @Test
    void aRollbackHeadingAtTheTopOfTheDownSectionIsACommentAndTheRollbackRuns() throws IOException {
        write(CHANGE, "", "DELETE FROM posts WHERE id > 30;", "-- Rollback\nINSERT INTO posts SELECT g, 'post ' || g "
                + "FROM generate_series(31, 40) g;");

        migrator().migrate();
        assertThat(rows("posts")).isEqualTo(30);

        migrator().rollback(1);
        assertThat(rows("posts")).isEqualTo(40);
        assertThat(history()).containsExactly("20260101000000");
    }

    /**
     * A file that sets standard_conforming_strings off reads {@code \'} as a quote inside its strings, as the server
     * does: a Liquibase line after such a string is refused, and one inside it is the string's text.
     */
    @Test
    void afterStandardConformingStringsIsSetOffABackslashQuoteDoesNotHideOrInventALiquibaseLine() throws IOException {
        write(CHANGE, "", "SET standard_conforming_strings = off;\nINSERT INTO posts VALUES (41, 'it\\'s');\n"
                + "--rollback DELETE FROM posts;", "SELECT 1;");
        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 4 of migration").hasMessageContaining("'--rollback DELETE FROM posts;'");
        assertNothingOfTheFileApplied();

        write(CHANGE, "", "SET standard_conforming_strings = off;\nINSERT INTO posts VALUES (41, 'a\\'\n"
                + "--rollback x;\n');", "DELETE FROM posts WHERE id = 41;");
        migrator().migrate();
        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(db.value("SELECT title FROM posts WHERE id = 41")).isEqualTo("a'\n--rollback x;\n");
    }

    /** An indented ignore-lines line is one, not SQL: the line it covers is skipped. */
    @Test
    void anIndentedIgnoreLinesLineSkipsItsLines() throws IOException {
        write(CHANGE, "", "  -- ignore-lines: 1\n\\set ON_ERROR_STOP on\nDELETE FROM posts WHERE id > 30;",
                "SELECT 1;");

        migrator().migrate();

        assertThat(history()).containsExactly("20260101000000", "20260102000000");
        assertThat(rows("posts")).isEqualTo(30);
    }

    /**
     * {@code parse_withWithIgnoreNotIgnoreLines} and {@code parse_withWithIgnoreLinesEndOneDash}: lines to ignore
     * that never end, an end without a start, a count of none, one in the header and nested starts are refused
     * naming the line, nothing run.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "-- ignore-lines: start\\n\\\\set x 1\\nDELETE FROM posts;|2|no '-- ignore-lines: end' line ends",
        "DELETE FROM posts;\\n-- ignore-lines: end|3|no '-- ignore-lines: start' line opened",
        "-- ignore-lines: 0\\nDELETE FROM posts;|2|skips no line",
        "-- ignore-lines: 3\\nDELETE FROM posts;|2|more line(s) than its section holds",
        "-- ignore-lines: start\\n-- ignore-lines: start\\n-- ignore-lines: end|3|do not nest",
        "-- ignore-lines: start\\nfoo\\n-ignore-lines: end\\nDELETE FROM posts;|2|no '-- ignore-lines: end' line",
    })
    void malformedIgnoreLinesAreRefusedNamingTheLine(String up, int line, String problem) throws IOException {
        write(CHANGE, "", up.replace("\\n", "\n").replace("\\\\", "\\"), "SELECT 1;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining(CHANGE).hasMessageContaining(problem)
                .hasMessageContaining("Line " + line + " of migration");
        assertNothingOfTheFileApplied();
    }

    /**
     * {@code parse_rollbackWithOneDash}: {@code -rollback drop table test;} is no Liquibase line, so Liquibase refuses
     * it; here it is SQL of the up section, which the server refuses, naming the statement and its line, the file's
     * CREATE before it rolled back with it and no history row written.
     */
    @Test
    void aRollbackLineWithOneDashIsSqlThatFailsWithNothingOfTheFileApplied() throws IOException {
        write(CHANGE, "", "CREATE TABLE test (id int);\n-rollback drop table test;", "DROP TABLE test;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining(CHANGE).hasMessageContaining("statement 2 (line 3)")
                .hasMessageContaining("syntax error");
        assertThat(table("test")).isFalse();
        assertThat(history()).containsExactly("20260101000000");
    }

    /** An ignore-lines line above the up line, where nothing runs to skip, is refused naming its line. */
    @Test
    void ignoreLinesAboveTheUpLineAreRefused() throws IOException {
        write(CHANGE, "-- ignore-lines: 1\n", "DELETE FROM posts;", "SELECT 1;");

        assertThatThrownBy(() -> migrator().migrate()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("Line 1 of migration").hasMessageContaining("only a section's lines");
        assertThat(rows("posts")).isEqualTo(40);
    }
}
