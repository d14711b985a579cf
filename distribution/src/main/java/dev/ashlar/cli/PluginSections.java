package dev.ashlar.cli;

import dev.ashlar.api.resource.Extension;
import dev.ashlar.kernel.inspect.InspectedSections;
import dev.ashlar.kernel.inspect.InspectedTable;
import dev.ashlar.kernel.inspect.InspectedTable.BelongsTo;
import dev.ashlar.kernel.inspect.InspectedTable.KeyOptions;
import dev.ashlar.plugins.checks.Check;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.indexes.CustomIndex;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.references.Match;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.OnUpdate;
import dev.ashlar.plugins.references.Reference;
import dev.ashlar.plugins.references.References;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static dev.ashlar.kernel.inspect.InspectedDomain.literal;

/**
 * An inspected table's checks, indexes and foreign-key options as the sections of the checks, indexes
 * and references plugins. Each value is made beside the Java that makes it ({@link Made}), so the
 * domain recorded as snapshots and the source written for the user cannot say different things.
 */
final class PluginSections implements InspectedSections {

    @Override
    public List<Extension> of(InspectedTable table) {
        return sections(table).stream().map(Made::value).toList();
    }

    @Override
    public List<String> source(InspectedTable table) {
        return sections(table).stream().map(Made::source).toList();
    }

    @Override
    public List<String> imports(List<InspectedTable> tables) {
        List<String> sources = tables.stream().flatMap(table -> source(table).stream()).toList();
        return IMPORTS.stream().filter(line -> sources.stream().anyMatch(source -> source.contains(used(line))))
                .toList();
    }

    private static final List<String> IMPORTS = List.of("import dev.ashlar.plugins.checks.CheckConstraints;",
            "import dev.ashlar.plugins.indexes.CustomIndexes;",
            "import dev.ashlar.plugins.references.Match;",
            "import dev.ashlar.plugins.references.OnDelete;",
            "import dev.ashlar.plugins.references.OnUpdate;",
            "import dev.ashlar.plugins.references.References;",
            "import static dev.ashlar.plugins.checks.Check.check;",
            "import static dev.ashlar.plugins.indexes.CustomIndexes.index;",
            "import static dev.ashlar.plugins.references.Reference.reference;");

    /** What a source uses when it needs the import: {@code CheckConstraints.} or {@code check(}. */
    private static String used(String importLine) {
        String name = importLine.substring(importLine.lastIndexOf('.') + 1, importLine.length() - 1);
        return importLine.startsWith("import static") ? name + "(" : name + ".";
    }

    private static List<Made<Extension>> sections(InspectedTable table) {
        List<Made<Extension>> sections = new ArrayList<>();
        if (!table.checks().isEmpty()) {
            List<Made<Check>> checks = table.checks().stream().map(PluginSections::check).toList();
            sections.add(new Made<>(CheckConstraints.of(checks.stream().map(Made::value).toArray(Check[]::new)),
                    "CheckConstraints.of(" + Made.sources(checks) + ")"));
        }
        if (!table.indexes().isEmpty()) {
            List<Made<CustomIndex.Builder>> indexes = table.indexes().stream().map(PluginSections::index).toList();
            sections.add(new Made<>(CustomIndexes.of(indexes.stream().map(Made::value)
                    .toArray(CustomIndex.Builder[]::new)), "CustomIndexes.of(" + Made.sources(indexes) + ")"));
        }
        List<Made<Reference>> references = table.belongsTo().stream().filter(key -> !key.key().defaults()
                || !key.matchWith().isEmpty()).map(PluginSections::reference).toList();
        if (!references.isEmpty()) {
            sections.add(new Made<>(References.of(references.stream().map(Made::value).toArray(Reference[]::new)),
                    "References.of(" + Made.sources(references) + ")"));
        }
        return sections;
    }

    private static Made<Check> check(InspectedTable.Check check) {
        Made<Check> made = new Made<>(Check.check(check.check()), "check(" + literal(check.check()) + ")")
                .then(c -> c.expression(check.expression()), ".expression(" + literal(check.expression()) + ")");
        return check.constraint() == null ? made
                : made.then(c -> c.name(check.constraint()), ".name(" + literal(check.constraint()) + ")");
    }

    private static Made<CustomIndex.Builder> index(InspectedTable.Index index) {
        Made<CustomIndex.Builder> made = new Made<>(CustomIndexes.index(index.fields().toArray(String[]::new)),
                "index(" + index.fields().stream().map(f -> literal(f)).collect(Collectors.joining(", ")) + ")")
                .then(i -> i.name(index.name()), ".name(" + literal(index.name()) + ")");
        if (index.unique()) {
            made = made.then(CustomIndex.Builder::unique, ".unique()");
        }
        if (index.where() != null) {
            made = made.then(i -> i.where(index.where()), ".where(" + literal(index.where()) + ")");
        }
        if (index.using() != null) {
            made = made.then(i -> i.using(index.using()), ".using(" + literal(index.using()) + ")");
        }
        if (!index.include().isEmpty()) {
            made = made.then(i -> i.include(index.include().toArray(String[]::new)), ".include("
                    + index.include().stream().map(f -> literal(f)).collect(Collectors.joining(", ")) + ")");
        }
        return index.nullsDistinct() ? made : made.then(i -> i.nullsDistinct(false), ".nullsDistinct(false)");
    }

    private static Made<Reference> reference(BelongsTo key) {
        KeyOptions options = key.key();
        Made<Reference> made = new Made<>(Reference.reference(key.relationship()),
                "reference(" + literal(key.relationship()) + ")");
        for (InspectedTable.ColumnPair pair : key.matchWith()) {
            made = made.then(r -> r.matchWith(pair.column(), pair.referenced()),
                    ".matchWith(" + literal(pair.column()) + ", " + literal(pair.referenced()) + ")");
        }
        if (!options.defaultName()) {
            made = made.then(r -> r.name(options.name()), ".name(" + literal(options.name()) + ")");
        }
        if (!options.nilifyColumns().isEmpty()) {
            made = made.then(r -> r.onDelete(OnDelete.nilify(options.nilifyColumns().toArray(String[]::new))),
                    ".onDelete(OnDelete.nilify(" + options.nilifyColumns().stream().map(c -> literal(c))
                            .collect(Collectors.joining(", ")) + "))");
        } else if (!"NOTHING".equals(options.onDelete())) {
            made = made.then(r -> r.onDelete(OnDelete.Action.valueOf(options.onDelete())),
                    ".onDelete(OnDelete." + options.onDelete() + ")");
        }
        if (!"NOTHING".equals(options.onUpdate())) {
            made = made.then(r -> r.onUpdate(OnUpdate.valueOf(options.onUpdate())),
                    ".onUpdate(OnUpdate." + options.onUpdate() + ")");
        }
        if (options.deferrable()) {
            made = made.then(r -> r.deferrable(true), ".deferrable(true)");
        }
        if (options.initiallyDeferred()) {
            made = made.then(r -> r.initiallyDeferred(true), ".initiallyDeferred(true)");
        }
        return options.matchFull() ? made.then(r -> r.match(Match.FULL), ".match(Match.FULL)") : made;
    }

    /** A value and the Java expression that makes it, grown call by call. */
    private record Made<T>(T value, String source) {
        Made<T> then(UnaryOperator<T> call, String javaCall) {
            return new Made<>(call.apply(value), source + javaCall);
        }

        static String sources(List<? extends Made<?>> made) {
            return made.stream().map(Made::source).collect(Collectors.joining(",\n                        "));
        }
    }
}
