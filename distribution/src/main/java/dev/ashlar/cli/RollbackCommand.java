package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "rollback", description = "Undo the last applied migration(s) with their down sections.")
final class RollbackCommand extends ProjectCommand {
    @Option(names = "--steps", description = "How many migrations to undo (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int steps;

    @Mixin
    TenantOptions tenants;

    @Override
    public Integer call() {
        try (Database database = project.database(tenants.jobs)) {
            if (tenants.enabled()) {
                return tenants.run(project, database, out(), (migrator, schemas) ->
                        migrator.rollback(schemas.iterator(), schemas.size(), steps));
            }
            List<MigrationFile> undone = migrator(database).rollback(steps);
            out().println(undone.isEmpty() ? "Nothing to roll back." : "Rolled back " + undone.size() + " migration(s).");
        }
        return 0;
    }
}
