package dev.ashlar.spi.schema;

/**
 * The kind of database the migrations are generated for: one PostgreSQL server, or a Citus cluster
 * (detected from the {@code citus} extension, or configured), whose distributed tables need a
 * distribution column in every key and whose tables that tenant tables reference must be reference tables.
 */
public enum Target {
    /** One PostgreSQL server (and its replicas): nothing is distributed. */
    POSTGRESQL,
    /** A Citus coordinator: tenant schemas and tenant-column tables are distributed across workers. */
    CITUS
}
