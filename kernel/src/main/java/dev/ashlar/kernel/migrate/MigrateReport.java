package dev.ashlar.kernel.migrate;

import java.util.List;

/**
 * What a migrate run of the main schema did and what it left, so that the command line, the Maven plugin and the
 * Spring Boot starter say the same: the files it applied, and those the next migrate would still run. A file stays
 * pending after a run bounded short of it ({@code --to}, {@code --to-tag}, {@code --steps}, contexts or labels), and
 * after a run that let it fail ({@code -- fail-on-error: false}) or whose precondition skipped it.
 *
 * @param applied the files the run applied (or recorded without running them), in order
 * @param pending the migrations still to run after it, as {@code status} names them ({@link MigrationStatus#label()})
 */
public record MigrateReport(List<MigrationFile> applied, List<String> pending) {

    public MigrateReport {
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
    }

    /** The run's files and the schema's statuses after it. */
    public static MigrateReport of(List<MigrationFile> applied, List<MigrationStatus> after) {
        return new MigrateReport(applied, after.stream().filter(MigrationStatus::toRun).map(MigrationStatus::label)
                .toList());
    }

    /** Whether nothing is pending after the run: only then may the schema be called up to date. */
    public boolean upToDate() {
        return pending.isEmpty();
    }

    /**
     * What the run left, the sentence each caller ends its report with, whatever bounded the run:
     * {@code Nothing is pending: the main schema is up to date.}, or
     * {@code 1 migration(s) stay pending: 'ashlar status' lists them.}
     *
     * @param lister the command that lists them, as the caller's user types it ({@code 'ashlar status'})
     */
    public String left(String lister) {
        return upToDate() ? "Nothing is pending: the main schema is up to date."
                : pending.size() + " migration(s) stay pending: " + lister + " lists them.";
    }
}
