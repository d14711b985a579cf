package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Where a filter reaches through relationships: dotted fields, {@code exists} and {@code count}. */
final class FilterPaths {
    private FilterPaths() {
    }

    /** Whether any part of the filter may go through a relationship: a dotted field may instead be a JSON path. */
    static boolean reachesOut(Filter filter) {
        boolean[] found = {false};
        visit(filter, name -> false, (path, inner) -> found[0] = true);
        return found[0];
    }

    /**
     * Whether the filter compares with a field of the record it is followed from: a {@link Filter.Parent} that looks
     * above the filter itself (one level per enclosing {@code exists} or {@code count}; a dotted field adds none).
     */
    static boolean namesParent(Filter filter) {
        return namesParent(filter, 0);
    }

    /** Whether a sort key is an expression that compares with the parent record ({@link #namesParent}). */
    static boolean sortsByParent(List<Sort> sorts) {
        return sorts.stream().anyMatch(sort -> sort.byExpression() && namesParent(sort.expression()));
    }

    private static boolean namesParent(Filter filter, int depth) {
        if (filter instanceof Filter.And and) {
            return and.filters().stream().anyMatch(f -> namesParent(f, depth));
        } else if (filter instanceof Filter.Or or) {
            return or.filters().stream().anyMatch(f -> namesParent(f, depth));
        } else if (filter instanceof Filter.Not not) {
            return namesParent(not.filter(), depth);
        } else if (filter instanceof Filter.Raise raise) {
            return raise.when() != null && namesParent(raise.when(), depth);
        } else if (filter instanceof Filter.Exists exists) {
            return namesParent(exists.filter(), depth + 1);
        } else if (filter instanceof Filter.Count count) {
            return namesParent(count.filter(), depth + 1);
        }
        return filter instanceof Filter.Compare compare && compare.value() instanceof Filter.Parent parent
                && parent.levels() > depth;
    }

