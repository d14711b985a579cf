package dev.ashlar.kernel.migrate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlStatementsTest {

    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertThat(SqlStatements.split("CREATE TABLE a (x text DEFAULT 'a;b');\nINSERT INTO \"we;ird\" VALUES (1);"))
                .containsExactly("CREATE TABLE a (x text DEFAULT 'a;b');", "INSERT INTO \"we;ird\" VALUES (1);");
    }

    @Test
    void splitsTheCasesOfFlywaysPostgresqlParserAtTheirOwnSemicolonsOnly() {
        List<String> statements = List.of(
                "SELECT '$$;', \"$$;\", 'it''s; -- not a comment';",
                "SELECT $outer$ $inner$ ; $inner$ ; $outer$ || $$;$$||$_$;$_$;",
                "SELECT a$b$c, 1 -- a quote ' and a ; in a comment\n FROM (VALUES (1)) t(a$b$c);",
                "SELECT /* ' ; \" /* nested ; */ $$ */ 1;",
                "SELECT E'\\\\', E'\\';', 'a'\n'b;', U&'\\0041;', B'1010';",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT (2); END;",
                "DO LANGUAGE plpgsql $do$ BEGIN RAISE NOTICE '%', ';'; END $do$;");

        assertThat(SqlStatements.split(String.join("\n;;\n", statements))).containsExactlyElementsOf(statements);
    }

    @Test
    void keepsDollarQuotedFunctionBodiesWhole() {
        String function = "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
                + "BEGIN NEW.x := 'y;'; RETURN NEW; END $body$;";

        assertThat(SqlStatements.split(function + "\nSELECT $$;$$;")).containsExactly(function, "SELECT $$;$$;");
    }

    @Test
    void ignoresSemicolonsInCommentsAndDropsCommentOnlyStatements() {
        assertThat(SqlStatements.split("-- first; not a statement\nSELECT 1; /* a; /* nested; */ b */ SELECT 2;\n-- end;"))
                .containsExactly("-- first; not a statement\nSELECT 1;", "/* a; /* nested; */ b */ SELECT 2;");
        assertThat(SqlStatements.split("/* only /* a */ comment */ ;\n;;\t-- and a line\n")).isEmpty();
    }

    @Test
    void keepsACommentThatNeverEndsAsAStatementAndFindsWhatAStatementLeavesOpen() {
        assertThat(SqlStatements.split("SELECT 1;\n/* never closed /* nested */\nSELECT 2;"))
                .containsExactly("SELECT 1;", "/* never closed /* nested */\nSELECT 2;");
        assertThat(SqlStatements.unclosed("/* never closed /* nested */\nSELECT 2;", false)).isEqualTo(0);
        assertThat(SqlStatements.unclosed("SELECT 'it''s", false)).isEqualTo(7);
        assertThat(SqlStatements.unclosed("SELECT E'ends in \\'", false)).isEqualTo(8);
        assertThat(SqlStatements.unclosed("SELECT 'ends in \\'", true)).isEqualTo(7);
        assertThat(SqlStatements.unclosed("DO $do$ BEGIN END $d$;", false)).isEqualTo(3);
        assertThat(SqlStatements.unclosed("SELECT \"a\"\"b", false)).isEqualTo(10);
        assertThat(SqlStatements.unclosed("SELECT 'a''', \"b\", $$c$$ /* d */ -- e", false)).isEqualTo(-1);
        assertThat(SqlStatements.unclosed("SELECT 'ends in \\'", false)).isEqualTo(-1);
    }

    @Test
    void understandsDoubledQuotesAndBackslashEscapesInEStrings() {
        assertThat(SqlStatements.split("SELECT 'it''s;'; SELECT E'\\';'; SELECT 3"))
                .containsExactly("SELECT 'it''s;';", "SELECT E'\\';';", "SELECT 3");
    }

    @Test
    void takesConcurrentlyOutOfIndexStatementsOnly() {
        assertThat(SqlStatements.withoutConcurrently("-- build it\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (x);\n"
                + "DROP INDEX CONCURRENTLY j;\nSELECT 'CREATE INDEX CONCURRENTLY';"))
                .isEqualTo("CREATE UNIQUE INDEX i ON t (x);\nDROP INDEX j;\nSELECT 'CREATE INDEX CONCURRENTLY';");
    }

    @Test
    void keepsSqlStandardFunctionBodiesWholeEvenWithCaseInside() {
        String function = "CREATE FUNCTION grade(s int) RETURNS text LANGUAGE sql\nBEGIN ATOMIC\n"
                + "  INSERT INTO grades VALUES (CASE WHEN s > 9 THEN 'high' ELSE 'low' END);\n"
                + "  SELECT CASE s WHEN 0 THEN 'none' END;\nend;";

        assertThat(SqlStatements.split(function + "\nSELECT t.end FROM t;\nBEGIN;\nSELECT 1;\nCOMMIT;"))
                .containsExactly(function, "SELECT t.end FROM t;", "BEGIN;", "SELECT 1;", "COMMIT;");
    }

    @Test
    void keepsParenthesisedRuleActionsWhole() {
        String rule = "CREATE RULE log AS ON INSERT TO posts DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));";

        assertThat(SqlStatements.split(rule + "\nSELECT ';)';")).containsExactly(rule, "SELECT ';)';");
    }

    @Test
    void makesEachPsqlCommandLineAStatementOfItsOwn() {
        assertThat(SqlStatements.split("\\restrict k3y\nSELECT 1;\n  \\connect other\nSELECT 'a\n\\b';\n\\."))
                .containsExactly("\\restrict k3y", "SELECT 1;", "\\connect other", "SELECT 'a\n\\b';", "\\.")
                .filteredOn(SqlStatements::isPsqlCommand).hasSize(3);
    }

    @Test
    void tellsStatementsThatBeginOrEndATransactionFromSavepoints() {
        assertThat(List.of("BEGIN;", "begin isolation level serializable", "START TRANSACTION;", "-- done\nCOMMIT;",
                "commit and chain", "END;", "ROLLBACK;", "rollback work", "ABORT;", "PREPARE TRANSACTION 'x';"))
                .allMatch(SqlStatements::controlsTransaction);
        assertThat(List.of("ROLLBACK TO SAVEPOINT s;", "rollback work to s", "SAVEPOINT s;", "RELEASE SAVEPOINT s;",
                "COMMIT PREPARED 'x';", "SELECT 'commit';", "DO $$BEGIN COMMIT; END$$;", "ENDING"))
                .noneMatch(SqlStatements::controlsTransaction);
    }

    @Test
    void readsBackslashesInPlainStringsAsEscapesWhileTheScriptSetsStandardConformingStringsOff() {
        assertThat(SqlStatements.split("SELECT 'C:\\'; SET standard_conforming_strings = off;\n"
                + "SELECT 'it\\'s; one'; SET LOCAL standard_conforming_strings TO 'on'; SELECT 'D:\\';"))
                .containsExactly("SELECT 'C:\\';", "SET standard_conforming_strings = off;", "SELECT 'it\\'s; one';",
                        "SET LOCAL standard_conforming_strings TO 'on';", "SELECT 'D:\\';");
        assertThat(SqlStatements.split("SET standard_conforming_strings TO false; RESET standard_conforming_strings;"
                + " SELECT 'E:\\'; SELECT 2;")).hasSize(4);
    }

    @Test
    void keepsTheRowsAfterCopyFromStdinWithItUpToTheLineThatEndsThem() {
        List<String> statements = SqlStatements.split("COPY t (a) FROM stdin;\nx; 'y\n\\.\nSELECT 1;\r\n"
                + "copy t from stdin;\r\nz\r\n\\.\r\n");

        assertThat(statements).containsExactly("COPY t (a) FROM stdin;\nx; 'y\n\\.", "SELECT 1;",
                "copy t from stdin;\r\nz\r\n\\.");
        assertThat(SqlStatements.commandOf(statements.get(0))).isEqualTo("COPY t (a) FROM stdin;");
        assertThat(SqlStatements.rowsOf(statements.get(0))).isEqualTo("x; 'y\n");
        assertThat(SqlStatements.rowsOf(statements.get(2))).isEqualTo("z\r\n");
        assertThat(SqlStatements.rowsOf("COPY t FROM stdin;\n\\.")).isEmpty();
        assertThat(SqlStatements.rowsOf(SqlStatements.split("COPY t FROM stdin;\nx\nSELECT 1;").get(0)))
                .as("no line ends the rows").isNull();
    }

    @Test
    void tellsCopyFromStdinFromCopyFromAServerFile() {
        assertThat(List.of("COPY public.posts (id, title) FROM stdin;", "-- rows\ncopy posts from STDIN with (format csv)"))
                .allMatch(SqlStatements::copiesFromStdin);
        assertThat(List.of("COPY posts FROM '/srv/posts.csv';", "COPY posts TO stdout;", "SELECT 'COPY t FROM stdin'"))
                .noneMatch(SqlStatements::copiesFromStdin);
        assertThat(List.of("COPY posts TO stdout;", "copy (SELECT 1) to STDOUT with (format csv)"))
                .allMatch(SqlStatements::copiesToStdout);
        assertThat(List.of("COPY posts TO '/srv/posts.csv';", "COPY posts FROM stdin;", "SELECT 'COPY t TO stdout'"))
                .noneMatch(SqlStatements::copiesToStdout);
    }
}
