package dev.ashlar.cli;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.kernel.migrate.PlaceholderDelimiters;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --placeholder}, {@code --no-placeholders}, {@code --placeholder-prefix} and {@code --placeholder-suffix}: for
 * the commands that run, lint or checksum migration files.
 */
final class PlaceholderOptions implements ProjectSettings {
    // picocli reads "${" in a description as one of its own variables: "$${" prints "${".
    @Option(names = "--placeholder", paramLabel = "NAME=VALUE", description = "A value for $${NAME} in the migration "
            + "files, main and tenant (repeatable); $${ashlar:schema}, $${ashlar:user}, $${ashlar:database}, "
            + "$${ashlar:timestamp}, $${ashlar:filename} and $${ashlar:table} are built in.")
    Map<String, String> placeholders = new LinkedHashMap<>();

    @Option(names = "--no-placeholders", description = "Run the migration files as written, leaving $${...} as it "
            + "is.")
    boolean noPlaceholders;

    @Option(names = "--placeholder-prefix", paramLabel = "TEXT", description = "What opens a placeholder in the "
            + "migration files (Flyway's placeholderPrefix; default: $${).")
    String prefix;

    @Option(names = "--placeholder-suffix", paramLabel = "TEXT", description = "What closes it (Flyway's "
            + "placeholderSuffix; default: }).")
    String suffix;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Override
    public Project applyTo(Project project) {
        Project replaced = project.placeholders(placeholders).placeholderReplacement(!noPlaceholders);
        if (prefix == null && suffix == null) {
            return replaced;
        }
        try {
            return replaced.placeholderDelimiters(prefix == null ? PlaceholderDelimiters.DEFAULT.prefix() : prefix,
                    suffix == null ? PlaceholderDelimiters.DEFAULT.suffix() : suffix);
        } catch (AshlarException e) {
            throw new ParameterException(command.commandLine(), "Invalid value for option '--placeholder-"
                    + (e.getMessage().contains("prefix") ? "prefix" : "suffix") + "': " + e.getMessage(), e);
        }
    }
}
