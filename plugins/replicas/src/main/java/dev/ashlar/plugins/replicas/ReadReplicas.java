package dev.ashlar.plugins.replicas;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Read replicas, as AshPostgres routes them: a function {@code (resource, READ | MUTATE) -> data
 * source} sends reads to replicas and mutations to the primary. The kernel keeps every transaction,
 * every row lock and every migration on the primary whatever the function says, and refuses a
 * mutation sent elsewhere. Replicas that do not answer or lag too far are taken out of rotation
 * until a later check finds them well; their reads go to the other replicas, or the primary.
 *
 * <pre>{@code
 * ReadReplicas replicas = ReadReplicas.builder()
 *         .routing((resource, operation) -> switch (operation) {
 *             case READ -> ReadReplicas.ANY_REPLICA;
 *             case MUTATE -> ReadReplicas.PRIMARY;
 *         })
 *         .maxLag(Duration.ofSeconds(10))
 *         .build();
 * Ashlar ashlar = Ashlar.builder().jdbcUrl(primaryUrl, user, password)
 *         .replica("replica-1", replicaUrl, user, password)
 *         .domain(blog).install(replicas).build();
 * }</pre>
 *
 * <p>Installed by hand with a configuration, it routes every resource of the domain. Found on the
 * class path without one, it routes only the resources that carry a {@link ReplicaRoute}. One
 * instance serves one {@code Ashlar}.
 */
public final class ReadReplicas implements AshlarPlugin {
    static final String ID = "replicas";
    static final String ARTIFACT = "dev.ashlar:ashlar-replicas";
    /** The primary's name in a routing function. */
    public static final String PRIMARY = Replication.PRIMARY;
    /** A routing function's answer for "any healthy replica, in turn". */
    public static final String ANY_REPLICA = "replicas";

    private final Settings settings;
    private final ThreadLocal<Session> session = new ThreadLocal<>();
    private volatile Replication replication;
    private volatile Rotation rotation;
    private ScheduledExecutorService checker;

    /** The plugin as {@link java.util.ServiceLoader} finds it: it routes only resources that carry a {@link ReplicaRoute}. */
    public ReadReplicas() {
        this(null);
    }

    private ReadReplicas(Settings settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Problem> validate(Domain domain, Resource resource) {
        ReplicaRouting routing = routing(resource);
        String target = routing == null ? PRIMARY : routing.route(resource, Operation.MUTATE);
        if (PRIMARY.equals(target)) {
            return List.of();
        }
        return List.of(new Problem(resource.name(), ID, "the routing sends mutations to '" + target + "', but writes "
                + "run on the primary only; answer ReadReplicas.PRIMARY for Operation.MUTATE"));
    }

    @Override
    public synchronized void start(Replication kernel) {
        if (replication != null) {
            throw new PluginException("This ReadReplicas already serves another Ashlar; build one per Ashlar");
        }
        Settings active = active();
        List<String> unknown = active.replicas().stream().filter(name -> !kernel.dataSources().contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new PluginException("ReadReplicas names the replicas " + unknown + ", which Ashlar was not given; add "
                    + "them with Ashlar.builder().replica(name, url, ...) or dataSource(name, dataSource). Known: "
                    + kernel.dataSources());
        }
        replication = kernel;
        rotation = new Rotation(active.replicas().isEmpty() ? kernel.dataSources() : active.replicas(), kernel,
                active.maxLag());
        rotation.check();
        checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ashlar-replica-check");
            thread.setDaemon(true);
            return thread;
        });
        long every = active.checkEvery().toMillis();
        checker.scheduleWithFixedDelay(rotation::check, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (checker != null) {
            checker.shutdownNow();
            checker = null;
        }
    }

