package dev.ashlar.spi.schema;

import java.util.Objects;

/**
 * Which object another one depends on: a table (its primary key) or a named object on a table, such
 * as an identity's unique index. A plugin gets keys from {@link SchemaContext#objectKey} and
 * {@link SchemaContext#uniqueKeyObject} and hands them to {@link SchemaObject.Builder#dependsOn}; it
 * never writes one by hand.
 *
 * <p>A snapshot stores a key as text: {@code public.posts} for a main table, {@code posts} for a
 * tenant table, followed by {@code /posts_slug_index} for an object on it ({@link #toString()},
 * {@link #parse}). Two keys are equal when their texts are: a schema name may hold a dot, so the text
 * read back from a snapshot cannot always be split into the same parts it was written from.
 *
 * @param schema the schema of a main table; {@code null} for a tenant table, which lives in every tenant's schema
 * @param table  the table's name
 * @param object the object's name on the table; {@code null} for the table itself
 */
public record ObjectKey(String schema, String table, String object) {

    public ObjectKey {
        Objects.requireNonNull(table, "table");
    }

    /** The key of a table: its primary key, which a foreign key may depend on. */
    public static ObjectKey ofTable(Scope scope, String schema, String table) {
        return new ObjectKey(scope == Scope.MAIN ? schema : null, table, null);
    }

    /** The key of an object on this key's table. */
    public ObjectKey on(String objectName) {
        return new ObjectKey(schema, table, Objects.requireNonNull(objectName, "objectName"));
    }

    /** The key of the table this key names or sits on. */
    public ObjectKey tableKey() {
        return object == null ? this : new ObjectKey(schema, table, null);
    }

    /**
     * Reads a key in its snapshot form: {@code schema.table} or {@code table}, either followed by {@code /object}
     * for an object on the table.
     */
    public static ObjectKey parse(String text) {
        int slash = text.indexOf('/');
        String tablePart = slash < 0 ? text : text.substring(0, slash);
        String object = slash < 0 ? null : text.substring(slash + 1);
        int dot = tablePart.indexOf('.');
        return dot < 0 ? new ObjectKey(null, tablePart, object)
                : new ObjectKey(tablePart.substring(0, dot), tablePart.substring(dot + 1), object);
    }

    /** The snapshot form, e.g. {@code public.comments/comments_post_id_fkey}; also what messages show. */
    @Override
    public String toString() {
        String tableText = schema == null ? table : schema + "." + table;
        return object == null ? tableText : tableText + "/" + object;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectKey key && key.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
