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
                    : entry.algorithm().equals(MigrationFile.CHECKSUM_ALGORITHM) && !entry.checksum().equals(file.checksum())
                    ? State.CHANGED : entry.baselined() ? State.BASELINED : State.APPLIED;
            statuses.add(new MigrationStatus(file.version(), file.name(), state, entry == null ? null : entry.appliedAt()));
        }
        for (History.Entry entry : applied.values()) {
            if (files.stream().noneMatch(f -> f.version().equals(entry.version()))) {
                statuses.add(new MigrationStatus(entry.version(), entry.name(), State.MISSING, entry.appliedAt()));
            }
        }
        statuses.sort(Comparator.comparing(MigrationStatus::version));
        return statuses;
    }
}
