package dev.ashlar.api.resource;

/**
 * An argument of a declared {@link Calculation}, given when it is loaded (Ash's calculation {@code argument}): the
 * calculation's SQL names it with a mark, {@code :separator}, bound as a parameter, never written into the SQL.
 *
 * <pre>{@code
 * .calculate("full_name", String.class, "first_name || :separator || last_name",
 *         CalculationArgument.of("separator", String.class).withDefault(" ").notNull())
 *
 * ashlar.read("user").load("full_name", Map.of("separator", "-"))   // or load("full_name") for the default
 * }</pre>
 *
 * @param name         the argument's name, as its mark names it: a letter or {@code _}, then letters, digits or
 *                     {@code _}
 * @param type         the Java type of its values, one a calculation can be read as (String, Integer, Long,
 *                     BigDecimal, Double, Boolean, UUID, LocalDate, LocalTime, LocalDateTime or Instant)
 * @param defaultValue its value when a read gives none, if {@code hasDefault}
 * @param hasDefault   whether a read may leave it out; without a default a read that loads, filters or sorts by the
 *                     calculation must give it
 * @param allowNil     whether its value may be null (Ash's {@code allow_nil?}), true unless {@link #notNull()}
 */
public record CalculationArgument(String name, Class<?> type, Object defaultValue, boolean hasDefault,
                                  boolean allowNil) {

    /** An argument a read must give, which may be null. */
    public static CalculationArgument of(String name, Class<?> type) {
        return new CalculationArgument(name, type, null, false, true);
    }

    /** This argument with the value a read that gives none uses; null is a default where nil is allowed. */
    public CalculationArgument withDefault(Object value) {
        return new CalculationArgument(name, type, value, true, allowNil);
    }

    /** This argument refusing null, given or as its default (Ash's {@code allow_nil?: false}). */
    public CalculationArgument notNull() {
        return new CalculationArgument(name, type, defaultValue, hasDefault, false);
    }
}
