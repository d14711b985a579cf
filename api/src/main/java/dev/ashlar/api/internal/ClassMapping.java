package dev.ashlar.api.internal;

import dev.ashlar.api.data.PropagateNull;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.MappableClass.Property;
import dev.ashlar.api.internal.MappableClass.Writer;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * How the rows of one layout become instances of a class (Jdbi's {@code BeanMapper}, {@code FieldMapper} and
 * {@code ConstructorMapper}), worked out once per layout from what {@link MappableClass} found once per class: a
 * record takes the columns as its components; a JavaBean, made by its public no-arg constructor, takes each column
 * through the setter of its name ({@code setPublishedAt} for {@code published_at} or {@code publishedAt}), or else a
 * field of that name; a class without one takes the columns as the parameters of its one public constructor. A
 * {@code @ColumnName} names the column instead; a {@code @Nested} property is an object mapped the same way from the
 * columns under its prefix. Columns no property takes are ignored, as Jdbi does unless told to be strict
 * ({@link #refuseUnmatched()}); a bean's properties no column gives keep what the constructor left.
 */
public final class ClassMapping<T> {
    private final Class<T> type;
    private final RowLayout layout;
    private final MappableClass shape;
    /** What this object is to the row's class, for messages: empty for the row's own class. */
    private final String path;
    /** The prefix of its columns, with its {@code _}: empty unless it is a nested object under a prefix. */
    private final String prefix;
    /** The object this one is nested in, or null. */
    private final ClassMapping<?> outer;
    /** Per property of {@code shape}: the column it takes, or -1 (nested, or none). */
    private final int[] positions;
    /** Per property: the mapping of its nested object, or null. */
    private final ClassMapping<?>[] nested;
    /** The column whose NULL the class's {@link PropagateNull} makes the object null for, or -1. */
    private final int nullColumn;
    private final BiFunction<String, Throwable, AshlarException> failure = this::failure;

    ClassMapping(Class<T> type, RowLayout layout) {
        this(type, layout, "", "", null);
        if (shape.bean() && claims().isEmpty()) {
            throw failure("no column of the rows " + layout.fields() + " matches one of its properties "
                    + shape.properties().stream().map(Property::name).toList(), null);
        }
    }

    private ClassMapping(Class<T> type, RowLayout layout, String path, String prefix, ClassMapping<?> outer) {
        this.type = type;
        this.layout = layout;
        this.path = path;
        this.prefix = prefix;
        this.outer = outer;
        for (ClassMapping<?> enclosing = outer; enclosing != null; enclosing = enclosing.outer) {
            if (enclosing.type == type) {
                throw failure("it is nested in itself, which no row can end: map the inner one from its own query",
                        null);
            }
        }
        this.shape = MappableClass.of(type);
        if (shape.problem() != null) {
            throw failure(shape.problem(), null);
        }
        List<Property> properties = shape.properties();
        this.positions = new int[properties.size()];
        this.nested = new ClassMapping<?>[properties.size()];
        for (int i = 0; i < positions.length; i++) {
            Property property = properties.get(i);
            if (property.misuse() != null) {
                throw failure(property.misuse(), null);
            }
            positions[i] = property.nested() == null ? position(property) : -1;
            nested[i] = property.nested() == null ? null : nestedMapping(property);
            if (!shape.bean() && positions[i] < 0 && nested[i] == null
                    || property.propagatesNull() && positions[i] < 0 && nested[i] == null) {
                throw failure(unmatched(property) + (property.propagatesNull() ? ", which its @PropagateNull "
                        + "checks for NULL" : "") + "; the rows hold " + layout.fields(), null);
            }
        }
        this.nullColumn = nullColumn();
        claims();
    }

    /**
     * The column the class's {@link PropagateNull} names, under the prefix; -1 without one.
     *
     * @throws AshlarException when it names none, or a column the rows do not hold
     */
    private int nullColumn() {
        PropagateNull marker = type.getAnnotation(PropagateNull.class);
        if (marker == null) {
            return -1;
        }
        if (marker.value().isEmpty()) {
            throw failure("its @PropagateNull names no column: on a class, name the column whose NULL makes the object "
                    + "null (@PropagateNull(\"id\")), or put @PropagateNull on the property instead", null);
        }
        String name = prefix + marker.value();
        int position = layout.indexOf(name) >= 0 ? layout.indexOf(name) : layout.indexOf(name.toLowerCase(Locale.ROOT));
        if (position < 0) {
            throw failure("its @PropagateNull(\"" + marker.value() + "\") names the column '" + name + "', which the "
                    + "rows do not hold; they hold " + layout.fields() + ": select it, or name a column they hold",
                    null);
        }
        return position;
    }

    /**
     * Whether the row makes no object, by a {@link PropagateNull}: the class's column is NULL, a propagating
     * property's column is, or a propagating nested object is null. Fills {@code made} with the nested objects.
     */
    private boolean nullPropagated(Object[] values, Object[] made) {
        if (nullColumn >= 0 && values[nullColumn] == null) {
            return true;
        }
        List<Property> properties = shape.properties();
        for (int i = 0; i < positions.length; i++) {
            boolean propagates = properties.get(i).propagatesNull();
            if (nested[i] != null) {
                made[i] = nested[i].map(values);
                if (made[i] == null && propagates) {
                    return true;
                }
            } else if (propagates && values[positions[i]] == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The mapping of a nested property's class; null for a bean's when no column is under its prefix, or none of its
     * properties' columns is there (Jdbi leaves it unset).
     *
     * @throws AshlarException for a constructor's or a record's when no column is under its prefix, naming it
     */
    private ClassMapping<?> nestedMapping(Property property) {
        String under = prefix + (property.nested().isEmpty() ? "" : property.nested() + "_");
        if (!under.isEmpty() && layout.fields().stream().noneMatch(field -> field.startsWith(under)
                || field.startsWith(under.toLowerCase(Locale.ROOT)))) {
            if (shape.bean()) {
                return null;
            }
            throw failure(unmatched(property) + "; the rows hold " + layout.fields(), null);
        }
        ClassMapping<?> mapping = new ClassMapping<>(property.writers().get(0).type().type(), layout,
                path + property.name() + ".", under, this);
        return shape.bean() && mapping.claims().isEmpty() ? null : mapping;
    }

    /**
     * The columns this object and its nested objects take, each with what takes it.
     *
     * @throws AshlarException when two properties take one column, naming both
     */
    private Map<Integer, String> claims() {
        Map<Integer, String> claims = new TreeMap<>();
        for (int i = 0; i < positions.length; i++) {
            Map<Integer, String> taken = nested[i] != null ? nested[i].claims()
                    : positions[i] >= 0 ? Map.of(positions[i], path + shape.properties().get(i).name()) : Map.of();
            taken.forEach((position, by) -> {
                String before = claims.putIfAbsent(position, by);
                if (before != null) {
                    throw failure("the column '" + layout.fields().get(position) + "' is claimed by both '" + before
                            + "' and '" + by + "': name one's column with @ColumnName(\"...\"), or give a nested "
                            + "object a prefix with @Nested(\"prefix\")", null);
                }
            });
        }
        if (nullColumn >= 0) {
            // The column a class's @PropagateNull names is taken by it, so strict() does not refuse it.
            claims.putIfAbsent(nullColumn, path + "@PropagateNull");
        }
        return claims;
    }

    /**
     * Refuses rows with a column no property takes, or a property no column fills (Jdbi's strict matching), naming
     * them all.
     *
     * @throws AshlarException naming the columns and properties and the class
     */
    public void refuseUnmatched() {
        List<String> columns = new ArrayList<>(layout.fields());
        claims().keySet().stream().sorted((a, b) -> b - a).forEach(position -> columns.remove((int) position));
        List<String> properties = new ArrayList<>();
        unfilled(properties);
        if (!columns.isEmpty() || !properties.isEmpty()) {
            throw failure("strict() matching found " + (columns.isEmpty() ? "" : "the columns " + columns
                    + " that no property takes") + (columns.isEmpty() || properties.isEmpty() ? "" : ", and ")
                    + (properties.isEmpty() ? "" : "the properties " + properties + " that no column fills")
                    + ": select only what it takes (or alias a column to a property's name), or drop strict()", null);
        }
    }

    private void unfilled(List<String> found) {
        for (int i = 0; i < positions.length; i++) {
            Property property = shape.properties().get(i);
            if (nested[i] != null) {
                nested[i].unfilled(found);
            } else if (positions[i] < 0 && !property.internal()) {
                found.add(path + property.name() + (property.nested() == null ? ""
                        : " (nested, columns " + prefix + property.nested() + "_...)"));
            }
        }
    }

    /** The row's values as an instance of the class, or null when a {@link PropagateNull} says so. */
    @SuppressWarnings("unchecked")
    public T map(Object[] values) {
        List<Property> properties = shape.properties();
        Object[] made = new Object[positions.length];
        if (nullPropagated(values, made)) {
            return null;
        }
        if (!shape.bean()) {
            for (int i = 0; i < made.length; i++) {
                Property property = properties.get(i);
                made[i] = nested[i] != null ? made[i]
                        : converted(property, property.writers().get(0), values[positions[i]]);
            }
            return (T) RecordMapping.construct(shape.constructor(), made, failure);
        }
        T instance = (T) RecordMapping.construct(shape.constructor(), new Object[0], failure);
        for (int i = 0; i < positions.length; i++) {
            Property property = properties.get(i);
            if (nested[i] != null) {
                write(instance, property, property.writers().get(0), made[i]);
            } else if (positions[i] >= 0) {
                Object value = values[positions[i]];
                Writer writer = writer(property, value);
                write(instance, property, writer, converted(property, writer, value));
            }
        }
        return instance;
    }

    /**
     * The setter of a property's overloads (sorted by parameter type, so the choice does not depend on the order the
     * JVM lists methods in) that takes the value as it is, the first that takes any object for a NULL.
     */
    private Writer writer(Property property, Object value) {
        List<Writer> writers = property.writers();
        if (writers.size() == 1) {
            return writers.get(0);
        }
        for (Writer writer : writers) {
            if (value == null ? !writer.type().type().isPrimitive() : writer.type().passesAsIs(value)) {
                return writer;
            }
        }
        throw failure("property '" + path + property.name() + "' has the setters " + writers.stream()
                .map(w -> ((Method) w.member()).getName() + "(" + w.type().type().getSimpleName() + ")").toList()
                + ", and none takes " + (value == null ? "null" : "the " + value.getClass().getSimpleName()
                + " its column holds") + " as it is: keep one setter, or cast the column to the type of one", null);
    }

    private Object converted(Property property, Writer writer, Object value) {
        return writer.type().converted(value, shape.kind(), path + property.name(), writer.json(), failure);
    }

    private void write(Object instance, Property property, Writer writer, Object value) {
        try {
            if (writer.member() instanceof Method setter) {
                setter.invoke(instance, value);
            } else {
                ((Field) writer.member()).set(instance, value);
            }
        } catch (InvocationTargetException e) {
            throw failure("its setter of '" + path + property.name() + "' refused " + value + ": " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw failure("property '" + path + property.name() + "' cannot be set: " + e, e);
        }
    }

    private String unmatched(Property property) {
        String what = shape.kind().equals("parameter") ? "its constructor's parameter" : shape.kind();
        if (property.nested() != null) {
            return what + " '" + path + property.name() + "' is nested under the prefix '" + prefix
                    + property.nested() + "', and no column starts with it";
        }
        return what + " '" + path + property.name() + "' matches no column" + (property.column() == null ? ""
                : " (its @ColumnName is '" + prefix + property.column() + "')");
    }

    /**
     * The column of a property: the one its {@code @ColumnName} names, or of its name, of its snake_case form, or of
     * its lower case (an unquoted alias {@code AS publishedAt} comes back as {@code publishedat}, which Jdbi's mappers
     * match too), under the prefix; -1 for none.
     */
    private int position(Property property) {
        String name = prefix + (property.column() != null ? property.column() : property.name());
        int exact = layout.indexOf(name);
        int snake = exact >= 0 || property.column() != null ? exact
                : layout.indexOf(prefix + RecordMapping.snakeCase(property.name()));
        return snake >= 0 ? snake : layout.indexOf(name.toLowerCase(Locale.ROOT));
    }

    private AshlarException failure(String problem, Throwable cause) {
        return QueryException.of(layout.resource(), null, "Rows of " + layout.resource() + " cannot map onto "
                + type.getName() + (path.isEmpty() ? "" : " (the nested '" + path.substring(0, path.length() - 1)
                + "')") + ": " + problem, cause);
    }
}
