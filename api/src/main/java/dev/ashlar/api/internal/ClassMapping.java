package dev.ashlar.api.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.QueryException;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * How the rows of one layout become instances of a class that is not a record (Jdbi's {@code BeanMapper},
 * {@code FieldMapper} and {@code ConstructorMapper}), worked out once: a JavaBean, made by its public no-arg
 * constructor, takes each column through the setter of its name ({@code setPublishedAt} for {@code published_at} or
 * {@code publishedAt}), or else a field of that name; a class without one takes the columns as the parameters of its
 * one public constructor, named by the compiler's {@code -parameters}. Columns no property takes are ignored, as Jdbi
 * does unless told to be strict; a bean's properties no column gives keep what the constructor left.
 */
public final class ClassMapping<T> {
    private final Class<T> type;
    private final RowLayout layout;
    private final Constructor<T> constructor;
    /** Constructor parameters, in order, or the bean properties the columns give. */
    private final Target[] targets;
    private final boolean bean;
    private final BiFunction<String, Throwable, AshlarException> failure = this::failure;

    /** A parameter or a property: what converting takes, its name, the column it takes, and its setter or field. */
    private record Target(ComponentType type, String name, boolean json, int position, AccessibleObject member) {
        static Target of(java.lang.reflect.Type generic, Class<?> type, String name, int position,
                         AccessibleObject member) {
            return new Target(ComponentType.of(type, generic), name, ValueConversions.holdsJson(type), position,
                    member);
        }
    }

    ClassMapping(Class<T> type, RowLayout layout) {
        this.type = type;
        this.layout = layout;
        refuseUnmappable();
        Constructor<T> noArguments = noArgumentConstructor();
        this.bean = noArguments != null;
        this.constructor = bean ? noArguments : onlyConstructor();
        this.constructor.setAccessible(true);
        this.targets = bean ? properties() : parameters();
    }

    /** The row's values as an instance of the class. */
    public T map(Object[] values) {
        if (!bean) {
            Object[] arguments = new Object[targets.length];
            for (int i = 0; i < targets.length; i++) {
                arguments[i] = converted(targets[i], values);
            }
            return construct(arguments);
        }
        T instance = construct();
        for (Target target : targets) {
            Object value = converted(target, values);
            try {
                if (target.member() instanceof Method setter) {
                    setter.invoke(instance, value);
                } else {
                    ((Field) target.member()).set(instance, value);
                }
            } catch (InvocationTargetException e) {
                throw failure("its setter of '" + target.name() + "' refused " + value + ": " + e.getCause(),
                        e.getCause());
            } catch (ReflectiveOperationException e) {
                throw failure("property '" + target.name() + "' cannot be set: " + e, e);
            }
        }
        return instance;
    }

    private Object converted(Target target, Object[] values) {
        return target.type().converted(values[target.position()], bean ? "property" : "parameter", target.name(),
                target.json(), failure);
    }

    private T construct(Object... arguments) {
        return RecordMapping.construct(constructor, arguments, failure);
    }

    private void refuseUnmappable() {
        String what = type.isInterface() || Modifier.isAbstract(type.getModifiers()) && !type.isPrimitive()
                ? "abstract" : type.isPrimitive() || type.getName().startsWith("java.") ? "a value type"
                : type.isEnum() || type.isArray() ? "no class of properties"
                : type.isMemberClass() && !Modifier.isStatic(type.getModifiers()) ? "an inner class, made only with "
                + "an instance of its outer class: declare it static" : null;
        if (what != null) {
            throw failure("it is " + what + ". Rows map onto a record, a JavaBean (a public no-arg constructor and "
                    + "setters) or a class with one public constructor; read a single column with values(Type.class) "
                    + "or value(Type.class)", null);
        }
    }

    @SuppressWarnings("unchecked")
    private Constructor<T> noArgumentConstructor() {
        for (Constructor<?> candidate : type.getConstructors()) {
            if (candidate.getParameterCount() == 0) {
                return (Constructor<T>) candidate;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Constructor<T> onlyConstructor() {
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) {
            throw failure("it has " + constructors.length + " public constructors and none without parameters: give "
                    + "it one public constructor taking the columns, or a public no-arg one and setters", null);
        }
        return (Constructor<T>) constructors[0];
    }

    /** The constructor's parameters, each taking the column of its name. */
    private Target[] parameters() {
        Parameter[] parameters = constructor.getParameters();
        Target[] found = new Target[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Parameter parameter = parameters[i];
            if (!parameter.isNamePresent()) {
                throw failure("the names of its constructor's parameters were not compiled into it, so no column can "
                        + "be matched to one: compile with javac's -parameters (Maven: <parameters>true</parameters> "
                        + "in maven-compiler-plugin), give it a public no-arg constructor and setters, or make it a "
                        + "record", null);
            }
            int position = position(parameter.getName());
            if (position < 0) {
                throw failure("its constructor's parameter '" + parameter.getName() + "' matches no column; the rows "
                        + "hold " + layout.fields(), null);
            }
            found[i] = Target.of(parameter.getParameterizedType(), parameter.getType(), parameter.getName(),
                    position, null);
        }
        return found;
    }

    /** The bean's setters, and then its fields, that a column gives; one at least. */
    private Target[] properties() {
        List<Target> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Method method : type.getMethods()) {
            String name = propertyOfSetter(method);
            if (name != null && !names.contains(name)) {
                names.add(name);
                add(found, name, method, method.getGenericParameterTypes()[0], method.getParameterTypes()[0]);
            }
        }
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers) && !field.isSynthetic()
                        && !names.contains(field.getName())) {
                    names.add(field.getName());
                    add(found, field.getName(), field, field.getGenericType(), field.getType());
                }
            }
        }
        if (found.isEmpty()) {
            throw failure("no column of the rows " + layout.fields() + " matches one of its properties " + names,
                    null);
        }
        return found.toArray(Target[]::new);
    }

    private void add(List<Target> found, String name, AccessibleObject member, java.lang.reflect.Type generic,
                     Class<?> type) {
        int position = position(name);
        if (position >= 0) {
            member.setAccessible(true);
            found.add(Target.of(generic, type, name, position, member));
        }
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

    /**
     * The column of a name, of its snake_case form, or of its lower case (an unquoted alias {@code AS publishedAt}
     * comes back as {@code publishedat}, which Jdbi's mappers match too); -1 for none.
     */
    private int position(String name) {
        int exact = layout.indexOf(name);
        int snake = exact >= 0 ? exact : layout.indexOf(RecordMapping.snakeCase(name));
        return snake >= 0 ? snake : layout.indexOf(name.toLowerCase(Locale.ROOT));
    }

    private AshlarException failure(String problem, Throwable cause) {
        return QueryException.of(layout.resource(), null, "Rows of " + layout.resource() + " cannot map onto "
                + type.getName() + ": " + problem, cause);
    }
}
