package dev.ashlar.spring.boot;

import dev.ashlar.kernel.tenant.TenantProgress;

/** Hears how the start-up migration of the tenant schemas is going (a bean of this type is called). */
@FunctionalInterface
public interface TenantProgressListener {
    /** The schemas done, failed and left so far. */
    void progress(TenantProgress progress);
}
