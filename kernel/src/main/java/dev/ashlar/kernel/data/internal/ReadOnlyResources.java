package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;

import java.util.function.Supplier;

/**
 * The refusal of writes of a resource declared {@code readOnly()} (Hibernate's {@code @Immutable}, {@code @View},
 * {@code @Subselect}): every write path of the data layer asks here before it renders SQL, so a read-only resource
 * over a view or a table another tool fills is never written through Ashlar, whatever the write's shape.
 */
final class ReadOnlyResources {
    /** Set while a publish writes: the one writer a draftable resource that refuses live writes lets through. */
    private static final ThreadLocal<Boolean> PUBLISHING = new ThreadLocal<>();

    private ReadOnlyResources() {
    }

    /** Runs a publish, whose writes of a resource's table {@code refuseLiveWrites()} lets through. */
    static <T> T publishing(Supplier<T> publish) {
        Boolean outer = PUBLISHING.get();
        PUBLISHING.set(Boolean.TRUE);
        try {
            return publish.get();
        } finally {
            if (outer == null) {
                PUBLISHING.remove();
            }
        }
    }

    /**
     * @param action what was asked ({@code create}, {@code update}, {@code upsert}, {@code merge}, {@code destroy})
     * @throws QueryException naming the resource, the write and the way to write its rows, for a read-only resource
     *                        and, outside a publish, for a draftable one that refuses live writes
     */
    static void refuseWrite(ResourcePlan plan, Object action) {
        if (plan.resource().tableOptions().readOnly()) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' is readOnly(), so the data "
                    + "layer reads it and takes no " + action + " of it: write the rows of "
                    + plan.resource().table() + " with plain SQL (ashlar.sql(...)) or through the resources whose "
                    + "tables it reads, or remove readOnly() from the resource");
        }
        if (plan.resource().tableOptions().liveWritesRefused() && PUBLISHING.get() == null) {
            throw QueryException.of(plan.name(), null, "Resource '" + plan.name() + "' refuses live writes "
                    + "(refuseLiveWrites()), so its table " + plan.resource().table() + " takes no " + action
                    + " but a publish's: write its drafts (ashlar.drafts(\"" + plan.name() + "\")) and publish them "
                    + "(ashlar.publish(\"" + plan.name() + "\", filter)), or remove refuseLiveWrites() from the "
                    + "resource");
        }
    }
}
