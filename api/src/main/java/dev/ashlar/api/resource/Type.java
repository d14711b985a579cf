package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.sql.Identifiers;

import java.util.Arrays;
import java.util.List;

/**
 * The type of an attribute. A closed set: the kernel maps each case to a PostgreSQL type and a
 * Java type, so a new case shows every place that must handle it.
 *
 * <pre>{@code
 * import static dev.ashlar.api.resource.Type.*;
 * .attribute("title", TEXT)
 * .attribute("price", decimal(10, 2))
 * .attribute("tags", arrayOf(TEXT))
 * .attribute("status", enumOf(Status.class))
 * .attribute("state", pgEnum("post_state", "draft", "published"))
 * .attribute("stay", rangeOf(DATE))
 * }</pre>
 */
public sealed interface Type permits Type.Scalar, Type.Text, Type.Decimal, Type.Enumerated, Type.Array, Type.Vector,
        Type.Range {

    Scalar INTEGER = Scalar.INTEGER;
    Scalar BIGINT = Scalar.BIGINT;
    Scalar BOOLEAN = Scalar.BOOLEAN;
    Scalar UUID = Scalar.UUID;
    Scalar FLOAT = Scalar.FLOAT;
    Scalar DOUBLE = Scalar.DOUBLE;
    Scalar DATE = Scalar.DATE;
    Scalar TIME = Scalar.TIME;
    /** A timestamp without time zone ({@code LocalDateTime}). */
    Scalar TIMESTAMP = Scalar.TIMESTAMP;
    /** A timestamp with time zone ({@code Instant}/{@code OffsetDateTime}): the right default for points in time. */
    Scalar TIMESTAMPTZ = Scalar.TIMESTAMPTZ;
    Scalar BINARY = Scalar.BINARY;
    /** JSON stored as {@code jsonb}. */
    Scalar JSON = Scalar.JSON;
    /**
     * Case-insensitive text ({@code citext}): equality, uniqueness and sorting ignore case. Needs the
     * {@code citext} extension, listed with {@code Domain.builder(...).extensions("citext")}.
     */
    Scalar CITEXT = Scalar.CITEXT;
    /** Unbounded text. */
    Text TEXT = new Text(null);
    /** Unbounded text; the same as {@link #TEXT}. */
    Text STRING = TEXT;
    /** Numeric with no fixed precision. */
    Decimal DECIMAL = new Decimal(null, null);

    /** Whether values of this type are numbers: the types that sums, averages and atomic changes take. */
    default boolean isNumber() {
        return this instanceof Decimal || this == INTEGER || this == BIGINT || this == FLOAT || this == DOUBLE;
    }

    /** Text of at most {@code maxLength} characters ({@code varchar(n)}). */
    static Text varchar(int maxLength) {
        return new Text(maxLength);
    }

    static Decimal decimal(int precision, int scale) {
        return new Decimal(precision, scale);
    }

    /** An enum stored as its constant names in a text column. */
    static Enumerated enumOf(Class<? extends Enum<?>> type) {
        return new Enumerated(Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }

    static Enumerated enumOf(String... values) {
        return new Enumerated(List.of(values));
    }

    /**
     * An enum stored in a native PostgreSQL enum type of that name ({@code CREATE TYPE post_status AS ENUM (...)}),
     * its labels the constants' names in declaration order. The type lives in the resource's schema (in every
     * tenant schema for a tenant resource); resources that name the same type must list the same labels.
     */
    static Enumerated pgEnum(String typeName, Class<? extends Enum<?>> type) {
        return new Enumerated(enumOf(type).values(), typeName);
    }

    /** A native PostgreSQL enum type of that name with these labels, in order; see {@link #pgEnum(String, Class)}. */
    static Enumerated pgEnum(String typeName, String... labels) {
        return new Enumerated(List.of(labels), typeName);
    }

    /**
     * A pgvector embedding of {@code dimensions} floats ({@code vector(n)}), given and read as {@code float[]}.
     * Needs the {@code vector} extension, listed with {@code Domain.builder(...).extensions("vector")}.
     */
    static Vector vector(int dimensions) {
        return new Vector(dimensions);
    }

    static Array arrayOf(Type element) {
        return new Array(element);
    }

    /**
     * A PostgreSQL range of values of the element type, given and read as {@code dev.ashlar.api.data.Range}:
     * {@code rangeOf(INTEGER)} is {@code int4range}, {@code BIGINT} {@code int8range}, {@code DECIMAL}
     * {@code numrange}, {@code DATE} {@code daterange}, {@code TIMESTAMP} {@code tsrange} and
     * {@code TIMESTAMPTZ} {@code tstzrange}.
     */
    static Range rangeOf(Type element) {
        return new Range(element);
    }

    /** Types without parameters. */
    enum Scalar implements Type {
        INTEGER, BIGINT, BOOLEAN, UUID, FLOAT, DOUBLE, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BINARY, JSON, CITEXT
    }

    /** @param maxLength the most characters allowed, or {@code null} for unbounded text */
    record Text(Integer maxLength) implements Type {
        public Text {
            if (maxLength != null && maxLength < 1) {
                throw DefinitionException.of(null, null, "varchar length must be positive, got " + maxLength);
            }
        }
    }

    /** @param precision total digits, or {@code null} for unconstrained numeric; scale digits after the point */
    record Decimal(Integer precision, Integer scale) implements Type {
        public Decimal {
            if (precision != null && (precision < 1 || scale == null || scale < 0 || scale > precision)) {
                throw DefinitionException.of(null, null, "decimal(" + precision + ", " + scale
                        + ") needs 1 <= precision and 0 <= scale <= precision");
            }
        }
    }

    /**
     * @param values     the allowed names, in declaration order
     * @param nativeType the native enum type that stores them, or {@code null} for a text column
     */
    record Enumerated(List<String> values, String nativeType) implements Type {
        public Enumerated {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw DefinitionException.of(null, null, "an enum type needs at least one value");
            }
            if (nativeType != null) {
                checkNative(nativeType, values);
            }
        }

        /** Values stored as text. */
        public Enumerated(List<String> values) {
            this(values, null);
        }

        /** Whether the values are stored in a native enum type rather than text. */
        public boolean isNative() {
            return nativeType != null;
        }

        /** PostgreSQL keeps a label, like a name, to 63 bytes, and refuses two equal labels in one type. */
        private static void checkNative(String nativeType, List<String> labels) {
            String problem = Identifiers.problem(nativeType);
            if (problem != null) {
                throw DefinitionException.of(null, null, "Enum type name '" + nativeType + "' " + problem);
            }
            for (String label : labels) {
                String labelProblem = Identifiers.problem(label);
                if (labelProblem != null) {
                    throw DefinitionException.of(null, null, "Label '" + label + "' of enum type " + nativeType + " "
                            + labelProblem);
                }
                if (labels.indexOf(label) != labels.lastIndexOf(label)) {
                    throw DefinitionException.of(null, null, "Enum type " + nativeType + " lists label '" + label
                            + "' twice; list each label once");
                }
            }
        }
    }

    /** An array of another type; arrays of arrays, and of ranges, are not supported. */
    record Array(Type element) implements Type {
        public Array {
            DefinitionException.required(element, "element");
            if (element instanceof Array) {
                throw DefinitionException.of(null, null, "arrays of arrays are not supported; use JSON instead");
            }
            if (element instanceof Enumerated enumerated && enumerated.isNative()) {
                throw DefinitionException.of(null, null, "arrays of native enum type " + enumerated.nativeType()
                        + " are not supported; use arrayOf(enumOf(...)), stored as text[]");
            }
            if (element instanceof Range) {
                throw DefinitionException.of(null, null, "arrays of ranges are not supported; use a table of "
                        + "ranges, one row each, instead");
            }
        }
    }

    /** @param dimensions how many floats each value holds, 1 to 16,000 (pgvector's limit) */
    record Vector(int dimensions) implements Type {
        public Vector {
            if (dimensions < 1 || dimensions > 16_000) {
                throw DefinitionException.of(null, null, "vector(" + dimensions + ") needs 1 to 16000 dimensions");
            }
        }
    }

    /** A range of one of the element types PostgreSQL has a built-in range of; see {@link #rangeOf}. */
    record Range(Type element) implements Type {
        public Range {
            DefinitionException.required(element, "element");
            if (element != INTEGER && element != BIGINT && !element.equals(DECIMAL) && element != DATE
                    && element != TIMESTAMP && element != TIMESTAMPTZ) {
                throw DefinitionException.of(null, null, "PostgreSQL has no built-in range of " + element
                        + "; ranges are of INTEGER, BIGINT, DECIMAL (no precision), DATE, TIMESTAMP or TIMESTAMPTZ");
            }
        }
    }
}
