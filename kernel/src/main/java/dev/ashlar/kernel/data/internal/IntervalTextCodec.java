package dev.ashlar.kernel.data.internal;

import org.postgresql.util.PGobject;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** An interval sent as its text: a {@link java.time.Duration} ({@link IntervalCodec}) or a {@link java.time.Period}. */
abstract class IntervalTextCodec extends TextFormCodec {

    /**
     * Sent typed as an interval rather than untyped: in SQL written by hand ({@code sql("created_at > now() - ?",
     * Duration.ofDays(30))}) an untyped value takes the other operand's type, so {@code now() - ?} would be read as
     * {@code timestamptz - timestamptz}, an interval, and the comparison refused.
     */
    @Override
    public final void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            super.bind(statement, index, null);
            return;
        }
        PGobject interval = new PGobject();
        interval.setType("interval");
        interval.setValue((String) value);
        statement.setObject(index, interval);
    }

    @Override
    public final String castType() {
        return "interval";
    }

    @Override
    public final String arrayTypeName() {
        return "interval";
    }

    @Override
    public final String toString() {
        return "interval";
    }
}
