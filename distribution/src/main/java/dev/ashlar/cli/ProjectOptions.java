package dev.ashlar.cli;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.kernel.project.ConnectRetries;
import dev.ashlar.kernel.project.DomainProviders;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;

/** The options every command shares: where the project is, which database, which domain. */
final class ProjectOptions {
    @Option(names = {"--dir", "--project"}, paramLabel = "DIR", description = "The project directory, holding migrations/, tenant_migrations/ and "
            + "resource_snapshots/ (default: ${DEFAULT-VALUE}).", defaultValue = ".")
    Path dir;

    @Option(names = "--url", paramLabel = "URL", description = "The database: a JDBC URL, postgres://user:password@host/db, or "
            + "'embedded' (default: the ASHLAR_DATABASE_URL variable).", defaultValue = "${env:ASHLAR_DATABASE_URL}")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "The database user, when the URL names none (default: the "
            + "ASHLAR_DATABASE_USER variable).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true, description = "The user's password, when the "
            + "URL holds none; without a value, asked for on the console (default: the ASHLAR_DATABASE_PASSWORD "
            + "variable, which other users of the machine cannot read in its process list).")
    char[] password;

    @Option(names = "--connect-retries", paramLabel = "N", description = "When the database does not answer yet "
            + "(refused, starting up, too many connections), try again N times, after 1s, 2s, 4s ... (at most 2m "
            + "apart) before failing (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int connectRetries;

    @Option(names = "--domain", paramLabel = "CLASS", description = "The class implementing dev.ashlar.api.resource.DomainProvider "
            + "(default: the one listed in META-INF/services).")
    String domainClass;

    @Option(names = "--classpath", paramLabel = "PATH", split = ":", description = "Jars and folders holding your domain, plugins "
            + "and the Java migrations listed in META-INF/services/dev.ashlar.kernel.migrate.JavaMigration, separated "
            + "by ':'.")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--verbose", description = "Show stack traces and the engine's log.")
    boolean verbose;

    // picocli reads "${" in a description as one of its own variables: "$${" prints "${".
    @Option(names = "--placeholder", paramLabel = "NAME=VALUE", description = "A value for $${NAME} in the migration "
            + "files, main and tenant (repeatable); $${ashlar:schema}, $${ashlar:user} and $${ashlar:filename} are "
            + "built in.")
    Map<String, String> placeholders = new LinkedHashMap<>();

    @Option(names = "--no-placeholders", description = "Run the migration files as written, leaving $${...} as it "
            + "is.")
    boolean noPlaceholders;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

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
        ClassLoader parent = ProjectOptions.class.getClassLoader();
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

    /** The project folder with the domain (found when first needed) and the plugins; no database yet. */
    Project project() {
        Project project = Project.open(dir).domain(this::domainIfAny, this::plugins).placeholders(placeholders)
                .placeholderReplacement(!noPlaceholders);
        // Without --classpath the application's classes are not here: a Java migration's row stays "java", left alone.
        return classpath.isEmpty() ? project : project.javaMigrationsListedIn(classLoader());
    }

    /** {@link #project()} for a command that reads the project: a folder that is not there is refused. */
    Project existingProject() {
        requireDir();
        return project();
    }

    /**
     * Refuses a --dir that is not a folder: a mistyped path would otherwise read as a project without migrations,
     * and a migrate or status report "up to date" having read nothing.
     */
    void requireDir() {
        if (!Files.isDirectory(dir)) {
            throw ProjectFileException.of(dir.toString(), "The project folder " + dir.toAbsolutePath().normalize()
                    + (Files.exists(dir) ? " is not a folder" : " does not exist") + ": pass --dir with the folder "
                    + "that holds migrations/ (ashlar codegen NAME starts a project in a new folder)");
        }
    }

    /** Whether the project folder holds migrations/ or tenant_migrations/, i.e. any migration could be there. */
    boolean hasMigrationFolders() {
        return Files.isDirectory(dir.resolve(ProjectLayout.MIGRATIONS))
                || Files.isDirectory(dir.resolve(ProjectLayout.TENANT_MIGRATIONS));
    }

    /**
     * Refuses a project folder without migrations/ or tenant_migrations/: run from the wrong folder, a migrate
     * would read no file and report the database up to date.
     */
    void requireMigrationFolders() {
        if (!hasMigrationFolders()) {
            throw ProjectFileException.of(dir.toString(), "No " + ProjectLayout.MIGRATIONS + "/ folder in "
                    + dir.toAbsolutePath().normalize() + ", so there is nothing to apply: pass --dir with the folder "
                    + "that holds " + ProjectLayout.MIGRATIONS + "/ (the Maven plugin writes them to "
                    + "src/main/resources/db/ashlar), or write the first migration with 'ashlar codegen NAME'");
        }
    }

    /** The domain, or none when neither --domain nor a listed provider names one. */
    Optional<Domain> domainIfAny() {
        return providers().find();
    }

    Domain domain() {
        return providers().domain();
    }

    private DomainProviders providers() {
        return new DomainProviders(domainClass, classLoader(), "name your class implementing "
                + DomainProvider.class.getName() + " with --domain com.example.BlogDomain and put its jar or classes "
                + "folder on --classpath (e.g. --classpath target/classes:lib/your-plugin.jar)");
    }

    Database database() {
        return database(1);
    }

    /** The database, with a pool big enough for {@code jobs} parallel workers plus the migration lock. */
    Database database(int jobs) {
        requireDir();
        if (connectRetries < 0) {
            throw DatabaseException.of("--connect-retries is " + connectRetries + ": give 0 (no retry) or more");
        }
        return Database.open(url, Database.Login.of(user, password == null ? null : new String(password)),
                dir.resolve(".ashlar").resolve("postgres"), jobs + 1, ConnectRetries.of(connectRetries),
                command == null ? System.err::println : command.commandLine().getErr()::println);
    }
}
