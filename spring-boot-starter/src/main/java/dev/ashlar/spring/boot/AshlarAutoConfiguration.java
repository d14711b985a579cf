package dev.ashlar.spring.boot;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.DomainProvider;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.DatabaseUrl;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.tenant.TenantList;
import dev.ashlar.spi.plugin.AshlarPlugin;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Wires Ashlar into a Spring Boot application: an {@link Ashlar} on the application's {@link DataSource}
 * (unless the application defines its own), the domain of its {@link Domain} or {@link DomainProvider}
 * bean, plugins from the class path and {@link AshlarPlugin} beans, Spring transactions joined, and the
 * migrations applied at start-up. An application without a {@code DataSource} gets the migrations alone when
 * {@code ashlar.migrate.url} names their database, as Boot runs Flyway on {@code spring.flyway.url}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(Ashlar.class)
@Conditional(AshlarAutoConfiguration.DatabaseCondition.class)
@ConditionalOnProperty(prefix = "ashlar", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(AshlarProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class AshlarAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AshlarDomain ashlarDomain(ObjectProvider<Domain> domains, ObjectProvider<DomainProvider> providers,
                              ObjectProvider<AshlarPlugin> plugins, AshlarProperties properties,
                              ResourceLoader resources) {
        ClassLoader classLoader = resources.getClassLoader();
        return new AshlarDomain(() -> domain(domains, providers), plugins.orderedStream().toList(),
                properties.isDiscoverPlugins() ? once(() -> Plugins.discover(classLoader).all()) : List::of,
                classLoader);
    }

    /**
     * The supplier's value, got on the first call and kept: the plugins on the class path are searched for (and
     * logged) once, not on every health check and endpoint call that opens the project.
     */
    private static <T> Supplier<T> once(Supplier<T> supplier) {
        AtomicReference<T> value = new AtomicReference<>();
        return () -> {
            T known = value.get();
            if (known == null) {
                value.compareAndSet(null, supplier.get());
                known = value.get();
            }
            return known;
        };
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    Ashlar ashlar(ObjectProvider<DataSource> dataSources, ListableBeanFactory beans, AshlarDomain domain,
                  AshlarProperties properties, AshlarMigrations migrations,
                  ObjectProvider<AshlarCurrentUser> currentUser, ObjectProvider<AshlarBuilderCustomizer> customizers) {
        DataSource dataSource = applicationDataSource(dataSources, beans);
        // Tenants created through the data layer get the tenant migrations that start-up applies, from the same
        // location (the builder's own default is a folder in the working directory, which a packaged app lacks), and
        // the tenant schemas' Java migrations.
        Ashlar.Builder builder = Ashlar.builder().dataSource(dataSource).domain(domain.require())
                .classLoader(domain.classLoader()).discoverPlugins(properties.isDiscoverPlugins())
                .tenantMigrations(migrations.tenantMigrations())
                .tenantJavaMigrations(migrations.tenantJavaMigrations()).historyTable(migrations.historyTable())
                .placeholders(properties.getMigrate().placeholderValues());
        domain.installed().forEach(builder::install);
        if (properties.isJoinTransactions()) {
            builder.transactionJoin(new SpringTransactionJoin());
        }
        if (properties.getOptimisticLock() != null) {
            builder.optimisticLock(properties.getOptimisticLock());
        }
        properties.getReplicas().forEach((name, replica) -> {
            if (replica.getUrl() == null || replica.getUrl().isBlank()) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "The read replica " + name + " has no URL: set "
                        + "ashlar.replicas." + name + ".url to its JDBC URL (jdbc:postgresql://host:port/database)");
            }
            builder.replica(name, replica.getUrl(), replica.getUsername(), replica.getPassword());
        });
        currentUser.ifAvailable(users -> builder.currentUser(users::currentUser));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * Spring's exception translation of {@code @Repository} beans (on by default) turns Ashlar's exceptions into
     * its {@code DataAccessException}s with this.
     */
    @Bean
    @ConditionalOnMissingBean
    static AshlarExceptionTranslator ashlarExceptionTranslator() {
        return new AshlarExceptionTranslator();
    }

    @Bean
    @ConditionalOnMissingBean
    AshlarMigrations ashlarMigrations(ObjectProvider<DataSource> dataSources, ListableBeanFactory beans,
                                      AshlarDomain domain, AshlarProperties properties,
                                      @AshlarMigrationDataSource ObjectProvider<DataSource> migrationDataSource,
                                      ObjectProvider<TenantProgressListener> listeners,
                                      ObjectProvider<MigrationListener> migrationListeners,
                                      ObjectProvider<JavaMigration> javaMigrations,
                                      ObjectProvider<AshlarProjectCustomizer> customizers) {
        AshlarProperties.Migrate migrate = properties.getMigrate();
        // Only a start-up that migrates needs the location: with migrate.enabled=false a missing one is logged.
        Optional<Path> folder = AshlarLocation.find(migrate.getLocation(), domain.classLoader(),
                migrate.isEnabled() && migrate.isFailOnMissingLocation());
        // A missing location that may be missing: a project that reads no file, and a start-up that migrates nothing.
        Project project = Project.open(folder.orElse(Path.of(migrate.getLocation())))
                .domain(domain::find, domain::plugins)
                .dataSource(migrating(properties.getMigrate(), migrationDataSource.getIfAvailable(),
                        beans.getBeanNamesForType(DataSource.class).length == 0 ? null
                                : applicationDataSource(dataSources, beans)))
                .connectRetries(properties.getMigrate().retries())
                .initSql(properties.getMigrate().initSql())
                .placeholders(properties.getMigrate().getPlaceholders())
                .placeholderReplacement(properties.getMigrate().isPlaceholderReplacement())
                .placeholderDelimiters(properties.getMigrate().getPlaceholderPrefix(),
                        properties.getMigrate().getPlaceholderSuffix());
        project = migrate.getInstalledBy() == null ? project : project.installedBy(migrate.getInstalledBy());
        project = migrate.getHistoryTable() == null ? project : project.historyTable(migrate.getHistoryTable());
        project = migrate.getAcceptHistoryLeftBehind() == null ? project
                : project.acceptHistoryLeftBehind(migrate.getAcceptHistoryLeftBehind());
        project = migrate.getCreateSchemas() == null ? project : project.createSchemas(migrate.getCreateSchemas());
        project = migrate.getOutputQueryResults() == null ? project
                : project.outputQueryResults(migrate.getOutputQueryResults());
        if (folder.isPresent()) {
            project = AshlarLocation.extra(project, migrate.getExtraLocations(), domain.classLoader());
        }
        // As Spring Boot hands Flyway its Callback beans: each MigrationListener bean, in order.
        for (MigrationListener listener : migrationListeners.orderedStream().toList()) {
            project = project.listener(listener);
        }
        // As Spring Boot hands Flyway its JavaMigration beans: each one, applied with the files of its scope() (the main
        // schema's, or every tenant schema's).
        project = project.javaMigrations(javaMigrations.orderedStream().toArray(JavaMigration[]::new));
        for (AshlarProjectCustomizer customizer : customizers.orderedStream().toList()) {
            project = customizer.customize(project);
            if (project == null) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "The AshlarProjectCustomizer "
                        + customizer.getClass().getName() + " returned null: return the project it was given, or "
                        + "what that project's methods return");
            }
        }
        BooleanSupplier tenancy = () -> domain.find().flatMap(d -> TenantList.of(domain.plugins(), d)).isPresent();
        return new AshlarMigrations(project, folder.isPresent(), migrate.run(), migrate.isTestRollback(),
                migrate.ignoredMigrations(), tenancy, migrate.getTenantJobs(),
                progress -> listeners.orderedStream().forEach(listener -> listener.progress(progress)));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "ashlar.migrate", name = "enabled", matchIfMissing = true)
    AshlarMigrationInitializer ashlarMigrationInitializer(AshlarMigrations migrations, AshlarProperties properties,
                                                          ObjectProvider<AshlarMigrationStrategy> strategy) {
        return new AshlarMigrationInitializer(migrations, properties.getMigrate().isTenants(),
                properties.getMigrate().isValidateOnly(), strategy.getIfAvailable());
    }

    @Bean
    @ConditionalOnProperty(prefix = "ashlar.migrate", name = "enabled", havingValue = "false")
    AshlarPendingMigrationsWarning ashlarPendingMigrationsWarning(AshlarMigrations migrations) {
        return new AshlarPendingMigrationsWarning(migrations);
    }

    /**
     * The application's {@code DataSource}: the only one, or the {@code @Primary} one among several. Without one of
     * them Spring would stop the start-up saying only that it found several; this names the fix.
     */
    static DataSource applicationDataSource(ObjectProvider<DataSource> dataSources, ListableBeanFactory beans) {
        DataSource unique = dataSources.getIfUnique();
        if (unique == null) {
            throw new AshlarException(ErrorCode.INVALID_DEFINITION, "Ashlar found several DataSource beans ("
                    + String.join(", ", beans.getBeanNamesForType(DataSource.class)) + ") and none is @Primary: mark "
                    + "the application's own @Primary, and the one the migrations run on @AshlarMigrationDataSource "
                    + "(or set ashlar.migrate.url)");
        }
        return unique;
    }

    /**
     * What the migrations run on, chosen as Boot chooses Flyway's: the {@link AshlarMigrationDataSource} bean; else,
     * when {@code ashlar.migrate.url} or {@code .username} is set, connections of their own, made one at a time
     * (the application's URL and user stand in for the one not set, and the password goes with the user); else the
     * application's {@code DataSource}.
     *
     * @param application the application's {@code DataSource}, or null when it has none (then the URL is set)
     */
    static DataSource migrating(AshlarProperties.Migrate migrate, DataSource own, DataSource application) {
        if (own != null) {
            return own;
        }
        boolean url = hasText(migrate.getUrl());
        boolean user = hasText(migrate.getUsername());
        if (application == null && !url) {
            throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.url is empty and the application "
                    + "has no DataSource: set ashlar.migrate.url to the JDBC URL of the database to migrate");
        }
        if (!url && !user) {
            if (migrate.getPassword() != null) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.password is set without "
                        + "ashlar.migrate.username: set the user the migrations connect as, or remove the password");
            }
            return application;
        }
        DataSourceBuilder<?> builder;
        try {
            builder = application == null ? DataSourceBuilder.create(AshlarAutoConfiguration.class.getClassLoader())
                    : DataSourceBuilder.derivedFrom(application);
        } catch (RuntimeException e) {
            if (!url) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.username is set, but the "
                        + "application's DataSource (" + application.getClass().getName() + ") does not tell the URL "
                        + "to connect to as that user: set ashlar.migrate.url too", e);
            }
            builder = DataSourceBuilder.create(application.getClass().getClassLoader());
        }
        builder = builder.type(SimpleDriverDataSource.class);
        if (url) {
            requireReadable(migrate.getUrl());
            builder.url(migrate.getUrl());
        }
        if (user) {
            // The driver lets a user in the URL win over the one given beside it: the migrations would connect as
            // the application's user without a word, so the URL's user and password give way to the properties'.
            String target = url ? migrate.getUrl() : urlOf(application);
            if (target != null) {
                builder.url(withoutCredentials(target));
            }
            builder.username(migrate.getUsername()).password(migrate.getPassword());
        } else if (migrate.getPassword() != null) {
            builder.password(migrate.getPassword());
        }
        return builder.build();
    }

    /** Refuses an {@code ashlar.migrate.url} that pgjdbc would read other than meant, naming the property. */
    private static void requireReadable(String url) {
        try {
            DatabaseUrl.requireUserOutsideHostAndDatabase(url, DatabaseUrl.masked(url));
        } catch (DatabaseException e) {
            throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.url: " + e.getMessage());
        }
    }

    /** The JDBC URL without the user and password parameters it may carry. */
    static String withoutCredentials(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        String kept = Arrays.stream(url.substring(query + 1).split("&"))
                .filter(parameter -> !parameter.startsWith("user=") && !parameter.startsWith("password="))
                .collect(Collectors.joining("&"));
        return url.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
    }

    /** The URL of the application's connections, or null when its pool does not tell. */
    private static String urlOf(DataSource application) {
        try (java.sql.Connection connection = application.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    /**
     * A {@code DataSource} bean, or {@code ashlar.migrate.url} without one: the migrations then run there alone, as Boot
     * runs Flyway on {@code spring.flyway.url} in an application without a {@code DataSource}.
     */
    static final class DatabaseCondition extends AnyNestedCondition {
        DatabaseCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(DataSource.class)
        static final class DataSourceBean {
        }

        @ConditionalOnProperty(prefix = "ashlar.migrate", name = "url")
        static final class MigrationUrl {
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    private static Optional<Domain> domain(ObjectProvider<Domain> domains, ObjectProvider<DomainProvider> providers) {
        Domain domain = domains.getIfUnique();
        if (domain != null) {
            return Optional.of(domain);
        }
        List<DomainProvider> found = providers.orderedStream().toList();
        if (found.size() > 1) {
            throw new AshlarException(ErrorCode.INVALID_DEFINITION, "Ashlar found " + found.size()
                    + " DomainProvider beans; define one Domain bean, or one DomainProvider");
        }
        return found.stream().findFirst().map(DomainProvider::domain);
    }

    /** Where the domain and plugins come from, shared by the Ashlar bean and the migrations. */
    record AshlarDomain(Supplier<Optional<Domain>> source, List<AshlarPlugin> installed,
                        Supplier<List<AshlarPlugin>> discovered, ClassLoader classLoader) {
        Optional<Domain> find() {
            return source.get();
        }

        Domain require() {
            return find().orElseThrow(() -> new AshlarException(ErrorCode.INVALID_DEFINITION,
                    "Ashlar needs the application's domain: define a bean of type Domain, or of type "
                            + "DomainProvider, or an Ashlar bean of your own"));
        }

        Plugins plugins() {
            Plugins plugins = Plugins.none();
            for (AshlarPlugin plugin : installed) {
                plugins = plugins.with(plugin);
            }
            for (AshlarPlugin plugin : discovered.get()) {
                plugins = plugins.with(plugin);
            }
            return plugins;
        }
    }
}
