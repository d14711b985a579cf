package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.internal.ValueConversions;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Literals;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a resource author's constant default as a SQL literal for DDL. Only ever given values
 * from code (resource definitions), never request data, which is always bound.
 */
public final class SqlLiterals {
    private SqlLiterals() {
    }

    public static String of(Object value) {
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof BigDecimal) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                return quoted(value.toString());
            }
            return value.toString();
        }
        if (value instanceof Duration duration) {
            if (duration.getNano() % 1_000 != 0) {
                throw DefinitionException.of(null, null, "A default Duration of " + duration + " is finer than the "
                        + "microseconds an interval keeps; round it, e.g. truncatedTo(ChronoUnit.MICROS)");
            }
            return quoted(interval(duration));
        }
        if (value instanceof Enum<?> constant) {
            return quoted(ValueConversions.stored(constant));
        }
        if (value instanceof List<?> list) {
            return "ARRAY[" + list.stream().map(SqlLiterals::of).collect(Collectors.joining(", ")) + "]";
        }
        return quoted(value.toString());
    }

    /**
     * Whether a list default must be cast to its column's type: {@code ARRAY[]} has no type at all, and an array of
     * quoted dates, times, UUIDs or intervals, or of text spelling numbers, is a {@code text[]}, which no assignment
     * cast turns into a {@code date[]} or an {@code integer[]}. An array of numbers or booleans, or of strings for a
     * text column, takes the column's type as written.
     */
    public static boolean needsArrayCast(Object value, Type columnType) {
        if (!(value instanceof List<?> list)) {
            return false;
        }
        Type element = columnType instanceof Type.Array array ? array.element() : null;
        boolean text = element instanceof Type.Text || element == Type.CITEXT || element instanceof Type.Enumerated;
        return list.isEmpty() || !list.stream().allMatch(e -> e instanceof Number || e instanceof Boolean)
                && !(text && list.stream().allMatch(e -> e instanceof String || e instanceof Enum<?>));
    }

    /**
     * A duration as the text of an interval's time part, {@code [-]H:MM:SS.ffffff}: PostgreSQL parses it exactly in
     * every IntervalStyle, where ISO 8601 seconds with a sign on each field ({@code PT-1M-30S}) are not read by all
     * versions. The caller keeps it to microseconds and to the hours PostgreSQL parses (an int).
     */
    public static String interval(Duration duration) {
        Duration size = duration.abs();
        return String.format("%s%d:%02d:%02d.%06d", duration.isNegative() ? "-" : "", size.toHours(),
                size.toMinutesPart(), size.toSecondsPart(), size.toNanosPart() / 1_000);
    }

    /** A string literal read the same whatever {@code standard_conforming_strings} says: {@link Literals#quote}. */
    public static String quoted(String text) {
        return Literals.quote(text);
    }

    /**
     * A body between dollar quotes, {@code $tag$...$tag$}, under a tag the body does not hold ({@code tag}, else
     * {@code tag_1}, {@code tag_2} ...): a name written into the body, such as a column {@code "at$touch$"}, would
     * otherwise end it early.
     */
    public static String dollarQuoted(String tag, String body) {
        String chosen = tag;
        for (int i = 1; body.contains("$" + chosen + "$"); i++) {
            chosen = tag + "_" + i;
        }
        return "$" + chosen + "$" + body + "$" + chosen + "$";
    }

    /** Text for a PL/pgSQL {@code RAISE} format, where {@code %} stands for a parameter: a name's own {@code %} doubled. */
    public static String raiseText(String text) {
        return text.replace("%", "%%");
    }
}
