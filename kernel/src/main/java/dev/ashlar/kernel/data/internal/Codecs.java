package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.schema.SqlTypes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The codec of each attribute type. */
final class Codecs {
    private Codecs() {
    }

    /** Migration types that are text under another name: values of them are sent as text. */
    private static final Pattern TEXT_TYPES = Pattern.compile(
            "(?i)\\s*(text|varchar|character varying|char|character|bpchar)\\b.*");
    /** The single-precision migration types: {@code real}, {@code float4}, {@code float(1)} to {@code float(24)}. */
    private static final Pattern REAL = Pattern.compile(
            "(?i)\\s*(?:real|float4|float\\s*\\(\\s*(?:[1-9]|1\\d|2[0-4])\\s*\\))\\s*");
    /**
     * Text migration types that bound the length: {@code char} and {@code character} alone hold one character,
     * {@code varchar} and {@code bpchar} alone any number.
     */
    private static final Pattern SIZED_TEXT = Pattern.compile(
            "(?i)\\s*(varchar|character varying|char|character|bpchar)\\s*(?:\\(\\s*(\\d+)\\s*\\))?\\s*");

    /** A numeric migration type with a precision, and a scale of 0 or more (a negative one, PostgreSQL 15's, is left to it). */
    private static final Pattern SIZED_DECIMAL = Pattern.compile(
            "(?i)\\s*(?:numeric|decimal)\\s*\\(\\s*(\\d{1,4})\\s*(?:,\\s*(\\d{1,4})\\s*)?\\)\\s*");

    /**
     * The codec of an attribute: its type's, except for text with a migration type of another name ({@code ltree},
     * {@code inet}, {@code tsvector}, ...) or an array of text with an array of one ({@code ltree[]}), whose values
     * (elements) are sent for the server to read as that type, for a UUID stored as text and a double as a real, and
     * for JSON stored as {@code json}, for a native enum type or a composite type, named in the resource's schema as its table is ({@code schema} null:
     * on the search path), and for an interval or a decimal, whose codec names the resource and the attribute of a
     * value it cannot read.
     */
    static Codec of(Attribute attribute, String resource, String schema) {
        Codec stored = stored(attribute, resource, schema);
        return attribute.converter() == null ? stored
                : new ConvertedCodec(stored, attribute.converter(), resource, attribute.name());
    }

    /** The codec of an attribute's stored values: {@link #of(Attribute, String, String)} without its converter. */
    private static Codec stored(Attribute attribute, String resource, String schema) {
        String migrationType = attribute.column().migrationType();
        if (migrationType != null && attribute.type() instanceof Type.Text && !TEXT_TYPES.matcher(migrationType)
                .matches()) {
            return TextCodec.of(migrationType.strip());
        }
        String element = migrationType == null ? null : arrayElement(migrationType);
        if (element != null && attribute.type() instanceof Type.Array array && array.element() instanceof Type.Text
                && !TEXT_TYPES.matcher(element).matches()) {
            return new ArrayCodec(TextCodec.of(element), resource, attribute.name());
        }
        if (migrationType != null && attribute.type() instanceof Type.Text text && text.maxLength() == null) {
            Codec sized = sizedText(migrationType);
            if (sized != null) {
                return sized;
            }
        }
        if (element != null && attribute.type() instanceof Type.Array array && Type.TEXT.equals(array.element())) {
            Codec sized = sizedText(element);
            if (sized != null) {
                return new ArrayCodec(sized, resource, attribute.name());
            }
        }
        if (migrationType != null && attribute.type() == Type.UUID && TEXT_TYPES.matcher(migrationType).matches()) {
            return uuidText(migrationType, resource, attribute.name());
        }
        if (element != null && Type.arrayOf(Type.UUID).equals(attribute.type())
                && TEXT_TYPES.matcher(element).matches()) {
            return new ArrayCodec(uuidText(element, resource, attribute.name()), resource, attribute.name());
        }
        if (migrationType != null && attribute.type() == Type.JSON && migrationType.strip().equalsIgnoreCase("json")) {
            return JsonCodec.KEPT_TEXT;
        }
        if (element != null && Type.arrayOf(Type.JSON).equals(attribute.type())
                && element.strip().equalsIgnoreCase("json")) {
            return new ArrayCodec(JsonCodec.KEPT_TEXT, resource, attribute.name());
        }
        if (migrationType != null && attribute.type() == Type.DOUBLE && REAL.matcher(migrationType).matches()) {
            return RealDoubleCodec.INSTANCE;
        }
        if (attribute.type() instanceof Type.Enumerated enumerated && enumerated.isNative()) {
            return TextCodec.nativeEnum(enumerated.values(), schema, enumerated.nativeType());
        }
        if (attribute.type() instanceof Type.Composite composite) {
            return new CompositeCodec(composite, schema);
        }
        if (attribute.type() == Type.INTERVAL || attribute.type().equals(Type.arrayOf(Type.INTERVAL))) {
            IntervalCodec codec = new IntervalCodec(resource, attribute.name());
            return attribute.type() == Type.INTERVAL ? codec : new ArrayCodec(codec, resource, attribute.name());
        }
        if (attribute.type() instanceof Type.Decimal decimal) {
            Type.Decimal bounded = decimal.precision() == null && migrationType != null ? sizedDecimal(migrationType)
                    : decimal;
            return new DecimalCodec(bounded.precision(), bounded.scale(), resource, attribute.name());
        }
        if (attribute.type() instanceof Type.Array array) {
            Type elementType = element != null && array.element().equals(Type.DECIMAL) ? sizedDecimal(element)
                    : array.element();
            return new ArrayCodec(of(elementType), resource, attribute.name());
        }
        return of(attribute.type());
    }

