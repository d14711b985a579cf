package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Period;

/**
 * An interval column of SQL written by hand, where no attribute says which Java type to read: a {@link
 * java.time.Duration}, as an INTERVAL attribute is read, or a {@link Period} when it holds years or months and no time
 * of day ({@code interval '1 mon 2 days'}), which no Duration holds exactly. One holding both is refused naming the column and
 * how to select the two parts apart.
 */
final class CalendarOrExactInterval extends IntervalTextCodec {
    private final IntervalCodec exact = new IntervalCodec(null, null);
    private final PeriodCodec calendar = new PeriodCodec();

    @Override
    public Object toDatabase(Object value) {
        return value instanceof Period ? calendar.toDatabase(value) : exact.toDatabase(value);
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
