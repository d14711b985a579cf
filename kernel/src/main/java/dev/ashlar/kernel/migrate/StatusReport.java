package dev.ashlar.kernel.migrate;

import dev.ashlar.kernel.migrate.MigrationStatus.State;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Joins the files of a folder with the history of a schema. */
final class StatusReport {
    private StatusReport() {
    }

    static List<MigrationStatus> of(List<MigrationFile> files, Map<String, History.Entry> applied) {
        List<MigrationStatus> statuses = new ArrayList<>();
        for (MigrationFile file : files) {
            History.Entry entry = applied.get(file.version());
            State state = entry == null ? State.PENDING
                    : entry.algorithm().equals(file.algorithm()) && !file.holds(entry.checksum())
                    ? (file.repeatable() ? State.OUTDATED : State.CHANGED)
                    : entry.baselined() ? State.BASELINED : State.APPLIED;
            statuses.add(entry == null ? new MigrationStatus(file.version(), file.name(), state, null, null,
                    file.filters().failOnError() ? null : MigrationStatus.MAY_FAIL)
                    : new MigrationStatus(file.version(), file.name(), state, entry.appliedAt(), entry.name(), null,
                    entry.installedBy(), entry.deploymentId()));
        }
        // With no file at all the folder is more likely wrong than the release old: those stay missing. A repeatable
        // has no version to be newer by: its row without a file is missing.
        String newest = files.stream().filter(f -> !f.repeatable()).map(MigrationFile::version)
                .max(Comparator.naturalOrder()).orElse(null);
        // A Java migration's row is missing only where Java migrations are registered: the command line, without
        // the application's classes, cannot tell one deleted from one it cannot see, and must not stop for it.
        boolean seesJava = files.stream().anyMatch(f -> f.java() != null);
        for (History.Entry entry : applied.values()) {
            if (files.stream().noneMatch(f -> f.version().equals(entry.version()))) {
                State state = !seesJava && entry.algorithm().equals(MigrationFile.JAVA) ? State.JAVA
                        : newest != null && !MigrationFile.repeatable(entry.version())
                        && entry.version().compareTo(newest) > 0 ? State.FUTURE : State.MISSING;
                statuses.add(new MigrationStatus(entry.version(), entry.name(), state, entry.appliedAt(),
                        entry.name(), null, entry.installedBy(), entry.deploymentId()));
            }
        }
        statuses.sort(Comparator.comparing(MigrationStatus::version));
        return statuses;
    }
}
