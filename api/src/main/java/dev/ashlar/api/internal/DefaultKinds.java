package dev.ashlar.api.internal;

import dev.ashlar.api.resource.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which constant defaults a column type holds, as {@link DefaultValues#typeProblem} checks them: a Java value of the
 * type's own kind, or text PostgreSQL reads as one. Text is checked against the forms PostgreSQL documents for the
 * type's input (section 8 of its manual); for dates, the forms it reads alike under every {@code DateStyle}.
 */
public final class DefaultKinds {
    /** The spellings PostgreSQL's boolean input reads (section 8.6), each also as any prefix it takes. */
    private static final Set<String> BOOLEANS = Set.of("t", "tr", "tru", "true", "y", "ye", "yes", "on", "1", "f",
            "fa", "fal", "fals", "false", "n", "no", "of", "off", "0");
    /** The special values date and timestamp input reads as one fixed time (section 8.5.1.4). */
    private static final Set<String> SPECIAL_TIMES = Set.of("epoch", "infinity", "-infinity");
    /**
     * The special values read as the moment they are read: in a default, that is once, when the migration runs, so
     * every row would take that moment (section 8.5.1.4 cautions against them in saved commands).
     */
    private static final Set<String> MOVING_TIMES = Set.of("now", "today", "tomorrow", "yesterday");
    /**
     * The date forms PostgreSQL's input reads alike under every DateStyle (section 8.5.1.1): ISO, year first with
     * slashes, eight digits, and with the month's English name. Day-and-month-first numbers ('1/2/2020') are not.
     */
    private static final List<DateTimeFormatter> DATES = Stream.of("uuuu-M-d", "uuuu/M/d", "uuuuMMdd", "MMMM d, uuuu",
            "MMMM d uuuu", "MMM d, uuuu", "MMM d uuuu", "d MMMM uuuu", "d MMM uuuu", "uuuu-MMM-d", "MMM-d-uuuu",
            "d-MMM-uuuu").map(pattern -> new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
            .toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT)).toList();
    /** A time of day in 24 or 12 hours ('16:05', '4:05 PM'). */
    private static final Pattern TIME_TEXT = Pattern.compile(
            "(\\d{1,2}):(\\d{2})(:\\d{2}(\\.\\d{1,6})?)?(\\s*([AaPp])[Mm])?");
    /** A UUID as PostgreSQL reads it: 32 hex digits, optionally braced, with a hyphen after any group of four. */
    private static final Pattern UUID_TEXT = Pattern.compile("\\{?[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}}?");
    /**
     * A date, then optionally a 'T' or a space, a time, and a zone: an offset or a name ('Europe/Paris', 'UTC').
     */
    private static final Pattern TIMESTAMP_TEXT = Pattern.compile("(.+?)([ T](\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?"
            + "(\\s*[AaPp][Mm])?)(\\s*(Z|[+-]\\d{1,2}(:?\\d{2})?|[A-Za-z][A-Za-z0-9_/+-]*))?)?");

    private DefaultKinds() {
    }

    /** What the type takes when {@code value} is not of it ("a UUID"), or null when it is. */
    static String wanted(Object value, Type type) {
        if (type instanceof Type.Text || type == Type.CITEXT) {
            return value instanceof String || value instanceof Enum<?> ? null : "a String";
        }
        if (type instanceof Type.Enumerated enumerated) {
            Object label = value instanceof Enum<?> constant ? ValueConversions.stored(constant) : value;
            return enumerated.values().contains(label) ? null : "one of its labels " + enumerated.values();
        }
        if (type instanceof Type.Decimal decimal) {
            return decimalWanted(value, decimal);
        }
        if (type == Type.SMALLINT || type == Type.INTEGER || type == Type.BIGINT) {
            long max = type == Type.SMALLINT ? Short.MAX_VALUE : type == Type.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
            BigInteger whole = whole(value);
            return whole != null && whole.compareTo(BigInteger.valueOf(-max - 1)) >= 0
                    && whole.compareTo(BigInteger.valueOf(max)) <= 0 ? null
                    : "a whole number from " + (-max - 1) + " to " + max;
        }
        if (!(type instanceof Type.Scalar scalar)) {
            return null;
        }
        String text = value instanceof String given ? given.strip() : null;
        if (text != null && MOVING_TIMES.contains(text.toLowerCase(Locale.ROOT)) && (scalar == Type.Scalar.DATE
                || scalar == Type.Scalar.TIME || scalar == Type.Scalar.TIMESTAMP || scalar == Type.Scalar.TIMESTAMPTZ)) {
            return "a fixed time: '" + text + "' is read once, when the migration runs, and every row would take "
                    + "that moment; Default.sql(\"now()\") or Default.sql(\"CURRENT_DATE\") gives each row its own";
        }
        return switch (scalar) {
            case BOOLEAN -> value instanceof Boolean || text != null && BOOLEANS.contains(text.toLowerCase(Locale.ROOT))
                    ? null : "true or false";
            case FLOAT, DOUBLE -> value instanceof Number || text != null && floating(text) ? null : "a number";
            case UUID -> value instanceof java.util.UUID || text != null && UUID_TEXT.matcher(text).matches()
                    ? null : "a UUID";
            case DATE -> value instanceof LocalDate || text != null && (special(text) || date(text))
                    ? null : "a LocalDate";
            case TIME -> value instanceof LocalTime || text != null && time(text) ? null : "a LocalTime";
            case TIMESTAMP, TIMESTAMPTZ -> value instanceof Instant || value instanceof OffsetDateTime
                    || value instanceof LocalDateTime || value instanceof LocalDate
                    || text != null && (special(text) || timestamp(text)) ? null
                    : "an Instant, OffsetDateTime or LocalDateTime";
            case INTERVAL -> value instanceof Duration || text != null ? null : "a Duration";
            case JSON -> text != null ? null : "its JSON as a String, as \"" + value + "\"";
            case BINARY -> text != null ? null : "its bytes as hex text, as \"\\\\x0a\"";
            default -> null;
        };
    }

    /** A type as a reader declared it: {@code INTEGER}, {@code varchar(3)}, {@code decimal(4, 2)}. */
    public static String name(Type type) {
        if (type instanceof Type.Text text) {
            return text.maxLength() == null ? "TEXT" : "varchar(" + text.maxLength() + ")";
        }
        if (type instanceof Type.Decimal decimal) {
            return decimal.precision() == null ? "DECIMAL" : "decimal(" + decimal.precision() + ", " + decimal.scale() + ")";
        }
        if (type instanceof Type.Enumerated enumerated) {
            return enumerated.isNative() ? "enum type " + enumerated.nativeType() : "its enum column";
        }
        return String.valueOf(type);
    }

    /**
     * A decimal's default must be a number, and fit its precision and scale: more whole digits than
     * {@code precision - scale} overflow when a row takes it, more decimals than {@code scale} are rounded.
     */
    private static String decimalWanted(Object value, Type.Decimal type) {
        BigDecimal number = decimal(value);
        if (number == null) {
            return "a number";
        }
        if (type.precision() == null) {
            return null;
        }
        int wholeDigits = type.precision() - type.scale();
        BigDecimal digits = number.stripTrailingZeros();
        return digits.signum() == 0 || digits.scale() <= type.scale()
                && digits.precision() - digits.scale() <= wholeDigits ? null
                : "a number of at most " + wholeDigits + " digits before the point and " + type.scale() + " after it";
    }

    private static BigDecimal decimal(Object value) {
        try {
            if (value instanceof Number && !(value instanceof Float || value instanceof Double)
                    || value instanceof String) {
                return new BigDecimal(value.toString().strip());
            }
            double number = value instanceof Number given ? given.doubleValue() : Double.NaN;
            return Double.isFinite(number) ? new BigDecimal(value.toString()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
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

    private static boolean floating(String text) {
        try {
            Double.parseDouble(text);
            return !text.endsWith("d") && !text.endsWith("D") && !text.endsWith("f") && !text.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean special(String text) {
        return SPECIAL_TIMES.contains(text.toLowerCase(Locale.ROOT));
    }

    private static boolean date(String text) {
        String spaced = text.replaceAll("\\s+", " ");
        for (DateTimeFormatter form : DATES) {
            try {
                LocalDate.parse(spaced, form);
                return true;
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        return false;
    }

    private static boolean time(String text) {
        var matcher = TIME_TEXT.matcher(text);
        if (!matcher.matches()) {
            return "allballs".equalsIgnoreCase(text);
        }
        int hour = Integer.parseInt(matcher.group(1));
        int seconds = matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3).substring(1, 3));
        return (matcher.group(6) == null ? hour <= 23 : hour >= 1 && hour <= 12)
                && Integer.parseInt(matcher.group(2)) <= 59 && seconds <= 59;
    }

    private static boolean timestamp(String text) {
        var matcher = TIMESTAMP_TEXT.matcher(text);
        return matcher.matches() && date(matcher.group(1)) && (matcher.group(2) == null
                || time(matcher.group(3)) && (matcher.group(7) == null || zone(matcher.group(8))));
    }

    /** An offset, or a zone name the time zone database holds ('Europe/Paris', 'UTC', 'PST'). */
    private static boolean zone(String zone) {
        if (zone.equals("Z") || zone.startsWith("+") || zone.startsWith("-")) {
            return true;
        }
        try {
            ZoneId.of(zone, ZoneId.SHORT_IDS);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