    /**
     * The element type of an array migration type ({@code ltree} of {@code ltree[]} or {@code ltree ARRAY}), or null
     * for another type.
     */
    static String arrayElement(String migrationType) {
        String type = migrationType.strip();
        int suffix = type.endsWith("[]") ? 2 : type.toLowerCase(Locale.ROOT).endsWith(" array") ? 6 : 0;
        return suffix == 0 ? null : type.substring(0, type.length() - suffix).strip();
    }

    /**
     * The decimal a numeric migration type bounds ({@code numeric(6,2)}, {@code decimal(3)}), so that a value with more
     * places than it keeps is refused as for {@code decimal(p, s)} rather than rounded by the server, and one with
     * more digits names its attribute; {@link Type#DECIMAL} for any other type.
     */
    private static Type.Decimal sizedDecimal(String migrationType) {
        Matcher sized = SIZED_DECIMAL.matcher(migrationType);
        if (!sized.matches()) {
            return Type.DECIMAL;
        }
        int precision = Integer.parseInt(sized.group(1));
        int scale = sized.group(2) == null ? 0 : Integer.parseInt(sized.group(2));
        return precision >= 1 && scale <= precision ? Type.decimal(precision, scale) : Type.DECIMAL;
    }

    /** The codec of a UUID stored as text of the migration type, bounded as that type is. */
    private static Codec uuidText(String migrationType, String resource, String attribute) {
        Codec sized = sizedText(migrationType);
        return new UuidTextCodec(sized != null ? sized : TextCodec.text(null), resource, attribute);
    }

    /** The codec of a text migration type that bounds the length ({@code char(5)}, {@code varchar(8)}), or null. */
    private static Codec sizedText(String migrationType) {
        Matcher sized = SIZED_TEXT.matcher(migrationType);
        if (!sized.matches()) {
            return null;
        }
        String name = sized.group(1).toLowerCase(Locale.ROOT);
        boolean varying = name.equals("varchar") || name.equals("character varying");
        Integer length = sized.group(2) != null ? Integer.valueOf(sized.group(2))
                : varying || name.equals("bpchar") ? null : 1;
        return length == null ? null : TextCodec.sized(length, (varying ? "varchar(" : "character(") + length + ")");
    }

