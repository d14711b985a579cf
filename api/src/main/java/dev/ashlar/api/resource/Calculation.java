package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A value each record computes from its own row in SQL (Ash's {@code calculations}), declared on the resource and
 * used by name like an aggregate: loaded onto rows, filtered and sorted on, also through a to-one path and inside
 * {@code exists}. Read-only. The expression names the row's columns unqualified, so it reads the same wherever the
 * row is; it is code, as a filter is: never build it from input, bind values with {@code ?} instead, or with the
 * {@code :name} mark of an {@link CalculationArgument argument} a read gives.
 *
 * <pre>{@code
 * Resource.builder("user")
 *         .calculate("full_name", String.class, "first_name || ' ' || last_name")
 *         .calculate("price_with_tax", BigDecimal.class, "price * ?", new BigDecimal("1.2"))
 *         .calculate("label", String.class, "first_name || :separator || last_name",
 *                 CalculationArgument.of("separator", String.class).withDefault(" "))
 * }</pre>
 *
 * @param name   the calculation's name, which no attribute, relationship or aggregate of the resource has
 * @param type   the Java type its values are read as: String, Character, Integer, Long, BigInteger, BigDecimal,
 *               Double, Boolean, UUID, LocalDate, LocalTime, LocalDateTime or Instant ({@code Character} and
 *               {@code BigInteger} exactly: a longer text or a fraction is refused naming the calculation);
 *               {@code Object} for one declared by its column type
 * @param sql    the SQL expression over the resource's own columns, unqualified, e.g. {@code "price * quantity"}
 * @param values    the values of the expression's {@code ?} marks, in order; none null
 * @param arguments the arguments a read gives, each named in the expression by its mark {@code :name}; a
 *                  {@code ::} cast, or a colon in a string, quoted name or comment, is no mark
 * @param valueType the column type of its values when declared by one ({@code Type.arrayOf(TEXT)}, {@code Type.JSON},
 *                  {@code Type.INTERVAL} ...), read as an attribute of that type is; null when {@code type} names it
 */
public record Calculation(String name, Class<?> type, String sql, List<Object> values,
                          List<CalculationArgument> arguments, Type valueType) {

    /** The column type of the values of each Java type a calculation can be read as. */
    private static final Map<Class<?>, Type> TYPES = Map.ofEntries(
            Map.entry(String.class, Type.TEXT),
            Map.entry(Integer.class, Type.INTEGER),
            Map.entry(Long.class, Type.BIGINT),
            Map.entry(BigDecimal.class, Type.DECIMAL),
            Map.entry(Double.class, Type.DOUBLE),
            Map.entry(Boolean.class, Type.BOOLEAN),
            Map.entry(UUID.class, Type.UUID),
            Map.entry(LocalDate.class, Type.DATE),
            Map.entry(LocalTime.class, Type.TIME),
            Map.entry(LocalDateTime.class, Type.TIMESTAMP),
            Map.entry(Instant.class, Type.TIMESTAMPTZ));

    /**
     * The column type a calculation's values travel in when read exactly as a Java type no column type reads as its
     * own: a fraction or a text of more than one character is refused. Not an argument's or an aggregate's type.
     */
    private static final Map<Class<?>, Type> EXACT = Map.of(BigInteger.class, Type.DECIMAL,
            Character.class, Type.TEXT, java.time.OffsetDateTime.class, Type.TIMESTAMPTZ);

    public Calculation {
        // Kept as given (a null included) so that the domain reports a wrong value with the other problems.
        values = values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
        arguments = arguments == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** A calculation whose values are of the column type of its Java type. */
    public Calculation(String name, Class<?> type, String sql, List<Object> values,
                       List<CalculationArgument> arguments) {
        this(name, type, sql, values, arguments, null);
    }

    /** A calculation without arguments. */
    public Calculation(String name, Class<?> type, String sql, List<Object> values) {
        this(name, type, sql, values, List.of());
    }

    /**
     * A calculation from values given in one list, as {@code ResourceBuilder.calculate} takes them: each
     * {@link CalculationArgument} is an argument, in order, and the other values are those of the {@code ?} marks.
     */
    public static Calculation of(String name, Class<?> type, String sql, Object... valuesAndArguments) {
        return of(name, type, null, sql, valuesAndArguments);
    }

    /**
     * {@link #of(String, Class, String, Object...)} for a calculation whose values are of a column type, read as an
     * attribute of that type is: {@code Type.arrayOf(TEXT)} as a {@code List}, {@code Type.INTERVAL} as a
     * {@code Duration}.
     */
    public static Calculation of(String name, Type valueType, String sql, Object... valuesAndArguments) {
        return of(name, Object.class, valueType, sql, valuesAndArguments);
    }

    private static Calculation of(String name, Class<?> type, Type valueType, String sql,
                                  Object... valuesAndArguments) {
        // A lone null given for the values is passed by Java as no array at all, not as one null value.
        DefinitionException.required(valuesAndArguments, "values (to bind one null, give new Object[] {null})");
        List<Object> values = new ArrayList<>();
        List<CalculationArgument> arguments = new ArrayList<>();
        for (Object value : valuesAndArguments) {
            if (value instanceof CalculationArgument argument) {
                arguments.add(argument);
            } else {
                values.add(value);
            }
        }
        return new Calculation(name, type, sql, values, arguments, valueType);
    }

    /** The column type of the values of a Java type a calculation or its argument can be, or {@code null} for none. */
    public static Type columnTypeOf(Class<?> type) {
        return type == null ? null : TYPES.get(type);
    }

    /**
     * The column type of the calculation's values: the one declared, else that of its Java type; {@code null} when
     * neither is one it can be read as.
     */
    public Type columnType() {
        return valueType != null ? valueType : type != null && EXACT.containsKey(type) ? EXACT.get(type)
                : columnTypeOf(type);
    }
}
