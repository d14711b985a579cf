package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.error.AshlarException;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * Reads PostgreSQL's text of a range ({@code [1,5)}, {@code ["2025-01-01 10:00:00+00",)}, {@code empty}) into a
 * {@link Range}, each bound read by the element type's parser. The server writes dates and times in ISO style
 * (the driver sets {@code DateStyle} to ISO), a timestamptz with the session's offset.
 */
final class RangeText {
    private RangeText() {
    }

    /** The parser of a bound's text, by the element type PostgreSQL names ({@code integer}, {@code date}, ...). */
    static Function<String, Comparable<?>> bounds(String elementType) {
        return switch (elementType) {
            case "integer" -> Integer::valueOf;
            case "bigint" -> Long::valueOf;
            case "numeric" -> BigDecimal::new;
            case "date" -> RangeText::day;
            case "timestamp" -> RangeText::timestamp;
            default -> RangeText::instant;
        };
    }

    /** A date in ISO text, or as the server writes one outside ISO's years: {@code 10000-01-01}, {@code 0044-03-15 BC}. */
    private static LocalDate day(String text) {
        boolean bc = text.endsWith(" BC");
        String date = bc ? text.substring(0, text.length() - 3) : text;
        int month = date.indexOf('-', 1);
        if (month < 0 || date.length() != month + 6) {
            return LocalDate.parse(date);   // refused with the reason
        }
        int year = Integer.parseInt(date.substring(0, month));
        return LocalDate.of(bc ? 1 - year : year, Integer.parseInt(date.substring(month + 1, month + 3)),
                Integer.parseInt(date.substring(month + 4)));
    }

    /** A timestamp in ISO text, or as the server writes it: {@code 2025-01-01 10:00:00.5}, {@code ... BC}. */
    private static LocalDateTime timestamp(String text) {
        boolean bc = text.endsWith(" BC");
        String stamp = bc ? text.substring(0, text.length() - 3) : text;
        int time = Math.max(stamp.indexOf(' ', 1), stamp.indexOf('T', 1));
        if (time < 0) {
            return LocalDateTime.parse(stamp);   // refused with the reason
        }
        return LocalDateTime.of(day(stamp.substring(0, time) + (bc ? " BC" : "")),
                java.time.LocalTime.parse(stamp.substring(time + 1)));
    }

    /**
     * {@code 2025-01-01 10:00:00.5+05:30} as an Instant, the offset perhaps hours only ({@code +00}), as the server
     * writes it; or ISO text as a caller may ({@code 2025-01-01T10:00:00Z}).
     */
    private static Comparable<?> instant(String text) {
        if (text.indexOf('T') > 0) {
            return OffsetDateTime.parse(text).toInstant();
        }
        boolean bc = text.endsWith(" BC");
        String stamp = bc ? text.substring(0, text.length() - 3) : text;
        int offset = Math.max(stamp.lastIndexOf('+'), stamp.lastIndexOf('-'));
        return timestamp(stamp.substring(0, offset) + (bc ? " BC" : ""))
                .toInstant(ZoneOffset.of(stamp.substring(offset)));
    }

    /**
     * The range a text writes.
     *
     * @throws Codec.RejectedValue when the text is no range, a bound is not of the element type, or the lower
     *                             bound is above the upper one
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Range<?> parse(String text, Function<String, Comparable<?>> bound) {
        String range = text.strip();
        if (range.equalsIgnoreCase("empty")) {
            return Range.empty();
        }
        int comma = separator(range);
        char open = range.isEmpty() ? ' ' : range.charAt(0);
        char close = range.isEmpty() ? ' ' : range.charAt(range.length() - 1);
        if (comma < 0 || (open != '[' && open != '(') || (close != ']' && close != ')')) {
            throw new Codec.RejectedValue("is no range: '" + text + "'; write it like [1,5), (,2025-01-01) or empty");
        }
        Comparable lower = value(range.substring(1, comma), bound, text);
        Comparable upper = value(range.substring(comma + 1, range.length() - 1), bound, text);
        try {
            return Range.of(lower, open == '[', upper, close == ']');
        } catch (AshlarException e) {
            throw new Codec.RejectedValue("is the range '" + text + "', whose lower bound is above its upper bound");
        }
    }

    /** The comma between the bounds, outside double quotes. */
    private static int separator(String range) {
        boolean quoted = false;
        for (int i = 0; i < range.length(); i++) {
            char c = range.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static Comparable<?> value(String written, Function<String, Comparable<?>> bound, String text) {
        String unquoted = written.strip().replaceAll("^\"|\"$", "").replaceAll("\\\\(.)", "$1");
        if (unquoted.isEmpty()) {
            return null;
        }
        if (unquoted.endsWith("infinity")) {
            throw new Codec.RejectedValue("is the range '" + text + "', with an infinite bound, which a Range "
                    + "cannot hold; leave the bound out for an unbounded range");
        }
        try {
            return bound.apply(unquoted);
        } catch (NumberFormatException | DateTimeException | StringIndexOutOfBoundsException e) {
            throw new Codec.RejectedValue("is the range '" + text + "', whose bound '" + unquoted + "' is not of "
                    + "its element type");
        }
    }
}
