package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a migration waits. {@code lock} bounds both the wait for the migration lock and, through
 * PostgreSQL's {@code lock_timeout}, each statement's wait for a table lock; {@code statement} sets
 * {@code statement_timeout}. A null bound means: the migration lock is awaited
 * {@link #MIGRATION_LOCK_WAIT}, table locks and statements without limit. Whatever the bounds, a
 * statement that waits for a lock longer than {@code report} is reported with the session it waits for.
 *
 * @param lock      the longest wait for a lock, or null
 * @param statement the longest a statement may run, or null
 * @param report    after how long a wait for a lock is reported
 */
public record Timeouts(Duration lock, Duration statement, Duration report) {
    /** How long the migration lock is awaited when no lock timeout is given. */
    public static final Duration MIGRATION_LOCK_WAIT = Duration.ofMinutes(10);

    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)?");

    public Timeouts {
        // PostgreSQL reads a lock_timeout or statement_timeout of 0 as no limit, and takes whole milliseconds in a
        // 32-bit integer: a bound under a millisecond would wait for ever, one past it fail on the server mid-run.
        checkBound(lock, "lockTimeout");
        checkBound(statement, "statementTimeout");
        if (report == null || report.isNegative() || report.isZero()) {
            throw new MigrationException(ErrorCode.MIGRATION, "A wait is reported after " + report + ": give a "
                    + "duration of a millisecond or more", null);
        }
    }

    /**
     * The bound, refused when PostgreSQL cannot take it as meant: under a millisecond (0 is no limit to it) or past its
     * 32-bit milliseconds, about 596 hours; null (no bound) passes.
     *
     * @param option what the caller gave it as, for the message ({@code lockTimeout})
     * @throws MigrationException naming the option and the range it takes
     */
    public static Duration checkBound(Duration bound, String option) {
        // Durations compared, not millis: toMillis() overflows on Duration.ofSeconds(Long.MAX_VALUE) or FOREVER.
        if (bound != null && (bound.compareTo(Duration.ofMillis(1)) < 0
                || bound.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0)) {
            throw new MigrationException(ErrorCode.MIGRATION, option + "(" + bound + ") is not a bound PostgreSQL "
                    + "takes: give from 1 ms to about 596 hours (2,147,483,647 ms), or null for no bound", null);
        }
        return bound;
    }

    /**
     * A bound as a person writes it (the command line's {@code --lock-timeout 10s}, a build's {@code lockTimeout}):
     * {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a bare number of seconds.
     *
     * @param option what gave the value, for the message ({@code ashlar.lockTimeout}, or {@code the value})
     * @throws MigrationException for another form, zero, or more than the server takes (whole milliseconds in a
     *                            32-bit integer, about 596 hours), naming the option and the forms it takes
     */
    public static Duration parse(String value, String option) {
        Matcher matcher = FORMAT.matcher(value.trim());
        // At most nine digits, so the number is a long whatever its unit; the server's limit is checked below.
        if (!matcher.matches() || matcher.group(1).length() > 9 || Long.parseLong(matcher.group(1)) == 0) {
            throw new MigrationException(ErrorCode.MIGRATION, option + " '" + value + "' is not a duration: use "
                    + "e.g. 500ms, 10s, 2m or 1h (a bare number is seconds), more than zero and at most 596h",
                    null);
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        Duration duration = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (duration.toMillis() > Integer.MAX_VALUE) {
            throw new MigrationException(ErrorCode.MIGRATION, option + " '" + value + "' is longer than the "
                    + "server's limit for a timeout, about 596h (2,147,483,647 ms)", null);
        }
        return duration;
    }

    /** No bounds; waits are reported after five seconds. */
    public static Timeouts none() {
        return new Timeouts(null, null, Duration.ofSeconds(5));
    }

    /**
     * These bounds with another for lock waits.
     *
     * @param timeout how long to wait for a lock, from 1 ms to 2,147,483,647 ms (about 596 hours), or null for no bound
     * @throws MigrationException when the timeout is under 1 ms or over 2,147,483,647 ms
     */
    public Timeouts withLock(Duration timeout) {
        return new Timeouts(timeout, statement, report);
    }

    /**
     * These bounds with another for each statement.
     *
     * @param timeout how long a statement may run, from 1 ms to 2,147,483,647 ms (about 596 hours), or null for no
     *                bound
     * @throws MigrationException when the timeout is under 1 ms or over 2,147,483,647 ms
     */
    public Timeouts withStatement(Duration timeout) {
        return new Timeouts(lock, timeout, report);
    }

    public Timeouts withReport(Duration after) {
        return new Timeouts(lock, statement, after);
    }

    /** How long to wait for the migration lock. */
    public Duration migrationLock() {
        return lock == null ? MIGRATION_LOCK_WAIT : lock;
    }

    /** When to first look for the session a statement waits for: early enough to name it before a lock timeout. */
    Duration firstReport() {
        // In milliseconds: Duration's own multiplication and division go through BigDecimal, once per file run.
        return lock == null || lock.toMillis() >= 2 * report.toMillis() ? report : Duration.ofMillis(lock.toMillis() / 2);
    }

    static String millis(Duration duration) {
        return duration == null ? "0" : Long.toString(Math.max(1, duration.toMillis()));
    }

    /**
     * Bounds, for the session of a run's connection, the wait for a table lock of the run's own statements outside its
     * files (reading and creating the history, its progress): without it a session holding the history table (a
     * {@code LOCK TABLE}, a long {@code ALTER}) kept the run waiting past its lock timeout, for ever. Files set their
     * own bounds on top of it.
     *
     * @return the session's {@code lock_timeout} before, for {@link #restoreLockWait}; null when no lock timeout is set
     */
    public String boundLockWait(Connection connection) throws SQLException {
        if (lock == null) {
            return null;
        }
        try (PreparedStatement set = connection.prepareStatement("SELECT current_setting('lock_timeout'), "
                + "set_config('lock_timeout', ?, false)")) {
            set.setString(1, millis(lock));
            try (ResultSet before = set.executeQuery()) {
                before.next();
                return before.getString(1);
            }
        }
    }

    /** Gives the session back the {@code lock_timeout} it had before {@link #boundLockWait}; null does nothing. */
    public static void restoreLockWait(Connection connection, String before) {
        if (before == null) {
            return;
        }
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
            set.setString(1, before);
            set.execute();
        } catch (SQLException e) {
            // The connection broke: it cannot be reused, so nothing is left set for another user of it.
        }
    }
}
