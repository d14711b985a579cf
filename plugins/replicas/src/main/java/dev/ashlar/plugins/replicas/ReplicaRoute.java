package dev.ashlar.plugins.replicas;

import dev.ashlar.api.resource.Extension;

import java.util.Objects;

/**
 * A resource's own routing, which takes precedence over the one of {@link ReadReplicas.Builder#routing}.
 * A resource that carries it is routed even by the plugin found on the class path without configuration.
 *
 * <pre>{@code
 * Resource payment = Resource.builder("payment").with(ReplicaRoute.primaryOnly())...build();
 * }</pre>
 *
 * @param routing the function that names the data source for each operation on the resource
 */
public record ReplicaRoute(ReplicaRouting routing) implements Extension {

    public ReplicaRoute {
        Objects.requireNonNull(routing, "routing");
    }

    /** Routes the resource with this function. */
    public static ReplicaRoute of(ReplicaRouting routing) {
        return new ReplicaRoute(routing);
    }

    /** Keeps every read of the resource on the primary. */
    public static ReplicaRoute primaryOnly() {
        return new ReplicaRoute(ReplicaRouting.PRIMARY_ONLY);
    }

    /** Sends the resource's reads to any healthy replica, its mutations to the primary. */
    public static ReplicaRoute replicas() {
        return new ReplicaRoute(ReplicaRouting.DEFAULT);
    }

    @Override
    public String plugin() {
        return ReadReplicas.ID;
    }

    @Override
    public String artifact() {
        return ReadReplicas.ARTIFACT;
    }
}
