package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Refuses a filter nested deeper than {@link #MAX_DEPTH} groups ({@code and}, {@code or}, {@code not},
 * {@code exists}, {@code count}) before anything walks it recursively: the cache key, the renderer
 * and the server's own parser would otherwise run out of stack. Measured here without recursion.
 */
final class FilterDepth {
    /** The deepest nesting of groups a filter may have. */
    static final int MAX_DEPTH = 100;

    private record Level(Filter filter, int depth) {
    }

    private FilterDepth() {
    }

    static void check(Query query) {
        int depth = of(query.filter());
        if (depth > MAX_DEPTH) {
            throw QueryException.of(query.resource(), null, "The filter of this " + query.resource()
                    + " query nests and/or/not/exists/count more than " + MAX_DEPTH + " levels deep (at least "
                    + depth + "); flatten it: and(a, b, c) takes any number of filters, and in(field, values) "
                    + "replaces a chain of or(eq(...), ...)");
        }
    }

    /** The deepest nesting of groups in the filter, counted up to one past the limit. */
    static int of(Filter filter) {
        if (filter == null || children(filter) == null) {
            return 0;   // no filter or one comparison, as a read by key has: nothing to walk
        }
        int deepest = 0;
        Deque<Level> pending = new ArrayDeque<>();
        pending.push(new Level(filter, 0));
        while (!pending.isEmpty() && deepest <= MAX_DEPTH) {
            Level level = pending.pop();
            List<Filter> children = children(level.filter());
            if (children == null) {
                continue;
            }
            int depth = level.depth() + 1;
            deepest = Math.max(deepest, depth);
            for (Filter child : children) {
                if (child != null) {
                    pending.push(new Level(child, depth));
                }
            }
        }
        return deepest;
    }

    /** The filters a group holds, or {@code null} for a comparison. */
    private static List<Filter> children(Filter filter) {
        if (filter instanceof Filter.And and) {
            return and.filters();
        }
        if (filter instanceof Filter.Or or) {
            return or.filters();
        }
        if (filter instanceof Filter.Not not) {
            return List.of(not.filter());
        }
        if (filter instanceof Filter.Raise raise) {
            return raise.when() == null ? List.of() : List.of(raise.when());
        }
        if (filter instanceof Filter.Exists exists) {
            return exists.filter() == null ? List.of() : List.of(exists.filter());
        }
        if (filter instanceof Filter.Count count) {
            return count.filter() == null ? List.of() : List.of(count.filter());
        }
        return null;
    }
}
