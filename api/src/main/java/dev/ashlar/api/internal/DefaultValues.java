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
     * when the migration runs (a Boolean for a UUID, text no date parses from, a label the enum does not list), writes
     * it as other text (a Boolean in a text column) or rounds it (more decimals than a {@code decimal(p, s)} keeps).
     * Checked for each element of an array's List; types whose values Ashlar cannot check here pass.
     */
    public static String typeProblem(Object value, Type type) {
        if (value instanceof List<?> list) {
            if (type instanceof Type.Ltree) {
                return null;
            }
            return type instanceof Type.Array array ? list.stream().map(e -> typeProblem(e, array.element()))
                    .filter(Objects::nonNull).findFirst().orElse(null)
                    : "of " + given(value) + ", a List, which only an array column takes: give one value";
        }
        if (type instanceof Type.Array) {
            return "of " + given(value) + ", which an array column takes as a List of its elements: give List.of(...)";
        }
        String wanted = DefaultKinds.wanted(value, type);
        if (wanted != null) {
            return "of " + given(value) + ", which " + DefaultKinds.name(type) + " cannot hold: give " + wanted
                    + ", or a Default.sql(\"...\") expression";
        }
        if ((type == Type.TIMESTAMP || type == Type.TIMESTAMPTZ) && !timestampYear(value)) {
            return "of " + given(value) + ", outside the years 1 to 9999 a default " + type + " is written for: give "
                    + "a time within them, or a Default.sql(\"...\") expression";
        }
        return null;
    }

    private static String given(Object value) {
        return value + " (a " + value.getClass().getName() + ")";
    }

    private static boolean timestampYear(Object value) {
        Instant instant = value instanceof Instant given ? given
                : value instanceof OffsetDateTime time ? time.toInstant()
                : value instanceof LocalDateTime time ? time.toInstant(ZoneOffset.UTC) : null;
        return instant == null || !instant.isBefore(FIRST_TIMESTAMP) && instant.isBefore(AFTER_LAST_TIMESTAMP);
    }
}
