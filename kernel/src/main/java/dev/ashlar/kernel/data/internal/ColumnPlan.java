package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.resource.Attribute;

/**
 * One attribute as the data layer uses it, worked out once per resource.
 *
 * @param quoted    the column name, quoted
 * @param codec     how its values move
 * @param listCodec the same values as one bound array, for {@code in} filters and bulk writes
 */
record ColumnPlan(Attribute attribute, String quoted, Codec codec, ArrayCodec listCodec) {

    /** The attribute's name, as rows, records and queries use it; {@link #quoted()} is its column's. */
    String name() {
        return attribute.name();
    }

    /**
     * The column as it is compared, sorted and grouped, written with the qualifier ({@code "r1".} or empty):
     * {@code "payload"::jsonb} for JSON stored as {@code json}, which has no equality or ordering operator.
     */
    String compared(String qualifier) {
        // Without a qualifier the quoted name as it is: a concatenation would make a string for every comparison.
        return codec.compared(qualifier.isEmpty() ? quoted : qualifier + quoted);
    }

    /**
     * A resource's plan makes each of its columns once, so a column is equal only to itself: columns key the maps of
     * every write, and the record's own hash would walk the whole attribute on each of them.
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
