package dev.ashlar.spi.plugin;

/**
 * Acts after a create, update or destroy, inside its transaction: a failure here rolls the write
 * back. The tenancy plugin creates a tenant's schema here. When any plugin listens, every single
 * write runs in a transaction.
 */
public interface WriteListener {

    /** Called once per written record, on resources of every kind: check the resource first. */
    void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas);
}
