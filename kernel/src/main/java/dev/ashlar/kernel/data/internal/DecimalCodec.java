package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code numeric} and {@code numeric(p, s)} as {@link BigDecimal}. PostgreSQL's numeric also holds {@code NaN} and
 * (from 14) {@code Infinity}, which no BigDecimal holds: reading one, stored by plain SQL, is refused naming the
 * attribute, rather than as the driver's "Bad value for type BigDecimal".
 */
final class DecimalCodec implements Codec {
    private final Integer precision;
    private final Integer scale;
    private final String resource;
    private final String attribute;

    DecimalCodec(Integer precision, Integer scale) {
        this(precision, scale, null, null);
    }

    /**
     * @param resource  the resource, named when a stored value cannot be read; null where none is known
     * @param attribute the attribute, likewise
     */
    DecimalCodec(Integer precision, Integer scale, String resource, String attribute) {
        this.precision = precision;
        this.scale = scale;
        this.resource = resource;
        this.attribute = attribute;
    }

    /** PostgreSQL's numeric holds at most this many digits before the decimal point, and this many after. */
    private static final int MAX_WHOLE_DIGITS = 131_072;
    private static final int MAX_FRACTION_DIGITS = 16_383;

    @Override
    public Object toDatabase(Object value) {
        BigDecimal decimal = decimal(value);
        refuseBeyondNumeric(decimal, "is", false);
        if (decimal.scale() > MAX_FRACTION_DIGITS) {
            // Only zeros lie past the 16,383rd place (refuseBeyondNumeric saw to it), yet the server refuses to receive
            // such a scale ("invalid scale in external numeric value"): the same number, at the scale it keeps.
            decimal = decimal.setScale(MAX_FRACTION_DIGITS);
        }
        if (precision == null) {
            return decimal;
        }
        // PostgreSQL rounds a value to the scale without a word (1.235 is stored as 1.24): a value with more decimal
        // places than the scale keeps is refused instead, unless those places are trailing zeros.
        if (decimal.scale() > scale && decimal.stripTrailingZeros().scale() > scale) {
            throw new RejectedValue("has more decimal places than numeric(" + precision + "," + scale + ") keeps, got "
                    + value + ", which PostgreSQL would round: round it first, e.g. value.setScale(" + scale
                    + ", RoundingMode.HALF_EVEN), or give the attribute a larger scale");
        }
        if (integerDigits(decimal) > precision - scale) {
            throw new RejectedValue("is out of range for numeric(" + precision + "," + scale + "), which holds at most "
                    + (precision - scale) + " digits before the decimal point, got " + value
                    + ": give the attribute a larger precision");
        }
        return decimal;
    }

    /**
     * Refuses a number that PostgreSQL's numeric cannot hold (jsonb keeps its numbers as numeric too).
     *
     * @param verb how the refusal begins after the field's name: "is" for the value, "holds a number" inside JSON
     * @param asWritten whether the server keeps the scale as written (jsonb does), so that trailing zeros past
     *                  numeric's scale count; a numeric column's value is cut to that scale first
     */
    static void refuseBeyondNumeric(BigDecimal decimal, String verb, boolean asWritten) {
        if (integerDigits(decimal) > MAX_WHOLE_DIGITS || decimal.scale() > MAX_FRACTION_DIGITS
                && (asWritten || decimal.stripTrailingZeros().scale() > MAX_FRACTION_DIGITS)) {
            throw new RejectedValue(verb + " out of range for numeric: PostgreSQL holds at most " + MAX_WHOLE_DIGITS
                    + " digits before the decimal point and " + MAX_FRACTION_DIGITS + " after, got "
                    + (decimal.precision() > 40 ? decimal.round(new java.math.MathContext(3)) : decimal));
        }
    }

    /** {@code numeric(p, s)} compares with any numeric. */
    @Override
    public Codec wider() {
        return precision != null ? new DecimalCodec(null, null) : null;
    }

    private static long integerDigits(BigDecimal decimal) {
        // In long: a scale near Integer.MIN_VALUE (1E+2147483647) overflows an int and would pass as a fraction.
        return Math.max(0, (long) decimal.precision() - decimal.scale());
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.getClass() == BigDecimal.class ? decimal : plain(decimal);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            return new BigDecimal(value.toString());
        }
        if (value instanceof Double || value instanceof Float) {
            throw new RejectedValue("must be a decimal number, got " + value + ", which a decimal attribute does not "
                    + "store: make the attribute DOUBLE to keep NaN and infinities, or store null");
        }
        throw new RejectedValue("must be a decimal number, got " + ScalarCodec.describe(value));
    }

    /**
     * A subclass of BigDecimal as the JDK's own, read from its text, which is what the driver sends of it: a subclass
     * may write any text, and bound inside an array literal a text that is not a number's could stand for two values.
     */
    private static BigDecimal plain(BigDecimal subclass) {
        String text = subclass.toString();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new RejectedValue("must be a decimal number, got a " + subclass.getClass().getName()
                    + " whose text \"" + text + "\" is not a number's: give a java.math.BigDecimal");
        }
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setBigDecimal(index, (BigDecimal) value);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        try {
            return rows.getBigDecimal(index);
        } catch (SQLException e) {
            String text = rows.getString(index);
            if (!"NaN".equals(text) && !text.endsWith("Infinity")) {
                if (ScalarCodec.NOT_CONVERTIBLE.contains(e.getSQLState())) {
                    throw ScalarCodec.notReadable(rows, index, BigDecimal.class, null);
                }
                throw e;
            }
            String field = attribute != null ? attribute : rows.getMetaData().getColumnLabel(index);
            String where = resource == null ? "'" + field + "'" : resource + "." + field;
            throw QueryException.of(resource, field, "The numeric '" + text + "' of " + where + " cannot be read: a "
                    + "BigDecimal holds no NaN or infinity. Store such values in a DOUBLE attribute, or replace them, "
                    + "e.g. UPDATE ... SET column = NULL WHERE column = '" + text + "'", e);
        }
    }

    @Override
    public Object arrayElement(Object value) {
        return value.toString();
    }

    @Override
    public String castType() {
        return "numeric";
    }

    @Override
    public String arrayTypeName() {
        return "numeric";
    }

    @Override
    public boolean readsJdbcArrays() {
        return true;
    }
}
