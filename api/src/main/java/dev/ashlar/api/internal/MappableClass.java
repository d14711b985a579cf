package dev.ashlar.api.internal;

import dev.ashlar.api.data.ColumnName;
import dev.ashlar.api.data.Nested;
import dev.ashlar.api.data.PropagateNull;

import java.lang.annotation.Annotation;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What rows can fill in a class, found by reflection once per class (a {@link ClassValue}) so that mapping the rows of
 * each statement only matches names to columns: a record's components, or the parameters of a class's one public
 * constructor, or a JavaBean's setters and then its fields; each with the column its {@link ColumnName} names and
 * the prefix its {@link Nested} gives.
 *
 * @param type        the class
 * @param constructor how an instance is made: the canonical or only public constructor, or the public no-arg one
 * @param bean        whether the properties are set after {@code constructor} ran, rather than passed to it
 * @param kind        what messages call a property: {@code component}, {@code parameter} or {@code property}
 * @param properties  in the constructor's order, or a bean's sorted by name
 * @param problem     why rows cannot map onto the class, completing "Rows cannot map onto it: ", or null
 */
record MappableClass(Class<?> type, Constructor<?> constructor, boolean bean, String kind, List<Property> properties,
                     String problem) {
    private static final ClassValue<MappableClass> FOUND = new ClassValue<>() {
        @Override
        protected MappableClass computeValue(Class<?> type) {
            return find(type);
        }
    };

    /** One way to give a property its value: a constructor's parameter (no member), a setter or a field. */
    record Writer(ComponentType type, boolean json, AccessibleObject member) {
        static Writer of(Class<?> raw, Type generic, AccessibleObject member) {
            if (member != null) {
                // A public setter of an exported class needs no access; one that stays closed fails when called.
                member.trySetAccessible();
            }
            return new Writer(ComponentType.of(raw, generic), ValueConversions.holdsJson(raw), member);
        }
    }

    /**
     * A property rows fill.
     *
     * @param column  the column its {@link ColumnName} names, or null to match its name
     * @param nested  the prefix its {@link Nested} gives (empty for none), or null when it is no nested object
     * @param writers its setters, sorted by parameter type (overloads), or its one field or parameter
     * @param propagatesNull whether its {@link PropagateNull} makes the object holding it null when it is
     * @param internal whether it is a field of a bean that has setters: filled when a column names it, but no property
     *                 strict matching expects a column for (Jdbi's {@code BeanMapper} knows the setters alone)
     * @param misuse   why its annotations cannot be honoured, completing "Rows cannot map onto it: ", or null
     */
    record Property(String name, String column, String nested, List<Writer> writers, boolean propagatesNull,
                    boolean internal, String misuse) {
        private Property asInternal() {
            return new Property(name, column, nested, writers, propagatesNull, true, misuse);
        }
    }

    static MappableClass of(Class<?> type) {
        return FOUND.get(type);
    }

    private static MappableClass find(Class<?> type) {
        String unmappable = unmappable(type);
        if (unmappable != null) {
            return refused(type, unmappable);
        }
        if (type.isRecord()) {
            return record(type);
        }
        for (Constructor<?> candidate : type.getConstructors()) {
            if (candidate.getParameterCount() == 0) {
                candidate.setAccessible(true);
                return new MappableClass(type, candidate, true, "property", beanProperties(type), null);
            }
        }
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) {
            return refused(type, "it has " + constructors.length + " public constructors and none without parameters: "
                    + "give it one public constructor taking the columns, or a public no-arg one and setters");
        }
        return constructed(type, constructors[0]);
    }

    private static MappableClass refused(Class<?> type, String problem) {
        return new MappableClass(type, null, false, "property", List.of(), problem);
    }

    private static String unmappable(Class<?> type) {
        String what = type.isInterface() || Modifier.isAbstract(type.getModifiers()) && !type.isPrimitive()
                ? "abstract" : type.isPrimitive() || type.getName().startsWith("java.") ? "a value type"
                : type.isEnum() || type.isArray() ? "no class of properties"
                : type.isMemberClass() && !Modifier.isStatic(type.getModifiers()) ? "an inner class, made only with "
                + "an instance of its outer class: declare it static" : null;
        return what == null ? null : "it is " + what + ". Rows map onto a record, a JavaBean (a public no-arg "
                + "constructor and setters) or a class with one public constructor; read a single column with "
                + "values(Type.class) or value(Type.class)";
    }

    private static MappableClass record(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        List<Property> properties = new ArrayList<>();
        for (RecordComponent component : components) {
            properties.add(property(component.getName(), List.of(component),
                    List.of(new Writer(ComponentType.of(component), ValueConversions.holdsJson(component.getType()),
                            null))));
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            canonical.setAccessible(true);
            return new MappableClass(type, canonical, false, "component", List.copyOf(properties), null);
        } catch (NoSuchMethodException | RuntimeException e) {
            return refused(type, "its canonical constructor cannot be called: " + e);
        }
    }

    private static MappableClass constructed(Class<?> type, Constructor<?> constructor) {
        constructor.setAccessible(true);
        List<Property> properties = new ArrayList<>();
        for (Parameter parameter : constructor.getParameters()) {
            Property property = property(parameter.getName(), List.of(parameter),
                    List.of(Writer.of(parameter.getType(), parameter.getParameterizedType(), null)));
            if (!parameter.isNamePresent() && property.column() == null && property.nested() == null) {
                return refused(type, "the names of its constructor's parameters were not compiled into it, so no "
                        + "column can be matched to one: compile with javac's -parameters (Maven: <parameters>true"
                        + "</parameters> in maven-compiler-plugin), name each with @ColumnName, give it a public "
                        + "no-arg constructor and setters, or make it a record");
            }
            properties.add(property);
        }
        return new MappableClass(type, constructor, false, "parameter", List.copyOf(properties), null);
    }

    /** A bean's setters, each property's overloads together, then its fields no setter sets. */
    private static List<Property> beanProperties(Class<?> type) {
        Map<String, List<Method>> setters = new TreeMap<>();
        for (Method method : type.getMethods()) {
            String name = propertyOfSetter(method);
            if (name != null) {
                setters.computeIfAbsent(name, n -> new ArrayList<>()).add(method);
            }
        }
        Map<String, Field> fields = new TreeMap<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                // A field of a JDK superclass (a bean extending Observable) is closed to reflection: not a property.
                if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic() && field.trySetAccessible()) {
                    fields.putIfAbsent(field.getName(), field);
                }
            }
        }
        Map<String, Method> getters = BeanProperties.of(type);
        List<Property> properties = new ArrayList<>();
        setters.forEach((name, overloads) -> {
            List<AnnotatedElement> annotated = new ArrayList<>(overloads);
            annotated.add(getters.get(name));
            annotated.add(fields.get(name));
            properties.add(property(name, annotated, overloads.stream()
                    .sorted(Comparator.comparing(setter -> setter.getParameterTypes()[0].getName()))
                    .map(setter -> writer(type, setter)).toList()));
        });
        fields.forEach((name, field) -> {
            if (!setters.containsKey(name) && !Modifier.isFinal(field.getModifiers())) {
                Property property = property(name, List.of(field), List.of(inherited(type, field.getGenericType(),
                        field.getType(), field)));
                properties.add(setters.isEmpty() ? property : property.asInternal());
            }
        });
        return List.copyOf(properties);
    }

    /** A setter's writer, its parameter's type variable resolved as the class extends the generic superclass. */
    private static Writer writer(Class<?> type, Method setter) {
        return inherited(type, setter.getGenericParameterTypes()[0], setter.getParameterTypes()[0], setter);
    }

    /** The writer of a setter or field the class may inherit, its type as the class fixes a type variable of it. */
    private static Writer inherited(Class<?> type, Type declared, Class<?> erased, AccessibleObject member) {
        Type generic = resolved(declared, type);
        Class<?> raw = generic instanceof Class<?> c ? c : generic instanceof ParameterizedType p
                && p.getRawType() instanceof Class<?> c ? c : erased;
        return Writer.of(raw, generic, member);
    }

    /**
     * A type variable of a superclass as the class fixes it ({@code Keyed<K>}'s {@code K} in {@code KeyedPost
     * extends Keyed<Long>}); any other type, or a variable left open, as it is.
     */
    static Type resolved(Type type, Class<?> owner) {
        if (!(type instanceof TypeVariable<?> variable) || !(variable.getGenericDeclaration() instanceof Class<?> declaring)
                || declaring.isInterface() || declaring == owner || !declaring.isAssignableFrom(owner)) {
            return type;
        }
        Class<?> below = owner;
        while (below.getSuperclass() != declaring) {
            below = below.getSuperclass();
        }
        if (!(below.getGenericSuperclass() instanceof ParameterizedType parameterized)) {
            return type;
        }
        int index = Arrays.asList(declaring.getTypeParameters()).indexOf(variable);
        return resolved(parameterized.getActualTypeArguments()[index], owner);
    }

    private static Property property(String name, List<? extends AnnotatedElement> annotated, List<Writer> writers) {
        ColumnName column = annotation(annotated, ColumnName.class);
        Nested nested = annotation(annotated, Nested.class);
        PropagateNull propagate = annotation(annotated, PropagateNull.class);
        String misuse = nested != null && column != null ? "property '" + name + "' has both @Nested and "
                + "@ColumnName(\"" + column.value() + "\"), and a nested object takes no one column: give its columns' "
                + "prefix as @Nested(\"" + column.value() + "\") and drop the @ColumnName"
                : propagate != null && !propagate.value().isEmpty() ? "@PropagateNull does not support a value ("
                + propagate.value() + ") on the property '" + name + "': a property's own column (or nested object) "
                + "is the one checked; name another column with @PropagateNull(\"...\") on the class" : null;
        return new Property(name, column == null ? null : column.value(), nested == null ? null : nested.value(),
                writers, propagate != null, false, misuse);
    }

    private static <A extends Annotation> A annotation(List<? extends AnnotatedElement> annotated, Class<A> type) {
        for (AnnotatedElement element : annotated) {
            A found = element == null ? null : element.getAnnotation(type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The property a public setter sets ({@code setPublishedAt}: {@code publishedAt}), or null for another method. */
    private static String propertyOfSetter(Method method) {
        String name = method.getName();
        if (Modifier.isStatic(method.getModifiers()) || method.isBridge() || method.getParameterCount() != 1
                || name.length() < 4 || !name.startsWith("set") || !Character.isUpperCase(name.charAt(3))) {
            return null;
        }
        return BeanProperties.decapitalized(name.substring(3));
    }
}
