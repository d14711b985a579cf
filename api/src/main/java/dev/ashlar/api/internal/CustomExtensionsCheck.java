package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.CustomExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a domain's custom extensions: names the snapshots can hold, once each, and versions from 1. */
public final class CustomExtensionsCheck {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    private CustomExtensionsCheck() {
    }

    /** @throws DefinitionException listing every problem found */
    public static void check(String domain, List<String> extensions, List<CustomExtension> custom) {
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CustomExtension extension : custom) {
            String name = extension.name();
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(problem("the custom extension name '" + name + "' may hold only letters, digits, '_' and "
                        + "'-', 1 to 63 of them; return such a name from name()"));
                continue;
            }
            if (!seen.add(name)) {
                problems.add(problem("the custom extension '" + name + "' is listed twice; list it once, at its "
                        + "latest version"));
            }
            if (extensions.contains(name)) {
                problems.add(problem("'" + name + "' is both a PostgreSQL extension in extensions(...) and a custom "
                        + "extension; rename the custom extension"));
            }
            if (extension.latestVersion() < 1) {
                problems.add(problem("the custom extension '" + name + "' has latestVersion() " + extension.latestVersion()
                        + "; versions start at 1 (0 means not installed)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
    }

    private static Problem problem(String message) {
        return new Problem(null, "customExtensions", message);
    }
}
