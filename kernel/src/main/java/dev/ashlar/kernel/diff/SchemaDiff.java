package dev.ashlar.kernel.diff;

import dev.ashlar.api.resource.CustomExtension;
import dev.ashlar.kernel.diff.MigrationStep.CreateExtension;
import dev.ashlar.kernel.diff.MigrationStep.ForgetExtension;
import dev.ashlar.kernel.diff.MigrationStep.ReleaseTable;
import dev.ashlar.kernel.schema.DesiredSchema;
import dev.ashlar.kernel.schema.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps from the latest snapshots to a desired schema: the {@link Differ}'s table steps, preceded by the
 * extensions they may need and followed by tables whose resources stopped being migrated and extensions no
 * longer listed, neither of which runs any SQL.
 */
public final class SchemaDiff {
    private SchemaDiff() {
    }

    /**
     * @param previous           the tables of the latest snapshots, by key
     * @param previousExtensions the extensions the latest snapshots record
     */
    public static List<MigrationStep> diff(Differ differ, Map<String, Table> previous, List<String> previousExtensions,
                                           DesiredSchema desired) {
        return diff(differ, previous, previousExtensions, Map.of(), desired, List.of());
    }

    /**
     * @param previousCustom the versions of the custom extensions the latest snapshots record, by name
     * @param custom         the custom extensions the domain lists
     */
    public static List<MigrationStep> diff(Differ differ, Map<String, Table> previous, List<String> previousExtensions,
                                           Map<String, Integer> previousCustom, DesiredSchema desired,
                                           List<CustomExtension> custom) {
        List<MigrationStep> steps = new ArrayList<>();
        // Before the tables: a citext or vector column cannot be created without its extension.
        desired.extensions().stream().filter(e -> !previousExtensions.contains(e))
                .forEach(e -> steps.add(new CreateExtension(e)));
        steps.addAll(CustomExtensionSteps.install(previousCustom, custom));
        Map<String, Table> migrated = new LinkedHashMap<>(previous);
        List<MigrationStep> released = new ArrayList<>();
        for (String key : desired.unmigrated()) {
            Table table = migrated.remove(key);
            if (table != null) {
                released.add(new ReleaseTable(table));
            }
        }
        steps.addAll(differ.diff(migrated, desired.tables()));
        steps.addAll(released);
        previousExtensions.stream().filter(e -> !desired.extensions().contains(e))
                .forEach(e -> steps.add(new ForgetExtension(e)));
        steps.addAll(CustomExtensionSteps.forget(previousCustom, custom));
        return steps;
    }
}
