package dev.ashlar.kernel.data.internal;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * How each column of one result is read, chosen once per result from its codec and the SQL type of the column: a
 * bigint attribute whose column is an integer of any width reads with {@code getLong}, an integer attribute whose
 * column is an integer or a smallint with {@code getInt}, a smallint attribute whose column is a smallint with
 * {@code getShort}, each followed by {@code wasNull}. That is exactly what the codec reads through the driver's
 * {@code getObject}, without its type switch. Any other column, a calculation whose SQL gives a {@code numeric} say,
 * reads through its codec, which converts the value exactly or refuses it.
 */
final class Getters {
    private static final byte CODEC = 0;
    private static final byte LONG = 1;
    private static final byte INT = 2;
    private static final byte SHORT = 3;

    private final Codec[] codecs;
    private final byte[] getters;
    private final SeenKeyColumns seen;

    private Getters(Codec[] codecs, byte[] getters, SeenKeyColumns seen) {
        this.codecs = codecs;
        this.getters = getters;
        this.seen = seen;
    }

    /** These getters, and the columns after theirs that hold the rows' computed sort keys. */
    Getters seeing(SeenKeyColumns columns) {
        return new Getters(codecs, getters, columns);
    }

    /** The columns of the rows' computed sort keys, or null when the result has none. */
    SeenKeyColumns seen() {
        return seen;
    }

    /** The getters of the result's columns, read with these codecs in order. */
    static Getters of(ResultSet result, Codec[] codecs) throws SQLException {
        byte[] getters = new byte[codecs.length];
        ResultSetMetaData columns = null;
        for (int i = 0; i < codecs.length; i++) {
            columns = choose(result, codecs, i, getters, columns);
        }
        return new Getters(codecs, getters, null);
    }

    /**
     * The getters of only the result's columns at these indexes (from 0), the ones that will be read; any other column
     * reads through its codec.
     */
    static Getters of(ResultSet result, Codec[] codecs, int[] read) throws SQLException {
        byte[] getters = new byte[codecs.length];
        ResultSetMetaData columns = null;
        for (int i : read) {
            columns = choose(result, codecs, i, getters, columns);
        }
        return new Getters(codecs, getters, null);
    }

    /** Chooses the getter of the column at the index (from 0); the result's metadata, asked for at most once. */
    private static ResultSetMetaData choose(ResultSet result, Codec[] codecs, int i, byte[] getters,
                                            ResultSetMetaData columns) throws SQLException {
        Codec codec = codecs[i];
        if (codec == ScalarCodec.BIGINT || codec == ScalarCodec.INTEGER || codec == ScalarCodec.SMALLINT) {
            columns = columns == null ? result.getMetaData() : columns;
            getters[i] = getter(codec, columns.getColumnType(i + 1));
        }
        return columns;
    }

    private static byte getter(Codec codec, int sqlType) {
        boolean small = sqlType == Types.SMALLINT;
        boolean whole = small || sqlType == Types.INTEGER;
        if (codec == ScalarCodec.BIGINT) {
            return whole || sqlType == Types.BIGINT ? LONG : CODEC;
        }
        if (codec == ScalarCodec.INTEGER) {
            return whole ? INT : CODEC;
        }
        return small ? SHORT : CODEC;
    }

    /** The value of the column at the index (from 1), as its codec reads it. */
    Object read(ResultSet result, int index) throws SQLException {
        switch (getters[index - 1]) {
            case LONG: {
                long value = result.getLong(index);
                return result.wasNull() ? null : (Long) value;
            }
            case INT: {
                int value = result.getInt(index);
                return result.wasNull() ? null : (Integer) value;
            }
            case SHORT: {
                short value = result.getShort(index);
                return result.wasNull() ? null : (Short) value;
            }
            default:
                return codecs[index - 1].read(result, index);
        }
    }
}
