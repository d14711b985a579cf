package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.ActionTimeoutException;
import dev.ashlar.api.error.AshlarException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement the server cancelled (57014) is told a timeout or another session's cancel by the server's text, which
 * is English unless the server's lc_messages says otherwise: PostgreSQL sends the same SQL state and routine for both.
 * The failures are built as the driver builds them from the server's error fields, as a server in German sends them.
 */
class CancelWordingTest {
    private static PSQLException cancelled(String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C57014\0M" + message
                + "\0Fpostgres.c\0RProcessInterrupts\0"));
    }

    @Test
    void aCancelWhoseServerTextIsInAnotherLanguageNamesBothCausesAndSaysToRunItAgainShouldItBeAnotherSessions() {
        AshlarException failure = ErrorMapper.unmapped(cancelled("storniere Anfrage wegen Benutzeraufforderung"),
                "SQL SELECT 1", true);

        assertThat(failure).isInstanceOf(ActionTimeoutException.class)
                .hasMessageContaining("its statement_timeout, or a cancel request from another session")
                .hasMessageContaining("Were it cancelled by another session (pg_cancel_backend) rather than by its "
                        + "statement_timeout, more time would not help: run it again")
                .hasMessageContaining("The transaction it ran in is rolled back, with everything it wrote")
                .hasMessageContaining("[SQL state 57014]");
    }

    @Test
    void aStatementTimeoutInEnglishIsATimeoutWithoutTheHintForAnotherSessionsCancel() {
        AshlarException failure = ErrorMapper.unmapped(cancelled("canceling statement due to statement timeout"),
                "SQL SELECT 1", false);

        assertThat(failure).isInstanceOf(ActionTimeoutException.class)
                .hasMessageContaining("give it more time")
                .hasMessageNotContaining("Were it cancelled by another session")
                .hasMessageNotContaining("rolled back");
    }
}
