package dev.ashlar.kernel.data.internal;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.jdbc.PgArray;
import org.postgresql.jdbc.PreferQueryMode;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Timestamps in a bulk write: each value as its microseconds since 2000-01-01 ({@link ScalarCodec#toBulk}), the
 * server's own count, sent as the binary form of a {@code timestamptz[]} (or {@code timestamp[]}), which the server
 * reads without parsing or computing anything per value; as their text where the driver sends no binary parameter.
 * Only an element of an {@link ArrayCodec} in a bulk write.
 */
enum TimestampCarrier implements Codec {
    TIMESTAMPTZ("timestamptz", Oid.TIMESTAMPTZ, Oid.TIMESTAMPTZ_ARRAY),
    TIMESTAMP("timestamp", Oid.TIMESTAMP, Oid.TIMESTAMP_ARRAY);

    /** 2000-01-01T00:00:00Z, where PostgreSQL counts from, in seconds since 1970. */
    static final long POSTGRES_EPOCH_SECOND = 946_684_800L;

    private final String type;
    private final int oid;
    private final int arrayOid;

    TimestampCarrier(String type, int oid, int arrayOid) {
        this.type = type;
        this.oid = oid;
        this.arrayOid = arrayOid;
    }

    /**
     * The array of these microseconds (nulls allowed): binary where the driver sends binary parameters; as text on a
     * connection in simple query mode or one that does not unwrap to the driver's. A bulk write's column comes as
     * {@link Micros}, read without a box per value.
     */
    Array array(PreparedStatement statement, List<?> micros) throws SQLException {
        Micros column = micros instanceof Micros carried ? carried : Micros.of(micros);
        Connection connection = statement.getConnection();
        int size = column.size();
        if (!sendsBinary(connection)) {
            String[] texts = new String[size];
            for (int i = 0; i < size; i++) {
                texts[i] = column.isNull(i) ? null : text(column.values[i]);
            }
            return connection.createArrayOf(type, texts);
        }
        // The array's binary form: dimensions, whether it holds a null, the element type, length and lower bound,
        // then each element's length (-1 for a null) and its eight bytes.
        ByteBuffer bytes = ByteBuffer.allocate(20 + size * 12 - column.nulls() * 8);
        bytes.putInt(1).putInt(column.nulls() > 0 ? 1 : 0).putInt(oid).putInt(size).putInt(1);
        for (int i = 0; i < size; i++) {
            if (column.isNull(i)) {
                bytes.putInt(-1);
            } else {
                bytes.putInt(8).putLong(column.values[i]);
            }
        }
        return new PgArray(connection.unwrap(BaseConnection.class), arrayOid, bytes.array());
    }

    /**
     * A column of microseconds as primitives, which a bulk write converts its timestamps into: {@code values} holds
     * each value's microseconds, {@code given} says which are null (the caller's values, null where null). Read as a
     * list, each value is boxed.
     */
    static final class Micros extends java.util.AbstractList<Object> {
        private final long[] values;
        private final Object[] given;
        private final int size;
        private int nulls = -1;

        Micros(long[] values, Object[] given, int size) {
            this.values = values;
            this.given = given;
            this.size = size;
        }

        /** A list of boxed microseconds (nulls allowed) as such a column. */
        static Micros of(List<?> micros) {
            long[] values = new long[micros.size()];
            Object[] given = micros.toArray();
            for (int i = 0; i < values.length; i++) {
                values[i] = given[i] == null ? 0 : (Long) given[i];
            }
            return new Micros(values, given, values.length);
        }

        boolean isNull(int index) {
            return given[index] == null;
        }

        /** How many values are null. */
        int nulls() {
            if (nulls < 0) {
                int count = 0;
                for (int i = 0; i < size; i++) {
                    count += given[i] == null ? 1 : 0;
                }
                nulls = count;
            }
            return nulls;
        }

        @Override
        public Object get(int index) {
            java.util.Objects.checkIndex(index, size);
            return given[index] == null ? null : (Object) values[index];
        }

        @Override
        public int size() {
            return size;
        }
    }

    /**
     * Whether the driver sends a binary array on this connection: on its own connection unless in simple query mode,
     * where it writes every parameter into the SQL text (the test its own {@code createArrayOf} makes).
     */
    private static boolean sendsBinary(Connection connection) throws SQLException {
        return connection.isWrapperFor(BaseConnection.class)
                && connection.unwrap(BaseConnection.class).getPreferQueryMode() != PreferQueryMode.SIMPLE;
    }

    /** The server's text form of a timestamp so many microseconds after 2000-01-01 (in UTC for a timestamptz). */
    private String text(long micros) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + POSTGRES_EPOCH_SECOND,
                (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
        int year = time.getYear();
        StringBuilder text = new StringBuilder(36);
        padded(text, year > 0 ? year : 1 - year, 4).append('-');
        padded(text, time.getMonthValue(), 2).append('-');
        padded(text, time.getDayOfMonth(), 2).append(' ');
        padded(text, time.getHour(), 2).append(':');
        padded(text, time.getMinute(), 2).append(':');
        padded(text, time.getSecond(), 2).append('.');
        padded(text, time.getNano() / 1_000, 6);
        return text.append(this == TIMESTAMPTZ ? "+00" : "").append(year > 0 ? "" : " BC").toString();
    }

    /** The text with a number (not negative) appended in at least so many digits, zeros in front. */
    private static StringBuilder padded(StringBuilder text, int number, int digits) {
        for (int below = 10; digits > 1; digits--, below *= 10) {
            if (number < below) {
                text.append('0');
            }
        }
        return text.append(number);
    }

    @Override
    public Object toDatabase(Object value) {
        return value;
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) {
        throw new UnsupportedOperationException("a bulk write's timestamps are bound as one array");
    }

    @Override
    public Object read(ResultSet rows, int index) {
        throw new UnsupportedOperationException("a bulk write's timestamps are not read back as carried");
    }

    @Override
    public String castType() {
        return type;
    }

    @Override
    public String arrayTypeName() {
        return type;
    }
}
