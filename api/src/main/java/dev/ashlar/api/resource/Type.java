package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.internal.CompositeFields;
import dev.ashlar.api.internal.DefaultValues;
import dev.ashlar.api.internal.ValueConversions;
import dev.ashlar.api.sql.Identifiers;

import java.lang.reflect.RecordComponent;
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
 * .attribute("price", composite("money_with_currency", Money.class))
 * }</pre>
 */
public sealed interface Type permits Type.Scalar, Type.Text, Type.Decimal, Type.Enumerated, Type.Array, Type.Vector,
        Type.Range, Type.Composite, Type.Ltree {

    /** A 16-bit integer ({@code smallint}, {@code Short}): -32768 to 32767. */
    Scalar SMALLINT = Scalar.SMALLINT;
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
    /**
     * A span of time ({@code interval}), given and read as a {@code java.time.Duration} to the microsecond, a day
     * counting 24 hours. An interval of months or years, which no Duration holds exactly, is refused when read.
     */
    Scalar INTERVAL = Scalar.INTERVAL;
    Scalar BINARY = Scalar.BINARY;
    /** JSON stored as {@code jsonb}. */
    Scalar JSON = Scalar.JSON;
    /**
     * Case-insensitive text ({@code citext}): equality, uniqueness and sorting ignore case. Needs the
     * {@code citext} extension, listed with {@code Domain.builder(...).extensions("citext")}.
     */
    Scalar CITEXT = Scalar.CITEXT;
    /**
     * A label path ({@code ltree}), given and read as the list of its labels, {@code List.of("top", "science")} for
     * {@code top.science}; without {@link Ltree#escaped()} also as its text, {@code "top.science"}. Needs the
     * {@code ltree} extension, listed with {@code Domain.builder(...).extensions("ltree")}.
     */
    Ltree LTREE = new Ltree(false, null, null);
    /** Unbounded text. */
    Text TEXT = new Text(null);
    /** Unbounded text; the same as {@link #TEXT}. */
    Text STRING = TEXT;
    /** Numeric with no fixed precision. */
    Decimal DECIMAL = new Decimal(null, null);

    /** Whether values of this type are numbers: the types that sums, averages and atomic changes take. */
    default boolean isNumber() {
        return this instanceof Decimal || this == SMALLINT || this == INTEGER || this == BIGINT || this == FLOAT || this == DOUBLE;
    }

    /** Text of at most {@code maxLength} characters ({@code varchar(n)}). */
    static Text varchar(int maxLength) {
        return new Text(maxLength);
    }

    static Decimal decimal(int precision, int scale) {
        return new Decimal(precision, scale);
    }

    /**
     * An enum stored as its constant names in a text column, or as their {@link StoredEnum#storedValue()} when the enum
     * implements {@link StoredEnum}.
     */
    static Enumerated enumOf(Class<? extends Enum<?>> type) {
        return new Enumerated(storedValues(DefinitionException.required(type, "enum class")));
    }

    /** The texts an enum's constants are stored as, in declaration order; refused when two are equal or one blank. */
    private static List<String> storedValues(Class<? extends Enum<?>> type) {
        List<String> values = ValueConversions.storedValues(type);
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String constant = type.getSimpleName() + "." + type.getEnumConstants()[i].name();
            if (value == null || value.isBlank()) {
                throw DefinitionException.of(null, null, constant + " stores no value: its storedValue() is "
                        + (value == null ? "null" : "blank") + "; return the text its column holds for it");
            }
            if (values.indexOf(value) != i) {
                throw DefinitionException.of(null, null, constant + " stores '" + value + "', as "
                        + type.getSimpleName() + "." + type.getEnumConstants()[values.indexOf(value)].name()
                        + " does: give each constant a storedValue() of its own");
            }
        }
        return values;
    }

    static Enumerated enumOf(String... values) {
        return new Enumerated(DefinitionException.requiredEach(values, "value"));
    }

    /**
     * An enum stored in a native PostgreSQL enum type of that name ({@code CREATE TYPE post_status AS ENUM (...)}),
     * its labels the constants' names (or {@link StoredEnum#storedValue()}s) in declaration order. The type lives in
     * the resource's schema (in every tenant schema for a tenant resource); resources that name the same type must
     * list the same labels.
     */
    static Enumerated pgEnum(String typeName, Class<? extends Enum<?>> type) {
        DefinitionException.required(typeName, "type name");
        return new Enumerated(enumOf(DefinitionException.required(type, "enum class")).values(), typeName);
    }

    /** A native PostgreSQL enum type of that name with these labels, in order; see {@link #pgEnum(String, Class)}. */
    static Enumerated pgEnum(String typeName, String... labels) {
        DefinitionException.required(typeName, "type name");
        return new Enumerated(DefinitionException.requiredEach(labels, "label"), typeName);
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

    /**
     * A value stored in a PostgreSQL composite type of that name ({@code CREATE TYPE money_with_currency AS (amount
     * numeric, currency text)}), given and read as a Java record: one field per record component, in order, of the
     * type its Java type maps to ({@code String} text, {@code BigDecimal} numeric, {@code Integer} integer,
     * {@code Long} bigint, {@code Boolean}, {@code Double}, {@code Float}, {@code UUID}, {@code LocalDate},
     * {@code LocalTime}, {@code LocalDateTime} timestamp, {@code Instant} timestamptz, an enum as text);
     * {@link Composite#with(String, Type)} narrows one ({@code decimal(12, 2)}, {@code varchar(3)}). The type lives
     * in the resource's schema (in every tenant schema for a tenant resource); resources that name the same type must
     * declare the same fields. A component whose Java type maps to no column type is refused when the domain is
     * built, naming the resource and the attribute.
     *
     * <pre>{@code
     * record Money(BigDecimal amount, String currency) { }
     * .attribute("price", composite("money_with_currency", Money.class).with("currency", varchar(3)))
     * }</pre>
     */
    static Composite composite(String typeName, Class<? extends Record> type) {
        DefinitionException.required(typeName, "typeName");
        DefinitionException.required(type, "type");
        return new Composite(typeName, type, Arrays.stream(type.getRecordComponents())
                .map(c -> new Composite.Field(c.getName(), CompositeFields.typeOf(c.getType()))).toList());
    }

    /** Types without parameters. */
    enum Scalar implements Type {
        SMALLINT, INTEGER, BIGINT, BOOLEAN, UUID, FLOAT, DOUBLE, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, BINARY, JSON, CITEXT
    }

    /** @param maxLength the most characters allowed, 1 to 10,485,760 (PostgreSQL's limit), or {@code null} for unbounded text */
    record Text(Integer maxLength) implements Type {
        /** The longest {@code varchar(n)} PostgreSQL declares. */
        public static final int MAX_LENGTH = 10_485_760;

        public Text {
            if (maxLength != null && maxLength < 1) {
                throw DefinitionException.of(null, null, "varchar length must be positive, got " + maxLength);
            }
            // The server refuses a longer declaration only when the migration runs.
            if (maxLength != null && maxLength > MAX_LENGTH) {
                throw DefinitionException.of(null, null, "varchar(" + maxLength + ") is longer than PostgreSQL declares "
                        + "(at most varchar(" + MAX_LENGTH + ")): use TEXT for text of any length");
            }
        }
    }

    /**
     * @param precision total digits, 1 to 1,000 (PostgreSQL's limit), or {@code null} for unconstrained numeric; scale
     *                  digits after the point
     */
    record Decimal(Integer precision, Integer scale) implements Type {
        /** The largest precision of a {@code numeric(p, s)} PostgreSQL declares. */
        public static final int MAX_PRECISION = 1000;

        public Decimal {
            if (precision != null && (precision < 1 || scale == null || scale < 0 || scale > precision)) {
                throw DefinitionException.of(null, null, "decimal(" + precision + ", " + scale
                        + ") needs 1 <= precision and 0 <= scale <= precision");
            }
            // The server refuses a larger one only when the migration runs.
            if (precision != null && precision > MAX_PRECISION) {
                throw DefinitionException.of(null, null, "decimal(" + precision + ", " + scale + ") has more digits "
                        + "than PostgreSQL declares (a precision of at most " + MAX_PRECISION + "): use DECIMAL for "
                        + "numbers of any size");
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
            } else {
                values.forEach(Enumerated::checkStorable);
            }
        }

        /** A label PostgreSQL text cannot hold could never be written: no record could take that value. */
        private static void checkStorable(String label) {
            String problem = DefaultValues.problem(label, null);
            if (problem != null) {
                throw DefinitionException.of(null, null, "Enum label '" + label + "' "
                        + problem.replace(": remove it", ", so no record could take it: remove it"));
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

    /**
     * A composite type and the record its values are; see {@link Type#composite(String, Class)}. Checked when the
     * domain is built, where a problem can name the resource and the attribute.
     *
     * @param typeName   the composite type's name, unqualified
     * @param recordType the record whose components are its fields
     * @param fields     the fields, in the record's component order
     */
    record Composite(String typeName, Class<? extends Record> recordType, List<Field> fields) implements Type {
        public Composite {
            DefinitionException.required(typeName, "typeName");
            DefinitionException.required(recordType, "recordType");
            fields = List.copyOf(fields);
            List<String> components = Arrays.stream(recordType.getRecordComponents())
                    .map(RecordComponent::getName).toList();
            if (!fields.stream().map(Field::name).toList().equals(components)) {
                throw DefinitionException.of(null, null, "Composite type " + typeName + " lists fields "
                        + fields.stream().map(Field::name).toList() + ", and " + recordType.getSimpleName()
                        + " has the components " + components + ": a field per component, in order; build it with "
                        + "Type.composite(name, record)");
            }
        }

        /**
         * The same composite type with one field stored as another type, e.g. {@code with("amount", decimal(12, 2))}.
         *
         * @throws DefinitionException when the record has no such component
         */
        public Composite with(String field, Type type) {
            DefinitionException.required(type, "type");
            if (fields.stream().noneMatch(f -> f.name().equals(field))) {
                throw DefinitionException.of(null, field, "Composite type " + typeName + " has no field '" + field
                        + "'; its fields are the components of " + recordType.getSimpleName() + ": "
                        + fields.stream().map(Field::name).toList());
            }
            return new Composite(typeName, recordType, fields.stream()
                    .map(f -> f.name().equals(field) ? new Field(field, type) : f).toList());
        }

        /**
         * One field of a composite type.
         *
         * @param name the record component's name
         * @param type its type, or {@code null} when the component's Java type maps to none (refused by the domain)
         */
        public record Field(String name, Type type) {
            public Field {
                DefinitionException.required(name, "name");
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
            if (element instanceof Composite composite) {
                throw DefinitionException.of(null, null, "arrays of composite type " + composite.typeName()
                        + " are not supported; store the values in a resource of their own (hasMany), or in JSON "
                        + "(arrayOf(JSON) or a JSON attribute holding a list)");
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

    /**
     * A label path ({@code ltree}); see {@link #LTREE}. Checked before it is sent: no empty label, no {@code .} in a
     * label unless escaped, the number of labels within the bounds; the server checks the characters of each label
     * ({@code [A-Za-z0-9_]}, and {@code -} from PostgreSQL 16).
     *
     * @param escape    whether labels hold any text, each character outside {@code [A-Za-z0-9]} stored as {@code _}
     *                  and the hex of each of its UTF-8 bytes ({@code "1."} as {@code 1_2E}), as AshPostgres's
     *                  {@code escape?}; a value is then only a list, as a text's dots could be a label's
     * @param minLength the fewest labels, or null
     * @param maxLength the most labels, or null
     */
    record Ltree(boolean escape, Integer minLength, Integer maxLength) implements Type {
        public Ltree {
            if (minLength != null && minLength < 0 || maxLength != null && maxLength < 0
                    || minLength != null && maxLength != null && minLength > maxLength) {
                throw DefinitionException.of(null, null, "ltree lengths need 0 <= minLength <= maxLength, got "
                        + minLength + " and " + maxLength);
            }
        }

        /** The same path type, its labels holding any text; see {@code escape}. */
        public Ltree escaped() {
            return new Ltree(true, minLength, maxLength);
        }

        /** The same path type, with at least that many labels. */
        public Ltree minLength(int labels) {
            return new Ltree(escape, labels, maxLength);
        }

        /** The same path type, with at most that many labels. */
        public Ltree maxLength(int labels) {
            return new Ltree(escape, minLength, labels);
        }
    }
}
