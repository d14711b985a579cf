package dev.ashlar.api.internal;

import dev.ashlar.api.sql.Identifiers;

/**
 * The rule for the names of a resource's fields (attributes, relationships, aggregates and calculations): each is an
 * identifier PostgreSQL keeps whole, and none holds a dot, since a dotted field in a filter or sort is a path
 * ({@code "author.name"}, {@code "bio.title"}) and a field named with one could never be reached.
 */
public final class FieldNames {
    private FieldNames() {
    }

    /** Why the name cannot name a field, completing a sentence that starts with it, or {@code null} when it can. */
    public static String problem(String name) {
        String problem = Identifiers.problem(name);
        if (problem == null && name.indexOf('.') >= 0) {
            return "contains '.', which separates the steps of a path in filters and sorts ('author.name'), so the "
                    + "field could never be named: use '_' instead";
        }
        return problem;
    }
}
