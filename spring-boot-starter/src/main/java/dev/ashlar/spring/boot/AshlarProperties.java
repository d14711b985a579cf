package dev.ashlar.spring.boot;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.Placeholders;
import dev.ashlar.kernel.layout.MigrationLocation;
import dev.ashlar.kernel.migrate.IgnoreMigrationPatterns;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.PlaceholderDelimiters;
import dev.ashlar.kernel.project.ConnectRetries;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code ashlar.*} settings of a Spring Boot application.
 */
@ConfigurationProperties("ashlar")
public class AshlarProperties {
    /**
     * Whether Ashlar is on at all: false makes no Ashlar bean, applies no migration and adds no endpoint or
     * metrics (as spring.flyway.enabled=false); the application then builds Ashlar itself, if at all.
     */
    private boolean enabled = true;

    /** Whether to discover plugins on the class path (META-INF/services); AshlarPlugin beans are always installed. */
    private boolean discoverPlugins = true;

    /**
     * Whether Ashlar takes part in Spring-managed transactions: inside one, every action uses the
     * transaction's connection and is rolled back with it.
     */
    private boolean joinTransactions = true;

    /** The integer attribute that versions records for optimistic concurrency (e.g. lock_version); none when unset. */
    private String optimisticLock;

    /** Read replicas by the name a routing plugin uses for them. */
    private final Map<String, Replica> replicas = new LinkedHashMap<>();

    private final Migrate migrate = new Migrate();

    private final Metrics metrics = new Metrics();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isDiscoverPlugins() {
        return discoverPlugins;
    }

    public void setDiscoverPlugins(boolean discoverPlugins) {
        this.discoverPlugins = discoverPlugins;
    }

    public boolean isJoinTransactions() {
        return joinTransactions;
    }

    public void setJoinTransactions(boolean joinTransactions) {
        this.joinTransactions = joinTransactions;
    }

    public String getOptimisticLock() {
        return optimisticLock;
    }

    public void setOptimisticLock(String optimisticLock) {
        this.optimisticLock = optimisticLock;
    }

    public Map<String, Replica> getReplicas() {
        return replicas;
    }

