package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Option;

/**
 * {@code --installed-by} and {@code --[no-]create-schemas}: for the commands that write history rows (migrate,
 * baseline), over {@code migrate.installed-by} and {@code migrate.create-schemas} in {@code ashlar.properties}.
 */
final class InstallOptions implements ProjectSettings {
    @Option(names = "--installed-by", paramLabel = "NAME", description = "Who the migration history records as "
            + "having applied each file (Flyway's installedBy; default: the database user, or migrate.installed-by "
            + "in ashlar.properties).")
    String installedBy;

    @Option(names = "--create-schemas", negatable = true, description = "Create the main schema (public) when it is "
            + "missing (Flyway's createSchemas; the default, or migrate.create-schemas in ashlar.properties); "
            + "--no-create-schemas fails naming it instead.")
    Boolean createSchemas;

    @Override
    public Project applyTo(Project project) {
        Project named = installedBy == null ? project : project.installedBy(installedBy);
        return createSchemas == null ? named : named.createSchemas(createSchemas);
    }
}
