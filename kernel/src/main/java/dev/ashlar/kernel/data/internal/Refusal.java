package dev.ashlar.kernel.data.internal;

import dev.ashlar.spi.plugin.DatabaseError;

/**
 * The SQL of {@code Filter.error} and {@code Filter.errorIf}, which fail a statement with a message, and the message
 * read back from the failure.
 *
 * <p>PostgreSQL has no expression that raises an error ({@code RAISE} is PL/pgSQL's), and a function of Ashlar's own
 * would need a migration in every database. {@code set_config} given a value its setting does not take fails with that
 * value in the message (SQL state 22023), and is volatile, so it runs only for a row the {@code CASE} reaches it for; a
 * failing cast of a bound value would not do, as the planner folds it when it plans the statement and fails for every
 * row ("a CASE cannot prevent evaluation of ... constant subexpressions", PostgreSQL's manual, 4.2.14).
 */
final class Refusal {
    /** Starts the value given to the setting, so that its failure is told from any other of that state. */
    private static final String MARK = "ashlar-error: ";
    private static final String INVALID_PARAMETER_VALUE = "22023";

    /** The text before the bound value: an enum setting takes no value starting with {@link #MARK}. */
    static final String FAIL = "pg_catalog.set_config('client_min_messages', ";
    /** The text after it: a boolean expression, never reached as a value. */
    static final String FAILED = ", true) IS NULL";

    private Refusal() {
    }

    /** The value bound into {@link #FAIL}: the message, marked. */
    static String value(String message) {
        return MARK + message;
    }

    /** The message of a failure of {@code Filter.error}, or null for any other error. */
    static String message(DatabaseError error) {
        String text = error.message();
        if (!INVALID_PARAMETER_VALUE.equals(error.sqlState()) || text == null) {
            return null;
        }
        int start = text.indexOf('"' + MARK);
        int end = text.lastIndexOf('"');
        return start < 0 || end <= start ? null : text.substring(start + 1 + MARK.length(), end);
    }
}
