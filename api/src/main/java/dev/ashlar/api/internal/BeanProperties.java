package dev.ashlar.api.internal;

import dev.ashlar.api.data.ColumnName;
import dev.ashlar.api.error.QueryException;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values an object gives to bind by name: for Jdbi's {@code bindBean}, a record's components, or a JavaBean's
 * public getters, {@code getTitle()} giving {@code title} and {@code isDraft()} (of a boolean) {@code draft}; for
 * {@code bindFields}, its public fields; for {@code bindMethods}, its public methods without parameters, each by its
 * own name. A {@code @ColumnName} on the component, getter, field or method names its mark instead. Found once per
 * class.
 */
public final class BeanProperties {
    /** What of an object binds: the statement's method that binds it, and what messages call its values. */
    public enum Source {
        BEAN("bindBean", "properties"), FIELDS("bindFields", "public fields"),
        METHODS("bindMethods", "methods without parameters");

        private final String method;
        private final String gives;
        private final ClassValue<Map<String, AccessibleObject>> found = new ClassValue<>() {
            @Override
            protected Map<String, AccessibleObject> computeValue(Class<?> type) {
                return readers(type, Source.this);
            }
        };

        Source(String method, String values) {
            this.method = method;
            this.gives = values;
        }

        /** The statement's method that binds it: {@code bindBean}. */
        public String method() {
            return method;
        }

        /** What messages call its values: {@code properties}. */
        public String gives() {
            return gives;
        }
    }

    private static final ClassValue<Map<String, Method>> GETTERS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return getters(type);
        }
    };

    private BeanProperties() {
    }

    /** The getter of each property, by its property name, sorted. */
    public static Map<String, Method> of(Class<?> type) {
        return GETTERS.get(type);
    }

    /** The getter, field or method reading each value of an object of the class, by the mark it binds, sorted. */
    public static Map<String, AccessibleObject> of(Class<?> type, Source source) {
        return source.found.get(type);
    }

    /**
     * A value, read by its getter, field or method.
     *
     * @throws QueryException when the getter throws, naming the class and the property
     */
    public static Object read(Object bean, String property, AccessibleObject reader) {
        try {
            return reader instanceof Field field ? field.get(bean) : ((Method) reader).invoke(bean);
        } catch (InvocationTargetException e) {
            throw QueryException.of(bean.getClass().getName(), property, "Property '" + property + "' of "
                    + bean.getClass().getName() + " cannot be bound: its " + ((Method) reader).getName()
                    + "() threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw QueryException.of(bean.getClass().getName(), property, "Property '" + property + "' of "
                    + bean.getClass().getName() + " cannot be read: " + e, e);
        }
    }

    private static Map<String, AccessibleObject> readers(Class<?> type, Source source) {
        Map<String, AccessibleObject> readers = new TreeMap<>();
        if (source == Source.FIELDS) {
            for (Field field : type.getFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && field.trySetAccessible()) {
                    put(readers, type, source, marked(field, field.getName()), field);
                }
            }
        } else if (source == Source.METHODS) {
            for (Method method : type.getMethods()) {
                if (!Modifier.isStatic(method.getModifiers()) && !method.isBridge() && method.getParameterCount() == 0
                        && method.getReturnType() != void.class && method.getDeclaringClass() != Object.class
                        && method.trySetAccessible()) {
                    put(readers, type, source, marked(method, method.getName()), method);
                }
            }
        } else {
            of(type).forEach((property, getter) -> put(readers, type, source,
                    marked(annotated(type, property, getter), property), getter));
        }
        return Collections.unmodifiableMap(readers);
    }

    /**
     * Adds a reader of a mark.
     *
     * @throws QueryException when another already reads it (a {@code @ColumnName} naming another's mark), naming both
     */
    private static void put(Map<String, AccessibleObject> readers, Class<?> type, Source source, String mark,
                            AccessibleObject reader) {
        AccessibleObject before = readers.putIfAbsent(mark, reader);
        if (before instanceof Field hidden && reader instanceof Field hiding
                && hidden.getName().equals(hiding.getName())) {
            // A subclass's public field hides its superclass's of that name: the subclass's binds, as Java reads it.
            if (hidden.getDeclaringClass().isAssignableFrom(hiding.getDeclaringClass())) {
                readers.put(mark, hiding);
            }
        } else if (before != null) {
            throw QueryException.of(type.getName(), mark, source.method() + "(...) cannot bind " + type.getName()
                    + ": both " + member(before) + " and " + member(reader) + " give the mark :" + mark
                    + "; name one's mark otherwise with @ColumnName(\"...\")");
        }
    }

    private static String member(AccessibleObject reader) {
        return reader instanceof Field field ? "the field " + field.getName()
                : ((Method) reader).getName() + "()";
    }

    /** What carries a property's {@code @ColumnName}: its record component, its getter, a setter, or its field. */
    private static AnnotatedElement annotated(Class<?> type, String property, Method getter) {
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals(property)) {
                    return component;
                }
            }
        }
        if (getter.isAnnotationPresent(ColumnName.class)) {
            return getter;
        }
        String setter = "set" + getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
        for (Method method : type.getMethods()) {
            if (method.getName().equals(setter) && method.getParameterCount() == 1
                    && method.isAnnotationPresent(ColumnName.class)) {
                return method;
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(property);
            } catch (NoSuchFieldException e) {
                // not declared here: look in the superclass
            }
        }
        return getter;
    }

    private static String marked(AnnotatedElement element, String name) {
        ColumnName column = element.getAnnotation(ColumnName.class);
        return column == null ? name : column.value();
    }

    /** A property's name from what follows {@code get}, {@code is} or {@code set}, as {@code java.beans} does. */
    static String decapitalized(String name) {
        if (name.length() > 1 && Character.isUpperCase(name.charAt(0)) && Character.isUpperCase(name.charAt(1))) {
            return name;   // "URL" stays "URL", as Introspector.decapitalize keeps it
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Map<String, Method> getters(Class<?> type) {
        Map<String, Method> getters = new TreeMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                getters.put(component.getName(), accessible(component.getAccessor()));
            }
            return Collections.unmodifiableMap(getters);
        }
        for (Method method : type.getMethods()) {
            String property = propertyOfGetter(method);
            // A getter of a class its module does not open (List.of(...)'s isEmpty()) is no property to bind.
            if (property != null && method.trySetAccessible()) {
                getters.put(property, method);
            }
        }
        return Collections.unmodifiableMap(getters);
    }

    private static String propertyOfGetter(Method method) {
        String name = method.getName();
        if (Modifier.isStatic(method.getModifiers()) || method.isBridge() || method.getParameterCount() != 0
                || method.getReturnType() == void.class || method.getDeclaringClass() == Object.class) {
            return null;
        }
        boolean isBoolean = method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class;
        String rest = name.startsWith("get") ? name.substring(3) : name.startsWith("is") && isBoolean
                ? name.substring(2) : "";
        return rest.isEmpty() || !Character.isUpperCase(rest.charAt(0)) ? null : decapitalized(rest);
    }

    /** A public method of a class that may not be public itself, as a test's or an application's nested bean. */
    private static Method accessible(Method method) {
        method.setAccessible(true);
        return method;
    }
}