    /**
     * Calls back with each relationship path the filter uses at its top level (not inside another
     * path's filter) and the filter over that path's destination, or {@code null}; for a dotted field, its first
     * relationship and the condition on the rest of the path. A dotted field whose first name is an attribute is a
     * path inside JSON (see {@link JsonPath}), not through a relationship.
     *
     * @param attribute whether a name is an attribute of the filter's resource
     */
    static void visit(Filter filter, Predicate<String> attribute, BiConsumer<String, Filter> visitor) {
        if (filter == null) {
            return;
        }
        if (filter instanceof Filter.Exists exists) {
            visitor.accept(exists.relationship(), exists.filter());
        } else if (filter instanceof Filter.Count count) {
            visitor.accept(count.relationship(), count.filter());
        } else if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> visit(f, attribute, visitor));
        } else if (filter instanceof Filter.Or or) {
            or.filters().forEach(f -> visit(f, attribute, visitor));
        } else if (filter instanceof Filter.Not not) {
            visit(not.filter(), attribute, visitor);
        } else if (filter instanceof Filter.Raise raise) {
            visit(raise.when(), attribute, visitor);
        } else {
            Filter.Exists through = throughRef(filter, attribute);
            if (through != null) {
                visitor.accept(through.relationship(), through.filter());
                return;
            }
            String field = field(filter);
            int dot = field.indexOf('.');
            if (dot > 0 && !attribute.test(field.substring(0, dot))) {
                visitor.accept(field.substring(0, dot), withField(filter, field.substring(dot + 1)));
            }
        }
    }

    /**
     * A field compared with a related record's field, {@code eq("title", ref("comments.title"))}, as Ash reads
     * {@code title == comments.title}: some related record's field compares so, {@code exists("comments",
     * eq("title", parent("title")))}, the comparison turned round to keep its meaning ({@code gt} becomes {@code lt}).
     * Returns {@code null} for any other filter, and for a field that is itself a path (compared in its own
     * relationship's scope, as before).
     */
    static Filter.Exists throughRef(Filter filter, Predicate<String> attribute) {
        if (!(filter instanceof Filter.Compare compare) || !(compare.value() instanceof Filter.Ref ref)
                || compare.field().indexOf('.') >= 0) {
            return null;
        }
        int dot = ref.field().indexOf('.');
        if (dot <= 0 || attribute.test(ref.field().substring(0, dot))) {
            return null;
        }
        return new Filter.Exists(ref.field().substring(0, dot), new Filter.Compare(ref.field().substring(dot + 1),
                turnedRound(compare.operator()), new Filter.Parent(compare.field(), 1)));
    }

    /** The comparison with its sides swapped, the operator turned round to keep its meaning. */
    static Filter.Compare turnedRound(Filter.Compare compare) {
        return new Filter.Compare(compare.field(), turnedRound(compare.operator()), compare.value());
    }

    private static Filter.Operator turnedRound(Filter.Operator operator) {
        return switch (operator) {
            case EQ, NE -> operator;
            case GT -> Filter.Operator.LT;
            case GTE -> Filter.Operator.LTE;
            case LT -> Filter.Operator.GT;
            case LTE -> Filter.Operator.GTE;
        };
    }

    /** Calls back with each field the filter's conditions name at its top level without a path. */
    static void fields(Filter filter, Consumer<String> visitor) {
        if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> fields(f, visitor));
        } else if (filter instanceof Filter.Or or) {
            or.filters().forEach(f -> fields(f, visitor));
        } else if (filter instanceof Filter.Not not) {
            fields(not.filter(), visitor);
        } else if (filter instanceof Filter.Raise raise) {
            fields(raise.when(), visitor);
        } else if (filter instanceof Filter.RowIn row) {
            row.fields().stream().filter(field -> field.indexOf('.') < 0).forEach(visitor);
        } else if (filter != null && !(filter instanceof Filter.Exists) && !(filter instanceof Filter.Count)) {
            String field = field(filter);
            if (!field.isEmpty() && field.indexOf('.') < 0) {
                visitor.accept(field);
            }
        }
    }

    /** The field of a leaf filter (a comparison, in, nil, like, contains, a range's, a path's, an array's or a search's). */
    static String field(Filter leaf) {
        if (leaf instanceof Filter.Compare compare) {
            return compare.field();
        } else if (leaf instanceof Filter.In in) {
            return in.field();
        } else if (leaf instanceof Filter.IsNil isNil) {
            return isNil.field();
        } else if (leaf instanceof Filter.Like like) {
            return like.field();
        } else if (leaf instanceof Filter.Contains contains) {
            return contains.field();
        } else if (leaf instanceof Filter.RangeCompare range) {
            return range.field();
        } else if (leaf instanceof Filter.PathCompare path) {
            return path.field();
        } else if (leaf instanceof Filter.ArrayCompare array) {
            return array.field();
        } else if (leaf instanceof Filter.TextSearch search) {
            return search.field();
        } else if (leaf instanceof Filter.Sql || leaf instanceof Filter.RowIn) {
            // Hand-written SQL names no field; a row names several of the record's own, none through a path.
            return "";
        }
        throw new IllegalArgumentException("not a leaf filter: " + leaf);
    }

    /** A leaf filter on another field, e.g. the rest of a dotted path. */
    static Filter withField(Filter leaf, String field) {
        if (leaf instanceof Filter.Compare compare) {
            return new Filter.Compare(field, compare.operator(), compare.value());
        } else if (leaf instanceof Filter.In in) {
            return new Filter.In(field, in.values());
        } else if (leaf instanceof Filter.IsNil isNil) {
            return new Filter.IsNil(field, isNil.nil());
        } else if (leaf instanceof Filter.Like like) {
            return new Filter.Like(field, like.pattern(), like.caseInsensitive());
        } else if (leaf instanceof Filter.Contains contains) {
            return new Filter.Contains(field, contains.element());
        } else if (leaf instanceof Filter.RangeCompare range) {
            return new Filter.RangeCompare(field, range.operator(), range.range());
        } else if (leaf instanceof Filter.PathCompare path) {
            return new Filter.PathCompare(field, path.operator(), path.path());
        } else if (leaf instanceof Filter.ArrayCompare array) {
            return new Filter.ArrayCompare(field, array.operator(), array.values());
        } else if (leaf instanceof Filter.TextSearch search) {
            return new Filter.TextSearch(field, search.config(), search.search(), search.plain());
        }
        throw new IllegalArgumentException("not a leaf filter: " + leaf);
    }
}
