package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationStatus;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

@Command(name = "status", description = "Show which migrations are applied and which are pending.")
final class StatusCommand extends ProjectCommand {

    @Override
    public Integer call() {
        try (Database database = project.database()) {
            print(out(), migrator(database).status());
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
