package dev.ashlar.cli;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/** {@code --classpath}: the jars and folders of the domain, the plugins and the Java migrations. */
final class ClasspathOptions implements ProjectSettings {
    @Option(names = "--classpath", paramLabel = "PATH", split = ":", description = "Jars and folders holding your domain, plugins "
            + "and the Java migrations listed in META-INF/services/dev.ashlar.kernel.migrate.JavaMigration, separated "
            + "by ':'.")
    List<Path> classpath = new ArrayList<>();

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
            if (!Files.exists(entry)) {
                throw ProjectFileException.of(entry.toString(), "The --classpath entry " + entry.toAbsolutePath()
                        .normalize() + " does not exist: compile your domain first (e.g. mvn compile for "
                        + "target/classes) or fix the path");
            }
            // The class loader passes over an entry it cannot read, and the domain would then be "not found".
            if (!Files.isReadable(entry) || Files.isDirectory(entry) && !Files.isExecutable(entry)) {
                throw ProjectFileException.of(entry.toString(), "The --classpath entry " + entry.toAbsolutePath()
                        .normalize() + " cannot be read: permission denied. Let the user that runs ashlar read it "
                        + "(chmod -R a+rX)");
            }
            if (Files.isRegularFile(entry)) {
                requireJar(entry);
            }
            try {
                urls.add(entry.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw ProjectFileException.of(entry.toString(), "Bad --classpath entry " + entry + ": "
                        + e.getMessage(), e);
            }
        }
        ClassLoader parent = ClasspathOptions.class.getClassLoader();
        return urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
    }

    /** A file on the class path that is no jar would be skipped without a word, and its domain reported missing. */
    private static void requireJar(Path entry) {
        try (JarFile jar = new JarFile(entry.toFile())) {
            jar.size();
        } catch (IOException e) {
            throw ProjectFileException.of(entry.toString(), "The --classpath entry " + entry.toAbsolutePath()
                    .normalize() + " is not a jar (" + e.getMessage() + "): give jars and folders of compiled classes, "
                    + "separated by ':'", e);
        }
    }

    Plugins plugins() {
        if (plugins == null) {
            plugins = Plugins.discover(classLoader());
        }
        return plugins;
    }

    /** The Java migrations listed on the class path; without --classpath, a Java migration's row stays "java". */
    @Override
    public Project applyTo(Project project) {
        return classpath.isEmpty() ? project : project.javaMigrationsListedIn(classLoader());
    }
}
