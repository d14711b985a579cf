package dev.ashlar.kernel.inspect;

import dev.ashlar.api.resource.Type;

import java.util.List;

/**
 * One table as the catalog describes it, in the terms of a resource and its plugin sections.
 *
 * @param name        the table's name, also the resource's
 * @param columns     its columns in order, without those a {@code belongsTo} declares
 * @param identities  its unique indexes on plain columns named {@code <table>_<identity>_index}, other than the
 *                    primary key
 * @param belongsTo   its foreign keys to tables of the same schema, one relationship each
 * @param checks      its check constraints (the checks section)
 * @param indexes     its other indexes: plain, unique under another name, partial, expression, covering (the
 *                    indexes section)
 * @param notes       what the catalog has that no resource can say, one line each; the source carries them as
 *                    comments so that nothing is dropped silently
 */
public record InspectedTable(String name, List<Column> columns, List<Identity> identities, List<BelongsTo> belongsTo,
                             List<Check> checks, List<Index> indexes, List<String> notes) {

    public InspectedTable {
        columns = List.copyOf(columns);
        identities = List.copyOf(identities);
        belongsTo = List.copyOf(belongsTo);
        checks = List.copyOf(checks);
        indexes = List.copyOf(indexes);
        notes = List.copyOf(notes);
    }

    /**
     * A column as an attribute.
     *
     * @param javaType    the Java expression of {@code type} in a domain's source
     * @param defaultSql  the column's default expression, or null
     * @param identityStart     an identity's first value (1 for PostgreSQL's default, and for no identity)
     * @param identityIncrement an identity's step (1 for PostgreSQL's default, and for no identity)
     */
    public record Column(String name, Type type, String javaType, boolean notNull, boolean primaryKey,
                         boolean generated, String defaultSql, long identityStart, long identityIncrement) {

        /** A column that is no identity, or one numbered from 1 by 1. */
        public Column(String name, Type type, String javaType, boolean notNull, boolean primaryKey,
                      boolean generated, String defaultSql) {
            this(name, type, javaType, notNull, primaryKey, generated, defaultSql, 1, 1);
        }

        /** Whether the column is an identity numbered otherwise than from 1 by 1. */
        public boolean renumbered() {
            return generated && (identityStart != 1 || identityIncrement != 1);
        }
    }

    /**
     * A unique index or UNIQUE constraint on plain columns.
     *
     * @param indexName     the index's name when it is not the one Ashlar gives ({@code <table>_<name>_index}), or null
     * @param where         the partial index's predicate, or null
     * @param nullsDistinct false for {@code NULLS NOT DISTINCT}
     * @param skipIndex     true for a UNIQUE constraint, which enforces it in place of an index Ashlar would create
     */
    public record Identity(String name, List<String> columns, String indexName, String where, boolean nullsDistinct,
                           boolean skipIndex) {
        public Identity {
            columns = List.copyOf(columns);
        }
    }

    /**
     * A foreign key, as a belongs-to relationship on its first column that is not part of the primary key.
     *
     * @param relationship       the relationship's name: the column without its {@code _id}
     * @param destination        the referenced table (its resource)
     * @param destinationColumn  the column it references, or null for the destination's primary key
     * @param matchWith          the key's other columns, each with the column it references
     * @param key                the key's name and actions
     */
    public record BelongsTo(String relationship, String column, String destination, boolean notNull,
                            String destinationColumn, List<ColumnPair> matchWith, KeyOptions key) {
        public BelongsTo {
            matchWith = List.copyOf(matchWith);
        }
    }

    /** A column of a composite key and the column of the referenced table it equals. */
    public record ColumnPair(String column, String referenced) {
    }

    /**
     * What a foreign key does beyond referencing, in the words of the references section.
     *
     * @param name              the constraint's name
     * @param defaultName       whether that is the name Ashlar would give it
     * @param onDelete          {@code NOTHING}, {@code RESTRICT}, {@code DELETE} or {@code NILIFY}
     * @param nilifyColumns     the columns {@code ON DELETE SET NULL (columns)} sets, or empty for all
     * @param onUpdate          {@code NOTHING}, {@code RESTRICT}, {@code UPDATE} or {@code NILIFY}
     * @param matchFull         whether it is {@code MATCH FULL}
     */
    public record KeyOptions(String name, boolean defaultName, String onDelete, List<String> nilifyColumns,
                             String onUpdate, boolean deferrable, boolean initiallyDeferred, boolean matchFull) {
        public KeyOptions {
            nilifyColumns = List.copyOf(nilifyColumns);
        }

        /** Whether every option is PostgreSQL's default and the name Ashlar's, so no section entry is needed. */
        public boolean defaults() {
            return defaultName && "NOTHING".equals(onDelete) && "NOTHING".equals(onUpdate) && !deferrable
                    && !initiallyDeferred && !matchFull;
        }
    }

    /**
     * A check constraint.
     *
     * @param check       its name in the checks section
     * @param constraint  its name in the database, or null when Ashlar's default names it
     * @param expression  its condition, as PostgreSQL prints it
     */
    public record Check(String check, String constraint, String expression) {
    }

    /**
     * An index for the indexes section.
     *
     * @param fields        key columns by name, expressions as PostgreSQL prints them
     * @param where         the predicate of a partial index, or null
     * @param using         the access method when it is not btree, or null
     * @param include       the columns stored beside the key
     */
    public record Index(String name, List<String> fields, boolean unique, String where, String using,
                        List<String> include, boolean nullsDistinct) {
        public Index {
            fields = List.copyOf(fields);
            include = List.copyOf(include);
        }
    }
}
