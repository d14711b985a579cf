package dev.ashlar.api.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The constant defaults Ashlar can write as a SQL literal. Anything else would be written from its
 * {@code toString()} ({@code 'Tuple[a=1, b=2]'}, a lambda's identity), so the domain refuses it.
 */
public final class DefaultValues {
    /** The kinds a default may have, as the message that refuses another names them. */
    public static final String KINDS = "String, Boolean, Short, Integer, Long, BigInteger, BigDecimal, Float, Double, "
            + "UUID, LocalDate, LocalTime, LocalDateTime, OffsetDateTime, Instant, Duration, an enum constant, or a List of these";

    private static final List<Class<?>> SCALARS = List.of(String.class, Boolean.class, Short.class, Integer.class,
            Long.class, BigInteger.class, BigDecimal.class, Float.class, Double.class, UUID.class, LocalDate.class,
            LocalTime.class, LocalDateTime.class, OffsetDateTime.class, Instant.class, Duration.class);

    private DefaultValues() {
    }

    /** Whether {@code value} has one of the {@link #KINDS}. */
    public static boolean writable(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().allMatch(e -> e != null && !(e instanceof List) && writable(e));
        }
        return value instanceof Enum<?> || SCALARS.contains(value.getClass());
    }
}
