package dev.ashlar.api.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.StoredEnum;

import java.lang.reflect.ParameterizedType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * The few lossless conversions a typed getter or a record component may need between the Java type a
 * row holds and the one asked for (an {@code Integer} read as a {@code long}, a name read as an enum, JSON text
 * read as a record, a map or a list).
 */
public final class ValueConversions {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
            boolean.class, Boolean.class, double.class, Double.class, float.class, Float.class, short.class,
            Short.class, byte.class, Byte.class, char.class, Character.class);

    private static final ClassValue<Function<Object, Object>> CONVERSIONS = new ClassValue<>() {
        @Override
        protected Function<Object, Object> computeValue(Class<?> type) {
            return conversionTo(type);
        }
    };

    private ValueConversions() {
    }

    /** The value as the type, or null when it cannot be one (or is null). */
    public static Object convert(Object value, Class<?> type) {
        if (value == null) {
            return null;
        }
        Class<?> target = box(type);
        return target.isInstance(value) ? value : CONVERSIONS.get(target).apply(value);
    }

    /**
     * Whether a record component's value can go to its constructor as it is: it has the component's (boxed) type,
     * and is no list whose elements the component reads from JSON text ({@code jsonElement}, from
     * {@link #jsonElement}, worked out once per component).
     */
    public static boolean passesAsIs(Object value, Class<?> boxed, java.lang.reflect.Type jsonElement) {
        return value != null && boxed.isInstance(value) && jsonElement == null;
    }

    /**
     * Like {@link #convert(Object, Class)}, where JSON text becomes a record, a map or a list of the generic type
     * (a record component's {@code List<Bio>}): an embedded record stored in a JSON attribute. A list for a
     * component whose elements are read from JSON ({@code jsonElement}, from {@link #jsonElement}, worked out once
     * per component; null for none) has each element read as one.
     */
    public static Object convert(Object value, Class<?> type, java.lang.reflect.Type generic,
                                 java.lang.reflect.Type jsonElement) {
        if (type == Optional.class) {
            return optional(value, generic);
        }
        if (type == OptionalInt.class || type == OptionalLong.class || type == OptionalDouble.class) {
            return primitiveOptional(value, type);
        }
        if (jsonElement != null && value instanceof List<?> list && type != Object.class
                && type.isAssignableFrom(List.class)) {
            return jsonElements(list, jsonElement);
        }
        return value instanceof String json && holdsJson(type) ? JsonReader.get().read(json, generic)
                : convert(value, type);
    }

    /**
     * The element type of a component such as {@code List<Mapping>} whose elements are read from JSON text (records,
     * maps, collections); else null.
     */
    public static java.lang.reflect.Type jsonElement(java.lang.reflect.Type generic) {
        if (!(generic instanceof ParameterizedType collection)) {
            return null;
        }
        java.lang.reflect.Type element = collection.getActualTypeArguments()[0];
        java.lang.reflect.Type raw = element instanceof ParameterizedType parameterized ? parameterized.getRawType()
                : element;
        return raw instanceof Class<?> c && holdsJson(c) ? element : null;
    }

    /**
     * An array of JSON values (a {@code jsonb[]} column, AshPostgres's array of embedded resources) read as the
     * element type, each element's text read as JSON is for one value; nulls stay null.
     */
    private static List<Object> jsonElements(List<?> list, java.lang.reflect.Type element) {
        List<Object> read = new java.util.ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            try {
                read.add(list.get(i) instanceof String json ? JsonReader.get().read(json, element) : list.get(i));
            } catch (AshlarException e) {
                throw QueryException.of("element " + i + " of the array: " + e.getMessage(), e);
            }
        }
        return java.util.Collections.unmodifiableList(read);
    }

    /**
     * A value for an {@code Optional<T>} component, as Jdbi maps one: empty for null (or JSON null), the value as
     * {@code T} otherwise, or null when it cannot be one, for the caller to refuse.
     */
    private static Object optional(Object value, java.lang.reflect.Type generic) {
        java.lang.reflect.Type element = generic instanceof ParameterizedType optional
                ? optional.getActualTypeArguments()[0] : Object.class;
        java.lang.reflect.Type raw = element instanceof ParameterizedType parameterized ? parameterized.getRawType()
                : element;
        Class<?> type = raw instanceof Class<?> c ? c : Object.class;
        Object converted = convert(value, type, element, jsonElement(element));
        boolean jsonNull = holdsJson(type) && value instanceof String text && text.strip().equals("null");
        return converted != null ? Optional.of(converted) : value == null || jsonNull ? Optional.empty() : null;
    }

    /**
     * A value for an {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble} component: empty for null, the
     * number as an {@code int}, {@code long} or {@code double} when it is one exactly (as an {@code Integer} or
     * {@code Long} component takes it), or null when it is not, for the caller to refuse.
     */
    private static Object primitiveOptional(Object value, Class<?> type) {
        if (type == OptionalInt.class) {
            Integer number = (Integer) convert(value, Integer.class);
            return number != null ? OptionalInt.of(number) : value == null ? OptionalInt.empty() : null;
        }
        if (type == OptionalLong.class) {
            Long number = (Long) convert(value, Long.class);
            return number != null ? OptionalLong.of(number) : value == null ? OptionalLong.empty() : null;
        }
        Double number = (Double) convert(value, Double.class);
        return number != null ? OptionalDouble.of(number) : value == null ? OptionalDouble.empty() : null;
    }

    /** Whether a component of the type takes a NULL as its empty value: an {@code Optional} or one of its primitive kin. */
    public static boolean isOptional(Class<?> type) {
        return type == Optional.class || type == OptionalInt.class || type == OptionalLong.class
                || type == OptionalDouble.class;
    }

    /**
     * The value an optional stands for, as Jdbi binds one: its value, or null when empty; any other value as it is.
     * ({@code Optional}, {@code OptionalInt}, {@code OptionalLong}, {@code OptionalDouble}.)
     */
    public static Object unwrapped(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.orElse(null);
        }
        if (value instanceof OptionalInt number) {
            return number.isPresent() ? (Object) number.getAsInt() : null;
        }
        if (value instanceof OptionalLong number) {
            return number.isPresent() ? (Object) number.getAsLong() : null;
        }
        if (value instanceof OptionalDouble number) {
            return number.isPresent() ? (Object) number.getAsDouble() : null;
        }
        return value;
    }

    /**
     * The element type of a {@code List<BigInteger>}, {@code List<Character>}, {@code List<Short>}, {@code List<Byte>}
     * or {@code List<OffsetDateTime>} (a timestamptz array reads as {@code Instant}s): a list whose elements an array
     * column reads as another type, to be narrowed exactly; else
     * null.
     */
    public static Class<?> narrowedElement(java.lang.reflect.Type generic) {
        if (generic instanceof ParameterizedType list && list.getRawType() == List.class
                && list.getActualTypeArguments()[0] instanceof Class<?> element
                && (element == BigInteger.class || element == Character.class || element == Short.class
                || element == Byte.class || element == OffsetDateTime.class)) {
            return element;
        }
        return null;
    }

    /** The list with each element as the type, exactly; null when an element cannot be one. */
    public static List<Object> elements(List<?> list, Class<?> type) {
        List<Object> elements = new java.util.ArrayList<>(list.size());
        for (Object element : list) {
            Object converted = convert(element, type);
            if (converted == null && element != null) {
                return null;
            }
            elements.add(converted);
        }
        return java.util.Collections.unmodifiableList(elements);
    }

    /** Whether values of the type are read from JSON text: records, maps and collections. */
    static boolean holdsJson(Class<?> type) {
        return type.isRecord() || Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)
                || JsonReader.get().readsTree(type);
    }

    public static Class<?> box(Class<?> type) {
        return type.isPrimitive() ? BOXES.get(type) : type;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Function<Object, Object> conversionTo(Class<?> type) {
        if (type == Long.class) {
            return v -> v instanceof Integer || v instanceof Short ? (Object) ((Number) v).longValue() : exact(v, true);
        }
        if (type == Integer.class) {
            return v -> v instanceof Short s ? (Object) s.intValue() : exact(v, false);
        }
        if (type == Short.class || type == Byte.class || type == BigInteger.class) {
            return v -> narrowWhole(v, type);
        }
        if (type == Character.class) {
            return v -> v instanceof String text && text.length() == 1 ? (Object) text.charAt(0) : null;
        }
        if (type == Double.class) {
            return v -> v instanceof Number n ? (Object) n.doubleValue() : null;
        }
        if (type == Float.class) {
            return v -> v instanceof Number n ? (Object) n.floatValue() : null;
        }
        if (type == BigDecimal.class) {
            return ValueConversions::decimal;
        }
        if (type == Instant.class) {
            return v -> v instanceof OffsetDateTime t ? t.toInstant() : null;
        }
        if (type == OffsetDateTime.class) {
            return v -> v instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : null;
        }
        if (type == ZonedDateTime.class) {
            // A timestamptz keeps the instant, not the zone: read at UTC, as an OffsetDateTime is.
            return v -> v instanceof Instant t ? t.atZone(ZoneOffset.UTC)
                    : v instanceof OffsetDateTime t ? t.toZonedDateTime() : null;
        }
        if (type == OffsetTime.class) {
            return ValueConversions::offsetTime;
        }
        if (type == Period.class) {
            return ValueConversions::days;
        }
        if (type == UUID.class) {
            return ValueConversions::uuid;
        }
        if (type == String.class) {
            return v -> v instanceof Enum<?> e ? stored(e) : null;
        }
        if (type == java.io.InputStream.class) {
            return v -> v instanceof byte[] bytes ? new java.io.ByteArrayInputStream(bytes) : null;
        }
        if (type == java.io.Reader.class) {
            return v -> v instanceof String text ? new java.io.StringReader(text) : null;
        }
        if (type.isArray()) {
            return v -> v instanceof List<?> list ? array(list, type.getComponentType()) : null;
        }
        if (holdsJson(type)) {
            return v -> v instanceof String json ? JsonReader.get().read(json, type) : null;
        }
        if (type.isEnum()) {
            return v -> v instanceof String text ? constant((Class<? extends Enum<?>>) type, text) : null;
        }
        return v -> null;
    }

    /** The text a constant is stored as: its {@link StoredEnum#storedValue()}, or else its name. */
    public static String stored(Enum<?> constant) {
        return constant instanceof StoredEnum stored ? stored.storedValue() : constant.name();
    }

    /** The texts an enum's constants are stored as (see {@link #stored(Enum)}), in declaration order. */
    public static List<String> storedValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(constant -> stored((Enum<?>) constant)).toList();
    }

    /** The constant of an enum stored as this text (see {@link #stored(Enum)}), or null when none is. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Enum<?> constant(Class<? extends Enum<?>> type, String text) {
        if (!StoredEnum.class.isAssignableFrom(type)) {
            try {
                return Enum.valueOf((Class) type, text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        for (Enum<?> constant : type.getEnumConstants()) {
            if (stored(constant).equals(text)) {
                return constant;
            }
        }
        return null;
    }

    /**
     * A list (an array column's value) as a Java array of the element type ({@code String[]}, {@code int[]}), as jOOQ
     * and Hibernate read array columns; null when an element is not of the type, or null where a primitive belongs.
     */
    private static Object array(List<?> list, Class<?> element) {
        Object array = java.lang.reflect.Array.newInstance(element, list.size());
        for (int i = 0; i < list.size(); i++) {
            Object converted = convert(list.get(i), element);
            if (converted == null && (list.get(i) != null || element.isPrimitive())) {
                return null;
            }
            if (converted != null) {
                java.lang.reflect.Array.set(array, i, converted);
            }
        }
        return array;
    }

    private static Object exact(Object value, boolean toLong) {
        try {
            if (value instanceof Long l) {
                return toLong ? l : (Object) Math.toIntExact(l);
            }
            if (value instanceof BigDecimal || value instanceof BigInteger) {
                BigDecimal decimal = value instanceof BigDecimal d ? d : new BigDecimal((BigInteger) value);
                return toLong ? (Object) decimal.longValueExact() : (Object) decimal.intValueExact();
            }
        } catch (ArithmeticException e) {
            return null;
        }
        return null;
    }

    /**
     * A whole number as a {@code Short}, {@code Byte} or {@code BigInteger} (Hibernate's and jOOQ's types for
     * smallint, a tinyint and numeric), when it is one exactly; null otherwise.
     */
    private static Object narrowWhole(Object value, Class<?> type) {
        BigDecimal number = value instanceof BigDecimal d ? d : (BigDecimal) decimal(value);
        if (number == null || value instanceof Double || value instanceof Float) {
            return null;
        }
        try {
            return type == Short.class ? (Object) number.shortValueExact()
                    : type == Byte.class ? (Object) number.byteValueExact() : number.toBigIntegerExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * A {@code time with time zone} as PostgreSQL writes it ({@code 10:15:30.5+05:30}, {@code 10:15:30+02}), with its
     * offset; null for other text and for {@code 24:00:00}, which no {@code OffsetTime} holds.
     */
    private static Object offsetTime(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        try {
            return sign < 0 ? null : OffsetTime.of(LocalTime.parse(text.substring(0, sign)),
                    ZoneOffset.of(text.substring(sign)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** An interval of whole days, read as a {@code Duration} for want of months, as a {@code Period} of those days. */
    private static Object days(Object value) {
        if (!(value instanceof Duration duration) || !duration.equals(Duration.ofDays(duration.toDays()))) {
            return null;
        }
        try {
            return Period.ofDays(Math.toIntExact(duration.toDays()));
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static Object decimal(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue());
        }
        return value instanceof BigInteger big ? new BigDecimal(big) : null;
    }

    private static Object uuid(Object value) {
        try {
            return value instanceof String text ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
