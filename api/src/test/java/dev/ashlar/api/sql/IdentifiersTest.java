package dev.ashlar.api.sql;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifiersTest {

    @Test
    void quotesANameDoublingTheQuotesInside() {
        assertThat(Identifiers.quote("order")).isEqualTo("\"order\"");
        assertThat(Identifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(Identifiers.qualify("public", "posts")).isEqualTo("\"public\".\"posts\"");
    }

    @Test
    void refusesANameWithALineBreakWhichWouldEndAMigrationFileComment() {
        assertThat(Identifiers.problem("posts\nDROP TABLE users;")).contains("control character");
        assertThat(Identifiers.problem("posts\tx")).contains("control character");
        assertThat(Identifiers.problem("posts_tenant_isolation")).isNull();
        assertThatThrownBy(() -> Identifiers.quote("posts\r"))
                .isInstanceOf(DefinitionException.class)
                .satisfies(e -> assertThat(((DefinitionException) e).code()).isEqualTo(ErrorCode.INVALID_DEFINITION))
                .hasMessageStartingWith("Identifier 'posts\\r' contains a control character");
    }

    @Test
    void refusesHalfASurrogatePairWhichWouldReachTheServerAsAQuestionMark() {
        assertThat(Identifiers.problem("x\uD800")).contains("half of a UTF-16 surrogate pair (at 1)");
        assertThat(Identifiers.problem("\uDC00x")).contains("(at 0)");
        assertThat(Identifiers.problem("emoji_\uD83D\uDE00")).as("a whole pair is a character").isNull();
    }

    @Test
    void refusesANameThatPostgresqlWouldTruncate() {
        assertThatThrownBy(() -> Identifiers.quote("x".repeat(64)))
                .hasMessage("Identifier '" + "x".repeat(64) + "' is 64 bytes long; PostgreSQL keeps only 63 and "
                        + "would silently truncate it: choose a shorter name");
    }
}
