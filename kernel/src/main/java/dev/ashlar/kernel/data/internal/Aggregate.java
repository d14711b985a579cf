package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.util.Set;

/** An aggregate of one attribute over the rows a read selects. */
public enum Aggregate {
    SUM("sum"), MIN("min"), MAX("max"), AVG("avg"), COUNT_DISTINCT("count");

    /** Types PostgreSQL has no min or max aggregate for ("function max(uuid) does not exist"). */
    private static final Set<String> UNORDERED = Set.of("uuid", "boolean", "bytea", "json", "jsonb", "int4range",
            "int8range", "numrange", "daterange", "tsrange", "tstzrange");

    private final String function;

    Aggregate(String function) {
        this.function = function;
    }

    /** The SQL function. */
    String function() {
        return function;
    }

    /** The SQL that aggregates {@code argument}: {@code count(DISTINCT "author_id")} counts the different values. */
    String call(String argument) {
        return function + (this == COUNT_DISTINCT ? "(DISTINCT " : "(") + argument + ")";
    }

    /** Whether the attribute must be a number ({@code sum}, {@code avg}). */
    boolean needsNumber() {
        return this == SUM || this == AVG;
    }

    /** Whether the result is a value of the attribute (read like one), rather than a number PostgreSQL computes. */
    boolean keepsType() {
        return this == MIN || this == MAX;
    }

    /**
     * Refuses the least or greatest value ({@code name}, "min" or "max") of a column whose type PostgreSQL has no
     * {@code min}/{@code max} for, naming the field and the read that gives the value instead.
     */
    static void requireOrdered(String name, String resource, String field, ColumnPlan column) {
        if (UNORDERED.contains(column.codec().castType())) {
            throw unordered(name, resource, field, column);
        }
    }

    /**
     * The refusal of {@link #requireOrdered}, also for a column of a migration type that only the server knows has no
     * {@code min}/{@code max} ({@code ltree}).
     */
    static QueryException unordered(String name, String resource, String field, ColumnPlan column) {
        return QueryException.of(resource, field, name + "(\"" + field + "\") of " + resource + ": PostgreSQL has no "
                + name + " of a " + column.codec().castType() + " attribute; read the first row sorted by it instead, "
                + ".sort(Sort." + (name.equals("max") ? "desc" : "asc") + "(\"" + field + "\")).first()");
    }
}
