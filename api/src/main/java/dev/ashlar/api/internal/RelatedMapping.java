package dev.ashlar.api.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.data.ForbiddenField;
import dev.ashlar.api.data.Row;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Maps a row that carries loaded relationships onto a record: components named after a relationship
 * take its rows (mapped onto their own record types), the others take fields as {@link RecordMapping}
 * does. The record's shape is worked out once per class.
 */
public final class RelatedMapping {
    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            String[] snakeNames = new String[components.length];
            Class<?>[] elements = new Class<?>[components.length];
            ComponentType[] conversions = new ComponentType[components.length];
            EmbeddedRecord[] embedded = new EmbeddedRecord[components.length];
            for (int i = 0; i < components.length; i++) {
                embedded[i] = EmbeddedRecord.of(components[i]);
                types[i] = components[i].getType();
                conversions[i] = ComponentType.of(components[i]);
                snakeNames[i] = RecordMapping.snakeCase(components[i].getName());
                Class<?> element = types[i] == List.class || types[i] == Optional.class
                        ? elementType(components[i].getGenericType()) : types[i];
                elements[i] = element.isRecord() ? element : Row.class;
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return new Shape(components, snakeNames, elements, conversions, embedded, constructor);
            } catch (NoSuchMethodException | RuntimeException e) {
                throw QueryException.of("Rows cannot map onto " + type.getName()
                        + ": its canonical constructor cannot be called: " + e, e);
            }
        }
    };

    /**
     * @param elements for a relationship component: the record its rows map onto (the element type of a
     *                 {@code List} or {@code Optional}, or the component's own type), or {@code Row} to keep rows
     * @param conversions what converting a value for each component takes
     * @param embedded    per component, the value object it stores as columns of the row ({@code @Nested}), or null
     */
    private record Shape(RecordComponent[] components, String[] snakeNames, Class<?>[] elements,
                         ComponentType[] conversions, EmbeddedRecord[] embedded, Constructor<?> constructor) {
    }

    private static final Function<String, List<?>> NONE_MAPPED = relationship -> null;

    private RelatedMapping() {
    }

    public static <R extends Record> R map(Row row, Class<R> type) {
        return map(row, type, NONE_MAPPED);
    }

    /**
     * The row as a record, whose relationships were loaded either on the row or straight onto records: a component
     * named after a relationship that {@code mapped} gives records for (null for none) takes them as they are.
     */
    public static <R extends Record> R map(Row row, Class<R> type, Function<String, List<?>> mapped) {
        Shape shape = SHAPES.get(type);
        Object[] arguments = new Object[shape.components().length];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = argument(row, shape, i, mapped);
        }
        return type.cast(construct(row, type, shape, arguments));
    }

    private static Object construct(Row row, Class<?> type, Shape shape, Object[] arguments) {
        try {
            return shape.constructor().newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw failure(row, type, "its constructor refused the row: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw failure(row, type, "its constructor cannot be called: " + e, e);
        }
    }

    /**
     * The rows as records, as {@link #map(Row, Class, Function)} maps each, where {@code mapped} gives, for each
     * relationship read straight onto records, the records of each row by its index. Which component takes a
     * relationship and which a field's position is worked out once for the rows of one layout rather than per row
     * and component; a row of another layout, one carrying rows of a loaded relationship, and a field value not of its
     * component's type go through {@code map} and its checks.
     */
    public static <R extends Record> List<R> mapAll(List<Row> rows, Class<R> type,
                                                    Map<String, List<List<Object>>> mapped) {
        Shape shape = SHAPES.get(type);
        int count = shape.components().length;
        String[] relationships = new String[count];
        // Per component that takes a relationship, its records per row: looked up once, not per row.
        List<?>[] given = new List<?>[count];
        for (int i = 0; i < count; i++) {
            String name = shape.components()[i].getName();
            relationships[i] = mapped.containsKey(name) ? name
                    : mapped.containsKey(shape.snakeNames()[i]) ? shape.snakeNames()[i] : null;
            given[i] = relationships[i] == null ? null : mapped.get(relationships[i]);
        }
        RowLayout layout = null;
        int[] positions = null;
        // Reused from row to row: the constructor only reads its arguments.
        Object[] arguments = new Object[count];
        List<R> records = new ArrayList<>(rows.size());
        for (int index = 0; index < rows.size(); index++) {
            Row row = rows.get(index);
            if (Rows.layout(row) != layout) {
                layout = Rows.layout(row);
                positions = positions(shape, relationships, layout);
            }
            if (positions == null || !row.relationships().isEmpty()) {
                records.add(map(row, type, ofRow(mapped, index)));
                continue;
            }
            Object[] values = Rows.values(row);
            for (int i = 0; i < count; i++) {
                if (relationships[i] != null) {
                    arguments[i] = mappedValue((List<?>) given[i].get(index),
                            shape.components()[i].getType());
                    continue;
                }
                if (shape.embedded()[i] != null) {
                    arguments[i] = shape.embedded()[i].read(layout, values, failure(row, type));
                    continue;
                }
                Object stored = values[positions[i]];
                boolean asIs = !(stored instanceof ForbiddenField) && shape.conversions()[i].passesAsIs(stored);
                arguments[i] = asIs ? stored : argument(row, shape, i, ofRow(mapped, index));
            }
            records.add(type.cast(construct(row, type, shape, arguments)));
        }
        return records;
    }

    /** The records {@code mapped} gives the row at this index, by relationship (null for one it does not give). */
    private static Function<String, List<?>> ofRow(Map<String, List<List<Object>>> mapped, int index) {
        return name -> {
            List<List<Object>> perRow = mapped.get(name);
            return perRow == null ? null : perRow.get(index);
        };
    }

    /**
     * For each component that takes no relationship, the position of its field in the layout; null when one has
     * none, for {@link #map(Row, Class, Function)} to refuse naming it.
     */
    private static int[] positions(Shape shape, String[] relationships, RowLayout layout) {
        int[] positions = new int[relationships.length];
        for (int i = 0; i < relationships.length; i++) {
            if (relationships[i] == null && shape.embedded()[i] != null) {
                if (!shape.embedded()[i].heldBy(layout)) {
                    return null;
                }
                positions[i] = -1;
            } else if (relationships[i] == null) {
                int exact = layout.indexOf(shape.components()[i].getName());
                positions[i] = exact >= 0 ? exact : layout.indexOf(shape.snakeNames()[i]);
                if (positions[i] < 0) {
                    return null;
                }
            }
        }
        return positions;
    }

    /**
     * For each of these relationships that one component of the record type takes as records (a record, or a
     * {@code List} or {@code Optional} of one), that record class: its rows may be mapped straight onto it.
     */
    public static Map<String, Class<? extends Record>> relatedRecords(Class<?> type, Set<String> relationships) {
        Shape shape = SHAPES.get(type);
        Map<String, Class<? extends Record>> records = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < shape.components().length; i++) {
            String name = shape.components()[i].getName();
            String relationship = relationships.contains(name) ? name
                    : relationships.contains(shape.snakeNames()[i]) ? shape.snakeNames()[i] : null;
            if (shape.embedded()[i] != null) {
                continue;   // stored as columns of the row, never a relationship's records
            }
            if (relationship != null && !taken.add(relationship)) {
                records.remove(relationship);   // two components take it: left to the rows' mapping
            } else if (relationship != null && shape.elements()[i] != Row.class) {
                records.put(relationship, shape.elements()[i].asSubclass(Record.class));
            }
        }
        return records;
    }

    private static Object argument(Row row, Shape shape, int index, Function<String, List<?>> mapped) {
        RecordComponent component = shape.components()[index];
        EmbeddedRecord embedded = shape.embedded()[index];
        if (embedded != null) {
            BiFunction<String, Throwable, AshlarException> failure = failure(row, component.getDeclaringRecord());
            embedded.requireIn(Rows.layout(row), failure);
            return embedded.read(Rows.layout(row), Rows.values(row), failure);
        }
        String name = component.getName();
        String snake = shape.snakeNames()[index];
        String relationship = loaded(row, name, mapped) ? name : loaded(row, snake, mapped) ? snake : null;
        if (relationship != null) {
            List<?> records = mapped.apply(relationship);
            return records != null ? mappedValue(records, component.getType())
                    : relatedValue(row.related(relationship), component.getType(), shape.elements()[index]);
        }
        String field = row.has(name) ? name : snake;
        Class<?> type = component.getType();
        // A value a field policy hides is null in a typed record, as RecordMapping gives it.
        Object stored = row.forbidden(field) ? null : row.get(field);
        if (shape.conversions()[index].passesAsIs(stored)) {
            return stored;   // what the conversion would give, without its checks per parent and component
        }
        Object value;
        try {
            value = shape.conversions()[index].convert(stored);
        } catch (AshlarException e) {
            throw failure(row, component.getDeclaringRecord(), "component '" + name + "' (" + type.getSimpleName()
                    + "): " + e.getMessage(), e);
        }
        if (stored != null && value == null) {
            value = row.get(field, ValueConversions.box(type));   // refuses the value, naming the field
        }
        if (value == null && type.isPrimitive()) {
            throw failure(row, component.getDeclaringRecord(), "component '" + name + "' cannot take null", null);
        }
        return value;
    }

    private static boolean loaded(Row row, String relationship, Function<String, List<?>> mapped) {
        return row.loaded(relationship) || mapped.apply(relationship) != null;
    }

    /** Records mapped already, as the component takes them: all, or the first (alone or in an Optional). */
    private static Object mappedValue(List<?> records, Class<?> type) {
        if (type == List.class) {
            return records;
        }
        Object first = records.isEmpty() ? null : records.get(0);
        return type == Optional.class ? Optional.ofNullable(first) : first;
    }

    private static Object relatedValue(List<Row> rows, Class<?> type, Class<?> element) {
        if (type == List.class) {
            return element == Row.class ? rows : mapAll(rows, element.asSubclass(Record.class));
        }
        Row first = rows.isEmpty() ? null : rows.get(0);
        if (type == Optional.class) {
            return Optional.ofNullable(first == null ? null : one(first, element));
        }
        return first == null ? null : one(first, element);
    }

    /** Rows onto records, looking the layout's mapping up once per run of rows that share a layout. */
    private static List<Object> mapAll(List<Row> rows, Class<? extends Record> type) {
        List<Object> mapped = new ArrayList<>(rows.size());
        RowLayout layout = null;
        RecordMapping<? extends Record> mapping = null;
        for (Row row : rows) {
            if (!row.relationships().isEmpty()) {
                mapped.add(row.as(type));
                continue;
            }
            if (Rows.layout(row) != layout) {
                layout = Rows.layout(row);
                mapping = layout.mapping(type);
            }
            mapped.add(mapping.map(Rows.values(row)));
        }
        return Collections.unmodifiableList(mapped);
    }

    /** @param type a record class, or {@code Row} to keep the row */
    private static Object one(Row row, Class<?> type) {
        return type == Row.class ? row : row.as(type.asSubclass(Record.class));
    }

    private static Class<?> elementType(Type generic) {
        if (generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        return Row.class;
    }

    private static BiFunction<String, Throwable, AshlarException> failure(Row row, Class<?> type) {
        return (problem, cause) -> failure(row, type, problem, cause);
    }

    private static AshlarException failure(Row row, Class<?> type, String problem, Throwable cause) {
        return QueryException.of(row.resource(), null, "Rows of " + row.resource() + " cannot map onto "
                + type.getName() + ": " + problem, cause);
    }
}
