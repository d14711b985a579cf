package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * An interval column of SQL written by hand, read as what it holds: a {@link java.time.Duration} for days and time
 * ({@code interval '36 hours'}), a {@link java.time.Period} for calendar years, months and days ({@code interval
 * '1 year 2 months 2 days'} keeps its 14 months and 2 days apart, as PostgreSQL does). An interval holding both months
 * and a time of day is neither, and is refused naming the column. Only read: values bound into SQL take their codec
 * from their own Java type.
 */
final class HandWrittenInterval extends IntervalTextCodec {
    private final IntervalCodec exact = new IntervalCodec(null, null);
    private final PeriodCodec calendar = new PeriodCodec();

    @Override
    public Object toDatabase(Object value) {
        throw new IllegalStateException("a column's reader binds no value");
    }

    @Override
    Object fromText(String text, ResultSet rows, int index) throws SQLException {
        if (!text.contains("mon") && !text.contains("year")) {
            return exact.fromText(text, rows, index);
        }
        // The server writes no time part for an interval of months and days alone.
        if (text.indexOf(':') >= 0) {
            String column = rows.getMetaData().getColumnLabel(index);
            throw QueryException.of(null, column, "The interval '" + text + "' of '" + column + "' holds months or "
                    + "years and a time of day, which neither a Duration nor a Period holds exactly: select them "
                    + "apart, e.g. date_trunc('day', " + column + ") AS calendar (a Period) and " + column
                    + " - date_trunc('day', " + column + ") AS time (a Duration)");
        }
        return calendar.fromText(text, rows, index);
    }
}
