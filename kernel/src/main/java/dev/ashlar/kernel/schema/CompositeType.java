package dev.ashlar.kernel.schema;

import java.util.List;

/**
 * A composite type a column is stored in ({@code CREATE TYPE name AS (amount numeric, currency text)}). It lives in
 * its table's schema, or in every tenant schema for a tenant table; columns of one schema naming one type share it.
 *
 * @param name   the type's name, unqualified
 * @param fields its fields, in order
 */
public record CompositeType(String name, List<Field> fields) {

    public CompositeType {
        fields = List.copyOf(fields);
    }

    /**
     * One field of the type.
     *
     * @param name its name
     * @param type its PostgreSQL type as written in DDL, e.g. {@code numeric(12,2)}
     */
    public record Field(String name, String type) {
    }

    /** The field of that name, or null. */
    public Field field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst().orElse(null);
    }
}
