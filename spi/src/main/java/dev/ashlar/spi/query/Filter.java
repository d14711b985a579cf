package dev.ashlar.spi.query;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A filter as a small expression tree. Values are always bound as parameters, never written into SQL.
 *
 * <pre>{@code
 * import static dev.ashlar.spi.query.Filter.*;
 * and(eq("status", "active"), or(gt("rating", 4), isNil("deleted_at")))
 * }</pre>
 */
public sealed interface Filter
        permits Filter.Compare, Filter.In, Filter.IsNil, Filter.Like, Filter.Contains, Filter.And, Filter.Or,
        Filter.Not {

    static Filter eq(String field, Object value) {
        return new Compare(field, Operator.EQ, value);
    }

    static Filter ne(String field, Object value) {
        return new Compare(field, Operator.NE, value);
    }

    static Filter gt(String field, Object value) {
        return new Compare(field, Operator.GT, value);
    }

    static Filter gte(String field, Object value) {
        return new Compare(field, Operator.GTE, value);
    }

    static Filter lt(String field, Object value) {
        return new Compare(field, Operator.LT, value);
    }

    static Filter lte(String field, Object value) {
        return new Compare(field, Operator.LTE, value);
    }

    static Filter in(String field, List<?> values) {
        return new In(field, values);
    }

    static Filter isNil(String field) {
        return new IsNil(field, true);
    }

    static Filter notNil(String field) {
        return new IsNil(field, false);
    }

    /** SQL {@code LIKE}: {@code %} matches any run of characters, {@code _} one character. */
    static Filter like(String field, String pattern) {
        return new Like(field, pattern, false);
    }

    /** Case-insensitive {@link #like}. */
    static Filter ilike(String field, String pattern) {
        return new Like(field, pattern, true);
    }

    /** An array attribute holds the value among its elements. */
    static Filter contains(String field, Object element) {
        return new Contains(field, element);
    }

    static Filter and(Filter... filters) {
        return new And(Arrays.asList(filters));
    }

    static Filter or(Filter... filters) {
        return new Or(Arrays.asList(filters));
    }

    static Filter not(Filter filter) {
        return new Not(filter);
    }

    enum Operator {
        EQ("="), NE("<>"), GT(">"), GTE(">="), LT("<"), LTE("<=");

        private final String sql;

        Operator(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }
    }

    /** {@code field op value}; {@code eq(field, null)} means "is null", as people expect. */
    record Compare(String field, Operator operator, Object value) implements Filter {
        public Compare {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
        }
    }

    record In(String field, List<?> values) implements Filter {
        public In {
            Objects.requireNonNull(field, "field");
            values = List.copyOf(values);
        }
    }

    /** @param nil true for "is null", false for "is not null" */
    record IsNil(String field, boolean nil) implements Filter {
        public IsNil {
            Objects.requireNonNull(field, "field");
        }
    }

    record Like(String field, String pattern, boolean caseInsensitive) implements Filter {
        public Like {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    record Contains(String field, Object element) implements Filter {
        public Contains {
            Objects.requireNonNull(field, "field");
        }
    }

    record And(List<Filter> filters) implements Filter {
        public And {
            filters = List.copyOf(filters);
        }
    }

    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = List.copyOf(filters);
        }
    }

    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }
    }
}
