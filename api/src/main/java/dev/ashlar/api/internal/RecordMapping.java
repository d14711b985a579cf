package dev.ashlar.api.internal;

import dev.ashlar.api.data.ForbiddenField;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * How the rows of one layout become instances of one record class, worked out once: the field
 * position of each component and its canonical constructor. Per row: one array, one constructor call.
 */
public final class RecordMapping<R extends Record> {
    private final Class<R> type;
    private final RowLayout layout;
    private final Constructor<R> constructor;
    private final int[] positions;
    private final Class<?>[] types;
    /** Per component: what converting a value for it takes, worked out once rather than per value. */
    private final ComponentType[] components;
    private final String[] names;
    /** Per component: whether it reads JSON text (a record, map or collection), worked out once rather than per value. */
    private final boolean[] json;
    private final boolean direct;
    /** Per component: the value object it stores as columns of the row ({@code @Nested}), or null. */
    private final EmbeddedRecord[] embedded;
    /** The positions of every field the components read, embedded records' fields included. */
    private final int[] read;
    /** {@link #failure(String, Throwable)}, made once rather than for each value converted. */
    private final BiFunction<String, Throwable, AshlarException> failure = this::failure;

    RecordMapping(Class<R> type, RowLayout layout) {
        this.type = type;
        this.layout = layout;
        RecordComponent[] declared = type.getRecordComponents();
        this.types = Arrays.stream(declared).map(RecordComponent::getType).toArray(Class<?>[]::new);
        this.components = Arrays.stream(declared).map(ComponentType::of).toArray(ComponentType[]::new);
        this.names = Arrays.stream(declared).map(RecordComponent::getName).toArray(String[]::new);
        this.json = new boolean[declared.length];
        for (int i = 0; i < declared.length; i++) {
            json[i] = ValueConversions.holdsJson(types[i]);
        }
        this.positions = new int[declared.length];
        this.embedded = new EmbeddedRecord[declared.length];
        List<Integer> fieldsRead = new ArrayList<>();
        boolean anyEmbedded = false;
        Map<String, String> takenBy = new HashMap<>();
        for (int i = 0; i < declared.length; i++) {
            embedded[i] = EmbeddedRecord.of(declared[i]);
            if (embedded[i] != null) {
                for (String field : embedded[i].fields()) {
                    EmbeddedRecord.take(takenBy, field, embedded[i].path());
                }
                embedded[i].requireIn(layout, failure);
                embedded[i].fields().forEach(field -> fieldsRead.add(layout.indexOf(field)));
                positions[i] = -1;
                anyEmbedded = true;
                continue;
            }
            positions[i] = position(names[i]);
            EmbeddedRecord.take(takenBy, layout.fields().get(positions[i]), type.getSimpleName() + "." + names[i]);
            fieldsRead.add(positions[i]);
        }
        this.read = fieldsRead.stream().mapToInt(Integer::intValue).distinct().toArray();
        boolean inOrder = !anyEmbedded && positions.length == layout.fields().size();
        for (int i = 0; i < positions.length && inOrder; i++) {
            inOrder = positions[i] == i;
        }
        this.direct = inOrder;
        try {
            this.constructor = type.getDeclaredConstructor(types);
            this.constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw failure("its canonical constructor cannot be called: " + e, e);
        }
    }

    public R map(Object[] values) {
        return construct(direct && fits(values) ? values : convert(values, new Object[positions.length]));
    }

    /**
     * {@link #map(Object[])} with an array for the constructor's arguments that a caller mapping many rows reuses from
     * row to row ({@link #components()} long): the constructor only reads it.
     */
    public R map(Object[] values, Object[] scratch) {
        return construct(direct && fits(values) ? values : convert(values, scratch));
    }

    private R construct(Object[] arguments) {
        return construct(constructor, arguments, failure);
    }

    /** An instance made by the constructor; its failure, or the constructor's own, reported through {@code failure}. */
    static <T> T construct(Constructor<T> constructor, Object[] arguments,
                           BiFunction<String, Throwable, AshlarException> failure) {
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw failure.apply("its constructor refused the row: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw failure.apply("its constructor cannot be called: " + e, e);
        }
    }

    /**
     * Whether the row's values can go to the constructor as they are: the components take every field
     * in layout order, and each value already has its component's type. The constructor only reads them.
     */
    private boolean fits(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null ? types[i].isPrimitive() || ValueConversions.isOptional(types[i])
                    : !components[i].boxed().isInstance(value) || components[i].narrowed() != null
                    || components[i].jsonElement() != null) {
                return false;
            }
        }
        return true;
    }

    private Object[] convert(Object[] values, Object[] arguments) {
        for (int i = 0; i < positions.length; i++) {
            if (embedded[i] != null) {
                arguments[i] = embedded[i].read(layout, values, failure);
                continue;
            }
            // A value a field policy hides from the actor is null in a typed record, as Ash leaves it unloaded.
            Object value = values[positions[i]] instanceof ForbiddenField ? null : values[positions[i]];
            arguments[i] = components[i].converted(value, "component", names[i], json[i], failure);
        }
        return arguments;
    }

    /** How many components the record has. */
    public int components() {
        return positions.length;
    }

    /**
     * The positions in the layout of the fields the components take, in component order (an embedded record's
     * fields in its place): the fields a row must hold.
     */
    public int[] positions() {
        return read.clone();
    }

    private int position(String component) {
        int exact = layout.indexOf(component);
        int position = exact >= 0 ? exact : layout.indexOf(snakeCase(component));
        if (position < 0) {
            throw failure("component '" + component + "' matches no field; the rows hold " + layout.fields(), null);
        }
        return position;
    }

    public static String snakeCase(String camel) {
        StringBuilder snake = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }

    private AshlarException failure(String problem, Throwable cause) {
        return QueryException.of(layout.resource(), null, "Rows of " + layout.resource() + " cannot map onto "
                + type.getName() + ": " + problem, cause);
    }
}
