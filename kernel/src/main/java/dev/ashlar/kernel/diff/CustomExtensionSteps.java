package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.CustomExtension;
import dev.ashlar.kernel.diff.MigrationStep.ForgetCustomExtension;
import dev.ashlar.kernel.diff.MigrationStep.InstallCustomExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The steps of a domain's custom extensions from the versions the latest snapshots record. */
final class CustomExtensionSteps {
    private CustomExtensionSteps() {
    }

    /**
     * An install step for each custom extension newer than recorded (0 when it is not).
     *
     * @throws DefinitionException naming the extension whose latest version is older than the one recorded: the
     *                             database may hold objects of that version, which no migration could undo
     */
    static List<MigrationStep> install(Map<String, Integer> recorded, List<CustomExtension> custom) {
        List<MigrationStep> steps = new ArrayList<>();
        for (CustomExtension extension : custom) {
            int from = recorded.getOrDefault(extension.name(), 0);
            int to = extension.latestVersion();
            if (to < from) {
                throw DefinitionException.of(null, "customExtensions", "The custom extension '" + extension.name()
                        + "' says latestVersion() " + to + ", but the snapshots record version " + from + ", which "
                        + "migrations may have installed already: versions only grow; bring back version " + from
                        + " and add the change as version " + (from + 1));
            }
            if (to > from) {
                steps.add(new InstallCustomExtension(extension.name(), from, to, sql(extension.install(from)),
                        sql(extension.uninstall(from))));
            }
        }
        return steps;
    }

    /** A step that forgets each recorded custom extension the domain no longer lists. */
    static List<MigrationStep> forget(Map<String, Integer> recorded, List<CustomExtension> custom) {
        Set<String> listed = custom.stream().map(CustomExtension::name).collect(Collectors.toSet());
        return recorded.entrySet().stream().filter(e -> !listed.contains(e.getKey()))
                .<MigrationStep>map(e -> new ForgetCustomExtension(e.getKey(), e.getValue())).toList();
    }

    /** The SQL as given, ending with a semicolon so that the next step starts a statement of its own. */
    private static String sql(String given) {
        String sql = given == null ? "" : given.strip();
        return sql.isEmpty() || sql.endsWith(";") ? sql : sql + ";";
    }
}
