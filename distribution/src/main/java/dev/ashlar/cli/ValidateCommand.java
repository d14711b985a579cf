package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.IgnoreMigrationPatterns;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.MigrationStatus.State;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.List;

@Command(name = "validate", description = "Check the main schema's migration history against the files, running "
        + "nothing (Flyway's validate): exits 1 listing every applied file that changed, is missing or was renamed "
        + "(and the pending files that fail, see --ignore-migration-patterns), each with how to fix it; 0 when the "
        + "history agrees, pending files or not. With --tenants, each tenant schema's history against "
        + "tenant_migrations/.")
final class ValidateCommand extends HistoryCommand {
    @Mixin
    TenantOptions tenants;

    @Option(names = "--ignore-migration-patterns", paramLabel = "TYPE:STATE,...", description = "The migrations "
            + "that pass (Flyway's ignoreMigrationPatterns): TYPE versioned, repeatable or *, STATE missing, pending, "
            + "ignored (pending and older than the newest applied), future or *. Default: "
            + "*:pending,*:ignored,*:future; "
            + "*:future alone fails on pending files, as Flyway's default; *:missing lets deleted files pass.")
    String ignorePatterns;

    @Override
    public Integer call() {
        IgnoreMigrationPatterns ignored;
        try {
            ignored = ignorePatterns == null ? IgnoreMigrationPatterns.DEFAULT
                    : IgnoreMigrationPatterns.parse(ignorePatterns);
        } catch (MigrationException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--ignore-migration-patterns': "
                    + e.getMessage(), e);
        }
        try (Database database = connection.open(project, tenants.jobs(spec.commandLine()))) {
            if (tenants.enabled()) {
                return tenants.run(project(database), out(), "validated", (p, selection) ->
                        p.validateTenants(selection, ignored));
            }
            List<MigrationStatus> statuses = project(database).validate(ignored);
            long applied = statuses.stream().filter(s -> s.state() == State.APPLIED || s.state() == State.BASELINED
                    || s.state() == State.JAVA)
                    .count();
            long pending = statuses.stream().filter(MigrationStatus::toRun).count();
            out().println("The migration history of " + database.description() + " agrees with the files: " + applied
                    + " applied, " + pending + " pending" + (pending > 0 ? " ('ashlar migrate' applies them)." : "."));
        }
        return 0;
    }
}
