package dev.ashlar.kernel.data.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A DOUBLE attribute whose migration type is {@code real}: a value is sent as the real the column keeps, so
 * {@code "ratio" = ?} compares a real with a real, and read back through its shortest decimal text. Widened as a
 * float's bits, a stored {@code 0.1} would read as {@code 0.10000000149011612}; through its text it is the
 * {@code 0.1} written, as PostgreSQL itself prints it.
 */
final class RealDoubleCodec implements Codec {
    static final RealDoubleCodec INSTANCE = new RealDoubleCodec();

    private RealDoubleCodec() {
    }

    /** A {@code Double} is kept to a real's digits, as the server keeps it; an exact number losing some is refused. */
    @Override
    public Object toDatabase(Object value) {
        try {
            return ScalarCodec.FLOAT.toDatabase(value);
        } catch (RejectedValue e) {
            // FLOAT's advice is to make the attribute DOUBLE, which this one is: its column is what keeps fewer digits.
            String reason = e.getMessage();
            int advice = reason.lastIndexOf("; make the attribute");
            throw new RejectedValue((advice < 0 ? reason : reason.substring(0, advice)) + "; the column is a real: "
                    + "change the attribute's migration type to double precision to keep them");
        }
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        ScalarCodec.FLOAT.bind(statement, index, value);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        Object stored = ScalarCodec.FLOAT.read(rows, index);
        return stored == null ? null : Double.valueOf(Float.toString((Float) stored));
    }

    @Override
    public String castType() {
        return ScalarCodec.FLOAT.castType();
    }

    @Override
    public String arrayTypeName() {
        return ScalarCodec.FLOAT.arrayTypeName();
    }

    @Override
    public Codec wider() {
        return ScalarCodec.FLOAT.wider();
    }
}
