package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.CustomRelationship;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.Replication;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.resource.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The plugins' data-layer hooks, in plugin order. Only plugins that override a hook are asked, so a
 * kernel without such plugins pays nothing per call. A plugin that fails is named in the error.
 */
public final class Hooks {
    private final List<AshlarPlugin> rewriters;
    private final List<AshlarPlugin> errorMappers;
    private final List<AshlarPlugin> routers;
    private final List<AshlarPlugin> settings;
    private final List<AshlarPlugin> writeWatchers;
    private final Plugins plugins;

    public Hooks(Plugins plugins) {
        this.plugins = plugins;
        this.rewriters = overriding(plugins, "rewrite", Query.class, QueryContext.class);
        this.errorMappers = overriding(plugins, "mapError", DatabaseError.class, QueryContext.class);
        this.routers = overriding(plugins, "route", Resource.class, Operation.class);
        this.settings = overriding(plugins, "settings", QueryContext.class, String.class);
        this.writeWatchers = overriding(plugins, "afterWrite", WriteEvent.class, QueryContext.class, SchemaAdmin.class);
    }

    /** Every plugin's custom relationships of a resource, in plugin order. */
    List<CustomRelationship> relationships(Domain domain, Resource resource) {
        List<CustomRelationship> all = new ArrayList<>();
        for (AshlarPlugin plugin : plugins.all()) {
            all.addAll(plugin.relationships(domain, resource));
        }
        return all;
    }

    /** The columns of an identity's unique index, a plugin's scope (a tenant column) first. */
    List<String> identityColumns(Resource resource, Identity identity) {
        return SchemaBuilder.identityColumns(plugins, resource, identity);
    }

    /** The transaction settings every plugin asks for on this action; usually none. */
    Map<String, String> settings(QueryContext context, String tenant) {
        if (settings.isEmpty()) {
            return Map.of();
        }
        Map<String, String> all = new LinkedHashMap<>();
        for (AshlarPlugin plugin : settings) {
            all.putAll(guarded(plugin, context, () -> plugin.settings(context, tenant)));
        }
        return all;
    }

    /** Hands every plugin the kernel's view of its data sources, once, before any action. */
    public void start(Replication replication) {
        for (AshlarPlugin plugin : plugins.all()) {
            plugin.start(replication);
        }
    }

    /** Tells every plugin that the data layer is closing; a failing plugin does not keep the others running. */
    public void stop() {
        PluginException failure = null;
        for (AshlarPlugin plugin : plugins.all()) {
            try {
                plugin.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new PluginException("Plugin '" + plugin.id() + "' failed to stop: " + e, null, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Whether any plugin acts after writes, which then run in a transaction with it. */
    boolean watchesWrites() {
        return !writeWatchers.isEmpty();
    }

    void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
        for (AshlarPlugin plugin : writeWatchers) {
            guarded(plugin, context, () -> {
                plugin.afterWrite(event, context, schemas);
                return null;
            });
        }
    }

    private static List<AshlarPlugin> overriding(Plugins plugins, String method, Class<?>... parameters) {
        return plugins.all().stream().filter(plugin -> {
            try {
                return plugin.getClass().getMethod(method, parameters).getDeclaringClass() != AshlarPlugin.class;
            } catch (NoSuchMethodException e) {
                return true;
            }
        }).toList();
    }

    /** The query after every plugin's rewrite. */
    Query rewrite(Query query, QueryContext context) {
        Query result = query;
        for (AshlarPlugin plugin : rewriters) {
            Query current = result;
            result = guarded(plugin, context, () -> plugin.rewrite(current, context));
            if (result == null || !result.resource().equals(query.resource())) {
                throw new PluginException("Plugin '" + plugin.id() + "' rewrote a query on '" + query.resource()
                        + "' into " + (result == null ? "null" : "one on '" + result.resource() + "'")
                        + "; a rewrite must return a query on the same resource", query.resource(), null);
            }
        }
        return result;
    }

    /** The first plugin's answer for a database error. */
    Optional<AshlarException> mapError(DatabaseError error, QueryContext context) {
        for (AshlarPlugin plugin : errorMappers) {
            Optional<AshlarException> answer = guarded(plugin, context, () -> plugin.mapError(error, context));
            if (answer != null && answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    /** The data source the first plugin names for an operation, if any. */
    Optional<String> route(QueryContext context) {
        for (AshlarPlugin plugin : routers) {
            Optional<String> answer = guarded(plugin, context, () -> plugin.route(context.resource(),
                    context.operation()));
            if (answer != null && answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    private static <T> T guarded(AshlarPlugin plugin, QueryContext context, Supplier<T> hook) {
        try {
            return hook.get();
        } catch (AshlarException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException("Plugin '" + plugin.id() + "' failed during " + context.action() + " on '"
                    + context.resource().name() + "': " + e, context.resource().name(), e);
        }
    }
}
