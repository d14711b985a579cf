package dev.ashlar.api.error;

import java.util.List;

/**
 * A domain, resource or plugin section is invalid. Thrown when a domain is built, before anything
 * touches the database; lists every problem found, not only the first.
 */
public class DefinitionException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public DefinitionException(String domain, List<Problem> problems) {
        this(domain, problems, null);
    }

    private DefinitionException(String domain, List<Problem> problems, Throwable cause) {
        super(ErrorCode.INVALID_DEFINITION, format(domain, problems),
                problems.size() == 1 ? problems.get(0).resource() : null,
                problems.size() == 1 ? problems.get(0).field() : null, null, cause);
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order the definition declares the things they concern. */
    public List<Problem> problems() {
        return problems;
    }

    /** One problem outside a domain, e.g. a misused option in the resource DSL. */
    public static DefinitionException of(String resource, String field, String message) {
        return new DefinitionException(null, List.of(new Problem(resource, field, message)));
    }

    /** One problem outside a domain that another failure caused, e.g. a class that could not be loaded. */
    public static DefinitionException of(String resource, String field, String message, Throwable cause) {
        return new DefinitionException(null, List.of(new Problem(resource, field, message)), cause);
    }

    private static String format(String domain, List<Problem> problems) {
        String prefix = domain == null ? "" : "Domain '" + domain + "'";
        if (problems.size() == 1) {
            return prefix.isEmpty() ? problems.get(0).toString() : prefix + ": " + problems.get(0);
        }
        StringBuilder text = new StringBuilder(prefix.isEmpty() ? "The definition" : prefix)
                .append(" has ").append(problems.size()).append(" problems:");
        for (Problem problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }

    /**
     * One thing wrong with a definition.
     *
     * @param resource the resource it concerns ({@code null} for the domain itself)
     * @param field    the attribute, relationship, identity or option it concerns, or {@code null}
     * @param message  what is wrong and how to fix it
     */
    public record Problem(String resource, String field, String message) {
        @Override
        public String toString() {
            String where = resource == null ? "" : "resource '" + resource + "'";
            if (field != null) {
                where += (where.isEmpty() ? "" : ", ") + "'" + field + "'";
            }
            return where.isEmpty() ? message : where + ": " + message;
        }
    }

    /** The argument of a definition, refused when null like {@link QueryException#required}. */
    public static <T> T required(T value, String what) {
        if (value == null) {
            throw of(null, null, QueryException.caller() + " was given null for its " + what + "; give one");
        }
        return value;
    }

    /**
     * The arguments of a definition's varargs or list as a list, refused like {@link #required} when the array or one
     * of its elements is null: {@code ResourceBuilder.draftable was given null for its reset attribute 2; give one}.
     *
     * @param what the argument as the caller's documentation names one of its elements, e.g. "attribute"
     */
    public static <T> List<T> requiredEach(T[] values, String what) {
        required(values, what + "s");
        return requiredEach(java.util.Arrays.asList(values), what);
    }

    /** {@link #requiredEach(Object[], String)} for a list argument. */
    public static <T> List<T> requiredEach(List<T> values, String what) {
        required(values, what + "s");
        int at = QueryException.firstNull(values);
        if (at >= 0) {
            throw of(null, null, QueryException.caller() + " was given null for its " + what + " " + (at + 1)
                    + "; give one, or leave it out");
        }
        return List.copyOf(values);
    }
}
