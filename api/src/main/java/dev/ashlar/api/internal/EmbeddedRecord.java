package dev.ashlar.api.internal;

import dev.ashlar.api.data.ForbiddenField;
import dev.ashlar.api.data.Nested;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A value object stored as columns of its owner's table (JPA's {@code @Embedded}): a record component of a
 * resource's record annotated {@link Nested @Nested("address")}, whose own components take the fields
 * {@code address_street}, {@code address_city}, and a nested one's {@code address_geo_lat}. Written as those fields
 * (a null value as nulls in all of them) and read back from them, as null when every one is null, as Hibernate reads
 * an embeddable. Worked out once per component.
 */
public final class EmbeddedRecord {
    /** PostgreSQL's limit on a name: a longer field name could never be an attribute's column. */
    private static final int MAX_NAME_BYTES = 63;

    private final String path;
    private final Class<?> type;
    private final Constructor<?> constructor;
    private final Method[] accessors;
    /** Per component: the field it takes, or null for a nested embedded record. */
    private final String[] fields;
    private final EmbeddedRecord[] nested;
    private final ComponentType[] conversions;
    private final boolean[] json;
    /** Every field under this record, nested ones included, in component order. */
    private final List<String> leaves;
    private final List<RecordComponent> leafComponents;

    private EmbeddedRecord(String owner, RecordComponent component, String prefix) {
        this.path = owner + "." + component.getName();
        this.type = component.getType();
        if (!type.isRecord()) {
            throw problem("@Nested is on a " + type.getName() + ", which is no record; a value stored as columns of "
                    + "its owner's table is a record of them (a bean or a single value takes no @Nested here)");
        }
        RecordComponent[] declared = type.getRecordComponents();
        this.accessors = new Method[declared.length];
        this.fields = new String[declared.length];
        this.nested = new EmbeddedRecord[declared.length];
        this.conversions = new ComponentType[declared.length];
        this.json = new boolean[declared.length];
        List<String> allLeaves = new ArrayList<>();
        List<RecordComponent> allComponents = new ArrayList<>();
        Class<?>[] types = new Class<?>[declared.length];
        for (int i = 0; i < declared.length; i++) {
            types[i] = declared[i].getType();
            accessors[i] = declared[i].getAccessor();
            accessors[i].setAccessible(true);
            nested[i] = of(path, declared[i], prefix);
            if (nested[i] != null) {
                allLeaves.addAll(nested[i].leaves);
                allComponents.addAll(nested[i].leafComponents);
                continue;
            }
            fields[i] = field(prefix, declared[i].getName());
            if (fields[i].getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw problem("its component '" + declared[i].getName() + "' takes the field '" + fields[i]
                        + "', longer than PostgreSQL's 63 bytes; give a shorter prefix in @Nested(\"...\")");
            }
            conversions[i] = ComponentType.of(declared[i]);
            json[i] = ValueConversions.holdsJson(types[i]);
            allLeaves.add(fields[i]);
            allComponents.add(declared[i]);
        }
        this.leaves = List.copyOf(allLeaves);
        this.leafComponents = List.copyOf(allComponents);
        try {
            this.constructor = type.getDeclaredConstructor(types);
            this.constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw problem("its canonical constructor cannot be called: " + e);
        }
    }

    /**
     * The embedded record this component declares with {@link Nested}, its fields named under the owner's prefix;
     * null when it carries no {@code @Nested}.
     *
     * @param owner  the owning record's name, for messages
     * @param prefix the prefix of the owner's fields, empty at the top
     * @throws QueryException when the component is no record, or a field it takes is longer than 63 bytes
     */
    public static EmbeddedRecord of(String owner, RecordComponent component, String prefix) {
        Nested nested = component.getAnnotation(Nested.class);
        return nested == null ? null : new EmbeddedRecord(owner, component, prefix(prefix, nested.value()));
    }

    /** The embedded record of a resource record's component, or null when it carries no {@code @Nested}. */
    public static EmbeddedRecord of(RecordComponent component) {
        return of(component.getDeclaringRecord().getSimpleName(), component, "");
    }

