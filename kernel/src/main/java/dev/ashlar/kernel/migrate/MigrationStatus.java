package dev.ashlar.kernel.migrate;

import java.time.Instant;

/**
 * Where one migration stands in one schema.
 *
 * @param appliedAt when it was applied, or null when pending
 */
public record MigrationStatus(String version, String name, State state, Instant appliedAt) {

    public enum State {
        APPLIED,
        /** Recorded as applied by a baseline, without running: the database already had it. */
        BASELINED,
        PENDING,
        /** Applied, but the file changed since. */
        CHANGED,
        /** Applied, but the file is gone. */
        MISSING
    }
}
