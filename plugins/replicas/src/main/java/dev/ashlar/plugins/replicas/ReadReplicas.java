package dev.ashlar.plugins.replicas;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.DomainValidator;
import dev.ashlar.spi.plugin.RuntimeParticipant;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
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
 * instance may serve several {@code Ashlar}s: each has its own {@link ReplicaRuntime}.
 */
public final class ReadReplicas implements AshlarPlugin, DomainValidator, RuntimeParticipant {
    static final String ID = "replicas";
    static final String ARTIFACT = "dev.ashlar:ashlar-replicas";
    /** The primary's name in a routing function. */
    public static final String PRIMARY = Replication.PRIMARY;
    /** A routing function's answer for "any healthy replica, in turn". */
    public static final String ANY_REPLICA = "replicas";

    private final Settings settings;
    private final ThreadLocal<Session> session = new ThreadLocal<>();
    private final Set<ReplicaRuntime> running = new CopyOnWriteArraySet<>();

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
    public List<Problem> validate(Domain domain) {
        List<Problem> problems = new ArrayList<>();
        for (Resource resource : domain.resources()) {
            ReplicaRouting routing = routing(resource);
            if (routing != null && routing.route(resource, Operation.READ) == null) {
                problems.add(new Problem(resource.name(), ID, answeredNull(Operation.READ)));
            }
            String target = routing == null ? PRIMARY : routing.route(resource, Operation.MUTATE);
            if (target == null) {
                problems.add(new Problem(resource.name(), ID, answeredNull(Operation.MUTATE)));
            } else if (!PRIMARY.equals(target)) {
                problems.add(new Problem(resource.name(), ID, "the routing sends mutations to '" + target
                        + "', but writes run on the primary only; answer ReadReplicas.PRIMARY for Operation.MUTATE"));
            }
        }
        return problems;
    }

    static String answeredNull(Operation operation) {
        return "the routing answered null for " + operation + "; answer ReadReplicas.PRIMARY, ReadReplicas.ANY_REPLICA "
                + "or the name of a replica given to Ashlar";
    }

    /** Starts routing for one {@code Ashlar}: its rotation of replicas and the periodic health check. */
    @Override
    public ReplicaRuntime start(Replication kernel) {
        Settings active = active();
        List<String> unknown = active.replicas().stream().filter(name -> !kernel.dataSources().contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new PluginException("ReadReplicas names the replicas " + unknown + ", which Ashlar was not given; add "
                    + "them with Ashlar.builder().replica(name, url, ...) or dataSource(name, dataSource). Known: "
                    + kernel.dataSources());
        }
        ReplicaRuntime runtime = new ReplicaRuntime(this, kernel, running::remove);
        running.add(runtime);
        return runtime;
    }

    ReplicaRouting routing(Resource resource) {
        return resource.extension(ReplicaRoute.class).map(ReplicaRoute::routing)
                .orElse(settings == null ? null : settings.routing());
    }

    Settings active() {
        return settings == null ? Settings.DEFAULT : settings;
    }

    /** The read-your-writes scope of the current thread, if one is open. */
    Session currentSession() {
        return session.get();
    }

    /** A new read-your-writes scope; see {@link Session}. */
    public Session session() {
        return new Session(session);
    }

    /** Runs the body in a new read-your-writes scope and returns its result: it reads what it wrote. */
    public <T> T consistent(Supplier<T> body) {
        return session().run(body);
    }

    /** Checks every replica of the {@code Ashlar} this plugin serves now, rather than at the next periodic check. */
    public void checkHealth() {
        started().checkHealth();
    }

    /**
     * Reads per data source, fallbacks to the primary, lag and replicas out of rotation, so far, of the
     * {@code Ashlar} this plugin serves; with several, ask each: {@code ashlar.runtime(ReplicaRuntime.class)}.
     */
    public ReplicaMetrics metrics() {
        return started().metrics();
    }

    private ReplicaRuntime started() {
        List<ReplicaRuntime> now = List.copyOf(running);
        if (now.size() != 1) {
            throw new PluginException(now.isEmpty() ? "ReadReplicas is not started: install it with "
                    + "Ashlar.builder().install(...) and build the Ashlar first" : "This ReadReplicas serves "
                    + now.size() + " Ashlars; ask each for its own: ashlar.runtime(ReplicaRuntime.class)");
        }
        return now.get(0);
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
