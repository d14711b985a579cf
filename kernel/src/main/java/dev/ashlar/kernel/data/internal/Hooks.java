package dev.ashlar.kernel.data.internal;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.error.AshlarException;
import dev.ashlar.spi.error.PluginException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.query.Operation;
import dev.ashlar.spi.query.Query;
import dev.ashlar.spi.resource.Resource;

import java.util.List;
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

    public Hooks(Plugins plugins) {
        this.rewriters = overriding(plugins, "rewrite", Query.class, QueryContext.class);
        this.errorMappers = overriding(plugins, "mapError", DatabaseError.class, QueryContext.class);
        this.routers = overriding(plugins, "route", Resource.class, Operation.class);
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
