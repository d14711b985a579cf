package dev.ashlar.plugins.replicas;

import dev.ashlar.api.error.PluginException;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.spi.plugin.Router;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Read replicas for one {@code Ashlar}: its rotation of healthy replicas, their periodic health
 * check and its routing. Made when that {@code Ashlar} is built, closed with it; reach it with
 * {@code ashlar.runtime(ReplicaRuntime.class)}.
 */
public final class ReplicaRuntime implements Router, AutoCloseable {
    private final ReadReplicas plugin;
    private final Replication replication;
    private final Rotation rotation;
    private final ScheduledExecutorService checker;
    private final Consumer<ReplicaRuntime> onClose;

    ReplicaRuntime(ReadReplicas plugin, Replication replication, Consumer<ReplicaRuntime> onClose) {
        this.plugin = plugin;
        this.replication = replication;
        this.onClose = onClose;
        Settings active = plugin.active();
        this.rotation = new Rotation(active.replicas().isEmpty() ? replication.dataSources() : active.replicas(),
                replication, active.maxLag());
        rotation.check();
        this.checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ashlar-replica-check");
            thread.setDaemon(true);
            return thread;
        });
        long every = active.checkEvery().toMillis();
        checker.scheduleWithFixedDelay(rotation::check, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<String> route(Resource resource, Operation operation) {
        ReplicaRouting routing = plugin.routing(resource);
        if (routing == null) {
            return Optional.empty();
        }
        String target = routing.route(resource, operation);
        if (target == null) {
            throw new PluginException("Cannot route " + resource.name() + ": "
                    + ReadReplicas.answeredNull(operation), resource.name(), null);
        }
        if (operation == Operation.MUTATE) {
            Session scope = plugin.currentSession();
            if (scope != null) {
                scope.wrote();
            }
            return Optional.of(target);
        }
        return Optional.of(read(target));
    }

    /**
     * A load of a read whose first statement went to {@code first}: where the function sends it, except that "any
     * replica" is that replica, so that the parents and the children a read hands over come from one server.
     */
    @Override
    public Optional<String> routeLoad(Resource resource, String first) {
        ReplicaRouting routing = plugin.routing(resource);
        if (routing != null && rotation.replicas().contains(first)
                && ReadReplicas.ANY_REPLICA.equals(routing.route(resource, Operation.READ))) {
            return Optional.of(rotation.served(first));
        }
        return route(resource, Operation.READ);
    }

    /**
     * The data source for a read the function sent to {@code target}. A replica it names outside the rotation is not
     * checked for health, but a session's reads wait for it to replay their writes as for any other.
     */
    private String read(String target) {
        if (target.equals(ReadReplicas.PRIMARY)) {
            return rotation.served(target);
        }
        boolean anyReplica = target.equals(ReadReplicas.ANY_REPLICA);
        String replica = anyReplica ? rotation.next()
                : !rotation.replicas().contains(target) || rotation.inRotation(target) ? target : null;
        Session scope = plugin.currentSession();
        if (replica == null || scope != null && !scope.sees(replica, replication, plugin.active().consistencyWait())) {
            return rotation.fellBack();
        }
        return rotation.served(replica);
    }

    /** Checks every replica now, rather than at the next periodic check. */
    public void checkHealth() {
        rotation.check();
    }

    /** Reads per data source, fallbacks to the primary, lag and replicas out of rotation, so far. */
    public ReplicaMetrics metrics() {
        return rotation.metrics();
    }

    /** Stops the health check. */
    @Override
    public void close() {
        checker.shutdownNow();
        onClose.accept(this);
    }
}
