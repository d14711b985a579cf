package dev.ashlar.api.error;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * A query, a read of a row or an action was malformed: an unknown field, a value of the wrong type, a
 * relationship that was not loaded, a missing tenant (code {@link ErrorCode#INVALID_QUERY}). The
 * message names what is wrong and what to write instead.
 *
 * <pre>{@code
 * throw QueryException.of("post", "titel", "Resource 'post' has no attribute 'titel'; its attributes are [id, title]");
 * }</pre>
 */
public class QueryException extends AshlarException {
    private static final long serialVersionUID = 1L;

    private QueryException(String resource, String field, String message, Throwable cause) {
        this(resource, field, message, null, cause);
    }

    private QueryException(String resource, String field, String message, String sqlState, Throwable cause) {
        super(ErrorCode.INVALID_QUERY, message, resource, field, sqlState, cause);
    }

    /** A malformed query that concerns no one resource. */
    public static QueryException of(String message) {
        return new QueryException(null, null, message, null);
    }

    /** A malformed query that concerns no one resource, caused by another failure. */
    public static QueryException of(String message, Throwable cause) {
        return new QueryException(null, null, message, cause);
    }

    /**
     * A malformed query on a resource.
     *
     * @param resource the resource queried
     * @param field    the attribute, relationship or identity at fault, or {@code null} when the query as a whole is
     */
    public static QueryException of(String resource, String field, String message) {
        return new QueryException(resource, field, message, null);
    }

    /** The same, caused by another failure, e.g. a record type whose constructor threw. */
    public static QueryException of(String resource, String field, String message, Throwable cause) {
        return new QueryException(resource, field, message, cause);
    }

    /**
     * The same, for a statement the server refused as written (SQL written by hand that cannot run), keeping the
     * server's SQL state.
     *
     * @param sqlState the SQL state of the database error behind it
     */
    public static QueryException fromServer(String resource, String field, String message, String sqlState,
                                            Throwable cause) {
        return new QueryException(resource, field, message, sqlState, cause);
    }

    /**
     * The argument, refused when it is null with a message that names the call and the argument: {@code
     * Filter.eq was given null for its field}, instead of a bare {@link NullPointerException}.
     *
     * @param what the argument as the caller's documentation names it, e.g. "field"
     */
    public static <T> T required(T value, String what) {
        if (value == null) {
            throw of(null, null, caller() + " was given null for its " + what + "; give one");
        }
        return value;
    }

    /**
     * The arguments of a varargs parameter as a list, refused like {@link #required} when the array or one of its
     * elements is null: {@code Read.distinct was given null for its field 2; give one, or leave it out}.
     *
     * @param what the argument as the caller's documentation names one of its elements, e.g. "field"
     */
    public static <T> List<T> requiredEach(T[] values, String what) {
        required(values, what + "s");
        int at = firstNull(Arrays.asList(values));
        if (at >= 0) {
            throw of(null, null, caller() + " was given null for its " + what + " " + (at + 1) + "; give one, or "
                    + "leave it out");
        }
        return List.of(values);
    }

    /** The index of the first null in the list, or -1 when it holds none. */
    static int firstNull(List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The public call that passed the null: the first frame outside this class that is a public method, not a
     * constructor, a lambda or a private step such as {@code ResourceBuilder.configure}, which the user never called.
     */
    static String caller() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> f.getDeclaringClass() != QueryException.class
                        && f.getDeclaringClass() != DefinitionException.class)
                .filter(f -> !f.getMethodName().equals("<init>") && isPublic(f))
                .findFirst()
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1).replace('$', '.')
                        + "." + f.getMethodName())
                .orElse("A call"));
    }

    private static boolean isPublic(StackWalker.StackFrame frame) {
        try {
            return Modifier.isPublic(frame.getDeclaringClass().getDeclaredMethod(frame.getMethodName(),
                    frame.getMethodType().parameterArray()).getModifiers());
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }
}
