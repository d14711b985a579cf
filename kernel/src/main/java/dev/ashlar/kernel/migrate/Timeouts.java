package dev.ashlar.kernel.migrate;

import java.time.Duration;

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

    /** No bounds; waits are reported after five seconds. */
    public static Timeouts none() {
        return new Timeouts(null, null, Duration.ofSeconds(5));
    }

    public Timeouts withLock(Duration timeout) {
        return new Timeouts(timeout, statement, report);
    }

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
}
