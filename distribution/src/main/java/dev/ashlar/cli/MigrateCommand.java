package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationFile;
import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "migrate", description = "Apply pending migrations to the main schema.")
final class MigrateCommand extends ProjectCommand {

    @Override
    public Integer call() {
        try (Database database = project.database()) {
            List<MigrationFile> applied = migrator(database).migrate();
            out().println(applied.isEmpty() ? "Nothing to migrate: " + database.description() + " is up to date."
                    : "Applied " + applied.size() + " migration(s) to " + database.description() + ".");
        }
        return 0;
    }
}
