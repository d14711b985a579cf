package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.error.QueryException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a tenant before it becomes part of an SQL identifier (a schema name, a search path):
 * letters, digits and underscores only, at most 63 bytes, and never a system schema. Quoting
 * happens afterwards, in the one quoting function; this check keeps hostile or mistaken tenant
 * values from ever reaching it.
 */
final class TenantNames {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private TenantNames() {
    }

    /** The schema for a tenant value, or an error naming the resource and what is wrong. */
    static String schema(String tenant, String resource) {
        String problem = problem(tenant);
        if (problem != null) {
            throw QueryException.of(resource, null, "Tenant '" + tenant + "' for resource '" + resource + "' "
                    + problem);
        }
        return tenant;
    }

    static String problem(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            return "is empty; name the tenant's schema, e.g. tenant_acme";
        }
        if (!SAFE.matcher(tenant).matches()) {
            return "may hold only letters, digits and underscores, and may not start with a digit";
        }
        if (tenant.getBytes(StandardCharsets.UTF_8).length > 63) {
            return "is longer than 63 bytes, which PostgreSQL would truncate";
        }
        String lower = tenant.toLowerCase(Locale.ROOT);
        if (lower.startsWith("pg_") || lower.equals("public") || lower.equals("information_schema")) {
            return "names a system schema, which is never a tenant";
        }
        return null;
    }
}
