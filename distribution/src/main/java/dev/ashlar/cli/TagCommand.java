package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.History;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "Mark the main schema's state with a name, as Liquibase's tag does: the migration "
        + "applied last carries it, and 'rollback --to-tag NAME' later undoes what was applied after it. With "
        + "--tenants, each tenant schema's state instead, by its own history.")
final class TagCommand extends HistoryCommand {
    @Parameters(paramLabel = "NAME", description = "The tag, such as the release being deployed (release-1.4).")
    String tag;

    @Mixin
    TenantOptions tenants;

    @Override
    public Integer call() {
        try (Database database = connection.open(project, tenants.jobs(spec.commandLine()))) {
            if (tenants.enabled()) {
                return tenants.run(project(database), out(), "tagged", (p, selection) -> p.tagTenants(selection, tag));
            }
            History.Entry tagged = project(database).tag(tag);
            out().println("Tagged " + tagged.version() + "_" + tagged.name() + " as " + tag + " in "
                    + database.description() + ".");
        }
        return 0;
    }
}
