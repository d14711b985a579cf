package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.resource.Type;

/** The codec of each attribute type. */
final class Codecs {
    private Codecs() {
    }

    static Codec of(Type type) {
        if (type instanceof Type.Scalar scalar) {
            return switch (scalar) {
                case INTEGER -> ScalarCodec.INTEGER;
                case BIGINT -> ScalarCodec.BIGINT;
                case BOOLEAN -> ScalarCodec.BOOLEAN;
                case UUID -> ScalarCodec.UUID_;
                case FLOAT -> ScalarCodec.FLOAT;
                case DOUBLE -> ScalarCodec.DOUBLE;
                case DATE -> ScalarCodec.DATE;
                case TIME -> ScalarCodec.TIME;
                case TIMESTAMP -> ScalarCodec.TIMESTAMP;
                case TIMESTAMPTZ -> ScalarCodec.TIMESTAMPTZ;
                case BINARY -> ScalarCodec.BINARY;
                case JSON -> JsonCodec.INSTANCE;
                case CITEXT -> TextCodec.citext();
            };
        }
        if (type instanceof Type.Text text) {
            return TextCodec.text(text.maxLength());
        }
        if (type instanceof Type.Decimal decimal) {
            return new DecimalCodec(decimal.precision(), decimal.scale());
        }
        if (type instanceof Type.Vector vector) {
            return new VectorCodec(vector.dimensions());
        }
        if (type instanceof Type.Enumerated enumerated) {
            return TextCodec.enumerated(enumerated.values());
        }
        return new ArrayCodec(of(((Type.Array) type).element()));
    }
}
