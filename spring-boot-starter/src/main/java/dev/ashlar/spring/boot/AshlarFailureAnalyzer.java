package dev.ashlar.spring.boot;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.ProjectFileException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an Ashlar failure at start-up into Boot's "APPLICATION FAILED TO START" report, as Boot does for its own
 * start-up failures: Ashlar's message (which names the property, bean, file or schema) as the description, and
 * what to change as the action, instead of the stack of bean creation exceptions around it.
 */
final class AshlarFailureAnalyzer extends AbstractFailureAnalyzer<AshlarException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AshlarException cause) {
        return new FailureAnalysis("Ashlar stopped the start-up: " + cause.getMessage(), action(cause), cause);
    }

    private static String action(AshlarException cause) {
        if (cause instanceof ProjectFileException) {
            return "Fix ashlar.migrate.location or the project file named above; the migrations are read from "
                    + "classpath:db/ashlar (src/main/resources/db/ashlar) unless the property says otherwise.";
        }
        if (cause.sqlState().filter(state -> state.startsWith("08")).isPresent()) {
            return "Check that the database answers at spring.datasource.url (or ashlar.migrate.url) with its user "
                    + "and password; ashlar.migrate.connect-retries waits for a database still starting.";
        }
        if (cause.sqlState().filter(state -> state.startsWith("28")).isPresent()) {
            return "The server refused the user or its password: set spring.datasource.username and "
                    + "spring.datasource.password (or ashlar.migrate.username and .password) to a role that may log in "
                    + "to the database; without a username the driver logs in as the operating system's user.";
        }
        if (cause.sqlState().filter("3D000"::equals).isPresent()) {
            return "Create the database named in spring.datasource.url (or ashlar.migrate.url), e.g. createdb -O USER "
                    + "NAME, or correct the URL.";
        }
        if (cause.code() == ErrorCode.MIGRATION || cause.code() == ErrorCode.MIGRATION_FAILED
                || cause.code() == ErrorCode.CHECKSUM_MISMATCH) {
            return "Fix the migration or the database as the message says, then start the application again; "
                    + "ashlar status (or ashlar:status) lists what is applied and what is pending.";
        }
        return "Change the ashlar.* property or the bean named above as the message says.";
    }
}
