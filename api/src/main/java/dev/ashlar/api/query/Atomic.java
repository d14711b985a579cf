package dev.ashlar.api.query;

import dev.ashlar.api.error.QueryException;

/**
 * A change the server computes from the stored value, in the update statement itself, so that concurrent updates
 * never lose one another's: {@code ashlar.update(post, Map.of("views", Atomic.add(1)))}, or
 * {@code read("post").where(eq("id", 7)).updateAll(Map.of("stock", Atomic.subtract(2)))}. A stored NULL counts
 * as 0. Numbers only (integer, bigint, numeric, real and double precision attributes).
 *
 * @param operator {@code +} or {@code -}
 * @param amount   the amount, bound as a value of the attribute's type
 */
public record Atomic(String operator, Object amount) {
    public Atomic {
        if (!"+".equals(operator) && !"-".equals(operator)) {
            throw QueryException.of("An atomic change is an addition (+) or a subtraction (-), not '" + operator + "'");
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

    /** The same change with the amount converted for the attribute. */
    public Atomic withAmount(Object converted) {
        return new Atomic(operator, converted);
    }
}
