package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.ValueConversions;

import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A computed field read as a Java type no attribute type reads as its own ({@code BigInteger}, {@code Character}): read
 * by the codec of the type the value travels in ({@code numeric}, {@code text}), then converted exactly, or refused
 * naming the field when the value is not one (a fraction, a text of two characters).
 */
final class ExactReadCodec implements WrappingCodec {
    private final Codec carrier;
    private final Class<?> type;

    ExactReadCodec(Codec carrier, Class<?> type) {
        this.carrier = carrier;
        this.type = type;
    }

    @Override
    public Codec wrapped() {
        return carrier;
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        Object value = carrier.read(rows, index);
        if (value == null) {
            return null;
        }
        Object converted = ValueConversions.convert(value, type);
        if (converted != null) {
            return converted;
        }
        String column = rows.getMetaData().getColumnLabel(index);
        throw QueryException.of(null, column, type == BigInteger.class
                ? "The value " + value + " of '" + column + "' is not a whole number, so it cannot be read as "
                + "BigInteger: read it as BigDecimal, or round it in the SQL (round(...))"
                : "The value '" + value + "' of '" + column + "' is not one character, so it cannot be read as "
                + type.getSimpleName() + ": read it as String, or take one character in the SQL (left(..., 1))");
    }
}
