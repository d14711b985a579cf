package dev.ashlar.cli;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Apply pending migrations to the main schema.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = project.database()) {
            List<MigrationFile> applied = new Migrator(database.dataSource(), Codegen.migrations(project.dir, Scope.MAIN))
                    .progress(out::println).migrate();
            out.println(applied.isEmpty() ? "Nothing to migrate: " + database.description() + " is up to date."
                    : "Applied " + applied.size() + " migration(s) to " + database.description() + ".");
        }
        return 0;
    }
}
