package dev.ashlar.cli;

import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --placeholder} and {@code --no-placeholders}: for the commands that run, lint or checksum migration files. */
final class PlaceholderOptions implements ProjectSettings {
    // picocli reads "${" in a description as one of its own variables: "$${" prints "${".
    @Option(names = "--placeholder", paramLabel = "NAME=VALUE", description = "A value for $${NAME} in the migration "
            + "files, main and tenant (repeatable); $${ashlar:schema}, $${ashlar:user} and $${ashlar:filename} are "
            + "built in.")
    Map<String, String> placeholders = new LinkedHashMap<>();

    @Option(names = "--no-placeholders", description = "Run the migration files as written, leaving $${...} as it "
            + "is.")
    boolean noPlaceholders;

    @Override
    public Project applyTo(Project project) {
        return project.placeholders(placeholders).placeholderReplacement(!noPlaceholders);
    }
}
