package dev.ashlar.kernel.migrate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlStatementsTest {

    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertThat(SqlStatements.split("CREATE TABLE a (x text DEFAULT 'a;b');\nINSERT INTO \"we;ird\" VALUES (1);"))
                .containsExactly("CREATE TABLE a (x text DEFAULT 'a;b');", "INSERT INTO \"we;ird\" VALUES (1);");
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
}
