package dev.ashlar.cli;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import picocli.CommandLine.Option;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The options every command shares: where the project is, which database, which domain. */
final class ProjectOptions {
    @Option(names = "--dir", description = "The project directory, holding migrations/, tenant_migrations/ and "
            + "resource_snapshots/ (default: ${DEFAULT-VALUE}).", defaultValue = ".")
    Path dir;

    @Option(names = "--url", description = "The database: a JDBC URL, postgres://user:password@host/db, or "
            + "'embedded' (default: the ASHLAR_DATABASE_URL variable).", defaultValue = "${env:ASHLAR_DATABASE_URL}")
    String url;

    @Option(names = "--domain", description = "The class implementing dev.ashlar.api.resource.DomainProvider "
            + "(default: the one listed in META-INF/services).")
    String domainClass;

    @Option(names = "--classpath", split = ":", description = "Jars and folders holding your domain and plugins, "
            + "separated by ':'.")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--verbose", description = "Show stack traces and the engine's log.")
    boolean verbose;

    private ClassLoader loader;
    private Plugins plugins;

    /**
     * One class loader for the whole command: the domain and the plugins must see the same classes,
     * or a plugin on --classpath would not recognise its own section on the domain's resources.
     */
    ClassLoader classLoader() {
        if (loader == null) {
            loader = newClassLoader();
        }
        return loader;
    }

    private ClassLoader newClassLoader() {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath) {
            try {
                urls.add(entry.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw ProjectFileException.of(entry.toString(), "Bad --classpath entry " + entry + ": "
                        + e.getMessage(), e);
            }
        }
        ClassLoader parent = ProjectOptions.class.getClassLoader();
        return urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
    }

    Plugins plugins() {
        if (plugins == null) {
            plugins = Plugins.discover(classLoader());
        }
        return plugins;
    }

    /** The project folder with the domain (found when first needed) and the plugins; no database yet. */
    Project project() {
        return Project.open(dir).domain(this::domainIfAny, this::plugins);
    }

    /** The domain, or none when neither --domain nor a listed provider names one. */
    Optional<Domain> domainIfAny() {
        if (domainClass == null && ServiceLoader.load(DomainProvider.class, classLoader()).stream().findAny().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(domain());
    }

    Domain domain() {
        ClassLoader classes = classLoader();
        if (domainClass != null) {
            try {
                Object provider = Class.forName(domainClass, true, classes).getDeclaredConstructor().newInstance();
                if (provider instanceof DomainProvider domainProvider) {
                    return domainProvider.domain();
                }
                throw DefinitionException.of(null, null, domainClass + " does not implement "
                        + DomainProvider.class.getName());
            } catch (ReflectiveOperationException e) {
                throw DefinitionException.of(null, null, "Cannot create domain provider " + domainClass
                        + " (" + e + "); it needs a public no-argument constructor and must be on --classpath", e);
            }
        }
        List<DomainProvider> providers = ServiceLoader.load(DomainProvider.class, classes).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (providers.size() != 1) {
            throw DefinitionException.of(null, null, (providers.isEmpty() ? "No domain found" :
                    "Several domains found " + providers.stream().map(p -> p.getClass().getName()).toList())
                    + ": name your class implementing " + DomainProvider.class.getName() + " with --domain "
                    + "com.example.BlogDomain and put its jar or classes folder on --classpath (e.g. --classpath "
                    + "target/classes:lib/your-plugin.jar), or list exactly one such class in "
                    + "META-INF/services/" + DomainProvider.class.getName() + " of a jar on --classpath");
        }
        return providers.get(0).domain();
    }

    Database database() {
        return database(1);
    }

    /** The database, with a pool big enough for {@code jobs} parallel workers plus the migration lock. */
    Database database(int jobs) {
        return Database.open(url, dir.resolve(".ashlar").resolve("postgres"), jobs + 1);
    }
}
