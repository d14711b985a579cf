package dev.ashlar.kernel.data.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code time with time zone} column of a text attribute (a migration type), read as the text PostgreSQL writes for
 * it. Its text cannot come from the driver: pgjdbc takes a timetz in binary once a statement has run five times (its
 * {@code prepareThreshold}) and then writes it at offset +00, so {@code 10:15:30+02} would be read as
 * {@code 08:15:30+00}; its {@code OffsetTime} keeps the stored offset either way.
 */
final class ZonedTimeText {
    private static final Pattern TYPE = Pattern.compile(
            "timetz\\s*(\\(\\s*\\d+\\s*\\))?|time\\s*(\\(\\s*\\d+\\s*\\))?\\s+with\\s+time\\s+zone");

    private ZonedTimeText() {
    }

    /** Whether a server type, as a migration type names it, is {@code time with time zone}. */
    static boolean is(String serverType) {
        return TYPE.matcher(serverType.strip().toLowerCase(Locale.ROOT)).matches();
    }

    static String read(ResultSet rows, int index) throws SQLException {
        OffsetTime time;
        try {
            time = rows.getObject(index, OffsetTime.class);
        } catch (DateTimeException endOfDay) {
            return endOfDay(rows, index);
        }
        return time == null ? null : time.equals(OffsetTime.MAX) ? endOfDay(rows, index) : text(time);
    }

    /**
     * 24:00:00, which PostgreSQL stores and no OffsetTime holds (the driver throws, or gives OffsetTime.MAX): the
     * server's text as it is, or in binary, 12 bytes (microseconds, then the offset in seconds west), at its offset.
     * The text is never 12 bytes long: 8 for the time, 3, 6 or 9 for the offset, 2 to 7 for a fraction.
     */
    private static String endOfDay(ResultSet rows, int index) throws SQLException {
        byte[] value = rows.getBytes(index);
        if (value.length != 12) {
            return new String(value, StandardCharsets.UTF_8);
        }
        return "24:00:00" + offset(-ByteBuffer.wrap(value, 8, 4).getInt());
    }

    /**
     * An {@code OffsetTime} as sent: rounded half up to the microsecond alike in every write and filter, as a {@code
     * TIME} is, so one past the last microsecond of the day is {@code 24:00:00} at its offset.
     */
    static String sent(OffsetTime time) {
        LocalTime rounded = (LocalTime) ScalarCodec.TIME.toDatabase(time.toLocalTime());
        return rounded.equals(LocalTime.MAX) ? "24:00:00" + offset(time.getOffset().getTotalSeconds())
                : text(OffsetTime.of(rounded, time.getOffset()));
    }

    /** As PostgreSQL writes it: {@code 10:15:30.5+05:30}, the fraction and the offset's zero parts left out. */
    static String text(OffsetTime time) {
        return DateTimeFormatter.ISO_LOCAL_TIME.format(time.toLocalTime()) + offset(time.getOffset().getTotalSeconds());
    }

    private static String offset(int offset) {
        int seconds = Math.abs(offset);
        StringBuilder text = new StringBuilder().append(offset < 0 ? '-' : '+').append(twoDigits(seconds / 3600));
        if (seconds % 3600 != 0) {
            text.append(':').append(twoDigits(seconds / 60 % 60));
        }
        if (seconds % 60 != 0) {
            text.append(':').append(twoDigits(seconds % 60));
        }
        return text.toString();
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
