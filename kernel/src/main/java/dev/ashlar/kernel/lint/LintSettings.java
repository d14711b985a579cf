package dev.ashlar.kernel.lint;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.data.internal.ClosestName;
import dev.ashlar.kernel.layout.ProjectLayout;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Which warnings a project allows: {@code lint.allow} in its {@code ashlar.properties}, a comma-separated list
 * of rule ids, each for every file ({@code renaming-column}) or for one migration version
 * ({@code ban-drop-column@20261127101500}).
 *
 * @param allowed the entries of the list
 */
public record LintSettings(List<String> allowed) {
    /** The key of the allow list in {@code ashlar.properties}. */
    public static final String ALLOW = SettingsFile.LINT_ALLOW;

    public LintSettings {
        allowed = List.copyOf(allowed);
    }

    /** Nothing allowed but what {@code -- lint: allow} comments allow. */
    public static LintSettings none() {
        return new LintSettings(List.of());
    }

    /**
     * The project's settings; none when it has no settings file.
     *
     * @throws ProjectFileException when the file cannot be read, sets a key that is no setting
     *     ({@link SettingsFile#read}) or names a rule that does not exist
     */
    public static LintSettings read(ProjectLayout layout) {
        Path file = layout.settings();
        Properties properties = SettingsFile.read(layout);
        List<String> entries = Arrays.stream(properties.getProperty(ALLOW, "").split(","))
                .map(String::strip).filter(entry -> !entry.isEmpty()).toList();
        for (String entry : entries) {
            String rule = entry.split("@", 2)[0];
            if (Rule.byId(rule).isEmpty()) {
                throw ProjectFileException.of(file.toString(), file + ": " + ALLOW + " names '" + entry + "'"
                        + ClosestName.hint(rule, Arrays.stream(Rule.values()).map(Rule::id).toList()) + ", which is "
                        + "no lint rule; the rules are " + Arrays.stream(Rule.values()).map(Rule::id)
                        .collect(Collectors.joining(", ")) + " (optionally @VERSION for one migration)");
            }
        }
        return new LintSettings(entries);
    }

    /** Whether the rule is allowed in the migration of this version. */
    public boolean allows(Rule rule, String version) {
        return allowed.contains(rule.id()) || allowed.contains(rule.id() + "@" + version);
    }
}
