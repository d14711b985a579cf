package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How long to wait for a database that does not answer yet, as Flyway's {@code connectRetries}: a migration started
 * beside its database (a container, a restarted server) tries again instead of failing on its first connection. A
 * connection refused, lost, or turned away because the server is starting, stopping or full is tried again after
 * 1 s, 2 s, 4 s ..., each wait at most {@code longestWait}; any other failure (a wrong password, a database that does
 * not exist) fails at once.
 *
 * @param count       the tries after the first; 0 fails on the first failure
 * @param longestWait the longest wait between two tries
 */
public record ConnectRetries(int count, Duration longestWait) {
    /** No retry: the first failure to connect fails the command. */
    public static final ConnectRetries NONE = new ConnectRetries(0, Duration.ofSeconds(120));

    public ConnectRetries {
        if (count < 0) {
            throw new AshlarException(ErrorCode.DATABASE, "connectRetries is " + count + ": give 0 (no retry) or more");
        }
        if (longestWait == null || longestWait.isNegative() || longestWait.isZero()) {
            throw new AshlarException(ErrorCode.DATABASE, "The longest wait between connection retries is "
                    + longestWait + ": give a positive duration (120 s by default)");
        }
    }

    /** This many retries, each wait at most 120 s (Flyway's default for {@code connectRetriesInterval}). */
    public static ConnectRetries of(int count) {
        return new ConnectRetries(count, NONE.longestWait());
    }

    /** The data source, its connections tried again as this says, each wait reported to {@code progress}. */
    public DataSource around(DataSource source, Consumer<String> progress) {
        return count == 0 ? source : new OpeningDataSource(source, attempt -> connect(attempt, progress));
    }

    /** The wait before retry {@code retry} (from 1): 1 s, doubled each time, at most {@link #longestWait}. */
    Duration before(int retry) {
        Duration doubled = retry > 20 ? longestWait : Duration.ofSeconds(1L << (retry - 1));
        return doubled.compareTo(longestWait) > 0 ? longestWait : doubled;
    }

    /**
     * Whether the failure is the server's not answering, for now: no connection (SQL state class 08), starting up or
     * shutting down (57P03, 57P01), or too many connections (53300).
     */
    static boolean unanswered(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P03") || state.equals("57P01")
                        || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }

    private Connection connect(OpeningDataSource.Attempt attempt, Consumer<String> progress) throws SQLException {
        for (int retry = 1; ; retry++) {
            try {
                return attempt.connect();
            } catch (SQLException e) {
                if (retry > 1 && retry > count) {
                    throw new SQLException(e.getMessage() + " (and so after " + count + " connection retries)",
                            e.getSQLState(), e);
                }
                if (retry > count || !unanswered(e)) {
                    throw e;
                }
                Duration wait = before(retry);
                progress.accept("the database does not answer (" + e.getMessage() + "); connection retry " + retry
                        + " of " + count + " in " + wait.toMillis() + " ms");
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
