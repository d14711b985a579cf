package dev.ashlar.kernel.data.internal;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grammar a bulk write checks its JSON texts by: it passes no text that the JSON reader of a single write refuses
 * or that the server refuses as {@code jsonb}, and it passes the valid texts, whitespace, escapes and deep nesting
 * included.
 */
@ExtendWith(PostgresExtension.class)
class JsonGrammarTest {
    private static final List<String> VALID = List.of("{}", "[]", " {} ", "\t[\n1\r]", "0", "-0", "-0.5e-3", "1E+10",
            "12.25", "true", "false", "null", "\"\"", "\"a \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"",
            "\"ünïcödé 😀\"", "{\"a\": [1, {\"b\": \"x,y]\"}], \"c\": null}", "[[[[[]]]]]", "{\"\": {\"\": []}}",
            "[1,2 , 3 ,\"4\"]", "{\"rank\": 12, \"label\": \"L3\"}");
    private static final List<String> INVALID = List.of("", " ", "{", "}", "[", "]", "[1,]", "[,1]", "{,}",
            "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{a: 1}", "{\"a\": 1,}", "{'a': 1}", "01", "-", "+1", "1.", ".5", "1e",
            "1e+", "0x10", "NaN", "Infinity", "-Infinity", "tru", "truex", "nul", "True", "\"abc", "\"\\x\"",
            "\"\\u12\"", "\"\\u12g4\"", "\"a\u0001b\"", "1 2", "1, 2", "\"x", "y\"", "{\"b\": 1}]", "[{\"c\": 2}",
            "[1] [2]", "{} x", "\uFEFF{}", "[1}", "{\"a\": 1]", "\"\\u０１２３\"");

    @Test
    void passesValidTextsAndEveryTextItPassesIsReadByTheReaderAndStoredByTheServer(TestDatabase db)
            throws SQLException {
        for (String text : VALID) {
            assertThat(JsonGrammar.oneValue(text)).as(text).isTrue();
        }
        for (String text : INVALID) {
            assertThat(JsonGrammar.oneValue(text)).as(text).isFalse();
        }
        // Texts mutated at random from the valid ones: whatever the grammar passes, the reader and the server take.
        Random random = new Random(21);
        String alphabet = "{}[],:\"\\ -+.eE0123456789tfnulrsa\u0001é";
        List<String> passed = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            for (int m = random.nextInt(3) + 1; m > 0; m--) {
                int at = random.nextInt(text.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> text.deleteCharAt(Math.min(at, text.length() - 1));
                    default -> text.setCharAt(Math.min(at, text.length() - 1),
                            alphabet.charAt(random.nextInt(alphabet.length())));
                }
                if (text.isEmpty()) {
                    text.append('[');
                }
            }
            String mutated = text.toString();
            boolean grammar = JsonGrammar.oneValue(mutated);
            if (grammar) {
                assertThat(readerTakes(mutated)).as(mutated).isTrue();
                passed.add(mutated);
            } else {
                refused++;
            }
        }
        assertThat(passed).hasSizeGreaterThan(1_000);
        assertThat(refused).isGreaterThan(1_000);
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            for (String text : passed) {
                if (storable(text)) {
                    assertThat(serverTakes(connection, text)).as(text).isTrue();
                }
            }
            for (String text : INVALID) {
                assertThat(serverTakes(connection, text)).as(text).isFalse();
            }
            connection.rollback();
        }
    }

    @Test
    void passesNestingDeeperThanItsBitsAndRefusesItUnclosedOrMismatched() {
        String deep = "[{\"a\":".repeat(300) + "1" + "}]".repeat(300);
        assertThat(JsonGrammar.oneValue(deep)).isTrue();
        assertThat(readerTakes(deep)).isTrue();
        assertThat(JsonGrammar.oneValue(deep.substring(0, deep.length() - 1))).isFalse();
        assertThat(JsonGrammar.oneValue("[{\"a\":".repeat(300) + "1" + "]}".repeat(300))).isFalse();
        assertThat(JsonGrammar.oneValue("[".repeat(200) + "]".repeat(200))).isTrue();
        assertThat(JsonGrammar.oneValue("[".repeat(200) + "]".repeat(199) + "}")).isFalse();
    }

    /** Whether the single write's reader takes the text as one JSON value. */
    private static boolean readerTakes(String text) {
        try {
            JsonCodec.INSTANCE.toDatabase(text);
            return true;
        } catch (Codec.RejectedValue e) {
            return !e.getMessage().contains("not valid JSON");
        }
    }

    /** Without what the codec refuses apart from the grammar (NUL and lone surrogate escapes), which jsonb refuses. */
    private static boolean storable(String text) {
        try {
            JsonCodec.INSTANCE.toDatabase(text);
            return true;
        } catch (Codec.RejectedValue e) {
            return false;
        }
    }

    private static boolean serverTakes(Connection connection, String text) throws SQLException {
        Savepoint before = connection.setSavepoint();
        try (PreparedStatement statement = connection.prepareStatement("SELECT ?::jsonb")) {
            statement.setString(1, text);
            statement.executeQuery().close();
            connection.releaseSavepoint(before);
            return true;
        } catch (SQLException e) {
            connection.rollback(before);
            return false;
        }
    }
}
