package dev.ashlar.api.internal;

import dev.ashlar.api.error.QueryException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The properties an object gives to bind by name (Jdbi's {@code bindBean}): a record's components, or a JavaBean's
 * public getters, {@code getTitle()} giving {@code title} and {@code isDraft()} (of a boolean) {@code draft}. Found
 * once per class.
 */
public final class BeanProperties {
    private static final ClassValue<Map<String, Method>> GETTERS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return getters(type);
        }
    };

    private BeanProperties() {
    }

    /** The getter of each property, sorted by name. */
    public static Map<String, Method> of(Class<?> type) {
        return GETTERS.get(type);
    }

    /**
     * The value of a property, read by its getter.
     *
     * @throws QueryException when the getter throws, naming the class and the property
     */
    public static Object read(Object bean, String property, Method getter) {
        try {
            return getter.invoke(bean);
        } catch (InvocationTargetException e) {
            throw QueryException.of(bean.getClass().getName(), property, "Property '" + property + "' of "
                    + bean.getClass().getName() + " cannot be bound: its getter " + getter.getName() + "() threw "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw QueryException.of(bean.getClass().getName(), property, "Property '" + property + "' of "
                    + bean.getClass().getName() + " cannot be read: " + e, e);
        }
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
