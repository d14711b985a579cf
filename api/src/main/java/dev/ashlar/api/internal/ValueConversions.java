package dev.ashlar.api.internal;

import java.lang.reflect.ParameterizedType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
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
     * Like {@link #convert(Object, Class)}, where JSON text becomes a record, a map or a list of the generic type
     * (a record component's {@code List<Bio>}): an embedded record stored in a JSON attribute.
     */
    public static Object convert(Object value, Class<?> type, java.lang.reflect.Type generic) {
        if (type == Optional.class) {
            return optional(value, generic);
        }
        return value instanceof String json && holdsJson(type) ? JsonReader.get().read(json, generic)
                : convert(value, type);
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
        Object converted = convert(value, type, element);
        boolean jsonNull = holdsJson(type) && value instanceof String text && text.strip().equals("null");
        return converted != null ? Optional.of(converted) : value == null || jsonNull ? Optional.empty() : null;
    }

    /** Whether values of the type are read from JSON text: records, maps and collections. */
    static boolean holdsJson(Class<?> type) {
        return type.isRecord() || Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type);
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
        if (type == UUID.class) {
            return ValueConversions::uuid;
        }
        if (type == String.class) {
            return v -> v instanceof Enum<?> e ? e.name() : null;
        }
        if (holdsJson(type)) {
            return v -> v instanceof String json ? JsonReader.get().read(json, type) : null;
        }
        if (type.isEnum()) {
            Class<? extends Enum> enumType = (Class<? extends Enum>) type;
            return v -> {
                try {
                    return v instanceof String name ? Enum.valueOf(enumType, name) : null;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            };
        }
        return v -> null;
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
