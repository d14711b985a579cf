package dev.ashlar.kernel.tenant;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the tenant schemas stand.
 *
 * @param tenants the number of listed tenant schemas
 * @param pending the listed schemas with pending tenant migrations
 * @param strays  schemas that hold a migration history but are not in the tenant list: reported, never touched
 * @param nodes   on Citus, the node ({@code host:port}) that holds each listed schema; empty on a single server
 */
public record TenantStatus(long tenants, List<String> pending, List<String> strays, Map<String, String> nodes) {
    public TenantStatus {
        pending = List.copyOf(pending);
        strays = List.copyOf(strays);
        nodes = Map.copyOf(nodes);
    }

    public TenantStatus(long tenants, List<String> pending, List<String> strays) {
        this(tenants, pending, strays, Map.of());
    }

    /** The same status with the schemas' nodes. */
    public TenantStatus withNodes(Map<String, String> placements) {
        return new TenantStatus(tenants, pending, strays, placements);
    }

    /** How many listed schemas each node holds, by node. */
    public Map<String, Long> perNode() {
        Map<String, Long> counts = new TreeMap<>();
        nodes.values().forEach(node -> counts.merge(node, 1L, Long::sum));
        return counts;
    }
}
