package dev.ashlar.api.query;

import dev.ashlar.api.error.QueryException;

/**
 * A change the server computes from the stored value, in the update statement itself, so that concurrent updates
 * never lose one another's: {@code ashlar.update(post, Map.of("views", Atomic.add(1)))}, or
 * {@code read("post").where(eq("id", 7)).updateAll(Map.of("stock", Atomic.subtract(2)))}. A stored NULL counts
 * as 0; additions and subtractions take numbers only (integer, bigint, numeric, real and double precision
 * attributes). Any other change the server can compute is an SQL expression over the stored row:
 * {@code Atomic.sql("title || ?", "_draft")}, {@code Atomic.sql("array_append(tags, ?)", "java")},
 * {@code Atomic.sql("published_at + interval '1 day'")}. A field may also take the value of another field of the same
 * record, computed in the statement: a declared calculation or aggregate ({@code Atomic.of("comment_count")}, Ash's
 * {@code atomic_update(:total, expr(count_of_items))}) or an attribute.
 *
 * @param operator {@code +}, {@code -}, or {@code =} for an expression
 * @param amount   the amount, bound as a value of the attribute's type; for {@code =}, the {@link Filter.Sql}, or the
 *                 {@link Filter.Ref} of the field whose value it takes
 */
public record Atomic(String operator, Object amount) {
    public Atomic {
        if (!"+".equals(operator) && !"-".equals(operator) && !("=".equals(operator)
                && (amount instanceof Filter.Sql || amount instanceof Filter.Ref))) {
            throw QueryException.of("An atomic change is an addition (+), a subtraction (-) or an SQL expression "
                    + "(Atomic.sql), not '" + operator + "'");
        }
        if (amount == null) {
            throw QueryException.of("An atomic change needs an amount, e.g. Atomic.add(1)");
        }
    }

    /** The stored value plus {@code amount}. */
    public static Atomic add(Number amount) {
        return new Atomic("+", amount);
    }

    /** The stored value minus {@code amount}. */
    public static Atomic subtract(Number amount) {
        return new Atomic("-", amount);
    }

    /**
     * The value of an SQL expression the server computes from the stored row, in the update statement itself: the
     * row's columns by their names, each {@code ?} bound to its value with the value's own type. The expression is
     * code, as a query is: never build it from input; give input as values.
     */
    public static Atomic sql(String expression, Object... values) {
        return new Atomic("=", Filter.sql(expression, values));
    }

    /**
     * The value of another field of the same record, computed in the update statement itself: a declared calculation
     * or aggregate of the resource, with the tenant and base-filter scopes it is read with
     * ({@code Atomic.of("comment_count")}, Ash's {@code atomic_update(:total, expr(count_of_items))}), an
     * attribute, or a field of the record a path of to-one relationships reaches ({@code Atomic.of("author.name")},
     * null without one). A name that is none of these is refused, naming it. A record being created has no stored row
     * to compute it from, so a create refuses it; an upsert's change takes an attribute only, as stored before it.
     */
    public static Atomic of(String field) {
        return new Atomic("=", Filter.ref(field));
    }

    /** The field whose value the change takes ({@link #of}), or null for any other change. */
    public String field() {
        return amount instanceof Filter.Ref ref ? ref.field() : null;
    }

    /**
     * Whether the server computes the new value from the row ({@link #sql}, {@link #of}) rather than adding to or
     * subtracting from the stored value.
     */
    public boolean expression() {
        return "=".equals(operator);
    }

    /** The same change with the amount converted for the attribute. */
    public Atomic withAmount(Object converted) {
        return new Atomic(operator, converted);
    }
}
