package dev.ashlar.kernel.lint;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.data.internal.ClosestName;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.layout.ProjectPaths;
import dev.ashlar.kernel.layout.PropertiesFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The project's {@code ashlar.properties}, read with every key checked against the settings Ashlar has: a mistyped
 * key ({@code lint.alow}, Flyway's {@code installedBy} spelling) would otherwise be ignored, and the setting it meant
 * silently not applied. It lives with the linter, whose allow list was its first setting, because the check of its
 * keys is the one that suggests the key meant, as the linter's does for a rule.
 */
public final class SettingsFile {
    /** The lint findings allowed ({@code lint.allow = RULE, RULE@VERSION}, see "Linting migrations"). */
    public static final String LINT_ALLOW = "lint.allow";
    /** Who the history records as having applied each migration (Flyway's {@code installedBy}). */
    public static final String INSTALLED_BY = "migrate.installed-by";
    /** Whether a migrate creates the main schema when it is missing (Flyway's {@code createSchemas}). */
    public static final String CREATE_SCHEMAS = "migrate.create-schemas";
    /** The table of each schema that holds its migration history (Flyway's {@code table}). */
    public static final String HISTORY_TABLE = "migrate.history-table";
    /** Whether a migrate prints the rows its files' statements return (Flyway's {@code outputQueryResults}). */
    public static final String OUTPUT_QUERY_RESULTS = "migrate.output-query-results";
    /**
     * Whether a history kept in a schema of its own starts empty beside a history left behind in the main schema,
     * rather than refusing it as moved.
     */
    public static final String ACCEPT_HISTORY_LEFT_BEHIND = "migrate.accept-history-left-behind";

    private static final List<String> KEYS = List.of(LINT_ALLOW, INSTALLED_BY, CREATE_SCHEMAS, HISTORY_TABLE,
            OUTPUT_QUERY_RESULTS, ACCEPT_HISTORY_LEFT_BEHIND);

    private SettingsFile() {
    }

    /**
     * The settings of the project's file; none when it has no such file.
     *
     * @throws ProjectFileException when the file is a folder or a link to nothing, cannot be read, or sets a key
     *                              that is no setting
     */
    public static Properties read(ProjectLayout layout) {
        Path file = layout.settings();
        ProjectPaths.refuseBrokenLink(file, "settings file", "file");
        if (Files.isDirectory(file)) {
            throw ProjectFileException.of(file.toString(), "The settings file " + file + " is a folder, not a file: "
                    + "move it away, or make it a properties file (" + LINT_ALLOW + " = RULE, ...).");
        }
        if (!Files.isRegularFile(file)) {
            return new Properties();
        }
        Properties properties = PropertiesFile.read(file, file.toString());
        for (String key : properties.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw ProjectFileException.of(file.toString(), file + " sets '" + key + "'"
                        + ClosestName.hint(key, KEYS) + ", which is no setting of Ashlar's: the file holds "
                        + LINT_ALLOW + " = RULE, RULE@VERSION, ... (see \"Linting migrations\"), " + INSTALLED_BY
                        + " = NAME, " + CREATE_SCHEMAS + " = true|false, " + HISTORY_TABLE + " = NAME, "
                        + OUTPUT_QUERY_RESULTS + " = true|false, " + ACCEPT_HISTORY_LEFT_BEHIND
                        + " = true|false (see \"Applying migrations\")");
            }
        }
        return properties;
    }

    /**
     * A {@code true}/{@code false} setting of the file, or null when it does not set it.
     *
     * @throws ProjectFileException for another value, naming the key and the value
     */
    public static Boolean flag(ProjectLayout layout, Properties settings, String key) {
        String value = settings.getProperty(key);
        if (value == null) {
            return null;
        }
        String given = value.strip();
        if (!given.equalsIgnoreCase("true") && !given.equalsIgnoreCase("false")) {
            throw ProjectFileException.of(layout.settings().toString(), layout.settings() + " sets " + key + " = "
                    + given + ", which is neither true nor false: write " + key + " = true or false");
        }
        return Boolean.valueOf(given);
    }
}
