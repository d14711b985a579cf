package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.sql.TenantSchemaNames;

/**
 * Checks a tenant before it becomes part of an SQL identifier (a schema name, a search path) by the
 * rules of {@link TenantSchemaNames}. Quoting happens afterwards, in the one quoting function; this
 * check keeps hostile or mistaken tenant values from ever reaching it.
 */
final class TenantNames {
    private TenantNames() {
    }

    /** The schema for a tenant value, or an error naming the resource and what is wrong. */
    static String schema(String tenant, String resource) {
        String problem = TenantSchemaNames.problem(tenant);
        if (problem != null) {
            throw QueryException.of(resource, null, "Tenant '" + tenant + "' for resource '" + resource + "' "
                    + problem);
        }
        return tenant;
    }
}
