package dev.ashlar.kernel.inspect;

import dev.ashlar.api.resource.Type;

import java.util.List;

/**
 * One table as the catalog describes it, in the terms of a resource.
 *
 * @param name        the table's name, also the resource's
 * @param columns     its columns in order, without those a {@code belongsTo} declares
 * @param identities  its unique indexes on plain columns, other than the primary key
 * @param belongsTo   its single-column foreign keys to tables of the same schema
 */
public record InspectedTable(String name, List<Column> columns, List<Identity> identities, List<BelongsTo> belongsTo) {

    public InspectedTable {
        columns = List.copyOf(columns);
        identities = List.copyOf(identities);
        belongsTo = List.copyOf(belongsTo);
    }

    /**
     * A column as an attribute.
     *
     * @param javaType    the Java expression of {@code type} in a domain's source
     * @param defaultSql  the column's default expression, or null
     */
    public record Column(String name, Type type, String javaType, boolean notNull, boolean primaryKey,
                         boolean generated, String defaultSql) {
    }

    /** A unique index on plain columns. */
    public record Identity(String name, List<String> columns) {
        public Identity {
            columns = List.copyOf(columns);
        }
    }

    /**
     * A foreign key of one column.
     *
     * @param relationship the relationship's name: the column without its {@code _id}
     * @param destination  the referenced table (its resource)
     */
    public record BelongsTo(String relationship, String column, String destination, boolean notNull) {
    }
}
