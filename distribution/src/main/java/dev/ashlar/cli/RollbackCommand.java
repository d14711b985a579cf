package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationPlan;
import dev.ashlar.kernel.migrate.RollbackDate;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Instant;
import java.util.List;

@Command(name = "rollback", description = "Undo the last applied migration(s) with their down sections.")
final class RollbackCommand extends HistoryCommand {
    @Option(names = "--steps", paramLabel = "N", description = "How many migrations to undo (default: 1).")
    Integer steps;

    @Option(names = "--to", paramLabel = "VERSION",
            description = "Undo the applied migrations from the newest down to VERSION, that one included.")
    String to;

    @Option(names = "--to-date", paramLabel = "TIME", description = "Undo the migrations applied after TIME, newest "
            + "version first (Liquibase's rollback-to-date): 2026-12-01, 2026-12-01T14:30:00 (both UTC) or with an "
            + "offset, 2026-12-01T14:30:00+01:00 or ...Z. With --tenants, in each tenant schema by its own history.")
    String toDate;

    @Option(names = "--to-tag", paramLabel = "TAG", description = "Undo what was applied after the migration TAG "
            + "marks ('ashlar tag'), keeping that one (Liquibase's rollback to a tag).")
    String toTag;

    @Option(names = "--deployment", paramLabel = "ID", description = "Undo the migrations one run applied, newest "
            + "version first (Liquibase's rollback-one-update): ID is the deployment 'ashlar status' shows. Refused "
            + "when a later run applied migrations after it. With --tenants, in each tenant schema that run migrated.")
    String deployment;

    @Option(names = "--pending", description = "With --dry-run or --script: the down sections of the pending "
            + "migrations instead, newest first, as rolling them back would run them once applied (Liquibase's "
            + "future-rollback-sql); with --steps N, of the next N pending ones, with --to VERSION, of those up to it.")
    boolean pending;

    @Option(names = "--dry-run", description = "Print the down sections that would run, newest first, with the "
            + "table lock each statement takes; change nothing.")
    boolean dryRun;

    @Option(names = "--script", description = "Print the down sections that would run as one SQL script for psql "
            + "instead (Liquibase's rollback-sql), each with the removal of its row from the migration history; change "
            + "nothing.")
    boolean script;

    @Mixin
    TenantOptions tenants;

    @Mixin
    TimeoutOptions timeouts;

    @Override
    public Integer call() {
        if ((steps != null ? 1 : 0) + (to != null ? 1 : 0) + (toDate != null ? 1 : 0) + (toTag != null ? 1 : 0)
                + (deployment != null ? 1 : 0) > 1) {
            throw new ParameterException(spec.commandLine(), "Give one of --steps, --to, --to-date, --to-tag and "
                    + "--deployment: --steps N undoes the last N migrations, --to VERSION every one from the newest "
                    + "down to VERSION, --to-date TIME every one applied after TIME, --to-tag TAG every one applied "
                    + "after the one TAG marks, --deployment ID every one the run ID applied");
        }
        Instant after = null;
        try {
            after = toDate == null ? null : RollbackDate.parse(toDate, "--to-date");
        } catch (MigrationException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--to-date': " + e.getMessage(),
                    e);
        }
        dryRun |= script;
        if (pending && (!dryRun || toDate != null || toTag != null || deployment != null)) {
            throw new ParameterException(spec.commandLine(), "--pending previews rolling back the migrations not yet "
                    + "applied: give it with --dry-run or --script, and with --steps N or --to VERSION at most (the "
                    + "pending migrations have no date, tag or deployment yet)");
        }
        if (dryRun && tenants.enabled()) {
            throw new ParameterException(spec.commandLine(), "--dry-run shows what rolling back the main schema would "
                    + "run; run it without --tenants (tenant schemas run the down sections of tenant_migrations/ the "
                    + "same way)");
        }
        int count = steps == null ? 1 : steps;
        try {
            MigrationPlan.requireSteps(count);
        } catch (MigrationException e) {
            // The same words as picocli's for a --steps that is not a number.
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--steps': " + e.getMessage(), e);
        }
        try (Database database = connection.open(project, tenants.jobs(spec.commandLine()))) {
            Project project = project(database).timeouts(timeouts.timeouts());
            if (pending) {
                MigrateRun run = to != null ? MigrateRun.all().upTo(to)
                        : steps != null ? MigrateRun.all().steps(steps) : MigrateRun.all();
                MigrateCommand.printDryRun(out(), project, project.pendingRollbackDryRun(run), Direction.DOWN, script);
                return 0;
            }
            if (dryRun) {
                MigrateCommand.printDryRun(out(), project, deployment != null
                        ? project.rollbackDryRunDeployment(deployment) : toTag != null ? project.rollbackDryRunToTag(toTag)
                        : after == null ? project.rollbackDryRun(count, to) : project.rollbackDryRun(after),
                        Direction.DOWN, script);
                return 0;
            }
            if (tenants.enabled()) {
                Instant moment = after;
                return tenants.run(project, out(), "rolled back", (p, selection) -> deployment != null
                        ? p.rollbackTenantsDeployment(selection, deployment) : toTag != null
                        ? p.rollbackTenantsToTag(selection, toTag) : moment != null
                        ? p.rollbackTenantsAfter(selection, moment) : to == null ? p.rollbackTenants(selection, count)
                        : p.rollbackTenantsTo(selection, to));
            }
            List<MigrationFile> undone = deployment != null ? project.rollbackDeployment(deployment)
                    : toTag != null ? project.rollbackToTag(toTag)
                    : after != null ? project.rollbackAfter(after) : to == null ? project.rollback(count)
                    : project.rollbackTo(to);
            out().println(undone.isEmpty() ? "Nothing to roll back." : "Rolled back " + undone.size() + " migration(s).");
        }
        return 0;
    }
}
