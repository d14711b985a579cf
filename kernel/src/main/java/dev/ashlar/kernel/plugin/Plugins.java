package dev.ashlar.kernel.plugin;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Extension;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The installed plugins, sorted by id so that every run contributes in the same order. Immutable:
 * {@link #with} returns a new set.
 */
public final class Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    private final List<AshlarPlugin> plugins;

    private Plugins(List<AshlarPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    /** No plugins: a bare kernel. */
    public static Plugins none() {
        return new Plugins(List.of());
    }

    /** Every plugin listed in {@code META-INF/services/dev.ashlar.spi.plugin.AshlarPlugin} on the class path. */
    public static Plugins discover(ClassLoader classLoader) {
        Plugins found = none();
        try {
            for (AshlarPlugin plugin : ServiceLoader.load(AshlarPlugin.class, classLoader)) {
                found = found.with(plugin);
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginException("A plugin listed in META-INF/services/" + AshlarPlugin.class.getName()
                    + " could not be loaded: " + e.getMessage() + ". Check that its jar is complete and on the "
                    + "class path, or remove the listing.", null, e);
        }
        LOG.info("Ashlar plugins: {}", found.plugins.isEmpty() ? "none" : found.describe());
        return found;
    }

    /**
     * These plugins plus one more. Installing a plugin again (same class, same id) does nothing; a
     * different plugin with an id already taken is refused.
     */
    public Plugins with(AshlarPlugin plugin) {
        for (AshlarPlugin installed : plugins) {
            if (!installed.id().equals(plugin.id())) {
                continue;
            }
            if (installed.getClass() == plugin.getClass()) {
                return this;
            }
            throw new PluginException("Two plugins claim the id '" + plugin.id() + "': "
                    + installed.getClass().getName() + " and " + plugin.getClass().getName()
                    + ". Remove one of the jars from the class path.");
        }
        List<AshlarPlugin> more = new ArrayList<>(plugins);
        more.add(plugin);
        more.sort(Comparator.comparing(AshlarPlugin::id));
        return new Plugins(more);
    }

    public List<AshlarPlugin> all() {
        return plugins;
    }

    public Optional<AshlarPlugin> find(String id) {
        return plugins.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * Checks that every plugin section a resource carries has its plugin installed, then lets each
     * plugin validate its sections.
     *
     * @throws DefinitionException listing every problem
     */
    public void check(Domain domain) {
        List<Problem> problems = new ArrayList<>();
        for (Resource resource : domain.resources()) {
            for (Extension extension : resource.extensions()) {
                if (find(extension.plugin()).isEmpty()) {
                    problems.add(new Problem(resource.name(), extension.plugin(), "uses the '" + extension.plugin()
                            + "' section, but no plugin '" + extension.plugin() + "' is installed. Add "
                            + extension.artifact() + " to the class path (or install the plugin by hand)."));
                }
            }
            for (AshlarPlugin plugin : plugins) {
                problems.addAll(plugin.validate(domain, resource));
            }
            placement(resource);
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain.name(), problems);
        }
    }

    /** Where a resource's table lives: as one plugin says, or {@link Scope#MAIN}. */
    public Scope placement(Resource resource) {
        Scope scope = null;
        AshlarPlugin decidedBy = null;
        for (AshlarPlugin plugin : plugins) {
            Optional<Scope> answer = plugin.placement(resource);
            if (answer.isPresent()) {
                if (decidedBy != null && answer.get() != scope) {
                    throw new PluginException("Plugins '" + decidedBy.id() + "' and '" + plugin.id()
                            + "' disagree on where resource '" + resource.name() + "' lives (" + scope + " and "
                            + answer.get() + "). Remove one of their sections from the resource.",
                            resource.name(), null);
                }
                scope = answer.get();
                decidedBy = plugin;
            }
        }
        return scope == null ? Scope.MAIN : scope;
    }

    private String describe() {
        return String.join(", ", plugins.stream().map(p -> p.id() + " (" + p.getClass().getName() + ")").toList());
    }

    @Override
    public String toString() {
        return "Plugins[" + describe() + "]";
    }
}
