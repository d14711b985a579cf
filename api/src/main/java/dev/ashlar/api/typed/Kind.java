package dev.ashlar.api.typed;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Converter;
import dev.ashlar.api.resource.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The type of a typed field: its column type ({@link Type}) together with the Java type of its values,
 * so that a filter or a change on the field takes only values of that Java type.
 *
 * <pre>{@code
 * import static dev.ashlar.api.typed.Kind.*;
 * static final TextField<Post> TITLE = POSTS.attribute("title", varchar(120), a -> a.notNull());
 * static final Field<Post, BigDecimal> PRICE = POSTS.attribute("price", decimal(10, 2));
 * static final ListField<Post, String> TAGS = POSTS.attribute("tags", arrayOf(TEXT));
 * static final RangeField<Booking, LocalDate> STAY = BOOKINGS.attribute("stay", rangeOf(DATE));
 * static final PathField<Category> PATH = CATEGORIES.attribute("path", LTREE.escaped());
 * }</pre>
 *
 * @param <T> the Java type of the values
 */
public class Kind<T> {
    /** A 16-bit integer ({@code smallint}). */
    public static final Kind<Short> SMALLINT = new Kind<>(Type.SMALLINT);
    public static final Kind<Integer> INTEGER = new Kind<>(Type.INTEGER);
    public static final Kind<Long> BIGINT = new Kind<>(Type.BIGINT);
    public static final Kind<Boolean> BOOLEAN = new Kind<>(Type.BOOLEAN);
    public static final Kind<UUID> UUID = new Kind<>(Type.UUID);
    public static final Kind<Float> FLOAT = new Kind<>(Type.FLOAT);
    public static final Kind<Double> DOUBLE = new Kind<>(Type.DOUBLE);
    public static final Kind<LocalDate> DATE = new Kind<>(Type.DATE);
    public static final Kind<LocalTime> TIME = new Kind<>(Type.TIME);
    /** A timestamp without time zone. */
    public static final Kind<LocalDateTime> TIMESTAMP = new Kind<>(Type.TIMESTAMP);
    /** A timestamp with time zone: the right one for points in time. */
    public static final Kind<Instant> TIMESTAMPTZ = new Kind<>(Type.TIMESTAMPTZ);
    /**
     * A timestamp with time zone, values {@code OffsetDateTime}s (Hibernate's and jOOQ's type for it): stored as the
     * instant they name, as PostgreSQL keeps no offset, and read back at UTC ({@code +00:00}); compare them with
     * {@code isEqual}. Filters find a value given at any offset.
     */
    public static final Kind<OffsetDateTime> OFFSET_DATE_TIME = new Kind<>(Type.TIMESTAMPTZ, OffsetDateTime.class);
    /** A span of time ({@code interval}) to the microsecond; see {@link Type#INTERVAL}. */
    public static final Kind<Duration> INTERVAL = new Kind<>(Type.INTERVAL);
    public static final Kind<byte[]> BINARY = new Kind<>(Type.BINARY);
    /** JSON stored as {@code jsonb}, given and read as its text. */
    public static final Kind<String> JSON = new Kind<>(Type.JSON);
    /** Numeric with no fixed precision. */
    public static final Kind<BigDecimal> DECIMAL = new Kind<>(Type.DECIMAL);
    /**
     * A whole number of any size ({@code numeric}), values {@code BigInteger}s (Hibernate's and jOOQ's type for it);
     * {@link #bigInteger(int)} bounds its digits.
     */
    public static final Kind<BigInteger> BIG_INTEGER = new Kind<>(Type.DECIMAL, BigInteger.class);
    /** One character ({@code varchar(1)}), values {@code Character}s; a longer text is refused naming the field. */
    public static final Kind<Character> CHARACTER = new Kind<>(Type.varchar(1), Character.class);
    /** Unbounded text. */
    public static final Text TEXT = new Text(Type.TEXT);
    /**
     * Case-insensitive text ({@code citext}; see {@link Type#CITEXT}): {@code eq}, {@code in}, identities and sorts
     * ignore case. Needs the {@code citext} extension.
     */
    public static final Text CITEXT = new Text(Type.CITEXT);
    /** A label path ({@code ltree}), values the list of its labels; see {@link Type#LTREE}. */
    public static final Ltree LTREE = new Ltree(Type.LTREE);

