package dev.ashlar.cli;

import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.spi.schema.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "status", description = "Show which migrations are applied and which are pending.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = project.database()) {
            List<MigrationStatus> statuses = new Migrator(database.dataSource(),
                    Codegen.migrations(project.dir, Scope.MAIN)).status();
            print(out, statuses);
        }
        return 0;
    }

    static void print(PrintWriter out, List<MigrationStatus> statuses) {
        if (statuses.isEmpty()) {
            out.println("No migrations yet: run 'ashlar codegen NAME'.");
        }
        for (MigrationStatus status : statuses) {
            out.printf("  %-8s %s_%s%s%n", status.state().name().toLowerCase(Locale.ROOT), status.version(), status.name(),
                    status.appliedAt() == null ? "" : "  (applied " + status.appliedAt() + ")");
        }
        long pending = statuses.stream().filter(s -> s.state() == MigrationStatus.State.PENDING).count();
        out.println(pending == 0 ? "Everything is applied." : pending + " pending: run 'ashlar migrate'.");
    }
}
