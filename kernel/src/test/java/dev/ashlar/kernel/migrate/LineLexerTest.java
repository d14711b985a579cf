package dev.ashlar.kernel.migrate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a script line by line: the state before each line is that of a scan of the whole text up to it. */
class LineLexerTest {

    /** Whether each line starts at statement level, read line by line. */
    private static List<Boolean> lineByLine(String script) {
        LineLexer lexer = new LineLexer();
        List<Boolean> levels = new ArrayList<>();
        for (String line : script.split("\n", -1)) {
            levels.add(lexer.atStatementLevel());
            lexer.read(line);
        }
        return levels;
    }

    /** Whether each line starts at statement level, by scanning the whole text before it again. */
    private static List<Boolean> wholeText(String script) {
        List<Boolean> levels = new ArrayList<>();
        int start = 0;
        for (String line : script.split("\n", -1)) {
            levels.add(SqlStatements.unclosed(script.substring(0, start), false) < 0);
            start += line.length() + 1;
        }
        return levels;
    }

    @Test
    void theStateBeforeEachLineIsThatOfAScanOfTheWholeTextBeforeIt() {
        String script = String.join("\n",
                "SELECT 'one;", "two' AS a, \"quoted", "name\" FROM t; -- 'not open",
                "/* outer /* inner", "*/ still a comment", "*/ SELECT E'it\\'s", "still';",
                "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $fn$", "SELECT $$", "x$$; $fn$;",
                "SELECT a$b, 'x''", "y' FROM t;", "DO $$ BEGIN", "END $$;", "SELECT 1;");

        assertThat(lineByLine(script)).isEqualTo(wholeText(script))
                .containsExactly(true, false, false, true, false, false, false, true, false, false, true, false,
                        true, false, true);
    }

    @Test
    void theRowsOfACopyFromStdinUpToTheirEndLineAreData() {
        String script = "COPY t (a) FROM stdin;\nO'Brien\n/usr/lib/*.so\n\\.\nSELECT 1;\n";

        assertThat(lineByLine(script)).containsExactly(true, false, false, false, true, true);
    }

    @Test
    void afterStandardConformingStringsIsSetOffABackslashEscapesAQuoteUntilItIsSetOnAgain() {
        String script = "SET standard_conforming_strings = off;\nSELECT 'it\\'s\nstill';\n"
                + "SET standard_conforming_strings = on;\nSELECT 'a\\';\nSELECT 1;\n";

        assertThat(lineByLine(script)).containsExactly(true, true, false, true, true, true, true);
    }

    @Test
    void aPsqlCommandRunsToTheEndOfItsLineAndOpensNothing() {
        assertThat(lineByLine("\\set x 'a\nSELECT 1;\n")).containsExactly(true, true, true);
    }
}
