package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.ValueConversions;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Identifiers;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * An attribute stored in a composite type: given as its record (or a {@code Map} of its fields), each field checked
 * by its type's codec, sent untyped as PostgreSQL's text of the value, which the server reads as the column's type
 * (in whichever schema, a tenant's, the statement runs), and read back from that text into the record.
 */
final class CompositeCodec extends TextFormCodec {
    private final Type.Composite type;
    /** The type qualified with the resource's schema, or bare on the search path. */
    private final String sqlType;
    private final List<String> names;
    private final List<Codec> fields;
    private final List<Function<String, Object>> parsers;
    private final Method[] accessors;
    private final Constructor<? extends Record> constructor;

    /** @param schema the resource's schema, or null for the type on the search path */
    CompositeCodec(Type.Composite type, String schema) {
        this.type = type;
        this.sqlType = Identifiers.qualify(schema, type.typeName());
        this.names = type.fields().stream().map(Type.Composite.Field::name).toList();
        this.fields = type.fields().stream().map(f -> Codecs.of(f.type())).toList();
        RecordComponent[] components = type.recordType().getRecordComponents();
        this.accessors = Arrays.stream(components).map(RecordComponent::getAccessor).toArray(Method[]::new);
        this.parsers = IntStream.range(0, components.length)
                .mapToObj(i -> parser(fields.get(i).castType(), components[i].getType())).toList();
        try {
            this.constructor = type.recordType().getDeclaredConstructor(Arrays.stream(components)
                    .map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            Arrays.stream(accessors).forEach(a -> a.setAccessible(true));
        } catch (NoSuchMethodException | RuntimeException e) {
            throw QueryException.of(null, null, "Cannot make or read " + type.recordType().getName()
                    + " for composite type " + type.typeName() + ": " + e + "; make the record public (and its "
                    + "package open to Ashlar in a named module)", e);
        }
    }

    /** The reader of a field's text, by the PostgreSQL type its codec names, as the record component's Java type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Function<String, Object> parser(String castType, Class<?> component) {
        if (component.isEnum()) {
            return text -> {
                Object constant = ValueConversions.constant((Class) component, text);
                if (constant == null) {
                    throw new IllegalArgumentException("no constant of " + component.getSimpleName()
                            + " is stored as it; they are stored as " + ValueConversions.storedValues(component));
                }
                return constant;
            };
        }
        return switch (castType) {
            case "integer" -> Integer::valueOf;
            case "bigint" -> Long::valueOf;
            case "numeric" -> BigDecimal::new;
            case "real" -> Float::valueOf;
            case "double precision" -> Double::valueOf;
            case "boolean" -> "t"::equals;
            case "uuid" -> UUID::fromString;
            case "time" -> LocalTime::parse;
            case "date", "timestamp", "timestamptz" -> text -> RangeText.bounds(castType).apply(text);
            default -> text -> text;
        };
    }

    @Override
    public Object toDatabase(Object value) {
        Object[] values = values(value);
        List<String> texts = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            Object converted = converted(i, values[i]);
            // A date or time as an array element is: in PostgreSQL's form for a year BC or past 9999, which ISO's
            // is not.
            texts.add(converted == null ? null : converted instanceof BigDecimal decimal ? decimal.toPlainString()
                    : fields.get(i).arrayElement(converted).toString());
        }
        return CompositeText.write(texts);
    }

    /**
     * The caller's value as one bind per field, each checked and bound by its field's codec, for {@code ROW(?, ?)}:
     * a stored value compares with that whatever schema its type lives in, where an untyped value would be read as
     * an anonymous record, whose input PostgreSQL does not implement.
     *
     * @throws RejectedValue when the value or a field does not fit
     */
    List<Bind> fieldBinds(Object value) {
        Object[] values = values(value);
        List<Bind> binds = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            binds.add(new Bind(fields.get(i), converted(i, values[i])));
        }
        return binds;
    }

    private Object[] values(Object value) {
        if (type.recordType().isInstance(value)) {
            Object[] values = new Object[accessors.length];
            for (int i = 0; i < values.length; i++) {
                try {
                    values[i] = accessors[i].invoke(value);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new RejectedValue("is a " + type.recordType().getSimpleName() + " whose accessor "
                            + names.get(i) + "() failed: " + e);
                }
            }
            return values;
        }
        if (value instanceof Map<?, ?> map) {
            map.keySet().stream().filter(key -> !names.contains(key)).findFirst().ifPresent(key -> {
                throw new RejectedValue("is a Map with the key '" + key + "', which composite type "
                        + type.typeName() + " has no field of; its fields are " + names);
            });
            return names.stream().map(map::get).toArray();
        }
        throw new RejectedValue("must be a " + type.recordType().getSimpleName() + " or a Map of its fields " + names
                + " (composite type " + type.typeName() + "), got " + ScalarCodec.describe(value));
    }

    /** A field's value as its codec's canonical value, or null. */
    private Object converted(int field, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return fields.get(field).toDatabase(value instanceof Enum<?> constant ? ValueConversions.stored(constant)
                    : value);
        } catch (RejectedValue e) {
            throw new RejectedValue("is a " + type.typeName() + " whose field '" + names.get(field) + "' "
                    + e.getMessage());
        }
    }

    @Override
    Object fromText(String text, ResultSet rows, int index) throws SQLException {
        String column = rows.getMetaData().getColumnLabel(index);
        List<String> texts = CompositeText.read(text);
        if (texts.size() != names.size()) {
            throw QueryException.of(null, column, "'" + column + "' holds " + texts.size() + " fields of composite "
                    + "type " + type.typeName() + ", and " + type.recordType().getSimpleName() + " has " + names.size()
                    + " " + names + ": apply the migrations that bring the type to the record");
        }
        Object[] values = new Object[texts.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = texts.get(i) == null ? null : parsers.get(i).apply(texts.get(i));
            } catch (IllegalArgumentException | DateTimeException e) {
                throw QueryException.of(null, column, "'" + column + "' holds '" + texts.get(i) + "' in field '"
                        + names.get(i) + "' of composite type " + type.typeName() + ", which is not a "
                        + fields.get(i).castType() + ": " + e.getMessage());
            }
        }
        try {
            return constructor.newInstance(values);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
            throw QueryException.of(null, column, "'" + column + "' holds " + text + ", which "
                    + type.recordType().getSimpleName() + "'s constructor refused: " + cause, cause);
        }
    }

    /** The codec of the field of that name, or null when the type has none. */
    Codec field(String name) {
        int index = names.indexOf(name);
        return index < 0 ? null : fields.get(index);
    }

    List<String> fieldNames() {
        return names;
    }

    @Override
    public String castType() {
        return sqlType;
    }

    @Override
    public String castType(String schema) {
        return schema != null ? Identifiers.qualify(schema, type.typeName()) : sqlType;
    }

    @Override
    public String arrayTypeName() {
        return type.typeName();
    }

    /** Values travel one by one: arrays of composite values are not supported. */
    @Override
    public boolean fitsInArray() {
        return false;
    }

    @Override
    public String toString() {
        return sqlType;
    }
}