    private final Type type;
    /** The Java type of values its column type reads as another one (BigInteger from numeric), or null. */
    private final Class<?> exact;
    /** How its values are stored in the column type, or null. */
    private final Converter<T, ?> converter;

    Kind(Type type) {
        this(type, null);
    }

    Kind(Type type, Class<?> exact) {
        this.type = QueryException.required(type, "type");
        this.exact = exact;
        this.converter = null;
    }

    private Kind(Converter<T, ?> converter) {
        this.type = QueryException.required(converter, "converter").storedType();
        this.exact = null;
        this.converter = converter;
    }

    /**
     * Values of the converter's Java type, stored in its stored type ({@link Converter}):
     * {@code ORDERS.attribute("status", converted(Converter.ordinal(Status.class)))} is a {@code Field<Order, Status>}
     * stored as a smallint.
     */
    public static <J> Kind<J> converted(Converter<J, ?> converter) {
        return new Kind<>(converter);
    }

    /** How the values are stored in the column type ({@link #converted}), or null when they are of it. */
    public Converter<T, ?> converter() {
        return converter;
    }

    /**
     * The Java type a calculation of this kind is read as when its column type reads as another one
     * ({@code BIG_INTEGER}: {@code BigInteger}, not the {@code BigDecimal} of numeric), or null.
     */
    Class<?> exact() {
        return exact;
    }

    /** Text of at most {@code maxLength} characters ({@code varchar(n)}). */
    public static Text varchar(int maxLength) {
        return new Text(Type.varchar(maxLength));
    }

    public static Kind<BigDecimal> decimal(int precision, int scale) {
        return new Kind<>(Type.decimal(precision, scale));
    }

    /**
     * A whole number of at most {@code precision} digits ({@code numeric(precision, 0)}), values {@code BigInteger}s;
     * one with more digits is refused naming the field.
     */
    public static Kind<BigInteger> bigInteger(int precision) {
        return new Kind<>(Type.decimal(precision, 0), BigInteger.class);
    }

    /**
     * An enum stored as its constant names in a text column (as their {@code storedValue()} for a
     * {@link dev.ashlar.api.resource.StoredEnum}); values are the enum's constants.
     */
    public static <E extends Enum<E>> Kind<E> enumOf(Class<E> type) {
        DefinitionException.required(type, "enum class");
        return new Kind<>(Type.enumOf(type));
    }

    /**
     * An enum stored in a native PostgreSQL enum type of that name, its labels the constants' names; values are the
     * enum's constants. See {@link Type#pgEnum(String, Class)}.
     */
    public static <E extends Enum<E>> Kind<E> pgEnum(String typeName, Class<E> type) {
        DefinitionException.required(typeName, "type name");
        DefinitionException.required(type, "enum class");
        return new Kind<>(Type.pgEnum(typeName, type));
    }

    /**
     * JSON stored as {@code jsonb}, given and read as a Java record, {@code Map} or {@code List}: an embedded record,
     * Ash's embedded resource. A record is written as a JSON object of its components and read back onto them; keys
     * it has no component for are ignored. {@code POSTS.attribute("bio", jsonOf(Bio.class))}. A component may hold any
     * value an attribute does: dates and times are written as ISO-8601 text at microsecond precision, as AshPostgres
     * writes them ({@code "2024-05-06T07:08:09.123456Z"}), a {@code BigDecimal} as a number with all its digits.
     */
    public static <T> Kind<T> jsonOf(Class<T> type) {
        QueryException.required(type, "type");
        return new Kind<>(Type.JSON);
    }

    /**
     * A value stored in a PostgreSQL composite type of that name, given and read as the record; see
     * {@link Type#composite(String, Class)}. {@code POSTS.attribute("price", composite("money_with_currency",
     * Money.class))}.
     */
    public static <T extends Record> Kind<T> composite(String typeName, Class<T> type) {
        return new Kind<>(Type.composite(typeName, type));
    }

