package dev.ashlar.plugins.replicas;

import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Resource;

/**
 * The guide's routing function {@code fn resource, :read | :mutate -> repo}: the name of the data
 * source that serves an operation on a resource. Answer {@link ReadReplicas#PRIMARY}, the name of a
 * replica given to {@code Ashlar.builder().replica(...)}, or {@link ReadReplicas#ANY_REPLICA} for a
 * healthy replica in turn. Mutations must go to the primary.
 *
 * <pre>{@code
 * ReplicaRouting routing = (resource, operation) -> switch (operation) {
 *     case READ -> ReadReplicas.ANY_REPLICA;
 *     case MUTATE -> ReadReplicas.PRIMARY;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ReplicaRouting {

    /** Reads to any healthy replica, mutations to the primary: the default. */
    ReplicaRouting DEFAULT = (resource, operation) ->
            operation == Operation.READ ? ReadReplicas.ANY_REPLICA : ReadReplicas.PRIMARY;

    /** Everything on the primary, e.g. for a resource whose reads must never be stale. */
    ReplicaRouting PRIMARY_ONLY = (resource, operation) -> ReadReplicas.PRIMARY;

    /** The data source for this operation on this resource; never null. */
    String route(Resource resource, Operation operation);
}
