package dev.ashlar.api.typed;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.internal.ComponentType;
import dev.ashlar.api.internal.EmbeddedRecord;
import dev.ashlar.api.internal.RecordMapping;
import dev.ashlar.api.internal.ValueConversions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the records of one class give their field values, worked out once: the components that hold
 * attributes (named in snake_case, as rows map onto records), in order, with their accessors. Components
 * that hold loaded relationships (a record, a row, an {@code Optional}, a list of records) are not values; a
 * {@code @Nested("address")} record is a value object whose components give the fields {@code address_street} ....
 */
final class RecordShape<R extends Record> {
    private final String resource;
    private final Class<R> type;
    private final List<String> fields;
    private final Method[] accessors;
    /** Per field: the value object ({@code @Nested}) whose accessor {@link #accessors} holds, or null; and its index. */
    private final EmbeddedRecord[] embedded;
    private final int[] embeddedIndexes;
    private final Map<String, Integer> positions;
    private final Set<String> allFields;
    private final Set<String> json;
    /** What converting a value for each component takes, by field name, worked out once ({@link #component}). */
    private final Map<String, ComponentType> components;

    RecordShape(String resource, Class<R> type) {
        this(resource, type, Set.of());
    }

    /** @param json the fields that hold JSON: their components are values even when they are records or lists */
    private RecordShape(String resource, Class<R> type, Set<String> json) {
        this.resource = resource;
        this.type = type;
        this.json = json;
        List<String> names = new ArrayList<>();
        List<Method> methods = new ArrayList<>();
        Map<String, Integer> byName = new HashMap<>();
        Map<String, ComponentType> byField = new HashMap<>();
        List<EmbeddedRecord> embeddedRecords = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        Map<String, String> takenBy = new HashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            EmbeddedRecord value = EmbeddedRecord.of(component);
            if (value != null) {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                for (int i = 0; i < value.fields().size(); i++) {
                    String field = value.fields().get(i);
                    EmbeddedRecord.take(takenBy, field, value.path());
                    byField.put(field, ComponentType.of(value.components().get(i)));
                    byName.put(field, names.size());
                    names.add(field);
                    methods.add(accessor);
                    embeddedRecords.add(value);
                    indexes.add(i);
                }
                continue;
            }
            byField.put(RecordMapping.snakeCase(component.getName()), ComponentType.of(component));
            if (!json.contains(RecordMapping.snakeCase(component.getName())) && holdsRelated(component)) {
                continue;
            }
            String field = RecordMapping.snakeCase(component.getName());
            EmbeddedRecord.take(takenBy, field, type.getSimpleName() + "." + component.getName());
            byName.put(field, names.size());
            byName.putIfAbsent(component.getName(), names.size());
            names.add(field);
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            methods.add(accessor);
            embeddedRecords.add(null);
            indexes.add(-1);
        }
        this.fields = List.copyOf(names);
        this.accessors = methods.toArray(Method[]::new);
        this.embedded = embeddedRecords.toArray(EmbeddedRecord[]::new);
        this.embeddedIndexes = indexes.stream().mapToInt(Integer::intValue).toArray();
        this.positions = Map.copyOf(byName);
        this.allFields = Collections.unmodifiableSet(new LinkedHashSet<>(fields));
        this.components = Map.copyOf(byField);
    }

    /** This shape, where the field holds JSON. */
    RecordShape<R> withJson(String field) {
        Set<String> more = new LinkedHashSet<>(json);
        more.add(field);
        return new RecordShape<>(resource, type, Set.copyOf(more));
    }

    /** The values of a create: every attribute component by field name, leaving out the null ones. */
    Map<String, Object> values(R record) {
        Object[] values = read(record);
        for (Object value : values) {
            if (value == null) {
                Map<String, Object> given = new LinkedHashMap<>();
                for (int i = 0; i < values.length; i++) {
                    if (values[i] != null) {
                        given.put(fields.get(i), values[i]);
                    }
                }
                return given;
            }
        }
        return new Values(values);
    }

    /** Every attribute component, nulls included, as a row of the resource. */
    Row row(R record) {
        return row(record, resource);
    }

    /** The same, as a row of the resource of that name: the resource in one of its tables. */
    Row row(R record, String resourceName) {
        Object[] values = read(record);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(fields.get(i), values[i]);
        }
        return Row.of(resourceName, map);
    }

    Object value(R record, String field) {
        Integer position = positions.get(field);
        if (position == null) {
            throw QueryException.of(resource, field, "Record " + type.getName() + " has no component for "
                    + "field '" + field + "' of " + resource + "; its fields are " + fields);
        }
        return get(record, position);
    }

    /** The type of a value no component holds, worked out once per class rather than for each value converted. */
    private static final ClassValue<ComponentType> FALLBACKS = new ClassValue<>() {
        @Override
        protected ComponentType computeValue(Class<?> type) {
            return ComponentType.of(type, type);
        }
    };

    /**
     * A value read for one field as its record component holds it ({@link #value} gives it so), converted alone, with
     * no record built: a field no component holds (a calculation, an aggregate) as the fallback type, or as read.
     */
    Object component(String field, Object value, Class<?> fallback) {
        ComponentType component = components.get(field);
        if (value == null || component == null && fallback == null) {
            return value;
        }
        ComponentType target = component != null ? component : FALLBACKS.get(fallback);
        Object converted = target.narrowed() != null && value instanceof List<?> list
                ? ValueConversions.elements(list, target.narrowed()) : ValueConversions.unwrapped(target.convert(value));
        if (converted == null && !(value instanceof String text && text.strip().equals("null"))) {
            throw QueryException.of(resource, field, "The value " + value + " read for '" + field + "' of " + resource
                    + " cannot be a " + target.generic().getTypeName() + "; declare the field with the kind of its "
                    + "column");
        }
        return converted;
    }

    /** The field names of the attribute components, in order. */
    List<String> fields() {
        return fields;
    }

    /**
     * Every field's value. A value object's fields are consecutive, its first at index 0: it is read once, at its
     * first field, for all of them, where reading it for each field walked it once per field.
     */
    private Object[] read(R record) {
        Object[] values = new Object[accessors.length];
        Object[] parts = null;
        for (int i = 0; i < values.length; i++) {
            if (embedded[i] == null) {
                values[i] = ValueConversions.unwrapped(invoke(record, i));
                continue;
            }
            if (embeddedIndexes[i] == 0) {
                parts = embedded[i].values(invoke(record, i));
            }
            values[i] = parts[embeddedIndexes[i]];
        }
        return values;
    }

    /** A component's value; an {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble} as its number or null. */
    private Object get(R record, int position) {
        Object value = invoke(record, position);
        return embedded[position] != null ? embedded[position].values(value)[embeddedIndexes[position]]
                : ValueConversions.unwrapped(value);
    }

    private Object invoke(R record, int position) {
        try {
            return accessors[position].invoke(record);
        } catch (InvocationTargetException e) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "The accessor of " + type.getName() + "."
                    + accessors[position].getName() + " failed: " + e.getCause(), resource, fields.get(position),
                    null, e.getCause());
        } catch (IllegalAccessException e) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "Cannot read " + type.getName() + "."
                    + accessors[position].getName() + ": " + e.getMessage(), resource, fields.get(position), null, e);
        }
    }

    private static boolean holdsRelated(RecordComponent component) {
        Class<?> raw = component.getType();
        if (raw.isRecord() || raw == Row.class || raw == Optional.class) {
            return true;
        }
        if (Collection.class.isAssignableFrom(raw) && component.getGenericType() instanceof ParameterizedType p) {
            Type element = p.getActualTypeArguments()[0];
            Type elementRaw = element instanceof ParameterizedType e ? e.getRawType() : element;
            return elementRaw instanceof Class<?> c && (c.isRecord() || c == Row.class || c == Optional.class);
        }
        return false;
    }

    /** A record's values as a map whose key set is shared by every record without nulls: bulk writes compare it by identity. */
    private final class Values extends AbstractMap<String, Object> {
        private final Object[] values;

        Values(Object[] values) {
            this.values = values;
        }

        @Override
        public Object get(Object key) {
            Integer position = key instanceof String field ? positions.get(field) : null;
            return position == null || !fields.get(position).equals(key) ? null : values[position];
        }

        @Override
        public boolean containsKey(Object key) {
            return allFields.contains(key);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Set<String> keySet() {
            return allFields;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < values.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (!hasNext()) {
                                throw new java.util.NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(fields.get(i), values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return values.length;
                }
            };
        }
    }
}
