package dev.ashlar.api.error;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every public method of the types a user writes a domain and queries with, given null in one argument (or one null
 * element in a varargs argument) and ordinary values in the others, either takes it or refuses it with an
 * {@link AshlarException} that names the call and the argument: never a bare NullPointerException from deep inside.
 */
class PublicApiNullArgumentsTest {
    private static final List<Class<?>> STATIC_TYPES = List.of(Filter.class, Query.class, Sort.class,
            dev.ashlar.api.query.Atomic.class, dev.ashlar.api.query.Computed.class, Resource.class, Domain.class,
            Type.class, dev.ashlar.api.resource.Default.class, dev.ashlar.api.resource.Policy.class,
            dev.ashlar.api.resource.Actor.class, dev.ashlar.api.resource.Aggregate.class,
            dev.ashlar.api.resource.Calculation.class, dev.ashlar.api.resource.CalculationArgument.class,
            dev.ashlar.api.resource.CustomExtension.class, dev.ashlar.api.resource.Converter.class,
            dev.ashlar.api.resource.TableOptions.class, dev.ashlar.api.data.Range.class,
            dev.ashlar.api.typed.Kind.class, dev.ashlar.api.typed.Table.class, dev.ashlar.api.typed.Condition.class,
            dev.ashlar.api.typed.Order.class, dev.ashlar.api.typed.Change.class, dev.ashlar.api.typed.Conflict.class);
    private static final List<Supplier<Object>> BUILDERS = List.of(() -> Resource.builder("post"),
            () -> Domain.builder("blog"), () -> Query.of("post"));

    /** An ordinary value of a parameter type, or null where the probe has none (the method is then left out). */
    private static Object sample(Class<?> type) {
        Map<Class<?>, Object> plain = Map.ofEntries(Map.entry(String.class, "title"), Map.entry(Object.class, "title"),
                Map.entry(CharSequence.class, "title"), Map.entry(int.class, 1), Map.entry(Integer.class, 1),
                Map.entry(long.class, 1L), Map.entry(Long.class, 1L), Map.entry(double.class, 1.0),
                Map.entry(boolean.class, true), Map.entry(Boolean.class, true), Map.entry(Class.class, String.class),
                Map.entry(List.class, List.of()), Map.entry(Collection.class, List.of()),
                Map.entry(Iterable.class, List.of()), Map.entry(Set.class, Set.of()), Map.entry(Map.class, Map.of()),
                Map.entry(Type.class, Type.TEXT), Map.entry(Filter.class, Filter.eq("title", "a")),
                Map.entry(Sort.class, Sort.asc("title")));
        if (plain.containsKey(type)) {
            return plain.get(type);
        }
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        return type.isInterface() ? doingNothing(type) : null;
    }

    /** An implementation of an interface (a Consumer of options, a converter) whose methods do nothing. */
    private static Object doingNothing(Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            Class<?> returned = method.getReturnType();
            return switch (method.getName()) {
                case "toString" -> "nothing";
                case "hashCode" -> 1;
                case "equals" -> false;
                default -> returned.isPrimitive() && returned != void.class ? sample(returned) : null;
            };
        });
    }

    private static List<String> nullPointerFailures() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Class<?> type : STATIC_TYPES) {
            for (Method method : type.getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass() == type) {
                    probe(() -> null, method, failures);
                }
            }
        }
        for (Supplier<Object> builder : BUILDERS) {
            for (Method method : builder.get().getClass().getMethods()) {
                if (!Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass() != Object.class) {
                    probe(builder, method, failures);
                }
            }
        }
        return failures;
    }

    /** Calls the method once per reference argument with null there, and once per array with one null element. */
    private static void probe(Supplier<Object> receiver, Method method, List<String> failures) throws Exception {
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].isPrimitive()) {
                continue;
            }
            Object[] args = samples(parameters);
            if (args == null) {
                return;
            }
            args[i] = null;
            call(receiver, method, args, "null for argument " + (i + 1), failures);
            if (parameters[i].isArray() && !parameters[i].getComponentType().isPrimitive()) {
                args[i] = Array.newInstance(parameters[i].getComponentType(), 1);
                call(receiver, method, args, "a null element in argument " + (i + 1), failures);
            }
        }
    }

    private static Object[] samples(Class<?>[] parameters) {
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            args[i] = sample(parameters[i]);
            if (args[i] == null) {
                return null;
            }
        }
        return args;
    }

    private static void call(Supplier<Object> receiver, Method method, Object[] args, String given,
                             List<String> failures) throws IllegalAccessException {
        try {
            method.invoke(receiver.get(), args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof NullPointerException || e.getCause() instanceof ClassCastException) {
                failures.add(method.getDeclaringClass().getSimpleName() + "." + method.getName() + " given " + given
                        + ": " + e.getCause());
            }
        }
    }

    @Test
    void noPublicMethodAnswersANullArgumentWithANullPointerException() throws Exception {
        List<String> failures = nullPointerFailures();

        assertThat(failures).isEmpty();
    }

    @Test
    void aNullVarargsArrayOrElementIsRefusedNamingTheCallTheArgumentAndItsPosition() {
        assertThatThrownBy(() -> Domain.builder("blog").extensions((String[]) null))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("Domain.Builder.extensions was given null for its extensions; give one");
        assertThatThrownBy(() -> Resource.builder("post").draftable("summary", null))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("ResourceBuilder.draftable was given null for its reset attribute 2; give one, or leave "
                        + "it out");
        assertThatThrownBy(() -> Type.pgEnum("status", "draft", null)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("was given null for its label 2");
    }

    @Test
    void aNullOptionsCallbackIsRefusedNamingTheCall() {
        assertThatThrownBy(() -> Resource.builder("post").attribute("title", Type.TEXT, null))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("ResourceBuilder.attribute was given null for its options; give one");
        assertThatThrownBy(() -> Resource.builder("post").belongsTo("author", "user", null))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("was given null for its options");
    }
}
