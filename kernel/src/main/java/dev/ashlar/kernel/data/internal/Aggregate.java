package dev.ashlar.kernel.data.internal;

/** An aggregate of one attribute over the rows a read selects. */
public enum Aggregate {
    SUM("sum"), MIN("min"), MAX("max"), AVG("avg");

    private final String function;

    Aggregate(String function) {
        this.function = function;
    }

    /** The SQL function. */
    String function() {
        return function;
    }

    /** Whether the result is a value of the attribute (read like one), rather than a number PostgreSQL computes. */
    boolean keepsType() {
        return this == MIN || this == MAX;
    }
}
