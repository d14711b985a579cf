package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.util.List;
import java.util.function.Function;

/**
 * How a value compared with a path inside JSON reads the text at the path: as text, a number or a boolean, chosen by
 * the value's Java type. The cast is written into the SQL, so it is part of a query's shape.
 */
enum JsonValue {
    TEXT("", TextCodec.text(null)),
    NUMERIC("::numeric", new DecimalCodec(null, null)),
    BOOLEAN("::boolean", ScalarCodec.BOOLEAN);

    private final String cast;
    private final Codec codec;
    private final ArrayCodec list;

    JsonValue(String cast, Codec codec) {
        this.cast = cast;
        this.codec = codec;
        this.list = new ArrayCodec(codec);
    }

    /** The type a value is compared as, or null when it is none of them. */
    static JsonValue typeOf(Object value) {
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof Character) {
            return TEXT;
        }
        return value instanceof Number ? NUMERIC : value instanceof Boolean ? BOOLEAN : null;
    }

    /** The type a value is compared as; refused, with the problem given to {@code refusal}, when it is none. */
    static JsonValue of(Object value, Function<String, QueryException> refusal) {
        JsonValue as = typeOf(value);
        if (as == null) {
            throw refusal.apply("compare it with text, a number or a boolean, not a " + value.getClass().getName());
        }
        return as;
    }

    /** The one type all the values of an {@code in} share (text for none). */
    static JsonValue ofAll(List<?> values, Function<String, QueryException> refusal) {
        JsonValue as = values.isEmpty() ? TEXT : of(values.get(0), refusal);
        for (Object value : values) {
            if (of(value, refusal) != as) {
                throw refusal.apply("the values of in(...) mix types (" + values + "): give all text, all numbers "
                        + "or all booleans");
            }
        }
        return as;
    }

    /** The value as its codec takes it: an enum by its name, a character as text. */
    Object convert(Object value) {
        return value instanceof Enum<?> constant ? constant.name() : value instanceof Character c ? c.toString() : value;
    }

    /** The cast that reads the text at the path as this type: empty for text. */
    String cast() {
        return cast;
    }

    Codec codec() {
        return codec;
    }

    ArrayCodec list() {
        return list;
    }
}
