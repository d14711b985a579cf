package dev.ashlar.api.internal;

/**
 * A step of a relationship path that names another resource rather than a relationship, {@code "@profile"} (Ash's
 * unrelated aggregates and {@code exists(Profile, ...)}): every record of that resource, in its scope, related to the
 * record the path starts from by the filter alone, which compares with it through {@code parent(...)}.
 */
public final class Unrelated {
    /** The mark a resource's name starts with where a relationship's name would stand. */
    public static final String MARK = "@";

    private Unrelated() {
    }

    /** The resource a step names, or {@code null} when the step is a relationship's name. */
    public static String resource(String step) {
        return step != null && step.startsWith(MARK) ? step.substring(MARK.length()) : null;
    }
}
