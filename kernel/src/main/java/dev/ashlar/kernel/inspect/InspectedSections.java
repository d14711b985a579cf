package dev.ashlar.kernel.inspect;

import dev.ashlar.api.resource.Extension;

import java.util.List;

/**
 * The parts of an inspected table that plugins own (its checks, its other indexes, the options of its
 * foreign keys), given to its resource as sections. The kernel knows no plugin, so whoever has them on
 * its class path (the command line has every one) says how they are written, once as values and once as
 * the Java source that makes the same values.
 */
public interface InspectedSections {
    /** No sections: the checks, indexes and key options of the tables are left out. */
    InspectedSections NONE = new InspectedSections() {
        @Override
        public List<Extension> of(InspectedTable table) {
            return List.of();
        }

        @Override
        public List<String> source(InspectedTable table) {
            return List.of();
        }

        @Override
        public List<String> imports(List<InspectedTable> tables) {
            return List.of();
        }
    };

    /** The sections of the table's resource, in the order {@link #source} writes them. */
    List<Extension> of(InspectedTable table);

    /** The Java expressions that make the same sections, one per section, e.g. {@code CheckConstraints.of(...)}. */
    List<String> source(InspectedTable table);

    /**
     * The import lines the expressions of these tables need, e.g. {@code import static
     * dev.ashlar.plugins.checks.Check.check;}: only those used, so the source compiles without the plugins the
     * database gives nothing to.
     */
    List<String> imports(List<InspectedTable> tables);
}
