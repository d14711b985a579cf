package dev.ashlar.maven;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.DryRunText;
import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.PlaceholderDelimiters;
import dev.ashlar.kernel.migrate.Timeouts;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.ConnectRetries;
import dev.ashlar.kernel.project.DatabaseUrl;
import dev.ashlar.kernel.project.DomainProviders;
import dev.ashlar.kernel.project.Project;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.postgresql.ds.PGSimpleDataSource;

import javax.inject.Inject;
import javax.sql.DataSource;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every goal shares: the project folder, the domain found in the project's own classes, the
 * database. Each goal wraps one {@link Project} operation, as the {@code ashlar} command does.
 */
abstract class AshlarMojo extends AbstractMojo {
    /** The environment variable the database URL is read from when none is configured. */
    static final String URL_VARIABLE = "ASHLAR_DATABASE_URL";
    static final String USER_VARIABLE = "ASHLAR_DATABASE_USER";
    static final String PASSWORD_VARIABLE = "ASHLAR_DATABASE_PASSWORD";
    static final String DEFAULT_SERVER = "ashlar-db";
    /** The prefix of a property giving a placeholder's value: {@code -Dashlar.placeholders.owner=app}. */
    static final String PLACEHOLDER_PROPERTY = "ashlar.placeholders.";
    /** A Maven expression left unresolved in a configured value: {@code ${env.BLOG_DATABASE_PASSWORD}}. */
    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{([^}]+)}");

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject mavenProject;

    /** This goal's run, whose configuration still holds the expressions of the pom as written. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    MojoExecution mojoExecution;

    /** The Ashlar project folder: migrations/, tenant_migrations/, resource_snapshots/. */
    @Parameter(property = "ashlar.folder", defaultValue = "${project.basedir}/src/main/resources/db/ashlar")
    File folder;

    /** The class implementing DomainProvider; default: the one listed in META-INF/services. */
    @Parameter(property = "ashlar.domain")
    String domain;

    /** A JDBC URL (jdbc:postgresql://host:port/db); default: the ASHLAR_DATABASE_URL variable. */
    @Parameter(property = "ashlar.url")
    String url;

    @Parameter(property = "ashlar.user")
    String user;

    @Parameter(property = "ashlar.password")
    String password;

    /**
     * The {@code <server>} of Maven's settings.xml whose username and password the goals connect with when
     * {@code <user>} and {@code <password>} are not set, as Flyway's {@code serverId}; its password may be encrypted
     * ({@code mvn --encrypt-password}).
     */
    @Parameter(property = "ashlar.serverId", defaultValue = DEFAULT_SERVER)
    String serverId;

    @Parameter(defaultValue = "${settings}", readonly = true)
    Settings settings;

    @Inject
    SettingsDecrypter decrypter;

    /**
     * How many times to try connecting again while the database does not answer yet (refused, starting up, too many
     * connections), after 1 s, 2 s, 4 s ... at most 2 min apart, as Flyway's {@code connectRetries}.
     */
    @Parameter(property = "ashlar.connectRetries", defaultValue = "0")
    int connectRetries;

    /**
     * The longest wait between two connection retries, as Flyway's {@code connectRetriesInterval} and the command's
     * {@code --connect-retries-interval}: {@code 500ms}, {@code 10s}, {@code 2m}, or a bare number of seconds.
     * Default: 2 minutes.
     */
    @Parameter(property = "ashlar.connectRetriesInterval")
    String connectRetriesInterval;

    /**
     * SQL run on every connection the goal opens, right after opening it, as Flyway's {@code initSql}: e.g.
     * {@code SET ROLE app_owner}, so that what the migrations make belongs to that role.
     */
    @Parameter(property = "ashlar.initSql")
    String initSql;

    /**
     * Who the migration history records as having applied each file, as Flyway's {@code installedBy}; default: the
     * database user, or {@code migrate.installed-by} in the project's {@code ashlar.properties}.
     */
    @Parameter(property = "ashlar.installedBy")
    String installedBy;

    /**
     * The table that holds the migration history, in the main schema and in every tenant schema, as Flyway's
     * {@code table}; default: {@code ashlar_schema_migrations}, or {@code migrate.history-table} in the project's
     * {@code ashlar.properties}. {@code meta.history} keeps the main schema's history in the schema {@code meta}
     * (Flyway's {@code defaultSchema}), each tenant's in its own schema.
     */
    @Parameter(property = "ashlar.historyTable")
    String historyTable;

    /**
     * With a {@link #historyTable} in a schema of its own ({@code meta.history}): a history left in the main schema
     * (another application's, or an old one kept on purpose) is accepted and the new one starts empty, rather than
     * refused as moved; default: false, or {@code migrate.accept-history-left-behind} in the project's
     * {@code ashlar.properties}.
     */
    @Parameter(property = "ashlar.acceptHistoryLeftBehind")
    Boolean acceptHistoryLeftBehind;

    /**
     * Whether migrate and baseline create the main schema ({@code public}) when it is missing, as Flyway's
     * {@code createSchemas}; default: true, or {@code migrate.create-schemas} in the project's {@code ashlar.properties}.
     */
    @Parameter(property = "ashlar.createSchemas")
    Boolean createSchemas;

    /**
     * Whether {@code ashlar:migrate} logs the rows each statement of a main-schema file returns (a {@code SELECT}),
     * as a table of at most 100 rows, as Flyway's {@code outputQueryResults}; default: true, or
     * {@code migrate.output-query-results} in the project's {@code ashlar.properties}.
     */
    @Parameter(property = "ashlar.outputQueryResults")
    Boolean outputQueryResults;

    /**
     * The longest wait for the migration lock and, in each statement, for a table lock, as the command's
     * {@code --lock-timeout}: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a bare number of seconds. Default:
     * 10 minutes for the migration lock, for table locks what each file sets.
     */
    @Parameter(property = "ashlar.lockTimeout")
    String lockTimeout;

    /** The longest a migration statement may run, as the command's {@code --statement-timeout}; default: no limit. */
    @Parameter(property = "ashlar.statementTimeout")
    String statementTimeout;

    /**
     * Values of the migration files' {@code ${name}} placeholders, as Flyway's:
     * {@code <placeholders><owner>app_owner</owner></placeholders>}. {@code ${ashlar:schema}}, {@code ${ashlar:user}}
     * and {@code ${ashlar:filename}} are built in.
     */
    @Parameter
    Map<String, String> placeholders = new LinkedHashMap<>();

    /**
     * What opens a placeholder in the migration files, as Flyway's {@code placeholderPrefix} and the command's
     * {@code --placeholder-prefix}: {@code #[} with {@code placeholderSuffix} {@code ]} replaces {@code #[owner]} and
     * leaves {@code ${owner}} as text. Default: <code>${</code>.
     */
    @Parameter(property = "ashlar.placeholderPrefix")
    String placeholderPrefix;

    /** What closes a placeholder, as Flyway's {@code placeholderSuffix}. Default: <code>}</code>. */
    @Parameter(property = "ashlar.placeholderSuffix")
    String placeholderSuffix;

    /**
     * Whether a database goal fails when {@code folder} is not there; false skips it with a warning instead (Flyway's
     * {@code failOnMissingLocations}, whose default is the other way: a wrong folder would pass having applied
     * nothing).
     */
    @Parameter(property = "ashlar.failOnMissingFolder", defaultValue = "true")
    boolean failOnMissingFolder = true;

    @Parameter(defaultValue = "${session}", readonly = true)
    MavenSession session;

    /**
     * Properties files with the database ({@code ashlar.url}, {@code ashlar.user}, {@code ashlar.password}) and
     * placeholders ({@code ashlar.placeholders.NAME}) kept out of the pom, as Flyway's {@code configFiles}; the pom's
     * configuration and -D properties win over them, and a later file over an earlier one.
     */
    @Parameter(property = "ashlar.configFiles")
    List<File> configFiles;

    private ConfigFiles config = ConfigFiles.NONE;

    /**
     * Folders of main-schema migration files read besides {@code folder}'s {@code migrations/}, merged with it by
     * version (Flyway's several {@code locations}): {@code <extraMigrations><extraMigration>../shared/migrations
     * </extraMigration></extraMigrations>}. Each must exist; codegen writes into {@code migrations/} only.
     */
    @Parameter(property = "ashlar.extraMigrations")
    List<File> extraMigrations;

    /** Runs the migration files as written, leaving {@code ${...}} as it is. */
    @Parameter(property = "ashlar.noPlaceholders", defaultValue = "false")
    boolean noPlaceholders;

    /** Skips the goal, whichever it is, saying so in the build's log (as Flyway's {@code skip}). */
    @Parameter(property = "ashlar.skip", defaultValue = "false")
    boolean skip;

    private ClassLoader classes;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        BooleanParameters.require(this, mojoExecution, session, mavenProject);
        if (skip) {
            getLog().info("Skipping ashlar:" + goal() + " (ashlar.skip is true)");
            return;
        }
        if (onDatabase() && !failOnMissingFolder && !folder.isDirectory()) {
            getLog().warn("Skipping ashlar:" + goal() + ": the Ashlar project folder " + folder + " does not exist "
                    + "(ashlar.failOnMissingFolder is false)");
            return;
        }
        refuseFolderBesideTheCommands();
        try {
            config = ConfigFiles.read(configFiles);
            url = resolved(config.or(configured(url, "url"), "ashlar.url"), "url");
            user = resolved(config.or(configured(user, "user"), "ashlar.user"), "user");
            password = resolved(config.or(configured(password, "password"), "ashlar.password"), "password");
            run();
        } catch (AshlarException e) {
            throw new MojoFailureException(e.getMessage() + (unreachable(e) ? " (check the database the plugin "
                    + "connects to: its <url> (or -Dashlar.url), <user> and <password>, or " + URL_VARIABLE + ")" : ""), e);
        } finally {
            close();
        }
    }

    /**
     * The value, unless it holds a {@code ${...}} Maven could not resolve: an unset {@code ${env.X}} reaches the
     * plugin as that text, and would be sent as the password (failing as a wrong one) or read as a host name.
     */
    private static String resolved(String value, String parameter) {
        Matcher expression = value == null ? null : UNRESOLVED.matcher(value);
        if (expression == null || !expression.find()) {
            return value;
        }
        String name = expression.group(1);
        String shown = parameter.equals("password") ? expression.group() : DatabaseUrl.masked(value);
        String fix = name.startsWith("env.") ? "set the environment variable " + name.substring("env.".length())
                : "define the property " + name + " (in the pom's <properties>, or -D" + name + "=...)";
        throw DatabaseException.of("The plugin's <" + parameter + "> is " + shown + ", which Maven could not resolve: "
                + fix + ", or leave <" + parameter + "> out to read -Dashlar." + parameter + " or the ASHLAR_DATABASE_"
                + parameter.toUpperCase(java.util.Locale.ROOT) + " variable");
    }

    /**
     * The value, or, when Maven set none, the pom's expression for it: a whole {@code ${env.X}} naming a variable
     * that is not set is evaluated to nothing, and the goal would connect without a password. The parameter's own
     * default, {@code ${ashlar.password}}, is not such an expression: left out of the pom, the parameter stays unset.
     */
    private String configured(String value, String parameter) {
        if (value != null || mojoExecution == null || mojoExecution.getConfiguration() == null
                || mojoExecution.getConfiguration().getChild(parameter) == null) {
            return value;
        }
        String written = mojoExecution.getConfiguration().getChild(parameter).getValue();
        return written == null || !written.contains("${") || written.equals("${ashlar." + parameter + "}") ? value
                : written;
    }

    /** This goal's name: ValidateMojo is ashlar:validate. */
    private String goal() {
        String name = getClass().getSimpleName();
        return name.substring(0, name.length() - "Mojo".length()).toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the failure, or one behind it, is a connection the server refused or lost (SQL state class 08). */
    private static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String state = cause instanceof AshlarException ashlar ? ashlar.sqlState().orElse(null)
                    : cause instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
            if (state != null && state.startsWith("08")) {
                return true;
            }
        }
        return failure.getMessage() != null && failure.getMessage().contains("[SQL state 08");
    }

    private void close() throws MojoExecutionException {
        if (classes instanceof URLClassLoader loader) {
            try {
                loader.close();
            } catch (IOException e) {
                throw new MojoExecutionException("Cannot close the class loader of " + mavenProject.getId(), e);
            }
        }
    }

    abstract void run() throws MojoExecutionException, MojoFailureException;

    /** Logs a dry run, a line each ({@code -Dashlar.dryRun}). */
    void logDryRun(List<DryRun> files, String would) {
        DryRunText.lines(files, would).forEach(line -> getLog().info(line));
    }

    /**
     * Writes what a dry run found to {@code script} as one SQL script for psql ({@link Project#script}), or logs it
     * when {@code script} is null.
     */
    void showDryRun(Project project, List<DryRun> files, Direction direction, File script)
            throws MojoExecutionException {
        if (script == null) {
            logDryRun(files, direction == Direction.UP ? "would run" : "would be rolled back");
            return;
        }
        try {
            Files.writeString(script.toPath(), project.script(files, direction));
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the script to " + script + ": " + e.getMessage()
                    + ". Name a file in a folder that exists and can be written (ashlar.script).", e);
        }
        getLog().info("Wrote the SQL script to " + script + "; run it with psql -f. Nothing was changed.");
    }

    /**
     * Fails when {@code folder} is missing while the project's root holds the snapshots that {@code ashlar codegen
     * --dir .} writes there: codegen would otherwise start a second project beside the first, check would call the
     * whole domain pending, and the database goals would not say where the migrations are.
     */
    private void refuseFolderBesideTheCommands() throws MojoFailureException {
        File root = mavenProject.getBasedir();
        if (root == null || folder.isDirectory() || !new File(root, "resource_snapshots").isDirectory()) {
            return;
        }
        throw new MojoFailureException("The Ashlar project folder " + folder + " does not exist, but " + root
                + " holds resource_snapshots/ (and migrations/), as 'ashlar codegen --dir .' writes them: set the "
                + "plugin's <folder>${project.basedir}</folder>, or move migrations/ and resource_snapshots/ into "
                + folder + " (the default, packaged in the application's jar)");
    }

    /** Whether the goal works on the database's migrations, and so needs {@code folder}; codegen and check do not. */
    boolean onDatabase() {
        return true;
    }

    /** The project folder, with the domain and plugins found in the project's classes when first needed. */
    Project project() throws MojoExecutionException {
        ClassLoader loader = classLoader();
        return configured(Project.open(folder.toPath()).domain(providers(loader)::find,
                () -> Plugins.discover(loader)), loader);
    }

    /**
     * The project with its domain found now, for the goals that always need it ({@code codegen}, {@code check}): a
     * project whose classes are not compiled, or list no provider, fails in the plugin's words, naming
     * {@code <domain>}, rather than in the command line's.
     */
    Project projectWithDomain() throws MojoExecutionException {
        ClassLoader loader = classLoader();
        Domain found = providers(loader).domain();
        return configured(Project.open(folder.toPath()).domain(found, Plugins.discover(loader)), loader);
    }

    /** With the Java migrations the project's classes list in META-INF/services, as the application applies them. */
    private Project configured(Project project, ClassLoader loader) {
        List<Path> extra = extraMigrations == null ? List.of() : extraMigrations.stream().map(File::toPath).toList();
        return delimited(project.extraMigrations(extra).progress(getLog()::info).placeholders(placeholderValues())
                .placeholderReplacement(!noPlaceholders)).javaMigrationsListedIn(loader);
    }

    /** With {@code placeholderPrefix} and {@code placeholderSuffix}, the one left out at its default. */
    private Project delimited(Project project) {
        if (placeholderPrefix == null && placeholderSuffix == null) {
            return project;
        }
        try {
            return project.placeholderDelimiters(placeholderPrefix == null ? PlaceholderDelimiters.DEFAULT.prefix()
                    : placeholderPrefix, placeholderSuffix == null ? PlaceholderDelimiters.DEFAULT.suffix()
                    : placeholderSuffix);
        } catch (AshlarException e) {
            String parameter = e.getMessage().contains("prefix") ? "placeholderPrefix" : "placeholderSuffix";
            throw new AshlarException(e.code(), "The plugin's <" + parameter + "> (-Dashlar." + parameter + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The placeholders' values, as Flyway's Maven plugin reads them: the pom's {@code <properties>} named
     * {@code ashlar.placeholders.NAME}, then the {@code configFiles}, then {@code <placeholders>}, then
     * {@code -Dashlar.placeholders.NAME=value}, each over the one before.
     */
    private Map<String, String> placeholderValues() {
        Map<String, String> values = new LinkedHashMap<>(placeholdersIn(mavenProject.getProperties()));
        values.putAll(config.placeholders());
        values.putAll(placeholders == null ? Map.of() : placeholders);
        values.putAll(placeholdersIn(System.getProperties()));
        if (session != null) {
            values.putAll(placeholdersIn(session.getUserProperties()));
        }
        return values;
    }

    static Map<String, String> placeholdersIn(Properties properties) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PLACEHOLDER_PROPERTY) && name.length() > PLACEHOLDER_PROPERTY.length()) {
                found.put(name.substring(PLACEHOLDER_PROPERTY.length()), properties.getProperty(name));
            }
        }
        return found;
    }

    private DomainProviders providers(ClassLoader loader) {
        return new DomainProviders(domain, loader, "name your class implementing "
                + "dev.ashlar.api.resource.DomainProvider in the plugin's <domain> (or -Dashlar.domain) and compile "
                + "it first (mvn compile ashlar:codegen, mvn verify for ashlar:check)");
    }

    /**
     * The same project on the configured database. Its folder must exist: a wrong {@code <folder>} would otherwise
     * read as a project without migrations, and {@code ashlar:migrate} would pass having applied nothing.
     */
    Project projectOnDatabase() throws MojoExecutionException {
        if (!folder.isDirectory()) {
            throw ProjectFileException.of(folder.toString(), "The Ashlar project folder " + folder + (folder.exists()
                    ? " is a file, not a folder: " : " does not exist: ")
                    + "set the plugin's <folder> (or -Dashlar.folder) to the folder that holds migrations/ (default: "
                    + "src/main/resources/db/ashlar), or start a project there with ashlar:codegen (or skip the goal "
                    + "while it is missing with -Dashlar.failOnMissingFolder=false)");
        }
        Project project = project().dataSource(dataSource()).connectRetries(connectRetries())
                .timeouts(Timeouts.none().withLock(duration(lockTimeout, "ashlar.lockTimeout"))
                        .withStatement(duration(statementTimeout, "ashlar.statementTimeout")));
        project = initSql == null ? project : project.initSql(initSql);
        project = installedBy == null ? project : project.installedBy(installedBy);
        project = historyTable == null ? project : project.historyTable(historyTable);
        project = acceptHistoryLeftBehind == null ? project : project.acceptHistoryLeftBehind(acceptHistoryLeftBehind);
        project = outputQueryResults == null ? project : project.outputQueryResults(outputQueryResults);
        return createSchemas == null ? project : project.createSchemas(createSchemas);
    }

    /** The retries {@code connectRetries} and {@code connectRetriesInterval} ask for. */
    private ConnectRetries connectRetries() {
        Duration interval = duration(connectRetriesInterval, "ashlar.connectRetriesInterval");
        return interval == null ? ConnectRetries.of(connectRetries) : new ConnectRetries(connectRetries, interval);
    }

    private static Duration duration(String value, String parameter) {
        return value == null || value.isBlank() ? null : Timeouts.parse(value, parameter);
    }

    /** The database, if one is configured; a project without one fails only when it needs it. */
    DataSource dataSourceIfAny() {
        String jdbc = jdbcUrl();
        return jdbc == null ? null : dataSource();
    }

    /**
     * A URL as the {@code ashlar} command reads it ({@code jdbc:postgresql:} or {@code postgres://user:password@host/db},
     * so that one {@code ASHLAR_DATABASE_URL} serves both), with {@code <user>} and {@code <password>} over the
     * URL's own, and the URL's over the {@code ASHLAR_DATABASE_USER} and {@code ASHLAR_DATABASE_PASSWORD} variables.
     */
    private DataSource dataSource() {
        String configured = jdbcUrl();
        String jdbc = configured == null ? null : DatabaseUrl.jdbc(configured);
        if (jdbc == null || !jdbc.startsWith("jdbc:postgresql:")) {
            throw DatabaseException.of((jdbc == null ? "No database" : "Unsupported database URL '"
                    + DatabaseUrl.masked(configured) + "': use jdbc:postgresql://host:port/database or "
                    + "postgres://user:password@host:port/database") + ": configure the plugin's <url> (or -Dashlar.url), "
                    + "with <user> and <password>, or set " + URL_VARIABLE);
        }
        DatabaseUrl.requireUserOutsideHostAndDatabase(jdbc, DatabaseUrl.masked(configured));
        PGSimpleDataSource source = new PGSimpleDataSource();
        try {
            source.setUrl(jdbc);
        } catch (IllegalArgumentException e) {
            throw DatabaseUrl.malformed(DatabaseUrl.masked(configured), null);   // pgjdbc's message shows the password
        }
        Server server = user == null && password == null ? server() : null;
        String serverUser = server == null ? null : server.getUsername();
        String serverPassword = server == null ? null : server.getPassword();
        source.setUser(user != null ? user : serverUser != null ? serverUser : source.getUser() != null
                ? source.getUser() : System.getenv(USER_VARIABLE));
        source.setPassword(password != null ? password : serverPassword != null ? serverPassword
                : source.getPassword() != null ? source.getPassword() : System.getenv(PASSWORD_VARIABLE));
        source.setConnectTimeout(10);
        return source;
    }

    /**
     * The settings' {@code <server>} named by {@code serverId}, its password decrypted; null when the default one is
     * not there. One named on purpose must be there: a typo would otherwise connect without its credentials.
     */
    private Server server() {
        Server server = settings == null || serverId == null ? null : settings.getServer(serverId);
        if (server == null) {
            if (serverId != null && !serverId.equals(DEFAULT_SERVER)) {
                throw DatabaseException.of("The plugin's <serverId> (-Dashlar.serverId) is " + serverId + ", and Maven's "
                        + "settings.xml has no <server> with that <id>: add one with its <username> and <password>, or "
                        + "give <user> and <password>");
            }
            return null;
        }
        if (decrypter == null) {
            return server;
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw DatabaseException.of("The password of <server> " + serverId + " in Maven's settings.xml cannot "
                        + "be decrypted: " + problem.getMessage() + ". Check ~/.m2/settings-security.xml, or encrypt "
                        + "it again with mvn --encrypt-password");
            }
        }
        return result.getServer();
    }

    private String jdbcUrl() {
        String configured = url != null && !url.isBlank() ? url : System.getenv(URL_VARIABLE);
        return configured == null || configured.isBlank() ? null : configured.trim();
    }

    /**
     * The project's compiled classes and its compile and runtime dependencies, over the plugin's own:
     * the domain and the Ashlar plugins the application uses are found there. Maven resolves the dependencies
     * only for a goal declaring {@code requiresDependencyResolution = COMPILE_PLUS_RUNTIME}; without it this
     * class path holds target/classes alone, and a domain using a plugin's classes fails to load.
     */
    private ClassLoader classLoader() throws MojoExecutionException {
        if (classes == null) {
            List<URL> urls = new ArrayList<>();
            try {
                for (String element : mavenProject.getRuntimeClasspathElements()) {
                    urls.add(new File(element).toURI().toURL());
                }
            } catch (DependencyResolutionRequiredException | MalformedURLException e) {
                throw new MojoExecutionException("Cannot read the class path of " + mavenProject.getId() + ": "
                        + e.getMessage(), e);
            }
            classes = new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader());
        }
        return classes;
    }
}
