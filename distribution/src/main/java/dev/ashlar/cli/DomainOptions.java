package dev.ashlar.cli;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.kernel.project.DomainProviders;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;

/** {@code --domain} and {@code --classpath}: the resources, for the commands that generate or list tenants. */
final class DomainOptions implements ProjectSettings {
    @Option(names = "--domain", paramLabel = "CLASS", description = "The class implementing dev.ashlar.api.resource.DomainProvider "
            + "(default: the one listed in META-INF/services).")
    String domainClass;

    @Mixin
    ClasspathOptions classpath;

    /** The domain (found when first needed) and the plugins, and the class path's Java migrations. */
    @Override
    public Project applyTo(Project project) {
        return classpath.applyTo(project.domain(this::domainIfAny, classpath::plugins));
    }

    /** The domain, or none when neither --domain nor a listed provider names one. */
    Optional<Domain> domainIfAny() {
        return providers().find();
    }

    Domain domain() {
        return providers().domain();
    }

    private DomainProviders providers() {
        return new DomainProviders(domainClass, classpath.classLoader(), "name your class implementing "
                + DomainProvider.class.getName() + " with --domain com.example.BlogDomain and put its jar or classes "
                + "folder on --classpath (e.g. --classpath target/classes:lib/your-plugin.jar)");
    }
}
