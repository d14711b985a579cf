package dev.ashlar.cli;

import dev.ashlar.kernel.migrate.History;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "Mark the main schema's state with a name, as Liquibase's tag does: the migration "
        + "applied last carries it, and 'rollback --to-tag NAME' later undoes what was applied after it. With "
        + "--tenants, each tenant schema's state instead, by its own history.")
final class TagCommand extends HistoryCommand {
    @Parameters(paramLabel = "NAME", description = "The tag, such as the release being deployed (release-1.4).")
    String tag;

    @Option(names = "--exists", description = "Tag nothing; say whether a migration of the main schema carries the "
            + "tag NAME (Liquibase's tag-exists): exit 0 when one does, 1 when none does.")
    boolean exists;

    @Mixin
    TenantOptions tenants;

    @Override
    public Integer call() {
        if (exists && tenants.enabled()) {
            throw new ParameterException(spec.commandLine(), "--exists looks for the tag in the main schema; run it "
                    + "without --tenants ('ashlar status' lists each migration's tags)");
        }
        try (Database database = connection.open(project, tenants.jobs(spec.commandLine()))) {
            if (exists) {
                String version = project(database).tags().get(tag);
                out().println(version == null ? "No migration of " + database.description() + " carries the tag "
                        + tag + "." : "The tag " + tag + " marks " + version + " in " + database.description() + ".");
                return version == null ? 1 : 0;
            }
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
