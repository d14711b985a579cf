package dev.ashlar.spi.plugin;

/**
 * Schema work a plugin may ask for inside the transaction of a write, implemented by the kernel on
 * that transaction's connection, so that it commits or rolls back with the record. Schema names
 * are quoted by the kernel; a plugin validates them first.
 */
public interface SchemaAdmin {

    /** Creates a tenant schema and applies every tenant migration to it. */
    void createTenantSchema(String schema);

    /** Renames a schema. */
    void renameSchema(String from, String to);

    /** Drops a schema and everything in it. */
    void dropSchema(String schema);
}
