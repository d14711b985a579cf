package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.internal.BindMarks;
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
     * The column as a read selects it, written with the qualifier: the column, or its {@code readAs} expression named
     * as the column ({@code upper("r0"."email") AS "email"}).
     */
    String selected(String qualifier) {
        String column = qualifier + quoted;
        return attribute.expressions().read() == null ? column : read(qualifier) + " AS " + quoted;
    }

    /** The value a read gives, over the stored row of the qualifier: the column, or its {@code readAs} expression. */
    String read(String qualifier) {
        String column = qualifier + quoted;
        return attribute.expressions().read() == null ? column : "(" + attribute.expressions().read(column) + ")";
    }

    /** The value as a filter or sort over the stored row compares it: {@link #read} as {@link #compared}. */
    String readCompared(String qualifier) {
        return attribute.expressions().read() == null ? compared(qualifier) : codec.compared(read(qualifier));
    }

    /** The SQL that writes a value given as {@code value}: it, or the {@code writeAs} expression around it. */
    String written(String value) {
        return attribute.expressions().write() == null ? value : attribute.expressions().write(value);
    }

    /** Writes the value {@code value} writes, inside the {@code writeAs} expression when the attribute has one. */
    void written(SqlWriter out, Runnable value) {
        String write = attribute.expressions().write();
        if (write == null) {
            value.run();
            return;
        }
        int mark = BindMarks.of(write).get(0);
        out.append(write.substring(0, mark));
        value.run();
        out.append(write.substring(mark + 1));
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
