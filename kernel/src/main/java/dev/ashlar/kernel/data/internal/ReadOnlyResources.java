package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

/**
 * The refusal of writes of a resource declared {@code readOnly()} (Hibernate's {@code @Immutable}, {@code @View},
 * {@code @Subselect}): every write path of the data layer asks here before it renders SQL, so a read-only resource
 * over a view or a table another tool fills is never written through Ashlar, whatever the write's shape.
 */
final class ReadOnlyResources {
    private ReadOnlyResources() {
    }

    /**
     * @param action what was asked ({@code create}, {@code update}, {@code upsert}, {@code merge}, {@code destroy})
     * @throws QueryException naming the resource, the write and the way to write its rows, for a read-only resource
     */
    static void refuseWrite(ResourcePlan plan, Object action) {
        if (plan.resource().tableOptions().readOnly()) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' is readOnly(), so the data "
                    + "layer reads it and takes no " + action + " of it: write the rows of "
                    + plan.resource().table() + " with plain SQL (ashlar.sql(...)) or through the resources whose "
                    + "tables it reads, or remove readOnly() from the resource");
        }
    }
}
