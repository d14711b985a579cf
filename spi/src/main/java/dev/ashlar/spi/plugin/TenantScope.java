package dev.ashlar.spi.plugin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tenant's scope on a resource, as its {@link TenantScoping} plugin gives it: the kernel runs the
 * action in {@code schema}, filters and sets the {@code fixed} columns, and sets each of
 * {@code settings} for the action's transaction ({@code set_config(name, value, true)}, e.g. the
 * tenant that a row-level security policy reads).
 *
 * @param schema   the tenant's schema, for a resource placed in tenant schemas; {@code null} otherwise
 * @param fixed    attribute name (the kernel writes its column) to the value every row of the tenant has there
 * @param settings transaction settings for every statement of the action
 */
public record TenantScope(String schema, Map<String, String> fixed, Map<String, String> settings) {

    public TenantScope {
        fixed = Map.copyOf(fixed);
        settings = Map.copyOf(settings);
    }

    /** The tenant's own schema. */
    public static TenantScope schema(String schema) {
        return new TenantScope(schema, Map.of(), Map.of());
    }

    /** The rows whose column holds the tenant. */
    public static TenantScope column(String column, String tenant) {
        return new TenantScope(null, Map.of(column, tenant), Map.of());
    }

    /** The same scope, with one more transaction setting. */
    public TenantScope withSetting(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(settings);
        more.put(name, value);
        return new TenantScope(schema, fixed, more);
    }
}
