package dev.ashlar.kernel.plugin;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Extension;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.DomainValidator;
import dev.ashlar.spi.plugin.ErrorMapper;
import dev.ashlar.spi.plugin.RelationshipProvider;
import dev.ashlar.spi.plugin.Router;
import dev.ashlar.spi.plugin.RuntimeParticipant;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.SectionValidator;
import dev.ashlar.spi.plugin.TenantDirectory;
import dev.ashlar.spi.plugin.TenantScoping;
import dev.ashlar.spi.plugin.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The installed plugins, sorted by id so that every run contributes in the same order, and sorted
 * once more into one list per capability they implement. Immutable: {@link #with} returns a new set.
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

    /** The plugins that implement a capability, in plugin order. */
    public <T> List<T> implementing(Class<T> capability) {
        return plugins.stream().filter(capability::isInstance).map(capability::cast).toList();
    }

    public List<SchemaContributor> contributors() {
        return implementing(SchemaContributor.class);
    }

    public List<ErrorMapper> errorMappers() {
        return implementing(ErrorMapper.class);
    }

    public List<Router> routers() {
        return implementing(Router.class);
    }

    public List<RelationshipProvider> relationshipProviders() {
        return implementing(RelationshipProvider.class);
    }

    public List<WriteListener> writeListeners() {
        return implementing(WriteListener.class);
    }

    public List<RuntimeParticipant> participants() {
        return implementing(RuntimeParticipant.class);
    }

    public List<TenantDirectory> tenantDirectories() {
        return implementing(TenantDirectory.class);
    }

    /** How each resource of a domain is confined to tenants, resolved once. */
    public Tenancies tenancies(Domain domain) {
        return Tenancies.resolve(domain, this);
    }

    List<TenantScoping> scopings() {
        return implementing(TenantScoping.class);
    }

    /** The id of a plugin object, for messages. */
    public static String idOf(Object plugin) {
        return plugin instanceof AshlarPlugin named ? named.id() : plugin.getClass().getName();
    }

    /**
     * Checks that every plugin section a resource carries has its plugin installed, lets each plugin
     * validate its own sections and the domain, and resolves every resource's tenancy.
     *
     * @throws DefinitionException listing every problem
     */
    public void check(Domain domain) {
        List<Problem> problems = new ArrayList<>();
        for (Resource resource : domain.resources()) {
            for (Extension extension : resource.extensions()) {
                Optional<AshlarPlugin> plugin = find(extension.plugin());
                if (plugin.isEmpty()) {
                    problems.add(new Problem(resource.name(), extension.plugin(), "uses the '" + extension.plugin()
                            + "' section, but no plugin '" + extension.plugin() + "' is installed. Add "
                            + extension.artifact() + " to the class path (or install the plugin by hand)."));
                }
            }
            for (SectionValidator validator : implementing(SectionValidator.class)) {
                if (carries(resource, (AshlarPlugin) validator)) {
                    problems.addAll(validator.validate(domain, resource));
                }
            }
        }
        for (DomainValidator validator : implementing(DomainValidator.class)) {
            problems.addAll(validator.validate(domain));
        }
        if (problems.isEmpty()) {
            problems.addAll(tenancies(domain).problems());
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain.name(), problems);
        }
    }

    private static boolean carries(Resource resource, AshlarPlugin plugin) {
        return resource.extensions().stream().anyMatch(e -> e.plugin().equals(plugin.id()));
    }

    private String describe() {
        return String.join(", ", plugins.stream().map(p -> p.id() + " (" + p.getClass().getName() + ")").toList());
    }

    @Override
    public String toString() {
        return "Plugins[" + describe() + "]";
    }
}
