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
 * @param bounded whether the run was bounded ({@link MigrateRun#bounded()}): what stays pending is then always said
 */
public record MigrateReport(List<MigrationFile> applied, List<String> pending, boolean bounded) {

    public MigrateReport {
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
    }

    /** The run's files and the schema's statuses after it. */
    public static MigrateReport of(MigrateRun run, List<MigrationFile> applied, List<MigrationStatus> after) {
        return new MigrateReport(applied, after.stream().filter(MigrationStatus::toRun).map(MigrationStatus::label)
                .toList(), run.bounded());
    }

    /** Whether nothing is pending after the run: only then may the schema be called up to date. */
    public boolean upToDate() {
        return pending.isEmpty();
    }

    /**
     * What stays pending, as a sentence: {@code 1 migration(s) stay pending: 'ashlar status' lists them.}, or
     * {@code Nothing is pending.} after a bounded run; empty after an unbounded run that left nothing pending.
     *
     * @param lister the command that lists them, as the caller's user types it ({@code 'ashlar status'})
     */
    public String pendingNote(String lister) {
        if (upToDate()) {
            return bounded ? "Nothing is pending." : "";
        }
        return pending.size() + " migration(s) stay pending: " + lister + " lists them.";
    }
}
