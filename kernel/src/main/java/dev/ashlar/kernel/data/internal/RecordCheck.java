package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Policy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A create policy's condition checked on a record in hand, before it is written: comparisons of a field with a value,
 * {@code in}, {@code isNil}, {@code and}, {@code or} and {@code not}. A field a record leaves out is null; for the
 * changes of an update ({@code partial}) it is unknown, so only the fields they give can fail the check.
 */
final class RecordCheck {
    enum Result { TRUE, FALSE, UNKNOWN }

    private RecordCheck() {
    }

    static Result of(Filter condition, Map<String, ?> record, String resource, boolean partial) {
        if (condition.equals(Policy.ANY_ROW)) {
            return Result.TRUE;
        }
        if (condition instanceof Filter.And and) {
            return combined(and.filters(), Result.FALSE, record, resource, partial);
        }
        if (condition instanceof Filter.Or or) {
            return combined(or.filters(), Result.TRUE, record, resource, partial);
        }
        if (condition instanceof Filter.Not not) {
            Result inner = of(not.filter(), record, resource, partial);
            return inner == Result.UNKNOWN ? inner : inner == Result.TRUE ? Result.FALSE : Result.TRUE;
        }
        String field = field(condition, resource);
        if (partial && !record.containsKey(field)) {
            return Result.UNKNOWN;
        }
        return known(leaf(condition, record.get(field)));
    }

    /**
     * {@code and} ({@code decisive} FALSE) or {@code or} ({@code decisive} TRUE) of the parts, as SQL's three-valued
     * logic: one decisive part decides, else one unknown part leaves it unknown.
     */
    private static Result combined(List<Filter> parts, Result decisive, Map<String, ?> record, String resource,
                                   boolean partial) {
        Result combined = decisive == Result.FALSE ? Result.TRUE : Result.FALSE;
        for (Filter part : parts) {
            Result one = of(part, record, resource, partial);
            if (one == decisive) {
                return decisive;
            }
            combined = one == Result.UNKNOWN ? one : combined;
        }
        return combined;
    }

    private static String field(Filter condition, String resource) {
        if (condition instanceof Filter.Compare compare && !(compare.value() instanceof Filter.Ref)
                && !(compare.value() instanceof Filter.Parent) && !(compare.value() instanceof Filter.Incoming)) {
            return compare.field();
        }
        if (condition instanceof Filter.In in) {
            return in.field();
        }
        if (condition instanceof Filter.IsNil nil) {
            return nil.field();
        }
        throw QueryException.of(resource, null, "The create policy of " + resource + " gives " + condition
                + ", which a record in hand cannot be checked against: write it with comparisons of a field with a "
                + "value, in, isNil, and, or and not");
    }

    private static boolean leaf(Filter condition, Object value) {
        if (condition instanceof Filter.IsNil nil) {
            return (value == null) == nil.nil();
        }
        if (condition instanceof Filter.In in) {
            return value != null && !(value instanceof Atomic) && in.values().stream().anyMatch(v -> compare(value, v) == 0);
        }
        if (value instanceof Atomic) {
            return false;   // computed by the server: its value is not known here, so it cannot be shown to hold
        }
        Filter.Compare compare = (Filter.Compare) condition;
        if (value == null || compare.value() == null) {
            return false;   // as SQL: a comparison with null holds for no row
        }
        int order = compare(value, compare.value());
        return switch (compare.operator()) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GTE -> order >= 0;
            case LT -> order < 0;
            case LTE -> order <= 0;
        };
    }

    /** Numbers by value (a record's 7 and an actor's 7L are one), the rest by equality or as text. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (Objects.equals(a, b)) {
            return 0;
        }
        if (a instanceof Comparable c && a.getClass() == b.getClass()) {
            return c.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    private static Result known(boolean holds) {
        return holds ? Result.TRUE : Result.FALSE;
    }
}
