package dev.ashlar.kernel.project;

import dev.ashlar.kernel.tenant.TenantProgress;

import java.util.List;
import java.util.function.Consumer;

/**
 * Which tenant schemas a run works on, and how.
 *
 * @param schemas  the schemas named (each checked against the tenant-name rules, and against the tenant
 *                 list unless {@code force}); empty for every tenant the plugins list
 * @param force    work on named schemas that the tenant list does not hold
 * @param jobs     how many schemas at once, each on one pooled connection
 * @param failFast stop starting schemas after the first failure
 * @param progress called after every schema, from the worker threads
 */
public record TenantSelection(List<String> schemas, boolean force, int jobs, boolean failFast,
                              Consumer<TenantProgress> progress) {
    public TenantSelection {
        schemas = List.copyOf(schemas);
    }

    /** Every tenant the plugins list, four at a time. */
    public static TenantSelection all() {
        return new TenantSelection(List.of(), false, 4, false, p -> { });
    }

    /** These schemas only. */
    public static TenantSelection named(List<String> schemas) {
        return new TenantSelection(schemas, false, 4, false, p -> { });
    }

    public TenantSelection force(boolean anyway) {
        return new TenantSelection(schemas, anyway, jobs, failFast, progress);
    }

    public TenantSelection jobs(int count) {
        return new TenantSelection(schemas, force, count, failFast, progress);
    }

    public TenantSelection failFast(boolean stop) {
        return new TenantSelection(schemas, force, jobs, stop, progress);
    }

    public TenantSelection progress(Consumer<TenantProgress> listener) {
        return new TenantSelection(schemas, force, jobs, failFast, listener);
    }
}
