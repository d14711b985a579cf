package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.schema.SqlLiterals;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * An INTERVAL attribute, given and read as a {@link Duration}. A value is sent as the text of its time part
 * ({@code -1:30:00.000001}, see {@link SqlLiterals#interval}): exact to the microsecond, where the driver's
 * {@code PGInterval} carries seconds as a double. It is read from the text the server writes in its default
 * IntervalStyle ({@code postgres}), a day counting 24 hours as {@link Duration#ofDays} does. An interval holding
 * months or years has no fixed length (a month is 28 to 31 days), so reading one is refused, naming the attribute,
 * rather than guessed at 30 days.
 */
final class IntervalCodec extends IntervalTextCodec {
    /** The most hours PostgreSQL parses in an interval's time part (an int). */
    private static final long MAX_HOURS = Integer.MAX_VALUE;
    /** The shortest duration past {@link #MAX_HOURS} either way, compared with rather than {@code abs()}, which throws. */
    private static final Duration PAST_MAX = Duration.ofHours(MAX_HOURS + 1);
    private static final String MONTHS = "holds months or years, which a Duration cannot hold exactly (a month is 28 "
            + "to 31 days, a year 365 or 366): store it as days and time, e.g. UPDATE ... SET column = "
            + "extract(epoch FROM column) * interval '1 second', which counts a month as 30 days";

    private final String resource;
    private final String attribute;

    /**
     * @param resource  the resource, named when a stored value cannot be read; null where none is known
     * @param attribute the attribute, likewise
     */
    IntervalCodec(String resource, String attribute) {
        this.resource = resource;
        this.attribute = attribute;
    }

    @Override
    public Object toDatabase(Object value) {
        Duration duration = ScalarCodec.expect(value, Duration.class, "a Duration");
        if (duration.getNano() % 1_000 != 0) {
            throw new RejectedValue("is " + duration + ", finer than the microseconds an interval keeps: round it "
                    + "first, e.g. duration.truncatedTo(ChronoUnit.MICROS)");
        }
        // Duration.abs() and negated() throw ArithmeticException for the most negative Duration, so compare instead
        if (duration.compareTo(PAST_MAX) >= 0 || duration.compareTo(PAST_MAX.negated()) <= 0) {
            throw new RejectedValue("is out of range for interval: Ashlar stores up to " + MAX_HOURS
                    + " hours either way, got " + duration);
        }
        return SqlLiterals.interval(duration);
    }


    @Override
    Object fromText(String text, ResultSet rows, int index) throws SQLException {
        String[] parts = text.split(" ");
        Duration duration = Duration.ZERO;
        try {
            for (int i = 0; i < parts.length; i++) {
                String unit = i + 1 < parts.length ? parts[i + 1] : "";
                if (parts[i].indexOf(':') >= 0) {
                    duration = duration.plus(time(parts[i]));
                } else if (unit.startsWith("day")) {
                    duration = duration.plusDays(Long.parseLong(parts[i++]));
                } else if (unit.startsWith("mon") || unit.startsWith("year")) {
                    throw unreadable(text, rows, index, MONTHS);
                } else {
                    throw new NumberFormatException(text);
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw unreadable(text, rows, index, "is not in the form Ashlar reads: PostgreSQL's default "
                    + "IntervalStyle 'postgres' (1 day 02:03:04.5), not 'infinity'; set IntervalStyle to postgres");
        }
        return duration;
    }

    /** The time part, {@code [+-]H:MM:SS[.ffffff]}, its sign applying to all of it. */
    private static Duration time(String text) {
        boolean negative = text.startsWith("-");
        String[] fields = text.substring(negative || text.startsWith("+") ? 1 : 0).split(":");
        if (fields.length != 3) {
            throw new NumberFormatException(text);
        }
        String[] seconds = fields[2].split("\\.");
        long micros = seconds.length == 1 ? 0 : Long.parseLong((seconds[1] + "000000").substring(0, 6));
        Duration time = Duration.ofHours(Long.parseLong(fields[0])).plusMinutes(Long.parseLong(fields[1]))
                .plusSeconds(Long.parseLong(seconds[0])).plusNanos(micros * 1_000);
        return negative ? time.negated() : time;
    }

    private QueryException unreadable(String text, ResultSet rows, int index, String why) throws SQLException {
        String field = attribute != null ? attribute : rows.getMetaData().getColumnLabel(index);
        String where = resource == null ? "'" + field + "'" : resource + "." + field;
        return QueryException.of(resource, field, "The interval '" + text + "' of " + where + " " + why);
    }
}
