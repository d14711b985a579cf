package dev.ashlar.kernel.data;

/**
 * Which groups beside the finest a grouped read adds (SQL's grouping sets): none, the subtotals of {@code ROLLUP} or of
 * {@code CUBE}, and the name under which each row says which of its grouped fields were rolled up ({@code GROUPING(...)};
 * null for none).
 *
 * @param mode  the grouping sets
 * @param level the name of the value {@code GROUPING(...)} of every grouped field, or null
 */
public record Subtotals(Mode mode, String level) {
    /** The groups of the grouped fields alone. */
    public static final Subtotals NONE = new Subtotals(Mode.NONE, null);

    /** The grouping sets a grouped read asks for. */
    public enum Mode {
        /** {@code GROUP BY a, b}: one row per combination of values. */
        NONE,
        /** {@code GROUP BY ROLLUP (a, b)}: those, a subtotal for each {@code a}, and a grand total. */
        ROLLUP,
        /** {@code GROUP BY CUBE (a, b)}: those, a subtotal for each {@code a}, each {@code b}, and a grand total. */
        CUBE
    }

    /** The same sets, each row naming its level under {@code as}. */
    public Subtotals withLevel(String as) {
        return new Subtotals(mode, as);
    }
}
