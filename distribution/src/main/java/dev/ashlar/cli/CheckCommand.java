package dev.ashlar.cli;

import dev.ashlar.kernel.drift.DriftReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;

@Command(name = "check", description = "Compare the live database with what the snapshots say it should be (with "
        + "--tenants, every tenant schema too) and list every extra, missing or different table, column, constraint, "
        + "index, trigger and policy. Exits 0 when there is no drift, " + CheckCommand.DRIFT + " when there is.")
final class CheckCommand extends HistoryCommand {
    static final int DRIFT = 1;

    @Mixin
    TenantOptions tenants;

    @Override
    public Integer call() {
        try (Database database = connection.open(project)) {
            DriftReport report = project(database).drift(tenants.enabled() ? tenants.selection() : null);
            PrintWriter out = out();
            report.differences().forEach(difference -> out.println("  " + difference));
            report.unapplied().forEach(file -> out.println("  not applied: " + file
                    + " (compared with the state after it)"));
            out.println(report.clean() ? report.noDrift() : report.differences().size()
                    + " difference(s) from the snapshots in " + database.description() + ".");
            return report.clean() ? 0 : DRIFT;
        }
    }
}
