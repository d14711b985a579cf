package dev.ashlar.kernel.data.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Period;

/**
 * An interval column of SQL written by hand, where no attribute says which Java type to read: a {@link
 * java.time.Duration}, as an INTERVAL attribute is read, or a {@link Period} when it holds years or months and no time
 * of day ({@code interval '1 mon 2 days'}), which no Duration holds exactly. One holding both is refused as an
 * INTERVAL attribute's is.
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
        boolean months = text.contains("mon") || text.contains("year");
        return months && text.indexOf(':') < 0 ? calendar.fromText(text, rows, index) : exact.fromText(text, rows, index);
    }
}