    /** The codec of each Java type a value of hand-written SQL is bound from or read as. */
    private static final Map<Class<?>, Codec> BY_CLASS = Map.ofEntries(
            Map.entry(String.class, TextCodec.text(null)),
            Map.entry(Short.class, ScalarCodec.SMALLINT),
            Map.entry(Integer.class, ScalarCodec.INTEGER),
            Map.entry(Long.class, ScalarCodec.BIGINT),
            Map.entry(Boolean.class, ScalarCodec.BOOLEAN),
            Map.entry(BigDecimal.class, new DecimalCodec(null, null)),
            Map.entry(Double.class, ScalarCodec.DOUBLE),
            Map.entry(UUID.class, ScalarCodec.UUID_),
            Map.entry(LocalDate.class, ScalarCodec.DATE),
            Map.entry(LocalTime.class, ScalarCodec.TIME),
            Map.entry(LocalDateTime.class, ScalarCodec.TIMESTAMP),
            Map.entry(Instant.class, ScalarCodec.TIMESTAMPTZ),
            Map.entry(OffsetDateTime.class, ScalarCodec.TIMESTAMPTZ),
            Map.entry(OffsetTime.class, TextCodec.of("timetz")),
            Map.entry(Duration.class, new IntervalCodec(null, null)),
            Map.entry(Period.class, new PeriodCodec()),
            // Read alone: a value bound is given the type PostgreSQL compares it as (forValue).
            Map.entry(BigInteger.class, new ExactReadCodec(new DecimalCodec(null, null), BigInteger.class)),
            Map.entry(Character.class, new ExactReadCodec(TextCodec.text(null), Character.class)));

    /** Whether {@link #forValue} binds the value by its own Java type: text, numbers, booleans, times, ... */
    static boolean bindsByType(Object value) {
        return bindsByType(value.getClass());
    }

    /** Whether {@link #forValue} binds values of the class by their own Java type. */
    static boolean bindsByType(Class<?> type) {
        return Number.class.isAssignableFrom(type) || type == ZonedDateTime.class || type == Character.class
                || BY_CLASS.containsKey(type);
    }

    /** The SQL type a value of the class binds as in a condition written in SQL, or null where none is fixed. */
    static String boundType(Class<?> type) {
        Codec codec = BY_CLASS.get(type);
        return codec == null ? null : codec.castType();
    }

    /** The codec of a value bound into a condition written in SQL, chosen by the value's Java type. */
    static Codec forValue(String resource, Object value) {
        // The narrower numbers bind as the types PostgreSQL compares them with.
        Class<?> type = value instanceof Short || value instanceof Byte ? Integer.class
                : value instanceof Float ? Double.class : value instanceof BigInteger ? BigDecimal.class
                : value instanceof ZonedDateTime ? OffsetDateTime.class
                : value instanceof Character ? String.class : value.getClass();
        Codec codec = BY_CLASS.get(type);
        if (codec == null) {
            throw QueryException.of(resource, null, "A value of a condition written in SQL is a "
                    + value.getClass().getTypeName() + "; bind text, numbers, booleans, UUIDs, dates, times (a ZonedDateTime as its instant), Durations or Periods");
        }
        return codec;
    }

    /** The codec that reads a computed field as a value of the Java type. */
    static Codec forType(String resource, String field, Class<?> type) {
        Codec codec = BY_CLASS.get(type);
        if (codec == null) {
            throw QueryException.of(resource, field, "The computed field '" + field + "' of " + resource + " is read "
                    + "as " + type.getName() + "; read it as String, Character, Short, Integer, Long, BigInteger, BigDecimal, "
                    + "Double, Boolean, UUID, LocalDate, LocalTime, LocalDateTime, Instant, Duration or Period");
        }
        return codec;
    }

    static Codec of(Type type) {
        if (type instanceof Type.Scalar scalar) {
            return switch (scalar) {
                case SMALLINT -> ScalarCodec.SMALLINT;
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
                case INTERVAL -> new IntervalCodec(null, null);
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
        if (type instanceof Type.Ltree ltree) {
            return new LtreeCodec(ltree);
        }
        if (type instanceof Type.Range range) {
            return new RangeCodec(SqlTypes.of(range), of(range.element()));
        }
        if (type instanceof Type.Enumerated enumerated) {
            return enumerated.isNative() ? TextCodec.nativeEnum(enumerated.values(), null, enumerated.nativeType())
                    : TextCodec.enumerated(enumerated.values());
        }
        if (type instanceof Type.Composite composite) {
            return new CompositeCodec(composite, null);
        }
        return new ArrayCodec(of(((Type.Array) type).element()));
    }
}
