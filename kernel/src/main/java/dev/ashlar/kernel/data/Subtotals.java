package dev.ashlar.kernel.data;

import java.util.List;

/**
 * Which groups beside the finest a grouped read adds (SQL's grouping sets): none, the subtotals of {@code ROLLUP} or of
 * {@code CUBE}, sets named one by one ({@code GROUPING SETS}), and the name under which each row says which of its
 * grouped fields were rolled up ({@code GROUPING(...)}; null for none).
 *
 * @param mode  the grouping sets
 * @param level the name of the value {@code GROUPING(...)} of every grouped field, or null
 * @param sets  for {@link Mode#SETS}, the grouped fields of each set ({@code List.of()} for the grand total); empty
 *              otherwise
 */
public record Subtotals(Mode mode, String level, List<List<String>> sets) {
    /** The groups of the grouped fields alone. */
    public static final Subtotals NONE = new Subtotals(Mode.NONE, null);

    public Subtotals {
        sets = sets == null ? List.of() : sets.stream().map(List::copyOf).toList();
    }

    /** The sets of {@code ROLLUP}, {@code CUBE} or none, which the mode says. */
    public Subtotals(Mode mode, String level) {
        this(mode, level, List.of());
    }

    /** The grouping sets a grouped read asks for. */
    public enum Mode {
        /** {@code GROUP BY a, b}: one row per combination of values. */
        NONE,
        /** {@code GROUP BY ROLLUP (a, b)}: those, a subtotal for each {@code a}, and a grand total. */
        ROLLUP,
        /** {@code GROUP BY CUBE (a, b)}: those, a subtotal for each {@code a}, each {@code b}, and a grand total. */
        CUBE,
        /** {@code GROUP BY GROUPING SETS ((a, b), (a), ())}: the groups of each set named, one after another. */
        SETS
    }

    /** The same sets, each row naming its level under {@code as}. */
    public Subtotals withLevel(String as) {
        return new Subtotals(mode, as, sets);
    }
}
