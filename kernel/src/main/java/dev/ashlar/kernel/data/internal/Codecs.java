package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Type;

/** The codec of each attribute type. */
final class Codecs {
    private Codecs() {
    }

    /** Migration types that are text under another name: values of them are sent as text. */
    private static final java.util.regex.Pattern TEXT_TYPES = java.util.regex.Pattern.compile(
            "(?i)\\s*(text|varchar|character varying|char|character|bpchar)\\b.*");

    /**
     * The codec of an attribute: its type's, except for text with a migration type of another name ({@code ltree},
     * {@code inet}, {@code tsvector}, ...), whose values are sent for the server to read as that type.
     */
    static Codec of(dev.ashlar.api.resource.Attribute attribute) {
        String migrationType = attribute.column().migrationType();
        if (migrationType != null && attribute.type() instanceof Type.Text && !TEXT_TYPES.matcher(migrationType)
                .matches()) {
            return TextCodec.of(migrationType.strip());
        }
        return of(attribute.type());
    }

    /** The codec of a value bound into a condition written in SQL, chosen by the value's Java type. */
    static Codec forValue(String resource, Object value) {
        if (value instanceof String) {
            return TextCodec.text(null);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ScalarCodec.INTEGER;
        } else if (value instanceof Long) {
            return ScalarCodec.BIGINT;
        } else if (value instanceof Boolean) {
            return ScalarCodec.BOOLEAN;
        } else if (value instanceof java.math.BigDecimal || value instanceof java.math.BigInteger) {
            return new DecimalCodec(null, null);
        } else if (value instanceof Double || value instanceof Float) {
            return ScalarCodec.DOUBLE;
        } else if (value instanceof java.util.UUID) {
            return ScalarCodec.UUID_;
        } else if (value instanceof java.time.LocalDate) {
            return ScalarCodec.DATE;
        } else if (value instanceof java.time.LocalTime) {
            return ScalarCodec.TIME;
        } else if (value instanceof java.time.LocalDateTime) {
            return ScalarCodec.TIMESTAMP;
        } else if (value instanceof java.time.Instant || value instanceof java.time.OffsetDateTime) {
            return ScalarCodec.TIMESTAMPTZ;
        }
        throw QueryException.of(resource, null, "A value of a condition written in SQL is a "
                + value.getClass().getName() + "; bind text, numbers, booleans, UUIDs, dates or times");
    }

    /** The codec that reads a computed field as a value of the Java type. */
    static Codec forType(String resource, String field, Class<?> type) {
        if (type == String.class) {
            return TextCodec.text(null);
        } else if (type == Integer.class) {
            return ScalarCodec.INTEGER;
        } else if (type == Long.class) {
            return ScalarCodec.BIGINT;
        } else if (type == Boolean.class) {
            return ScalarCodec.BOOLEAN;
        } else if (type == java.math.BigDecimal.class) {
            return new DecimalCodec(null, null);
        } else if (type == Double.class) {
            return ScalarCodec.DOUBLE;
        } else if (type == java.util.UUID.class) {
            return ScalarCodec.UUID_;
        } else if (type == java.time.LocalDate.class) {
            return ScalarCodec.DATE;
        } else if (type == java.time.LocalDateTime.class) {
            return ScalarCodec.TIMESTAMP;
        } else if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return ScalarCodec.TIMESTAMPTZ;
        }
        throw QueryException.of(resource, field, "The computed field '" + field + "' of " + resource + " is read as "
                + type.getName() + "; read it as String, Integer, Long, BigDecimal, Double, Boolean, UUID, LocalDate, "
                + "LocalDateTime or Instant");
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
