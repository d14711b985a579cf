package dev.ashlar.kernel.project;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the application's domain in its classes: the {@link DomainProvider} a tool is told to use,
 * or the one listed in {@code META-INF/services/dev.ashlar.api.resource.DomainProvider}. The command
 * line and the build plugins find it the same way; each says how its users name one.
 *
 * @param className the provider's class, or null to take the listed one
 * @param classes   the application's classes and their dependencies
 * @param howToName how the tool's users name a provider, for the error when none or several are found
 */
public record DomainProviders(String className, ClassLoader classes, String howToName) {

    /** The domain, or none when no class is named and none is listed. */
    public Optional<Domain> find() {
        if (className == null && ServiceLoader.load(DomainProvider.class, classes).stream().findAny().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(domain());
    }

    /**
     * The domain of the named provider, or of the only listed one.
     *
     * @throws DefinitionException when the named class is no provider or cannot be created, or when not
     *                             exactly one provider is listed
     */
    public Domain domain() {
        if (className != null) {
            try {
                Object provider = Class.forName(className, true, classes).getDeclaredConstructor().newInstance();
                if (provider instanceof DomainProvider domainProvider) {
                    return domainProvider.domain();
                }
                throw DefinitionException.of(null, null, className + " does not implement "
                        + DomainProvider.class.getName() + ": " + howToName);
            } catch (ClassNotFoundException e) {
                throw DefinitionException.of(null, null, "Cannot create domain provider " + className + ": no such "
                        + "class among the application's classes; check its name and where it is compiled ("
                        + howToName + ")", e);
            } catch (ReflectiveOperationException e) {
                throw DefinitionException.of(null, null, "Cannot create domain provider " + className + " (" + e
                        + "); it needs a public no-argument constructor and must be among the application's classes ("
                        + howToName + ")", e);
            }
        }
        List<DomainProvider> providers = ServiceLoader.load(DomainProvider.class, classes).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (providers.size() != 1) {
            throw DefinitionException.of(null, null, (providers.isEmpty() ? "No domain found"
                    : "Several domains found " + providers.stream().map(p -> p.getClass().getName()).toList())
                    + ": " + howToName + ", or list exactly one class implementing " + DomainProvider.class.getName()
                    + " in META-INF/services/" + DomainProvider.class.getName());
        }
        return providers.get(0).domain();
    }
}
