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

    /**
     * Why a default of a writable kind cannot stand in the column, or {@code null}: text holding a NUL character
     * (PostgreSQL's protocol ends a statement's text there, so the migration would lose its connection) or half of a
     * UTF-16 surrogate pair (written as '?'), or text longer than {@code maxLength} characters (a {@code varchar(n)}
     * or an array of them, null for none), which the server refuses only when the migration runs; in a String or a
     * List's element.
     */
    public static String problem(Object value, Integer maxLength) {
        if (value instanceof List<?> list) {
            return list.stream().map(element -> problem(element, maxLength)).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
        }
        if (!(value instanceof String text)) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (c == '\0') {
                return "holds a NUL character, which PostgreSQL text cannot store: remove it";
            }
            if (Character.isSurrogate(c) && !pair) {
                return "holds half of a UTF-16 surrogate pair (at " + i + "), which no encoding can send: remove it";
            }
            i += pair ? 1 : 0;
        }
        int length = text.codePointCount(0, text.length());
        return maxLength != null && length > maxLength ? "is " + length + " characters long, and the column holds at "
                + "most " + maxLength + " (varchar(" + maxLength + ")): shorten it, or declare a longer varchar" : null;
    }
}
