package dev.ashlar.kernel.data;

import dev.ashlar.api.error.AshlarException;

/**
 * Watches the statements of every action, e.g. to time them (Micrometer): Ashlar calls {@link #start}
 * before an action's statement runs and {@link Observation#stop} after, with its failure if any. Without
 * an observer the data layer does not call anything.
 */
public interface ActionObserver {
    /**
     * An action on a resource begins.
     *
     * @param resource   the resource's name
     * @param action     {@code create}, {@code read}, {@code update}, {@code destroy} or {@code upsert}
     * @param dataSource where the statement runs: {@code primary} or the name of a replica
     */
    Observation start(String resource, String action, String dataSource);

    /** One action in progress. */
    interface Observation {
        /** The action ended; {@code failure} is the mapped error it failed with, or {@code null}. */
        void stop(AshlarException failure);
    }
}
