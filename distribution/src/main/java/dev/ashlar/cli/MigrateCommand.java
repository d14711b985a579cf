package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

@Command(name = "migrate", description = "Apply pending migrations to the main schema, or with --tenants to every "
        + "tenant schema.")
final class MigrateCommand extends ProjectCommand {
    @Mixin
    TenantOptions tenants;

    @Mixin
    TimeoutOptions timeouts;

    @Override
    public Integer call() {
        try (Database database = project.database(tenants.jobs)) {
            Project project = project(database).timeouts(timeouts.timeouts());
            if (tenants.enabled()) {
                return tenants.run(project, out(), Project::migrateTenants);
            }
            List<MigrationFile> applied = project.migrate();
            out().println(applied.isEmpty() ? "Nothing to migrate: " + database.description() + " is up to date."
                    : "Applied " + applied.size() + " migration(s) to " + database.description() + ".");
        }
        return 0;
    }
}
