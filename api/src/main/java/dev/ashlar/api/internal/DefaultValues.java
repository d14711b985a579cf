package dev.ashlar.api.internal;

import dev.ashlar.api.resource.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
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

    /**
     * The timestamps a default can be written as: its literal is ISO text, which PostgreSQL reads for the years 1 to
     * 9999 only ({@code +10000-01-01T00:00:00Z} is refused when the migration runs).
     */
    private static final Instant FIRST_TIMESTAMP = LocalDateTime.of(1, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
    private static final Instant AFTER_LAST_TIMESTAMP = LocalDateTime.of(10_000, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);

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
            return list.stream().map(element -> problem(element, maxLength)).filter(Objects::nonNull)
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

    /**
     * Why a default of a writable kind is no value of its column's type, or {@code null}: the server refuses it only
     * when the migration runs, or rounds it. Checked for whole-number columns (a whole number in range, or text
     * spelling one) and for timestamps (within the years their literal is read for), and for each element of an
     * array of them.
     */
    public static String typeProblem(Object value, Type type) {
        if (value instanceof List<?> list) {
            Type element = type instanceof Type.Array array ? array.element() : null;
            return element == null ? null : list.stream().map(e -> typeProblem(e, element)).filter(Objects::nonNull)
                    .findFirst().orElse(null);
        }
        String given = value + " (a " + value.getClass().getName() + ")";
        if (type == Type.SMALLINT || type == Type.INTEGER || type == Type.BIGINT) {
            long max = type == Type.SMALLINT ? Short.MAX_VALUE
                    : type == Type.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
            BigInteger whole = whole(value);
            if (whole == null || whole.compareTo(BigInteger.valueOf(-max - 1)) < 0
                    || whole.compareTo(BigInteger.valueOf(max)) > 0) {
                return "of " + given + ", which " + type + " cannot hold: give a whole number from " + (-max - 1)
                        + " to " + max;
            }
        }
        if ((type == Type.TIMESTAMP || type == Type.TIMESTAMPTZ) && !timestampYear(value)) {
            return "of " + given + ", outside the years 1 to 9999 a default " + type + " is written for: give a "
                    + "time within them, or a Default.sql(\"...\") expression";
        }
        return null;
    }

    /** The value as a whole number, or null when it is none (a fraction would be rounded, text other than digits). */
    private static BigInteger whole(Object value) {
        try {
            if (value instanceof Short || value instanceof Integer || value instanceof Long) {
                return BigInteger.valueOf(((Number) value).longValue());
            }
            if (value instanceof BigInteger number) {
                return number;
            }
            if (value instanceof String text) {
                return new BigInteger(text.strip());
            }
            if (value instanceof BigDecimal || value instanceof Float || value instanceof Double) {
                return new BigDecimal(value.toString()).toBigIntegerExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        return null;
    }

    private static boolean timestampYear(Object value) {
        Instant instant = value instanceof Instant given ? given
                : value instanceof OffsetDateTime time ? time.toInstant()
                : value instanceof LocalDateTime time ? time.toInstant(ZoneOffset.UTC) : null;
        return instant == null || !instant.isBefore(FIRST_TIMESTAMP) && instant.isBefore(AFTER_LAST_TIMESTAMP);
    }
}
