package dev.ashlar.kernel.data.internal;

import java.sql.ResultSet;

/**
 * A pgvector {@code vector(n)}: given as {@code float[]} (or {@code double[]}) of exactly {@code n} finite
 * values, sent in pgvector's text form {@code [1,2,3]}, read back as {@code float[]}.
 */
final class VectorCodec extends TextFormCodec {
    private final int dimensions;

    VectorCodec(int dimensions) {
        this.dimensions = dimensions;
    }

    @Override
    public Object toDatabase(Object value) {
        float[] floats = floats(value);
        if (floats.length != dimensions) {
            throw new RejectedValue("must have " + dimensions + " dimensions (vector(" + dimensions + ")), got "
                    + floats.length);
        }
        StringBuilder text = new StringBuilder(floats.length * 8).append('[');
        for (int i = 0; i < floats.length; i++) {
            if (!Float.isFinite(floats[i])) {
                throw new RejectedValue("holds " + floats[i] + " at index " + i + ", which a vector cannot store");
            }
            text.append(i == 0 ? "" : ",").append(floats[i]);
        }
        return text.append(']').toString();
    }

    private static float[] floats(Object value) {
        if (value instanceof float[] floats) {
            return floats;
        }
        if (value instanceof double[] doubles) {
            float[] floats = new float[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                floats[i] = (float) doubles[i];
            }
            return floats;
        }
        throw new RejectedValue("must be a float[] or double[], got " + ScalarCodec.describe(value));
    }

    @Override
    Object fromText(String text, ResultSet rows, int index) {
        String inner = text.substring(1, text.length() - 1);
        if (inner.isEmpty()) {
            return new float[0];
        }
        String[] parts = inner.split(",");
        float[] floats = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            floats[i] = Float.parseFloat(parts[i]);
        }
        return floats;
    }

    @Override
    public String castType() {
        return "vector";
    }

    @Override
    public String arrayTypeName() {
        return "text";
    }

    @Override
    public String toString() {
        return "vector(" + dimensions + ")";
    }
}
