package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

@Command(name = "migrate", description = "Apply pending migrations to the main schema, or with --tenants to every "
        + "tenant schema.")
final class MigrateCommand extends ProjectCommand {
    @Mixin
    TenantOptions tenants;

    @Override
    public Integer call() {
        try (Database database = project.database(tenants.jobs)) {
            if (tenants.enabled()) {
                return tenants.run(project, database, out(), (migrator, schemas) ->
                        migrator.migrate(schemas.iterator(), schemas.size()));
            }
            List<MigrationFile> applied = migrator(database).migrate();
            out().println(applied.isEmpty() ? "Nothing to migrate: " + database.description() + " is up to date."
                    : "Applied " + applied.size() + " migration(s) to " + database.description() + ".");
        }
        return 0;
    }
}