    @Override
    public Optional<String> route(Resource resource, Operation operation) {
        ReplicaRouting routing = routing(resource);
        if (routing == null || rotation == null) {
            return Optional.empty();
        }
        String target = Objects.requireNonNull(routing.route(resource, operation), "the routing answered null");
        if (operation == Operation.MUTATE) {
            Session scope = session.get();
            if (scope != null) {
                scope.wrote();
            }
            return Optional.of(target);
        }
        return Optional.of(read(target));
    }

    /** The data source for a read the function sent to {@code target}. */
    private String read(String target) {
        Rotation current = rotation;
        boolean anyReplica = target.equals(ANY_REPLICA);
        if (!anyReplica && !current.replicas().contains(target)) {
            return current.served(target);
        }
        String replica = anyReplica ? current.next() : current.inRotation(target) ? target : null;
        Session scope = session.get();
        if (replica == null || scope != null && !scope.sees(replica, replication, active().consistencyWait())) {
            return current.fellBack();
        }
        return current.served(replica);
    }

    private ReplicaRouting routing(Resource resource) {
        return resource.extension(ReplicaRoute.class).map(ReplicaRoute::routing)
                .orElse(settings == null ? null : settings.routing());
    }

    private Settings active() {
        return settings == null ? Settings.DEFAULT : settings;
    }

    /** A new read-your-writes scope; see {@link Session}. */
    public Session session() {
        return new Session(session);
    }

    /** Runs the body in a new read-your-writes scope and returns its result: it reads what it wrote. */
    public <T> T consistent(Supplier<T> body) {
        return session().run(body);
    }

    /** Checks every replica now, rather than at the next periodic check. */
    public void checkHealth() {
        started().check();
    }

    /** Reads per data source, fallbacks to the primary, lag and replicas out of rotation, so far. */
    public ReplicaMetrics metrics() {
        return started().metrics();
    }

    private Rotation started() {
        Rotation current = rotation;
        if (current == null) {
            throw new PluginException("ReadReplicas is not started: install it with Ashlar.builder().install(...)"
                    + " and build the Ashlar first");
        }
        return current;
    }

    /** Collects the plugin's configuration; {@link #build()} checks it. */
    public static final class Builder {
        private List<String> replicas = List.of();
        private ReplicaRouting routing = ReplicaRouting.DEFAULT;
        private Duration maxLag = Settings.DEFAULT.maxLag();
        private Duration checkEvery = Settings.DEFAULT.checkEvery();
        private Duration consistencyWait = Settings.DEFAULT.consistencyWait();

        private Builder() {
        }

        /** The replicas in rotation, by the names given to Ashlar; by default every data source besides the primary. */
        public Builder replicas(String... names) {
            this.replicas = List.of(names);
            return this;
        }

        /** The routing function for every resource without a {@link ReplicaRoute}; {@link ReplicaRouting#DEFAULT} by default. */
        public Builder routing(ReplicaRouting function) {
            this.routing = Objects.requireNonNull(function, "function");
            return this;
        }

        /** A replica whose replay lags more than this is out of rotation (30 s by default). */
        public Builder maxLag(Duration bound) {
            this.maxLag = positive(bound, "maxLag");
            return this;
        }

        /** How often replicas are checked (every 5 s by default), besides once when Ashlar is built. */
        public Builder checkEvery(Duration interval) {
            this.checkEvery = positive(interval, "checkEvery");
            return this;
        }

        /**
         * How long a read in a read-your-writes {@link Session} waits for a replica to replay the session's
         * writes before going to the primary; zero (the default) goes to the primary at once.
         */
        public Builder consistencyWait(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative()) {
                throw new PluginException("consistencyWait must not be negative, was " + wait);
            }
            this.consistencyWait = wait;
            return this;
        }

        public ReadReplicas build() {
            return new ReadReplicas(new Settings(replicas, routing, maxLag, checkEvery, consistencyWait));
        }

        private static Duration positive(Duration value, String option) {
            if (Objects.requireNonNull(value, option).isNegative() || value.isZero()) {
                throw new PluginException(option + " must be positive, was " + value);
            }
            return value;
        }
    }
}
