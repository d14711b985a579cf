package dev.ashlar.api.internal;

import dev.ashlar.api.data.Nested;
import dev.ashlar.api.error.QueryException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The field names of a set of {@link Row rows}, in column order, shared by every row a query returns
 * so that a row is only its values. The kernel builds one per rendered query shape; it also caches
 * how the rows map onto each Java {@code record} class, so mapping costs one constructor call per row.
 *
 * <p>Immutable and thread-safe.
 */
public final class RowLayout {
    /** Whether a record's {@code @Nested} value object keeps Jdbi's rules on these rows, not null-if-all-NULL. */
    private static final ClassValue<Boolean> NESTED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.isRecord() && Arrays.stream(type.getRecordComponents())
                    .anyMatch(component -> component.isAnnotationPresent(Nested.class));
        }
    };

    private final String resource;
    private final boolean statement;
    private final List<String> fields;
    private final Map<String, Integer> indexes;
    private final Map<Class<?>, RecordMapping<?>> mappings = new ConcurrentHashMap<>();
    private final Map<Class<?>, ClassMapping<?>> classMappings = new ConcurrentHashMap<>();

    /**
     * @param resource the resource the rows belong to
     * @param fields   the field names, unique, in the order of the values
     */
    public RowLayout(String resource, List<String> fields) {
        this(resource, fields, false);
    }

    private RowLayout(String resource, List<String> fields, boolean statement) {
        this.resource = resource;
        this.statement = statement;
        this.fields = List.copyOf(fields);
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            if (byName.put(this.fields.get(i), i) != null) {
                throw QueryException.of(resource, this.fields.get(i), "Field '" + this.fields.get(i)
                        + "' appears twice in a row of " + resource);
            }
        }
        this.indexes = Map.copyOf(byName);
    }

    /**
     * The layout of the rows of a statement written by hand ({@code sql(...)}): a record read from them with
     * {@code row.as} maps as {@code sql(...).list(Type.class)} maps it, so a {@code @Nested} value object follows
     * Jdbi's rules there (made of NULLs unless {@code @PropagateNull}) rather than a resource's null-if-all-NULL.
     */
    public static RowLayout ofStatement(String resource, List<String> fields) {
        return new RowLayout(resource, fields, true);
    }

    /**
     * Whether a record of this type is mapped from these rows as a class is ({@link #classMapping}): a statement's
     * rows onto a record with a {@code @Nested} component, the one mapping both {@code row.as} and
     * {@code sql(...).list(Type.class)} then take.
     */
    public boolean mapsAsClass(Class<?> type) {
        return statement && NESTED.get(type);
    }

    public String resource() {
        return resource;
    }

    /** The field names in order. */
    public List<String> fields() {
        return fields;
    }

    /** The position of a field, or -1 when the rows do not hold it. */
    public int indexOf(String field) {
        Integer index = indexes.get(field);
        return index == null ? -1 : index;
    }

    @SuppressWarnings("unchecked")
    public <R extends Record> RecordMapping<R> mapping(Class<R> type) {
        // Looked up first: a mapping is made once, and the lambda computeIfAbsent takes would be made on every call.
        RecordMapping<?> made = mappings.get(type);
        return (RecordMapping<R>) (made != null ? made : mappings.computeIfAbsent(type, t -> new RecordMapping<>(type, this)));
    }

    /** How the rows map onto a class that is no record: a JavaBean, or a class by its constructor. */
    @SuppressWarnings("unchecked")
    public <T> ClassMapping<T> classMapping(Class<T> type) {
        ClassMapping<?> made = classMappings.get(type);
        return (ClassMapping<T>) (made != null ? made
                : classMappings.computeIfAbsent(type, t -> new ClassMapping<>(type, this)));
    }
}
