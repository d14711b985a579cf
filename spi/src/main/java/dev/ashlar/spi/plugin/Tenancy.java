package dev.ashlar.spi.plugin;

import dev.ashlar.spi.schema.Scope;

import java.util.List;
import java.util.Objects;

/**
 * How a resource is confined to tenants, as its {@link TenantScoping} plugin says once.
 *
 * @param placement {@link Scope#TENANT} for a table in every tenant's schema; {@link Scope#MAIN} for one
 *                  table in the main schema whose rows carry their tenant in {@code columns}
 * @param columns   the columns a tenant's scope fixes (a tenant column): every identity's unique index and
 *                  every upsert's conflict target lead with them, unless the identity spans all tenants;
 *                  creates set them, reads filter by them, updates may not change them
 * @param global    whether actions without a tenant are allowed and reach every tenant's rows
 */
public record Tenancy(Scope placement, List<String> columns, boolean global) {

    public Tenancy {
        Objects.requireNonNull(placement, "placement");
        columns = List.copyOf(columns);
    }

    /** A table in every tenant's schema. */
    public static Tenancy schemaPerTenant() {
        return new Tenancy(Scope.TENANT, List.of(), false);
    }

    /** One table whose rows carry their tenant in a column; {@code global} allows tenant-less actions. */
    public static Tenancy column(String column, boolean global) {
        return new Tenancy(Scope.MAIN, List.of(column), global);
    }
}
