package dev.ashlar.kernel.tenant;

import java.util.List;

/**
 * Where the tenant schemas stand.
 *
 * @param tenants the number of listed tenant schemas
 * @param pending the listed schemas with pending tenant migrations
 * @param strays  schemas that hold a migration history but are not in the tenant list: reported, never touched
 */
public record TenantStatus(long tenants, List<String> pending, List<String> strays) {
    public TenantStatus {
        pending = List.copyOf(pending);
        strays = List.copyOf(strays);
    }
}
