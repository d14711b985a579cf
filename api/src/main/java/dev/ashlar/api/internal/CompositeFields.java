package dev.ashlar.api.internal;

import dev.ashlar.api.resource.Type;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;
import java.util.UUID;

/** The column types the fields of a composite type take, by the Java types of the record's components. */
public final class CompositeFields {
    private static final Map<Class<?>, Type> BY_CLASS = Map.ofEntries(
            Map.entry(String.class, Type.TEXT), Map.entry(BigDecimal.class, Type.DECIMAL),
            Map.entry(Integer.class, Type.INTEGER), Map.entry(Long.class, Type.BIGINT),
            Map.entry(Boolean.class, Type.BOOLEAN), Map.entry(Double.class, Type.DOUBLE),
            Map.entry(Float.class, Type.FLOAT), Map.entry(UUID.class, Type.UUID),
            Map.entry(LocalDate.class, Type.DATE), Map.entry(LocalTime.class, Type.TIME),
            Map.entry(LocalDateTime.class, Type.TIMESTAMP), Map.entry(Instant.class, Type.TIMESTAMPTZ));

    private CompositeFields() {
    }

    /**
     * The type a component of this Java type is stored as (an enum as text, a primitive as its box, which the domain
     * then refuses as a field may be null), or null when none fits.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Type typeOf(Class<?> javaType) {
        return javaType.isEnum() ? Type.enumOf((Class) javaType) : BY_CLASS.get(ValueConversions.box(javaType));
    }

    /**
     * The Java type a field of this type is read as: {@code String} for text and text enums, {@code BigDecimal} for
     * any numeric, and so on; null for a type a composite type's field cannot be (arrays, JSON, native enums ...).
     */
    public static Class<?> javaType(Type type) {
        if (type instanceof Type.Text || type instanceof Type.Enumerated enumerated && !enumerated.isNative()) {
            return String.class;
        }
        if (type instanceof Type.Decimal) {
            return BigDecimal.class;
        }
        return BY_CLASS.entrySet().stream().filter(e -> e.getValue() == type).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
