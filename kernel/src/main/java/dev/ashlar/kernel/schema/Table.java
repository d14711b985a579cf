package dev.ashlar.kernel.schema;

import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.api.sql.Identifiers;

import java.util.List;
import java.util.Optional;

/**
 * A table as the database should have it: its columns, primary key, and the objects the kernel and
 * plugins put on it.
 *
 * @param schema   the schema for {@link Scope#MAIN} tables; {@code null} for tenant tables, which live in each tenant's
 * @param resource the resource it stores
 * @param options  SQL written after {@code CREATE TABLE (...)}, e.g. {@code PARTITION BY RANGE (id)}, or {@code null}
 */
public record Table(Scope scope, String schema, String name, String resource, List<Column> columns,
                    List<String> primaryKey, List<SchemaObject> objects, String options) {

    public Table {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        objects = List.copyOf(objects);
    }

    /** Whether the table is created partitioned ({@code PARTITION BY ...} in its options). */
    public boolean partitioned() {
        return options != null && options.strip().regionMatches(true, 0, "PARTITION BY", 0, 12);
    }

    /** A table created without options. */
    public Table(Scope scope, String schema, String name, String resource, List<Column> columns,
                 List<String> primaryKey, List<SchemaObject> objects) {
        this(scope, schema, name, resource, columns, primaryKey, objects, null);
    }

    /**
     * The table's key in a schema model, as snapshots write it: {@code schema.table} for main tables,
     * {@code table} for tenant ones.
     */
    public String key() {
        return objectKey().toString();
    }

    /** The key of the table itself, which an object depending on its primary key names. */
    public ObjectKey objectKey() {
        return ObjectKey.ofTable(scope, schema, name);
    }

    /** The key of an object on the table. */
    public ObjectKey objectKey(SchemaObject object) {
        return objectKey().on(object.name());
    }

    /** The quoted name as SQL: qualified for main tables, bare for tenant tables. */
    public String sql() {
        return Identifiers.qualify(scope == Scope.MAIN ? schema : null, name);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public Optional<SchemaObject> object(String objectName) {
        return objects.stream().filter(o -> o.name().equals(objectName)).findFirst();
    }

    public Table withName(String newName) {
        return new Table(scope, schema, newName, resource, columns, primaryKey, objects, options);
    }

    /** The same table under another schema (main tables) and name. */
    public Table movedTo(String newSchema, String newName) {
        return new Table(scope, newSchema, newName, resource, columns, primaryKey, objects, options);
    }

    public Table withColumns(List<Column> newColumns) {
        return new Table(scope, schema, name, resource, newColumns, primaryKey, objects, options);
    }
}
