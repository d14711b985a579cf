package dev.ashlar.kernel.migrate;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Where one migration stands in one schema.
 *
 * @param appliedAt when it was applied, or null when pending
 */
public record MigrationStatus(String version, String name, State state, Instant appliedAt) {

    /** In order of how much a deploy should worry: each later state outweighs the ones before. */
    public enum State {
        APPLIED,
        /** Recorded as applied by a baseline, without running: the database already had it. */
        BASELINED,
        /**
         * Applied, newer than every file: a newer release migrated this database (a rollback of the application, an
         * old instance starting during a rolling deploy). Not an error: this release's files all come before it.
         */
        FUTURE,
        PENDING,
        /** Applied, but the file is gone. */
        MISSING,
        /** Applied, but the file changed since. */
        CHANGED
    }

    /** The most worrying state among {@code statuses} ({@link State#APPLIED} when there are none): a deploy gate. */
    public static State worst(List<MigrationStatus> statuses) {
        return statuses.stream().map(MigrationStatus::state).max(Comparator.naturalOrder()).orElse(State.APPLIED);
    }
}