    /**
     * A composite type with fields declared otherwise than inferred, values the record:
     * {@code composite(Type.composite("money", Money.class).with("amount", decimal(12, 2)), Money.class)}.
     */
    public static <T extends Record> Kind<T> composite(Type.Composite type, Class<T> recordType) {
        DefinitionException.required(type, "composite type");
        DefinitionException.required(recordType, "record type");
        if (type.recordType() != recordType) {
            throw DefinitionException.of(null, null, "The composite type " + type.typeName() + " holds "
                    + type.recordType().getName() + ", not " + recordType.getName() + "; name the same record in both");
        }
        return new Kind<>(type);
    }

    /** An array of another kind; values are lists. */
    public static <E> Array<E> arrayOf(Kind<E> element) {
        DefinitionException.required(element, "element kind");
        if (element.converter() != null) {
            throw DefinitionException.of(null, null, "arrayOf(converted(" + element.converter() + ")) is not supported: "
                    + "a converter stores one value; store the list as JSON (jsonOf), or its elements in a resource "
                    + "of their own");
        }
        return new Array<>(Type.arrayOf(element.type()));
    }

    /**
     * A PostgreSQL range of another kind ({@link Type#rangeOf}): INTEGER, BIGINT, DECIMAL, DATE, TIMESTAMP or
     * TIMESTAMPTZ; values are {@link dev.ashlar.api.data.Range}s of the element's Java type.
     */
    public static <E extends Comparable<? super E>> Range<E> rangeOf(Kind<E> element) {
        DefinitionException.required(element, "element kind");
        if (element.converter() != null) {
            throw DefinitionException.of(null, null, "rangeOf(converted(" + element.converter() + ")) is not supported: "
                    + "a range's bounds are of its column type; declare rangeOf(" + element.type() + ")");
        }
        if (element.exact() != null) {
            // A range's bounds are read as the column type's class (an Instant), never narrowed to another.
            throw DefinitionException.of(null, null, "rangeOf(" + element + ") cannot hold "
                    + element.exact().getSimpleName() + " bounds: a range reads them as its column type's own class "
                    + "(Instant for timestamptz, BigDecimal for numeric); declare rangeOf(TIMESTAMPTZ) or "
                    + "rangeOf(DECIMAL)");
        }
        return new Range<>(Type.rangeOf(element.type()));
    }

    /** The column type. */
    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return type.toString();
    }

    /** Text: fields of this kind can also be matched with {@code like} and {@code ilike}. */
    public static final class Text extends Kind<String> {
        Text(Type type) {
            super(type);
        }
    }

    /**
     * An array: fields of this kind hold lists and can be asked whether they contain an element.
     *
     * @param <E> the Java type of the elements
     */
    public static final class Array<E> extends Kind<List<E>> {
        Array(Type type) {
            super(type);
        }
    }

    /**
     * A range: fields of this kind hold {@link dev.ashlar.api.data.Range}s and can be asked whether they contain a
     * value or a range, overlap a range or lie inside one.
     *
     * @param <E> the Java type of the bounds
     */
    public static final class Range<E extends Comparable<? super E>> extends Kind<dev.ashlar.api.data.Range<E>> {
        Range(Type type) {
            super(type);
        }
    }

    /**
     * A label path: fields of this kind hold lists of labels and can be asked whether they are an ancestor or a
     * descendant of a path, or match a pattern.
     */
    public static final class Ltree extends Kind<List<String>> {
        Ltree(Type.Ltree type) {
            super(type);
        }

        /** Labels hold any text; see {@link Type.Ltree#escaped()}. */
        public Ltree escaped() {
            return new Ltree(ltree().escaped());
        }

        /** At least that many labels. */
        public Ltree minLength(int labels) {
            return new Ltree(ltree().minLength(labels));
        }

        /** At most that many labels. */
        public Ltree maxLength(int labels) {
            return new Ltree(ltree().maxLength(labels));
        }

        private Type.Ltree ltree() {
            return (Type.Ltree) type();
        }
    }
}
