package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.MigrationStatus.State;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

@Command(name = "validate", description = "Check the main schema's migration history against the files, running "
        + "nothing (Flyway's validate): exits 1 naming the first applied file that changed or is missing, and how to "
        + "fix it; 0 when the history agrees, pending files or not. With --tenants, each tenant schema's history "
        + "against tenant_migrations/.")
final class ValidateCommand extends ProjectCommand {
    @Mixin
    TenantOptions tenants;

    @Override
    public Integer call() {
        try (Database database = project.database(tenants.jobs(spec.commandLine()))) {
            if (tenants.enabled()) {
                return tenants.run(project(database), out(), "validated", Project::validateTenants);
            }
            List<MigrationStatus> statuses = project(database).validate();
            long applied = statuses.stream().filter(s -> s.state() == State.APPLIED || s.state() == State.BASELINED
                    || s.state() == State.JAVA)
                    .count();
            long pending = statuses.stream().filter(MigrationStatus::toRun).count();
            out().println("The migration history of " + database.description() + " agrees with the files: " + applied
                    + " applied, " + pending + " pending" + (pending > 0 ? " ('ashlar migrate' applies them)." : "."));
        }
        return 0;
    }
}
