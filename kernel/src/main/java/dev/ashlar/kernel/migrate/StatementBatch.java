package dev.ashlar.kernel.migrate;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends the statements of a file that runs inside a transaction in one round trip, as one JDBC
 * batch: the driver sends them all, then waits once. The transaction makes the batch all or nothing:
 * when a statement fails, the transaction is aborted and its owner rolls it back. The error must
 * still name the statement: inside a transaction the driver marks every entry of a failed batch
 * {@link Statement#EXECUTE_FAILED}, but its message names the entry it was at ("Batch entry 1 …
 * was aborted"), counted from 0. Files outside a transaction never come here: each of their
 * statements commits alone and may be resumed.
 */
final class StatementBatch {
    /**
     * The entry's number in the driver's message: formatted for the JVM's locale, so from 1,000 on with grouping
     * ({@code 20,002}, {@code 20.002}, {@code 20 002}); read as its first number alone, entry 20,002 would be entry 20.
     */
    private static final Pattern ENTRY = Pattern.compile("(\\d{1,3}(?:[,.'\\u00a0\\u202f ]\\d{3})+|\\d+)");

    /**
     * The statement that failed and the server's error.
     *
     * @param index the statement's index in the file's list, or -1 when the driver did not say
     */
    record Failure(int index, SQLException cause) {
    }

    /** Reads what the server said while the batch ran ({@link ServerNotices}), failed or not. */
    @FunctionalInterface
    interface Notices {
        void read(Statement batch) throws SQLException;
    }

    private StatementBatch() {
    }

    /**
     * Runs the statements in one round trip.
     *
     * @return null when all of them ran, or the one that failed
     */
    static Failure run(Connection connection, List<String> statements, Notices notices)
            throws SQLException {
        try (Statement batch = connection.createStatement()) {
            batch.setEscapeProcessing(false);
            for (int i = 0; i < statements.size(); i++) {
                try {
                    batch.addBatch(statements.get(i));
                } catch (SQLException e) {
                    // The driver reads each statement before sending any ("Multi-statement SQL is not supported").
                    return new Failure(i, e);
                }
            }
            try {
                batch.executeBatch();
                return null;
            } catch (BatchUpdateException e) {
                Matcher entry = ENTRY.matcher(String.valueOf(e.getMessage()));
                int index = entry.find() ? Integer.parseInt(entry.group(1).replaceAll("\\D", "")) : -1;
                return new Failure(index < statements.size() ? index : -1,
                        e.getNextException() != null ? e.getNextException() : e);
            } finally {
                // What the statements before a failed one said is told too: a backfill's progress up to the failure.
                notices.read(batch);
            }
        }
    }
}
