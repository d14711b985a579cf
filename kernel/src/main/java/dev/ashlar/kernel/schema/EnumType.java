package dev.ashlar.kernel.schema;

import java.util.List;

/**
 * A native enum type a column is stored in ({@code CREATE TYPE name AS ENUM (...)}). It lives in its table's
 * schema, or in every tenant schema for a tenant table; columns of one schema naming one type share it.
 *
 * @param name   the type's name, unqualified
 * @param labels its labels, in their sort order
 */
public record EnumType(String name, List<String> labels) {

    public EnumType {
        labels = List.copyOf(labels);
    }

    /**
     * Whether {@code later} keeps every label of this type in the same order, adding labels at most: all that
     * {@code ALTER TYPE ... ADD VALUE} can do. PostgreSQL can neither remove nor reorder a label.
     */
    public boolean growsInto(EnumType later) {
        int next = 0;
        for (String label : labels) {
            next = later.labels.subList(next, later.labels.size()).indexOf(label);
            if (next < 0) {
                return false;
            }
        }
        return true;
    }
}
