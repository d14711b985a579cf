package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.List;

@Command(name = "baseline", description = "Record the migrations up to a version (default: all) as applied without "
        + "running them, for a database that already has their schema (migrated by another tool or by hand); "
        + "'migrate' goes on from there. With --tenants, in each tenant schema, with tenant_migrations/.")
final class BaselineCommand extends HistoryCommand {
    @Option(names = "--to", paramLabel = "VERSION", description = "The database already has the migrations up to "
            + "this 14-digit version, a file's or one between two files (default: every migration in the folder).")
    String upTo;

    @Option(names = "--to-tag", paramLabel = "TAG", description = "The last migration the database already has is the "
            + "file with the header '-- tag: TAG' (Liquibase's changelog-sync-to-tag); its history row gets the tag. "
            + "Main schema only.")
    String toTag;

    @Option(names = "--dry-run", description = "List the migrations that would be recorded; record nothing.")
    boolean dryRun;

    @Option(names = "--script", description = "Print the SQL that records them instead, as one script for psql "
            + "(Liquibase's changelog-sync-sql); record nothing. Main schema only.")
    boolean script;

    @Mixin
    TenantOptions tenants;

    @Mixin
    InstallOptions install;

    @Override
    public Integer call() {
        if (toTag != null && (upTo != null || tenants.enabled())) {
            throw new ParameterException(spec.commandLine(), "Give --to-tag without "
                    + (upTo != null ? "--to" : "--tenants") + ": --to-tag TAG baselines the main schema's files up to "
                    + "the one with the header '-- tag: TAG'. Nothing was recorded.");
        }
        if ((dryRun || script) && tenants.enabled()) {
            throw new ParameterException(spec.commandLine(), "Give " + (script ? "--script" : "--dry-run")
                    + " without --tenants: it shows what the main schema's baseline would record. Nothing was "
                    + "recorded.");
        }
        try (Database database = connection.open(project, tenants.jobs(spec.commandLine()))) {
            if (dryRun || script) {
                Project project = project(database);
                List<MigrationFile> files = toTag != null ? project.baselineDryRunToTag(toTag)
                        : project.baselineDryRun(upTo);
                if (script) {
                    out().print(project.baselineScript(files));
                } else {
                    out().println(files.isEmpty() ? "Nothing to baseline." : files.size() + " migration(s) would be "
                            + "recorded as baselined, without running them:");
                    files.forEach(file -> out().println("  " + file.fileName()));
                }
                return 0;
            }
            if (tenants.enabled()) {
                return tenants.run(project(database), out(), "baselined",
                        (project, selection) -> project.baselineTenants(selection, upTo));
            }
            List<MigrationFile> marked = toTag != null ? project(database).baselineToTag(toTag)
                    : project(database).baseline(upTo);
            out().println(marked.isEmpty() ? "Nothing to baseline: every migration up to "
                    + (toTag != null ? "the tag " + toTag : upTo == null ? "the last" : upTo) + " is already recorded."
                    : "Baselined " + marked.size() + " migration(s) in " + database.description()
                    + " without running them.");
        }
        return 0;
    }
}
