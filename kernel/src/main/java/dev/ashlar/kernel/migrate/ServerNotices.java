package dev.ashlar.kernel.migrate;

import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * What the server said while a file ran, besides errors: a {@code RAISE NOTICE} reporting a backfill's progress, a
 * {@code WARNING}, {@code DROP ... IF EXISTS} skipping what is not there. The driver keeps them as the statement's
 * warnings, where nobody would read them; Flyway prints them as the file runs, and so does the migrator.
 */
final class ServerNotices {
    private ServerNotices() {
    }

    /**
     * Sends the statement's notices to {@code sink}, a line each, as {@code NOTICE from FILE: message}, and forgets them.
     *
     * @param what the file and schema, e.g. {@code 20260101000000_backfill.sql on public}
     */
    static void report(Statement statement, String what, Consumer<String> sink) throws SQLException {
        if (statement.isClosed()) {
            return;
        }
        report(statement.getWarnings(), what, sink);
        statement.clearWarnings();
    }

    /** The same, for notices read without a statement: {@code first} and the ones chained after it (none if null). */
    static void report(SQLWarning first, String what, Consumer<String> sink) {
        for (SQLWarning warning = first; warning != null; warning = warning.getNextWarning()) {
            ServerErrorMessage server = warning instanceof PSQLWarning notice ? notice.getServerErrorMessage() : null;
            String text = server == null ? "NOTICE: " + warning.getMessage()
                    : server.getSeverity() + ": " + server.getMessage()
                    + (server.getDetail() == null ? "" : " (" + server.getDetail() + ")");
            int colon = text.indexOf(": ");
            sink.accept(text.substring(0, colon) + " from " + what + text.substring(colon));
        }
    }
}
