package dev.ashlar.api.resource;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.internal.CompositeFields;
import dev.ashlar.api.internal.DefaultKinds;
import dev.ashlar.api.internal.ValueConversions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How an attribute's Java values are stored in a column of another type, by two functions: JPA's
 * {@code AttributeConverter}. The column gets the stored type; writes, defaults and filter values given as Java values
 * are stored and compared in their stored form, and stored values are read back as Java values. Ready-made ones store
 * an enum by ordinal ({@link #ordinal}) or by integer codes of its own ({@link #codes}) and a boolean as {@code 'Y'}/{@code 'N'}
 * ({@link #yesNo}), {@code 'T'}/{@code 'F'} ({@link #trueFalse}) or 1/0 ({@link #numericBoolean}).
 *
 * <pre>{@code
 * .attribute("status", Converter.ordinal(Status.class))
 * .attribute("active", Converter.yesNo(), a -> a.notNull().defaultValue(true))
 * .attribute("price", Converter.of(Money.class, BIGINT, Long.class, Money::cents, Money::new))
 * }</pre>
 *
 * @param <J> the Java type of the attribute's values
 * @param <S> the Java type of its stored values, as the stored type reads ({@code Long} for {@code BIGINT})
 */
public final class Converter<J, S> {
    private final String name;
    private final Class<J> javaType;
    private final Type storedType;
    private final Class<S> storedClass;
    private final Function<? super J, ? extends S> toStored;
    private final Function<? super S, ? extends J> fromStored;
    /** The only stored values it reads, in order, or null for any. */
    private final List<S> storedValues;
    /** The column type migrations write instead of the stored type's ({@code inet}), or null. */
    private final String migrationType;
    /** Whether it is one of {@link JavaTypes}, equal to any other of its name. */
    private final boolean readyMade;
    /**
     * A value of another type taken as a Java value ({@code LocalDate} for a {@code MonthDay}), or null for a value it
     * does not take; null when the converter takes its Java type alone.
     */
    private final Function<Object, ? extends J> taken;

    private Converter(String name, Class<J> javaType, Type storedType, Class<S> storedClass,
                      Function<? super J, ? extends S> toStored, Function<? super S, ? extends J> fromStored,
                      List<S> storedValues) {
        this(name, javaType, storedType, storedClass, toStored, fromStored, storedValues, null, false, null);
    }

    private Converter(String name, Class<J> javaType, Type storedType, Class<S> storedClass,
                      Function<? super J, ? extends S> toStored, Function<? super S, ? extends J> fromStored,
                      List<S> storedValues, String migrationType, boolean readyMade,
                      Function<Object, ? extends J> taken) {
        this.name = name;
        this.javaType = DefinitionException.required(javaType, "javaType");
        this.storedType = DefinitionException.required(storedType, "storedType");
        this.storedClass = DefinitionException.required(storedClass, "storedClass");
        checkStoredClass(name, storedType, storedClass);
        this.toStored = DefinitionException.required(toStored, "toStored");
        this.fromStored = DefinitionException.required(fromStored, "fromStored");
        this.storedValues = storedValues;
        this.migrationType = migrationType;
        this.readyMade = readyMade;
        this.taken = taken;
    }

    /**
     * A converter of values of {@code javaType} stored as {@code storedType}, whose values read as {@code storedClass}
     * ({@code Long} for {@code BIGINT}, {@code Integer} for {@code INTEGER} or {@code SMALLINT}, {@code String} for
     * text): {@code Converter.of(URI.class, TEXT, String.class, URI::toString, URI::create)}. Neither function may give
     * null for a value, nor throw: a value they fail on is refused naming the attribute.
     */
    public static <J, S> Converter<J, S> of(Class<J> javaType, Type storedType, Class<S> storedClass,
                                            Function<? super J, ? extends S> toStored,
                                            Function<? super S, ? extends J> fromStored) {
        return new Converter<>("the converter of " + (javaType == null ? null : javaType.getSimpleName()), javaType,
                storedType, storedClass, toStored, fromStored, null);
    }

    /**
     * A ready-made converter of {@link JavaTypes}: equal to every other of its name, so resources declared twice are
     * equal; {@code migrationType} (or null) is the column type its attributes get unless they name one.
     */
    static <J, S> Converter<J, S> readyMade(String name, Class<J> javaType, Type storedType, Class<S> storedClass,
                                            Function<? super J, ? extends S> toStored,
                                            Function<? super S, ? extends J> fromStored, String migrationType) {
        return new Converter<>(name, javaType, storedType, storedClass, toStored, fromStored, null, migrationType,
                true, null);
    }

    /**
     * This ready-made converter also taking values of other types as its Java values, as Ebean binds them: {@code taken}
     * gives the Java value of one it takes (a {@code LocalDate}'s {@code MonthDay}), null for one it does not, and
     * throws for one it takes but cannot read (a zone id no zone has), which is refused naming the field.
     */
    Converter<J, S> taking(Function<Object, ? extends J> taken) {
        return new Converter<>(name, javaType, storedType, storedClass, toStored, fromStored, storedValues,
                migrationType, readyMade, taken);
    }

    /**
     * Refuses a stored class the stored type's values are not read as: a {@code String} for a {@code BIGINT} column
     * would be bound as text, which the server refuses on every write, and a {@code Long} read from an {@code INTEGER}
     * is given to {@code fromStored} as an {@code Integer}. Types Ashlar reads as several classes (JSON, arrays,
     * ranges) pass.
     */
    private static void checkStoredClass(String name, Type storedType, Class<?> storedClass) {
        List<Class<?>> read = storedType == Type.SMALLINT || storedType == Type.INTEGER || storedType == Type.BIGINT
                ? List.of(Integer.class, Long.class, Short.class)
                : storedType == Type.TIMESTAMPTZ ? List.of(java.time.Instant.class, java.time.OffsetDateTime.class)
                : storedType == Type.INTERVAL ? List.of(java.time.Duration.class)
                : storedType == Type.BINARY ? List.of(byte[].class)
                : Stream.ofNullable(CompositeFields.javaType(storedType)).<Class<?>>map(c -> c).toList();
        if (!read.isEmpty() && !read.contains(ValueConversions.box(storedClass))) {
            throw DefinitionException.of(null, null, name + " declares its stored values as "
                    + storedClass.getSimpleName() + ", but a " + DefaultKinds.name(storedType) + " column is read as "
                    + read.stream().map(Class::getSimpleName).collect(Collectors.joining(" or ")) + ": declare "
                    + read.get(0).getSimpleName() + ".class, or store it as the type " + storedClass.getSimpleName()
                    + " is read from");
        }
    }

    /**
     * An enum stored by the ordinal of its constants in a {@code smallint}: JPA's {@code @Enumerated(ORDINAL)}, Jdbi's
     * {@code @EnumByOrdinal}. Adding a constant anywhere but at the end changes what the stored numbers mean.
     */
    public static <E extends Enum<E>> Converter<E, Integer> ordinal(Class<E> type) {
        return ordinal(type, Type.SMALLINT);
    }

    /** {@link #ordinal(Class)} in a column of {@code SMALLINT}, {@code INTEGER} or {@code BIGINT}. */
    public static <E extends Enum<E>> Converter<E, Integer> ordinal(Class<E> type, Type storedType) {
        DefinitionException.required(type, "type");
        return codes("ordinal of " + type.getSimpleName(), type, storedType, Enum::ordinal);
    }

    /**
     * An enum stored by integer codes of its own in an {@code integer}: Ebean's
     * {@code @DbEnumValue(storage = INTEGER)}, {@code Converter.codes(Status.class, Status::code)}. Two constants with
     * one code are refused.
     */
    public static <E extends Enum<E>> Converter<E, Integer> codes(Class<E> type, ToIntFunction<? super E> code) {
        DefinitionException.required(type, "type");
        return codes("the codes of " + type.getSimpleName(), type, Type.INTEGER, code);
    }

    private static <E extends Enum<E>> Converter<E, Integer> codes(String name, Class<E> type, Type storedType,
                                                                   ToIntFunction<? super E> code) {
        DefinitionException.required(code, "code");
        if (storedType != Type.SMALLINT && storedType != Type.INTEGER && storedType != Type.BIGINT) {
            throw DefinitionException.of(null, null, name + " is stored as a whole number, not " + storedType
                    + "; store it as SMALLINT, INTEGER or BIGINT");
        }
        Map<E, Integer> stored = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            int value = code.applyAsInt(constant);
            stored.entrySet().stream().filter(e -> e.getValue() == value).findFirst().ifPresent(e -> {
                throw DefinitionException.of(null, null, type.getSimpleName() + "." + constant.name() + " is stored as "
                        + value + ", as " + type.getSimpleName() + "." + e.getKey().name() + " is: give each constant "
                        + "a code of its own");
            });
            stored.put(constant, value);
        }
        return table(name, type, storedType, Integer.class, stored);
    }

    /** A boolean stored as {@code 'Y'} or {@code 'N'} in a {@code varchar(1)}: Hibernate's {@code YesNoConverter}. */
    public static Converter<Boolean, String> yesNo() {
        return characters("Y/N boolean", "Y", "N");
    }

    /** A boolean stored as {@code 'T'} or {@code 'F'} in a {@code varchar(1)}: Hibernate's {@code TrueFalseConverter}. */
    public static Converter<Boolean, String> trueFalse() {
        return characters("T/F boolean", "T", "F");
    }

    /** A boolean stored as 1 or 0 in an {@code integer}: Hibernate's {@code NumericBooleanConverter}. */
    public static Converter<Boolean, Integer> numericBoolean() {
        Map<Boolean, Integer> stored = new LinkedHashMap<>();
        stored.put(true, 1);
        stored.put(false, 0);
        return table("1/0 boolean", Boolean.class, Type.INTEGER, Integer.class, stored);
    }

    private static Converter<Boolean, String> characters(String name, String forTrue, String forFalse) {
        Map<Boolean, String> stored = new LinkedHashMap<>();
        stored.put(true, forTrue);
        stored.put(false, forFalse);
        return table(name, Boolean.class, Type.varchar(1), String.class, stored);
    }

    /** A converter of a fixed set of values, each stored as its own value. */
    private static <J, S> Converter<J, S> table(String name, Class<J> javaType, Type storedType, Class<S> storedClass,
                                                Map<J, S> stored) {
        Map<S, J> read = new LinkedHashMap<>();
        stored.forEach((value, form) -> read.put(form, value));
        return new Converter<>(name, javaType, storedType, storedClass, stored::get, read::get,
                List.copyOf(new ArrayList<>(stored.values())));
    }

    /** The Java type of the attribute's values. */
    public Class<J> javaType() {
        return javaType;
    }

    /** The type the column stores. */
    public Type storedType() {
        return storedType;
    }

    /**
     * The column type migrations write for its attributes unless they name one with {@code migrationType(...)}
     * ({@code inet} for {@link JavaTypes#inetAddress()}), or null for the stored type's own.
     */
    public String migrationType() {
        return migrationType;
    }

    /** The only stored values it reads, in order ({@code [0, 1, 2]} for an ordinal), or null when it reads any. */
    public List<S> storedValues() {
        return storedValues;
    }

    /**
     * The stored form of a value given for the attribute (not null).
     *
     * @throws Refused when the value is not of the Java type, or the converter gives null for it or throws; the
     *                 message completes "field 'x' ..."
     */
    public Object stored(Object value) {
        if (taken != null && !javaType.isInstance(value)) {
            value = taken(value);
        }
        if (!javaType.isInstance(value)) {
            throw new Refused("must be a " + javaType.getSimpleName() + " (stored by " + name + "), got the "
                    + value.getClass().getSimpleName() + " " + value);
        }
        S stored;
        try {
            stored = toStored.apply(javaType.cast(value));
        } catch (RuntimeException e) {
            throw new Refused("is " + value + ", which " + name + " could not store: it threw " + e, e);
        }
        if (stored == null) {
            throw new Refused("is " + value + ", which " + name + " stored as null: a converter gives a value for "
                    + "every value; store null as a Java null");
        }
        return stored;
    }

    /** The Java value {@link #taken} gives for a value of another type, or the value itself when it takes none. */
    private Object taken(Object value) {
        J java;
        try {
            java = taken.apply(value);
        } catch (RuntimeException e) {
            throw new Refused("is the " + value.getClass().getSimpleName() + " '" + value + "', which " + name
                    + " could not take as a " + javaType.getSimpleName() + ": " + e.getMessage(), e);
        }
        return java == null ? value : java;
    }

    /**
     * The Java value of a stored value (not null) read back.
     *
     * @throws Refused when it is not one of {@link #storedValues()}, or the converter gives null for it or throws; the
     *                 message completes "field 'x' ..."
     */
    public Object read(Object stored) {
        S value = storedClass.cast(ValueConversions.convert(stored, storedClass));
        if (value == null || storedValues != null && !storedValues.contains(value)) {
            throw new Refused("holds " + quoted(stored) + ", which " + name + " does not read"
                    + (storedValues == null ? ": it reads " + storedClass.getSimpleName() + " values"
                    : ": it reads " + storedValues.stream().map(Converter::quoted).toList()));
        }
        J read;
        try {
            read = fromStored.apply(value);
        } catch (RuntimeException e) {
            throw new Refused("holds " + quoted(stored) + ", which " + name + " could not read: it threw " + e, e);
        }
        if (read == null) {
            throw new Refused("holds " + quoted(stored) + ", which " + name + " read as null");
        }
        return read;
    }

    private static String quoted(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    /**
     * Ready-made converters of the same Java type storing the same values alike are equal (two
     * {@code ordinal(Status.class)}, two {@code JavaTypes.year()}), so resources declared twice are equal; one made by
     * {@link #of} only to itself.
     */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Converter<?, ?> that && (storedValues != null || readyMade)
                && readyMade == that.readyMade && java.util.Objects.equals(storedValues, that.storedValues)
                && javaType == that.javaType && storedType.equals(that.storedType) && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return storedValues == null && !readyMade ? System.identityHashCode(this)
                : java.util.Objects.hashCode(storedValues) * 31 + javaType.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }

    /** A value a converter cannot store or read; the message completes "field 'x' ...". */
    public static final class Refused extends AshlarException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(ErrorCode.INVALID_DATA, message);
        }

        Refused(String message, Throwable cause) {
            super(ErrorCode.INVALID_DATA, message, cause);
        }
    }
}
