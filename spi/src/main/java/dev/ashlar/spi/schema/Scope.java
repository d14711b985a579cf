package dev.ashlar.spi.schema;

/** Where a resource's table lives. */
public enum Scope {
    /** In its own schema ({@code public} unless the resource names one); migrations in {@code migrations/}. */
    MAIN,
    /** In every tenant schema, never in the main one; migrations in {@code tenant_migrations/}. */
    TENANT
}
