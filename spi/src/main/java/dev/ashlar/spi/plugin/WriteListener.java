package dev.ashlar.spi.plugin;

/**
 * Acts after a create, update or destroy, inside its transaction: a failure here rolls the write
 * back. The tenancy plugin creates a tenant's schema here. Writes of a resource that a listener
 * watches run in a transaction with it; writes of other resources pay nothing.
 */
public interface WriteListener {

    /** Whether this listener acts on writes of the resource; asked once per resource. All of them by default. */
    default boolean watches(dev.ashlar.api.resource.Resource resource) {
        return true;
    }

    /** Called once per written record of a resource it {@link #watches}. */
    void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas);
}
