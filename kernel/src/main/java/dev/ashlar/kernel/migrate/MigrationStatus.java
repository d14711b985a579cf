package dev.ashlar.kernel.migrate;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Where one migration stands in one schema.
 *
 * @param name        the name of its file, or the history's name when there is no file
 * @param appliedAt   when it was applied, or null when pending
 * @param appliedName the name the history holds for it, or null when pending: another than {@code name} when its file
 *                    was renamed with its version kept ({@link #renamed()})
 * @param detail      of a {@link State#PARTIAL} or {@link State#FAILED} file, where it stopped and why; of a pending
 *                    file that may fail, {@link #MAY_FAIL}; else null
 * @param installedBy who applied it (Flyway's {@code installed_by}), or null when pending or applied before the
 *                    history recorded it
 * @param deploymentId the run that applied it ({@link Deployment}, Liquibase's {@code DEPLOYMENT_ID}), or null when
 *                     pending or applied before the history recorded it
 */
public record MigrationStatus(String version, String name, State state, Instant appliedAt, String appliedName,
                              String detail, String installedBy, String deploymentId) {

    /**
     * The detail of a pending file with a {@code -- fail-on-error: false} header, for people only: no decision reads it.
     * The history keeps no trace of a run that let the file fail, so the detail says what a failure does, not that one
     * happened.
     */
    public static final String MAY_FAIL = "fail-on-error: false; a failure rolls it back and leaves it pending";

    public MigrationStatus(String version, String name, State state, Instant appliedAt, String appliedName) {
        this(version, name, state, appliedAt, appliedName, null, null, null);
    }

    public MigrationStatus(String version, String name, State state, Instant appliedAt, String appliedName,
                           String detail) {
        this(version, name, state, appliedAt, appliedName, detail, null, null);
    }

    /** In order of how much a deploy should worry: each later state outweighs the ones before. */
    public enum State {
        APPLIED,
        /** Recorded as applied by a baseline, without running: the database already had it. */
        BASELINED,
        /**
         * Applied by a {@link JavaMigration} that this run does not have (the command line without
         * {@code --classpath}, which does not load the application's classes): left alone, as the run cannot tell what it did. Where Java migrations are
         * registered, such a row is {@link #MISSING} instead.
         */
        JAVA,
        /**
         * Applied, newer than every file: a newer release migrated this database (a rollback of the application, an
         * old instance starting during a rolling deploy). Not an error: this release's files all come before it.
         */
        FUTURE,
        /**
         * Pending, but after the target a status was asked against ({@code status --target}, Flyway's {@code info}
         * with a {@code target}): a migrate to that target leaves it pending.
         */
        ABOVE_TARGET,
        PENDING,
        /** A repeatable file applied with another text: it runs again at the next migrate. */
        OUTDATED,
        /**
         * A {@code transaction:false} file whose run died inside it (killed, its connection lost, its statement
         * cancelled), or failed and was marked resolved by {@code repair}: the statements before the one it reached
         * stay applied, and the next migrate resumes it at that statement.
         */
        PARTIAL,
        /** Applied, but the file is gone. */
        MISSING,
        /** Applied, but the file changed since. */
        CHANGED,
        /**
         * A {@code transaction:false} file that failed part way (its earlier statements stay applied), or that
         * stopped part way and changed since: migrate refuses it until {@code repair} marks it resolved (or
         * {@code baseline} records it).
         */
        FAILED
    }

    /** The state as {@code status} shows it: {@code pending}, {@code above-target}. */
    public String stateName() {
        return state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The name {@code status} shows: {@code 20260101000000_create_posts}, or {@code R__views} for a repeatable. */
    public String label() {
        return MigrationFile.repeatable(version) ? version : version + "_" + name;
    }

    /**
     * Whether its file was renamed after it was applied, its version kept: still applied, as a file is its version, but
     * {@code validate} refuses it until {@code repair} records the new name (Flyway's description mismatch).
     */
    public boolean renamed() {
        return appliedName != null && !appliedName.equals(name) && (state == State.APPLIED || state == State.BASELINED);
    }

    /** Whether the next migrate runs it: a file not applied yet, or a repeatable one outdated. */
    public boolean toRun() {
        return state == State.PENDING || state == State.OUTDATED || state == State.PARTIAL;
    }

    /**
     * The pending versioned migrations among {@code statuses} older than the newest applied version: files merged
     * late, which a migrate applies in version order unless it refuses out-of-order ones. A {@code -- fail-on-error:
     * false} file that a run let fail is among them once a later file is applied: the history records no failed try, so
     * it cannot be told from a file merged late with the header.
     */
    public static List<MigrationStatus> outOfOrder(List<MigrationStatus> statuses) {
        String newest = newestApplied(statuses);
        return newest == null ? List.of() : statuses.stream().filter(s -> s.state() == State.PENDING
                && !MigrationFile.repeatable(s.version()) && s.version().compareTo(newest) < 0).toList();
    }

    /** The newest version among {@code statuses} that the history holds, a repeatable file's aside; null when none. */
    public static String newestApplied(List<MigrationStatus> statuses) {
        return statuses.stream().filter(s -> s.state() != State.PENDING && s.state() != State.PARTIAL
                        && s.state() != State.FAILED && !MigrationFile.repeatable(s.version()))
                .map(MigrationStatus::version).max(String::compareTo).orElse(null);
    }

    /** The most worrying state among {@code statuses} ({@link State#APPLIED} when there are none): a deploy gate. */
    public static State worst(List<MigrationStatus> statuses) {
        return statuses.stream().map(MigrationStatus::state).max(Comparator.naturalOrder()).orElse(State.APPLIED);
    }
}
