package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Aggregate;

/**
 * One value a grouped read computes for each group ({@code ashlar.read(...).groupBy(...)}): its kind, the field it
 * takes (none for a count), and the name of its value on the group's row.
 */
public record Grouping(Aggregate.Kind kind, String field, String as) {
}
