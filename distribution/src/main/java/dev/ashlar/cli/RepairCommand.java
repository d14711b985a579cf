package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

@Command(name = "repair", description = "Make the migration history agree with the files once you have decided the "
        + "files are right: an applied file changed on purpose is recorded with its new text, one renamed with its "
        + "version kept with its new name, and the row of an applied file deleted on purpose is removed; a "
        + "transaction:false file that stopped part way and changed since in the statements that ran is forgotten, so "
        + "that the next migrate runs it from its first statement. Nothing is run; 'status' shows what it would touch.")
final class RepairCommand extends HistoryCommand {
    @Mixin
    TenantOptions tenants;

    @Override
    public Integer call() {
        try (Database database = connection.open(project, tenants.jobs(spec.commandLine()))) {
            Project project = project(database);
            if (tenants.enabled()) {
                return tenants.run(project, out(), "repaired", Project::repairTenants);
            }
            // Each line was printed as it was repaired, as progress.
            List<String> repaired = project.repair();
            out().println(repaired.isEmpty() ? "Nothing to repair: the history agrees with the files."
                    : "Repaired " + repaired.size() + " history row(s) in " + database.description() + ".");
        }
        return 0;
    }
}
