package dev.ashlar.cli;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rollback", description = "Undo the last applied migration(s) with their down sections.")
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @Spec
    CommandSpec spec;

    @Option(names = "--steps", description = "How many migrations to undo (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int steps;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = project.database()) {
            List<MigrationFile> undone = new Migrator(database.dataSource(), Codegen.migrations(project.dir, Scope.MAIN))
                    .progress(out::println).rollback(steps);
            out.println(undone.isEmpty() ? "Nothing to roll back." : "Rolled back " + undone.size() + " migration(s).");
        }
        return 0;
    }
}
