package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Period;

/**
 * A {@link Period} bound into SQL written by hand, or read from it: an interval of calendar years, months and days
 * (Ash's {@code Duration.new!(month: 1, day: 2)}), which PostgreSQL adds to a date or time by the calendar, so one
 * month after January 31 is the last day of February. A {@link java.time.Duration} is the exact interval of days and
 * time; an interval holding both calendar parts and time is read as neither.
 */
final class PeriodCodec extends IntervalTextCodec {

    @Override
    public Object toDatabase(Object value) {
        Period period = ScalarCodec.expect(value, Period.class, "a Period");
        // PostgreSQL's own interval text, each unit with its own sign (a Period may be 1 year -1 month).
        return period.getYears() + " years " + period.getMonths() + " mons " + period.getDays() + " days";
    }

    /** The server's default IntervalStyle, {@code 1 year 2 mons 3 days}, with a time part of zero if any. */
    @Override
    Object fromText(String text, ResultSet rows, int index) throws SQLException {
        String[] parts = text.split(" ");
        Period period = Period.ZERO;
        try {
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].indexOf(':') >= 0) {
                    if (!parts[i].matches("[+-]?0+:00:00(\\.0+)?")) {
                        throw unreadable(text, rows, index, "holds a time of day part, which a Period cannot hold: "
                                + "read it as a Duration, or compute whole days");
                    }
                    continue;
                }
                int amount = Integer.parseInt(parts[i]);
                String unit = i + 1 < parts.length ? parts[++i] : "";
                period = unit.startsWith("year") ? period.plusYears(amount)
                        : unit.startsWith("mon") ? period.plusMonths(amount)
                        : unit.startsWith("day") ? period.plusDays(amount) : null;
                if (period == null) {
                    throw new NumberFormatException(text);
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw unreadable(text, rows, index, "is not in the form Ashlar reads: PostgreSQL's default "
                    + "IntervalStyle 'postgres' (1 year 2 mons 3 days); set IntervalStyle to postgres");
        }
        return period;
    }

    private static QueryException unreadable(String text, ResultSet rows, int index, String why) throws SQLException {
        String field = rows.getMetaData().getColumnLabel(index);
        return QueryException.of(null, field, "The interval '" + text + "' of '" + field + "' " + why);
    }
}
