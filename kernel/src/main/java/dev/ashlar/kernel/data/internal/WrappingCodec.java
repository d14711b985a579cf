package dev.ashlar.kernel.data.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A codec that reads differently from the codec it wraps and binds, casts and names arrays as it does: a computed
 * field read exactly ({@link ExactReadCodec}), a field a field policy may hide ({@link FieldMasks}).
 */
interface WrappingCodec extends Codec {
    /** The codec values are bound and cast by. */
    Codec wrapped();

    @Override
    default Object toDatabase(Object value) {
        return wrapped().toDatabase(value);
    }

    @Override
    default void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        wrapped().bind(statement, index, value);
    }

    @Override
    default String castType() {
        return wrapped().castType();
    }

    @Override
    default String arrayTypeName() {
        return wrapped().arrayTypeName();
    }
}