    public Migrate getMigrate() {
        return migrate;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** Micrometer metrics. */
    public static class Metrics {
        /** Whether to time actions and count errors in the application's MeterRegistry, when it has one. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Migrations at start-up; with a URL or user of their own (as spring.flyway.url and .user), they run on connections
     * of their own, the application's URL or user standing in for the one not set.
     */
    public static class Migrate extends Connection {
        /** Whether to apply pending migrations when the application starts. */
        private boolean enabled = true;

        /**
         * Where the project is: its migrations/ and tenant_migrations/ folders (classpath: or filesystem:; without a
         * prefix, on the class path, as Flyway's locations).
         */
        private String location = "classpath:db/ashlar";

        /**
         * Folders of main-schema migration files read besides the project's migrations/ (as spring.flyway.locations
         * beyond the first), each the folder of the .sql files itself (classpath: or filesystem:; without a prefix, on the
         * class path): their files are merged by version with the project's, and a version in two folders stops the
         * start-up, naming both files.
         */
        private List<String> extraLocations = List.of();

        /**
         * Whether a location that is not there stops the start-up; false logs it and starts without migrating (as
         * spring.flyway.fail-on-missing-locations, whose default is the other way).
         */
        private boolean failOnMissingLocation = true;

        /** Whether to migrate every tenant schema too, after the main schema. */
        private boolean tenants;

        /** How many tenant schemas to migrate at once. */
        private int tenantJobs = 4;

        /**
         * How many times to try connecting again while the database does not answer yet, after 1 s, 2 s, 4 s ... at
         * most 2 min apart (as spring.flyway.connect-retries).
         */
        private int connectRetries;

        /**
         * The longest wait between two connection retries (as spring.flyway.connect-retries-interval and ashlar
         * --connect-retries-interval; a bare number is seconds).
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration connectRetriesInterval = ConnectRetries.NONE.longestWait();

        /**
         * SQL statements run on every connection the migrations open, right after opening it (as
         * spring.flyway.init-sqls), e.g. SET ROLE app_owner; what they set is given back before the connection
         * returns to the pool.
         */
        private List<String> initSqls = List.of();

        /**
         * Of the main-schema files with a '-- context:' header, apply those whose expression these contexts satisfy
         * (as spring.liquibase.contexts); files without one always apply. None: every file.
         */
        private List<String> contexts = List.of();

        /**
         * Of the main-schema files with a '-- labels:' header, apply those whose labels satisfy this expression, e.g.
         * billing and !eu (as spring.liquibase.label-filter); files without labels always apply. None: every file.
         */
        private String labels;

        /**
         * Values of the migration files' {@code ${name}} placeholders ({@code ashlar.migrate.placeholders.owner=app}),
         * for start-up's migrations and the tenants the application creates.
         */
        private final Map<String, String> placeholders = new LinkedHashMap<>();

        /** Whether {@code ${name}} is replaced at all; false runs the files as written. */
        private boolean placeholderReplacement = true;

        /**
         * What opens a placeholder in the migration files (as spring.flyway.placeholder-prefix and ashlar
         * --placeholder-prefix): #[ with placeholder-suffix ] replaces #[owner] and leaves {@code ${owner}} as text.
         */
        private String placeholderPrefix = PlaceholderDelimiters.DEFAULT.prefix();

        /** What closes a placeholder (as spring.flyway.placeholder-suffix). */
        private String placeholderSuffix = PlaceholderDelimiters.DEFAULT.suffix();

        public String getPlaceholderPrefix() {
            return placeholderPrefix;
        }

        /** @throws IllegalArgumentException naming the property for an empty prefix or one with white space */
        public void setPlaceholderPrefix(String placeholderPrefix) {
            delimiters(placeholderPrefix, PlaceholderDelimiters.DEFAULT.suffix(), "prefix");
            this.placeholderPrefix = placeholderPrefix;
        }

        public String getPlaceholderSuffix() {
            return placeholderSuffix;
        }

        /** @throws IllegalArgumentException naming the property for an empty suffix or one with white space */
        public void setPlaceholderSuffix(String placeholderSuffix) {
            delimiters(PlaceholderDelimiters.DEFAULT.prefix(), placeholderSuffix, "suffix");
            this.placeholderSuffix = placeholderSuffix;
        }

        private static void delimiters(String prefix, String suffix, String which) {
            try {
                new PlaceholderDelimiters(prefix, suffix);
            } catch (AshlarException e) {
                throw new IllegalArgumentException("ashlar.migrate.placeholder-" + which + ": " + e.getMessage(), e);
            }
        }

        /** How the placeholders are written: {@code ${name}} unless placeholder-prefix or -suffix say otherwise. */
        PlaceholderDelimiters placeholderDelimiters() {
            return new PlaceholderDelimiters(placeholderPrefix, placeholderSuffix);
        }

        /**
         * Who the migration history records as having applied each file (as spring.flyway.installed-by). None: the
         * database user, or migrate.installed-by in the location's ashlar.properties.
         */
        private String installedBy;

        /**
         * The table that holds the migration history, in the main schema and in every tenant schema (as
         * spring.flyway.table). None: ashlar_schema_migrations, or migrate.history-table in the location's
         * ashlar.properties. meta.history keeps the main schema's history in the schema meta (as
         * spring.flyway.default-schema), each tenant's in its own schema.
         */
        private String historyTable;

        /**
         * With a history-table in a schema of its own (meta.history): a history left in the main schema (another
         * application's, or an old one kept on purpose) is accepted and the new one starts empty, rather than refused
         * as moved. None: false, or migrate.accept-history-left-behind in the location's ashlar.properties.
         */
        private Boolean acceptHistoryLeftBehind;

        /**
         * Whether start-up's migrate creates the main schema (public) when it is missing (as
         * spring.flyway.create-schemas). None: true, or migrate.create-schemas in the location's ashlar.properties.
         */
        private Boolean createSchemas;

        /**
         * Whether start-up's migrate logs the rows each statement of a main-schema file returns (a SELECT) as a table
         * of at most 100 rows (as Flyway's outputQueryResults). None: true, or migrate.output-query-results in the
         * location's ashlar.properties.
         */
        private Boolean outputQueryResults;

        public String getInstalledBy() {
            return installedBy;
        }

        public void setInstalledBy(String installedBy) {
            this.installedBy = installedBy;
        }

        public String getHistoryTable() {
            return historyTable;
        }

        public void setHistoryTable(String historyTable) {
            this.historyTable = historyTable;
        }

        public Boolean getAcceptHistoryLeftBehind() {
            return acceptHistoryLeftBehind;
        }

        public void setAcceptHistoryLeftBehind(Boolean acceptHistoryLeftBehind) {
            this.acceptHistoryLeftBehind = acceptHistoryLeftBehind;
        }

        public Boolean getCreateSchemas() {
            return createSchemas;
        }

        public void setCreateSchemas(Boolean createSchemas) {
            this.createSchemas = createSchemas;
        }

        public Boolean getOutputQueryResults() {
            return outputQueryResults;
        }

        public void setOutputQueryResults(Boolean outputQueryResults) {
            this.outputQueryResults = outputQueryResults;
        }

        public Map<String, String> getPlaceholders() {
            return placeholders;
        }

        public boolean isPlaceholderReplacement() {
            return placeholderReplacement;
        }

        public void setPlaceholderReplacement(boolean placeholderReplacement) {
            this.placeholderReplacement = placeholderReplacement;
        }

        /** The placeholders, checked (a malformed name, a value with a line break) and with the replacement switch. */
        Placeholders placeholderValues() {
            return Placeholders.of(placeholders).enabled(placeholderReplacement).delimiters(placeholderDelimiters());
        }

        /** The last version to apply at start-up (as ashlar migrate --to, spring.flyway.target); none: every one. */
        private String target;

        /**
         * The tag of the last file to apply at start-up: the one whose '-- tag: TAG' header names it, that one included
         * (as ashlar migrate --to-tag, Liquibase's update-to-tag, spring.liquibase.tag); none: every one. Not with
         * target.
         */
        private String toTag;

        /**
         * The oldest version the main schema's history may end at for start-up to migrate it (as ashlar migrate
         * --min-version, Ebean's minVersion): after old files were squashed away, a database that missed them stops
         * the start-up before anything is applied, to be brought to this version by the release that still has them.
         * A new database migrates as usual. 14 digits; need not be one of the files. Main schema only.
         */
        private String minVersion;

        /**
         * Whether to first record the files up to baseline-version as baselined, without running them, when the main
         * schema holds tables, views, sequences, types or functions but no migration history (as
         * spring.flyway.baseline-on-migrate).
         */
        private boolean baselineOnMigrate;

        /** The last file a baseline on migrate records; none: the oldest file. */
        private String baselineVersion;

        /**
         * Whether a pending migration of the main schema older than its newest applied one (a branch merged late) is
         * applied in version order with the rest (true) or stops the start-up before anything is applied (false, as
         * spring.flyway.out-of-order=false); with tenants=true, in each tenant schema too.
         */
        private boolean outOfOrder = true;

        /**
         * Whether start-up rehearses the main schema's pending migrations before keeping them (as
         * spring.liquibase.test-rollback-on-update and ashlar migrate --test-rollback): each is applied, rolled back and
         * checked to leave the schema as it found it, then applied again; a down section that leaves something behind
         * or drops too much stops the start-up naming it. For development and CI databases: rows written to what the
         * files made are lost.
         */
        private boolean testRollback;

        /**
         * Whether start-up only checks the main schema (and with tenants=true every tenant schema) and applies nothing:
         * a pending, changed or missing migration stops the start-up, naming it, for a deployment that migrates
         * beforehand.
         */
        private boolean validateOnly;

        /**
         * Whether start-up first checks that no applied migration of the main schema changed since it was applied
         * (as spring.flyway.validate-on-migrate); false applies the pending files past a changed one with a warning
         * that it was not checked (ashlar migrate --no-validate). A missing applied file still stops the start-up.
         */
        private boolean validateOnMigrate = true;

        /**
         * Whether start-up runs none of the callback files of migrations/ (beforeMigrate.sql, afterMigrate.sql, ...;
         * as spring.flyway.skip-default-callbacks and ashlar migrate --skip-default-callbacks); MigrationListener beans
         * are still told. Main schema only.
         */
        private boolean skipDefaultCallbacks;

        /**
         * Whether start-up records the main schema's pending migrations (up to the target) as applied without running
         * them, baselined in the history (as spring.flyway.skip-executing-migrations and ashlar migrate
         * --skip-executing-migrations): for files applied by hand. Repeatable files are not recorded. Main schema only.
         */
        private boolean skipExecutingMigrations;

        /**
         * Whether start-up refuses a main schema that holds tables, views, sequences, types or functions but no migration
         * history (made by another tool or by hand), as Flyway refuses a non-empty schema without a schema history table
         * and ashlar migrate --refuse-non-empty-schema does; baseline-on-migrate takes such a schema over instead.
         */
        private boolean refuseNonEmptySchema;

        /**
         * With validate-only, the migrations that pass (as spring.flyway.ignore-migration-patterns and ashlar validate
         * --ignore-migration-patterns): TYPE:STATE, TYPE versioned, repeatable or *, STATE missing, pending, ignored,
         * future or *. Set, the patterns alone decide; none: every file up to the target must be applied.
         */
        private List<String> ignoreMigrationPatterns = List.of();

        public List<String> getIgnoreMigrationPatterns() {
            return ignoreMigrationPatterns;
        }

        /** @throws IllegalArgumentException naming the property and a pattern that is not TYPE:STATE */
        public void setIgnoreMigrationPatterns(List<String> patterns) {
            List<String> given = patterns == null ? List.of() : List.copyOf(patterns);
            try {
                IgnoreMigrationPatterns.parse(String.join(",", given));
            } catch (MigrationException e) {
                throw new IllegalArgumentException("ashlar.migrate.ignore-migration-patterns: " + e.getMessage(), e);
            }
            this.ignoreMigrationPatterns = given;
        }

        /** The patterns validate-only applies; empty when none are set, and every file up to the target must be applied. */
        Optional<IgnoreMigrationPatterns> ignoredMigrations() {
            return ignoreMigrationPatterns.isEmpty() ? Optional.empty()
                    : Optional.of(IgnoreMigrationPatterns.parse(String.join(",", ignoreMigrationPatterns)));
        }

        public String getTarget() {
            return target;
        }

        public void setTarget(String target) {
            this.target = blankToNull(target);
        }

        public String getToTag() {
            return toTag;
        }

        public void setToTag(String toTag) {
            this.toTag = blankToNull(toTag);
        }

        public String getMinVersion() {
            return minVersion;
        }

        public void setMinVersion(String minVersion) {
            this.minVersion = blankToNull(minVersion);
        }

        public boolean isBaselineOnMigrate() {
            return baselineOnMigrate;
        }

        public void setBaselineOnMigrate(boolean baselineOnMigrate) {
            this.baselineOnMigrate = baselineOnMigrate;
        }

        public String getBaselineVersion() {
            return baselineVersion;
        }

        public void setBaselineVersion(String baselineVersion) {
            this.baselineVersion = blankToNull(baselineVersion);
        }

        public boolean isOutOfOrder() {
            return outOfOrder;
        }

        public void setOutOfOrder(boolean outOfOrder) {
            this.outOfOrder = outOfOrder;
        }

        public boolean isTestRollback() {
            return testRollback;
        }

        public void setTestRollback(boolean testRollback) {
            this.testRollback = testRollback;
        }

        public boolean isValidateOnMigrate() {
            return validateOnMigrate;
        }

        public void setValidateOnMigrate(boolean validateOnMigrate) {
            this.validateOnMigrate = validateOnMigrate;
        }

        public boolean isSkipDefaultCallbacks() {
            return skipDefaultCallbacks;
        }

        public void setSkipDefaultCallbacks(boolean skipDefaultCallbacks) {
            this.skipDefaultCallbacks = skipDefaultCallbacks;
        }

        public boolean isSkipExecutingMigrations() {
            return skipExecutingMigrations;
        }

        public void setSkipExecutingMigrations(boolean skipExecutingMigrations) {
            this.skipExecutingMigrations = skipExecutingMigrations;
        }

        public boolean isRefuseNonEmptySchema() {
            return refuseNonEmptySchema;
        }

        public void setRefuseNonEmptySchema(boolean refuseNonEmptySchema) {
            this.refuseNonEmptySchema = refuseNonEmptySchema;
        }

        public boolean isValidateOnly() {
            return validateOnly;
        }

        public void setValidateOnly(boolean validateOnly) {
            this.validateOnly = validateOnly;
        }

        /**
         * The start-up run these properties ask for.
         *
         * @throws AshlarException for validate-only with a baseline on migrate, which would record nothing
         */
        public MigrateRun run() {
            if (validateOnly && baselineOnMigrate) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.validate-only=true "
                        + "applies nothing, so ashlar.migrate.baseline-on-migrate=true cannot baseline: set one of "
                        + "them to false");
            }
            if (skipExecutingMigrations && (validateOnly || testRollback)) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.skip-executing-migrations=true "
                        + "records the pending files without running them, so ashlar.migrate." + (validateOnly
                        ? "validate-only=true, which applies nothing," : "test-rollback=true, which runs them,")
                        + " cannot go with it: set one of them to false");
            }
            MigrateRun run = MigrateRun.all().upTo(target).outOfOrder(outOfOrder).contexts(contexts)
                    .labels(blankToNull(labels)).validateOnMigrate(validateOnMigrate)
                    .skipDefaultCallbacks(skipDefaultCallbacks).skipExecutingMigrations(skipExecutingMigrations)
                    .refuseNonEmptySchema(refuseNonEmptySchema);
            if (toTag != null && target != null) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.target (" + target + ") and "
                        + "ashlar.migrate.to-tag (" + toTag + ") both bound the start-up migration: set one of them");
            }
            try {
                run = toTag == null ? run : run.upToTag(toTag);
            } catch (MigrationException e) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.to-tag: " + e.getMessage(), e);
            }
            try {
                run = minVersion == null ? run : run.minVersion(minVersion);
            } catch (MigrationException e) {
                throw new AshlarException(ErrorCode.INVALID_DEFINITION, "ashlar.migrate.min-version: "
                        + e.getMessage(), e);
            }
            return baselineOnMigrate ? run.baselineOnMigrate(baselineVersion) : run;
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getLocation() {
            return location;
        }

        /**
         * Sets the project's location; one without a prefix ({@code db/ashlar}) is read from the class path, as
         * Flyway reads its locations.
         *
         * @throws IllegalArgumentException for a location of another kind (http:, jar:, ...), which would otherwise be
         *                                  read as a folder of that name, and found empty
         */
        public void setLocation(String location) {
            this.location = location("ashlar.migrate.location", location, "classpath:db/ashlar",
                    "filesystem:/path/to/project");
        }

        public List<String> getExtraLocations() {
            return extraLocations;
        }

        /** @throws IllegalArgumentException as {@link #setLocation}, for each location */
        public void setExtraLocations(List<String> extraLocations) {
            this.extraLocations = extraLocations.stream().map(location -> location("ashlar.migrate.extra-locations",
                    location, "classpath:db/shared/migrations", "filesystem:/path/to/migrations")).toList();
        }

        private static String location(String property, String location, String classpath, String filesystem) {
            String trimmed = location == null ? "" : location.trim();
            if (trimmed.isEmpty() || (trimmed.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")
                    && !trimmed.startsWith(MigrationLocation.CLASSPATH) && !trimmed.startsWith(MigrationLocation.FILESYSTEM))) {
                throw new IllegalArgumentException(property + ": '" + location + "' is no migrations location: use "
                        + classpath + " (a folder packaged in the application) or " + filesystem);
            }
            // As Flyway reads its locations (and Boot's spring.flyway.locations): no prefix means the class path.
            boolean prefixed = trimmed.startsWith(MigrationLocation.CLASSPATH)
                    || trimmed.startsWith(MigrationLocation.FILESYSTEM);
            return prefixed ? trimmed : MigrationLocation.CLASSPATH + trimmed;
        }

        public boolean isFailOnMissingLocation() {
            return failOnMissingLocation;
        }

        public void setFailOnMissingLocation(boolean failOnMissingLocation) {
            this.failOnMissingLocation = failOnMissingLocation;
        }

        public boolean isTenants() {
            return tenants;
        }

        public void setTenants(boolean tenants) {
            this.tenants = tenants;
        }

        public int getTenantJobs() {
            return tenantJobs;
        }

        /** @throws IllegalArgumentException when below 1 */
        public void setTenantJobs(int tenantJobs) {
            if (tenantJobs < 1) {
                throw new IllegalArgumentException("ashlar.migrate.tenant-jobs is " + tenantJobs + ": tenant schemas "
                        + "are migrated at least one at a time; set it to 1 or more (default 4)");
            }
            this.tenantJobs = tenantJobs;
        }

        public List<String> getContexts() {
            return contexts;
        }

        public void setContexts(List<String> contexts) {
            this.contexts = List.copyOf(contexts);
        }

        public String getLabels() {
            return labels;
        }

        public void setLabels(String labels) {
            this.labels = labels;
        }

        public List<String> getInitSqls() {
            return initSqls;
        }

        public void setInitSqls(List<String> initSqls) {
            this.initSqls = List.copyOf(initSqls);
        }

        /** The init statements as one script, each ended by a semicolon; blank for none. */
        String initSql() {
            return initSqls.stream().map(statement -> statement + ";\n").collect(Collectors.joining());
        }

        public int getConnectRetries() {
            return connectRetries;
        }

        /** @throws IllegalArgumentException when below 0 */
        public void setConnectRetries(int connectRetries) {
            if (connectRetries < 0) {
                throw new IllegalArgumentException("ashlar.migrate.connect-retries is " + connectRetries + ": set it to 0 "
                        + "(no retry, the default) or more");
            }
            this.connectRetries = connectRetries;
        }

        public Duration getConnectRetriesInterval() {
            return connectRetriesInterval;
        }

        /** @throws IllegalArgumentException when not above zero */
        public void setConnectRetriesInterval(Duration connectRetriesInterval) {
            if (connectRetriesInterval == null || connectRetriesInterval.isNegative() || connectRetriesInterval.isZero()) {
                throw new IllegalArgumentException("ashlar.migrate.connect-retries-interval is " + connectRetriesInterval
                        + ": set a positive duration, e.g. 10s (default: 120s)");
            }
            this.connectRetriesInterval = connectRetriesInterval;
        }

        /** The retries connect-retries and connect-retries-interval ask for. */
        ConnectRetries retries() {
            return new ConnectRetries(connectRetries, connectRetriesInterval);
        }
    }

    /** A read replica's connection. */
    public static class Replica extends Connection {
    }

    /** A connection of its own. */
    public static class Connection {
        /** The JDBC URL to connect to. */
        private String url;

        /** The user to connect as. */
        private String username;

        /** The password to connect with. */
        private String password;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }
}