    /**
     * Notes that a record's component takes a field, refusing a field an earlier component took: writing both, one
     * value would silently overwrite the other.
     *
     * @param takenBy   the fields taken so far, each with the component that took it ({@code Customer.homeCity})
     * @param component the component taking the field, named as {@code takenBy} names them
     * @throws QueryException naming the field and both components
     */
    public static void take(Map<String, String> takenBy, String field, String component) {
        String earlier = takenBy.putIfAbsent(field, component);
        if (earlier != null) {
            throw QueryException.of("Record component " + component + " takes the field '" + field + "', which "
                    + earlier + " takes too; give @Nested a different prefix or rename the component");
        }
    }

    /** The path of this component from its owning record, for messages: {@code Customer.home}. */
    public String path() {
        return path;
    }

    /** The field a component takes under the prefix: its name in snake_case, as rows map onto records. */
    private static String field(String prefix, String component) {
        String name = RecordMapping.snakeCase(component);
        return prefix.isEmpty() ? name : prefix + "_" + name;
    }

    /** A nested record's prefix under its owner's: written as given, as Jdbi's {@code @Nested} takes it. */
    private static String prefix(String owner, String nested) {
        return owner.isEmpty() ? nested : nested.isEmpty() ? owner : owner + "_" + nested;
    }

    /** Every field the value is stored in, nested ones included, in component order. */
    public List<String> fields() {
        return leaves;
    }

    /** The record component of each of {@link #fields()}, in the same order. */
    public List<RecordComponent> components() {
        return leafComponents;
    }

    /** The value of each of {@link #fields()} for this value: all null for a null one. */
    public Object[] values(Object value) {
        Object[] values = new Object[leaves.size()];
        fill(value, values, 0);
        return values;
    }

    private int fill(Object value, Object[] values, int start) {
        int next = start;
        for (int i = 0; i < accessors.length; i++) {
            Object part = value == null ? null : get(value, i);
            if (nested[i] != null) {
                next = nested[i].fill(part, values, next);
            } else {
                values[next++] = ValueConversions.unwrapped(part);
            }
        }
        return next;
    }

    private Object get(Object value, int i) {
        try {
            return accessors[i].invoke(value);
        } catch (InvocationTargetException e) {
            throw problem("the accessor " + accessors[i].getName() + " failed: " + e.getCause());
        } catch (IllegalAccessException e) {
            throw problem("the accessor " + accessors[i].getName() + " cannot be called: " + e.getMessage());
        }
    }

    /**
     * Refuses rows that lack a field of the value: the prefix, or a component's name, matches no attribute.
     *
     * @throws AshlarException from {@code failure}, naming the component, the field and the fields the rows hold
     */
    public void requireIn(RowLayout layout, BiFunction<String, Throwable, AshlarException> failure) {
        for (String field : leaves) {
            if (layout.indexOf(field) < 0) {
                throw failure.apply("@Nested component '" + path + "' takes the field '" + field + "', which the "
                        + "rows do not hold; declare the attribute '" + field + "' or fix the prefix (the rows hold "
                        + layout.fields() + ")", null);
            }
        }
    }

    /** Whether rows of this layout hold every field of the value. */
    public boolean heldBy(RowLayout layout) {
        return leaves.stream().allMatch(field -> layout.indexOf(field) >= 0);
    }

    /**
     * The value read from a row's fields (the layout holding them, {@link #requireIn}): null when every one is null,
     * as Hibernate reads an embeddable all of whose columns are NULL.
     */
    public Object read(RowLayout layout, Object[] values, BiFunction<String, Throwable, AshlarException> failure) {
        Object[] arguments = new Object[accessors.length];
        boolean any = false;
        for (int i = 0; i < arguments.length; i++) {
            if (nested[i] != null) {
                arguments[i] = nested[i].read(layout, values, failure);
                any |= arguments[i] != null;
                continue;
            }
            Object stored = values[layout.indexOf(fields[i])];
            stored = stored instanceof ForbiddenField ? null : stored;
            any |= stored != null;
            arguments[i] = stored;
        }
        if (!any) {
            return null;
        }
        for (int i = 0; i < arguments.length; i++) {
            if (nested[i] == null) {
                arguments[i] = conversions[i].converted(arguments[i], "field", fields[i], json[i], failure);
            }
        }
        return RecordMapping.construct(constructor, arguments, failure);
    }

    private QueryException problem(String problem) {
        return QueryException.of("Record component " + path + " cannot hold a value stored as columns: " + problem);
    }
}
