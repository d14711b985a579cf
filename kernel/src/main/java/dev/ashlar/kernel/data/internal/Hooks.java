package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.plugin.Tenancies;
import dev.ashlar.spi.plugin.CustomRelationship;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.ErrorMapper;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.RelationshipProvider;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.spi.plugin.Router;
import dev.ashlar.spi.plugin.RuntimeParticipant;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.spi.plugin.WriteListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The plugins' data-layer capabilities for one {@code Ashlar}, in plugin order, sorted into typed
 * lists once: a kernel without such plugins pays nothing per call. Made by {@link #start}, which
 * starts the runtime participants; {@link #close} closes them in reverse. A plugin that fails is named
 * in the error.
 */
public final class Hooks implements AutoCloseable {
    private final Domain domain;
    private final Tenancies tenancies;
    private final List<ErrorMapper> errorMappers;
    private final List<Router> routers;
    private final List<WriteListener> writeListeners;
    private final List<RelationshipProvider> relationshipProviders;
    private final List<AutoCloseable> started;

    private Hooks(Domain domain, Plugins plugins, List<Router> routers, List<AutoCloseable> started) {
        this.domain = domain;
        this.tenancies = plugins.tenancies(domain);
        this.errorMappers = plugins.errorMappers();
        this.routers = List.copyOf(routers);
        this.writeListeners = plugins.writeListeners();
        this.relationshipProviders = plugins.relationshipProviders();
        this.started = List.copyOf(started);
    }

    /** The hooks of plugins that need no start, e.g. for a data layer without replication. */
    public static Hooks of(Domain domain, Plugins plugins) {
        return new Hooks(domain, plugins, plugins.routers(), List.of());
    }

    /**
     * Starts every runtime participant for one {@code Ashlar}; the routers are the plugins' own and those
     * of the started states. When one fails to start, those started before are closed first.
     */
    public static Hooks start(Domain domain, Plugins plugins, Replication replication) {
        List<Router> routers = new ArrayList<>(plugins.routers());
        List<AutoCloseable> started = new ArrayList<>();
        for (RuntimeParticipant participant : plugins.participants()) {
            try {
                AutoCloseable state = participant.start(replication);
                started.add(state);
                if (state instanceof Router router) {
                    routers.add(router);
                }
            } catch (RuntimeException e) {
                PluginException failure = e instanceof PluginException p ? p : new PluginException("Plugin '"
                        + Plugins.idOf(participant) + "' failed to start: " + e, null, e);
                closeAll(started, failure);
                throw failure;
            }
        }
        return new Hooks(domain, plugins, routers, started);
    }

    /** Closes what the participants started, in reverse order; a failing one does not keep the others open. */
    @Override
    public void close() {
        PluginException failure = closeAll(started, null);
        if (failure != null) {
            throw failure;
        }
    }

    private static PluginException closeAll(List<AutoCloseable> started, PluginException earlier) {
        PluginException failure = earlier;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new PluginException("A plugin failed to stop: " + e, null, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** The state a runtime participant started for this {@code Ashlar}, by its type. */
    public <T> java.util.Optional<T> runtime(Class<T> type) {
        return started.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    Tenancies tenancies() {
        return tenancies;
    }

    /** Every plugin's custom relationships of a resource, in plugin order. */
    List<CustomRelationship> relationships(Resource resource) {
        List<CustomRelationship> all = new ArrayList<>();
        for (RelationshipProvider provider : relationshipProviders) {
            all.addAll(provider.relationships(domain, resource));
        }
        return all;
    }

    /** The columns of an identity's unique index, the tenant columns first unless it spans all tenants. */
    List<String> identityColumns(Resource resource, Identity identity) {
        return tenancies.identityColumns(resource, identity);
    }

    /** Whether any plugin acts after writes of the resource, which then run in a transaction with it. */
    boolean watchesWrites(Resource resource) {
        return writeListeners.stream().anyMatch(listener -> listener.watches(resource));
    }

    void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
        for (WriteListener listener : writeListeners) {
            if (!listener.watches(context.resource())) {
                continue;
            }
            guarded(listener, context, () -> {
                listener.afterWrite(event, context, schemas);
                return null;
            });
        }
    }

    /** The first plugin's answer for a database error. */
    Optional<AshlarException> mapError(DatabaseError error, QueryContext context) {
        for (ErrorMapper mapper : errorMappers) {
            Optional<AshlarException> answer = guarded(mapper, context, () -> mapper.mapError(error, context));
            if (answer != null && answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    /** The data source the first router names for an operation, if any. */
    Optional<String> route(QueryContext context) {
        if (routers.isEmpty()) {
            return Optional.empty();   // most domains: no question to build for every read
        }
        return firstAnswer(context, router -> router.route(context.resource(), context.operation()));
    }

    /** The data source the first router names for a load of a read whose first statement went to {@code first}. */
    Optional<String> routeLoad(QueryContext context, String first) {
        return firstAnswer(context, router -> router.routeLoad(context.resource(), first));
    }

    private Optional<String> firstAnswer(QueryContext context, Function<Router, Optional<String>> question) {
        for (Router router : routers) {
            Optional<String> answer = guarded(router, context, () -> question.apply(router));
            if (answer != null && answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    private static <T> T guarded(Object plugin, QueryContext context, Supplier<T> hook) {
        try {
            return hook.get();
        } catch (AshlarException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException("Plugin '" + Plugins.idOf(plugin) + "' failed during " + context.action()
                    + " on '" + context.resource().name() + "': " + e, context.resource().name(), e);
        }
    }
}
