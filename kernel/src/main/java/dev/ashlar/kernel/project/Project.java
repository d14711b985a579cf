package dev.ashlar.kernel.project;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.codegen.ProjectTarget;
import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.drift.Difference;
import dev.ashlar.kernel.drift.DriftCheck;
import dev.ashlar.kernel.drift.DriftReport;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.kernel.layout.MigrationLocation;
import dev.ashlar.kernel.layout.ProjectLayout;
import dev.ashlar.kernel.lint.LintReport;
import dev.ashlar.kernel.lint.Linter;
import dev.ashlar.kernel.lint.SettingsFile;
import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.DryRunText;
import dev.ashlar.kernel.migrate.FileChecksum;
import dev.ashlar.kernel.migrate.FileRunner;
import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.migrate.IgnoreMigrationPatterns;
import dev.ashlar.kernel.migrate.InitSql;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.JavaMigrations;
import dev.ashlar.kernel.migrate.MainSchema;
import dev.ashlar.kernel.migrate.ListedJavaMigrations;
import dev.ashlar.kernel.migrate.MigrateReport;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationListener;
import dev.ashlar.kernel.migrate.MigrationLocks;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.migrate.PlaceholderDelimiters;
import dev.ashlar.kernel.migrate.Placeholders;
import dev.ashlar.kernel.migrate.Timeouts;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.snapshot.SnapshotStore;
import dev.ashlar.kernel.tenant.Citus;
import dev.ashlar.kernel.tenant.TenantList;
import dev.ashlar.kernel.tenant.TenantMigrator;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.tenant.TenantStatus;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.spi.schema.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A project folder ({@link ProjectLayout}) with its domain, plugins and database: everything the
 * {@code ashlar} command does, for any program to do the same (a build plugin, an application at
 * start-up). The command line only parses options and prints results.
 *
 * <pre>{@code
 * Project project = Project.open(Path.of(".")).domain(domain, Plugins.discover(loader)).dataSource(dataSource);
 * project.generate("add_comments", Renames.none());
 * project.migrate();
 * project.migrateTenants(TenantSelection.all().jobs(8));
 * }</pre>
 */
public final class Project {
    private static final Logger LOG = LoggerFactory.getLogger(Project.class);

    private final ProjectLayout layout;
    private final Supplier<Optional<Domain>> domain;
    private final Supplier<Plugins> plugins;
    private final DataSource dataSource;
    private final Timeouts timeouts;
    private final Consumer<String> progress;
    private final Clock clock;
    private final Target target;
    private final Codegen.Options codegenOptions;
    private final List<MigrationListener> listeners;
    private final boolean cleanEnabled;
    private final Connecting connecting;
    private final Placeholders placeholders;
    private final List<JavaMigration> javaMigrations;

    private Project(ProjectLayout layout, Supplier<Optional<Domain>> domain, Supplier<Plugins> plugins,
                    DataSource dataSource, Timeouts timeouts, Consumer<String> progress, Clock clock, Target target,
                    Codegen.Options codegenOptions, List<MigrationListener> listeners, boolean cleanEnabled,
                    Connecting connecting, Placeholders placeholders, List<JavaMigration> javaMigrations) {
        this.placeholders = placeholders;
        this.javaMigrations = List.copyOf(javaMigrations);
        this.listeners = List.copyOf(listeners);
        this.connecting = connecting;
        this.cleanEnabled = cleanEnabled;
        this.target = target;
        this.codegenOptions = codegenOptions;
        this.layout = layout;
        this.domain = domain;
        this.plugins = plugins;
        this.dataSource = dataSource;
        this.timeouts = timeouts;
        this.progress = progress;
        this.clock = clock;
    }

    /** A project folder, with no domain and no database yet. */
    public static Project open(Path folder) {
        return new Project(ProjectLayout.of(folder), Optional::empty, Plugins::none, null, Timeouts.none(), LOG::info,
                Clock.systemUTC(), null, Codegen.Options.DEFAULT, List.of(), false, Connecting.NONE,
                Placeholders.NONE, List.of());
    }

    /**
     * A project at a location: a folder, or {@code classpath:db/ashlar} for the migrations packaged in
     * the application (see {@link MigrationLocation}); a class path project can be migrated and
     * checked, not generated.
     */
    public static Project open(String location, ClassLoader classLoader) {
        return open(MigrationLocation.resolve(location, classLoader));
    }

    /**
     * Reads these folders of main-schema migration files besides the project's {@code migrations/}, as Flyway's
     * several {@code locations}: their files are merged by version with the project's own for migrate, status,
     * validate, rollback, repair, baseline and dry runs, and a version found in two folders is refused before anything
     * runs, naming both files. Code generation writes into {@code migrations/} only, and only that folder's callback
     * files run. Replaces the folders given before; none by default.
     *
     * @throws AshlarException naming a folder that is not there, or the project's own {@code migrations/}, or one
     *                         given twice
     */
    public Project extraMigrations(List<Path> folders) {
        QueryException.required(folders, "folders");
        Path own = realPath(layout.migrations(Scope.MAIN));
        Set<Path> seen = new HashSet<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                throw ProjectFileException.of(folder.toUri().toString(), "The extra migrations folder " + folder
                        + " is no folder: give a folder of main-schema migration files, or leave it out");
            }
            // Compared where symbolic links lead: a link to a folder read already would read its files twice.
            Path real = realPath(folder);
            if (real.equals(own) || !seen.add(real)) {
                throw ProjectFileException.of(folder.toUri().toString(), "The extra migrations folder " + folder
                        + " is given twice" + (real.equals(own) ? " (it is the project's own migrations/ "
                        + "folder, always read)" : "") + ": leave it out of the extra folders");
            }
            if (real.startsWith(own)) {
                throw ProjectFileException.of(folder.toUri().toString(), "The extra migrations folder " + folder
                        + " lies inside the project's own migrations/ folder " + own + ", whose folders hold no "
                        + "migrations: move it out of migrations/ and give its new place");
            }
        }
        return new Project(layout.withExtraMigrations(folders), domain, plugins, dataSource, timeouts, progress, clock,
                target, codegenOptions, listeners, cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /** The folder where its symbolic links lead, or its absolute normalized path when it cannot be resolved. */
    private static Path realPath(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            return folder.toAbsolutePath().normalize();
        }
    }

    /**
     * {@link #extraMigrations(List)} of locations: folders ({@code filesystem:} optional) or class path locations
     * ({@code classpath:db/shared}, see {@link MigrationLocation}), each the folder of the migration files itself.
     */
    public Project extraMigrationLocations(List<String> locations, ClassLoader classLoader) {
        return extraMigrations(locations.stream().map(location -> MigrationLocation.resolve(location, classLoader))
                .toList());
    }

    public Project domain(Domain resources, Plugins installed) {
        return domain(() -> Optional.of(resources), () -> installed);
    }

    /** A domain found when first needed (migrating named schemas needs none), and the plugins. */
    public Project domain(Supplier<Optional<Domain>> resources, Supplier<Plugins> installed) {
        return new Project(layout, memo(resources), memo(installed), dataSource, timeouts, progress, clock, target,
                codegenOptions,
                listeners, cleanEnabled, connecting, placeholders, javaMigrations);
    }

    public Project dataSource(DataSource database) {
        return new Project(layout, domain, plugins, database, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /**
     * Waits for a database that does not answer yet instead of failing on the first connection, as Flyway's
     * {@code connectRetries} ({@code --connect-retries}): see {@link ConnectRetries}. None by default.
     */
    public Project connectRetries(ConnectRetries retries) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting.with(retries == null ? ConnectRetries.NONE : retries),
                placeholders, javaMigrations);
    }

    /**
     * SQL run on every connection the migrations open, right after opening it (Flyway's {@code initSql}): see
     * {@link InitSql}. None by default; blank for none.
     *
     * @throws MigrationException for a statement that begins or ends a transaction
     */
    public Project initSql(String sql) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting.with(InitSql.of(sql)), placeholders, javaMigrations);
    }

    /**
     * Who the migration history records as having applied each file from now on (Flyway's {@code installedBy},
     * {@code --installed-by}), over {@code migrate.installed-by} in {@code ashlar.properties}; by default, and for
     * null or blank, the database user ({@code current_user}: the role an init SQL set, if any).
     *
     * @throws MigrationException for a name holding a NUL character, which PostgreSQL text cannot hold
     */
    public Project installedBy(String user) {
        String name = user == null || user.isBlank() ? null : user.strip();
        if (name != null && name.indexOf('\0') >= 0) {
            throw new MigrationException(ErrorCode.MIGRATION, "The installed-by name '" + name.replace("\0", "\\0")
                    + "' holds a NUL character, which PostgreSQL cannot store: remove it (--installed-by, "
                    + SettingsFile.INSTALLED_BY + ")", null);
        }
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting.installedBy(name), placeholders, javaMigrations);
    }

    /**
     * The table that holds the migration history, in the main schema and in every tenant schema (Flyway's
     * {@code table}, {@code --history-table}), over {@code migrate.history-table} in {@code ashlar.properties};
     * {@code ashlar_schema_migrations} by default and for null. The tenant registry and the lock table keep their
     * names. {@code meta.history} keeps the main schema's history in the schema {@code meta}, made when missing
     * (Flyway's {@code defaultSchema}, Liquibase's {@code liquibaseSchemaName}); each tenant schema keeps its own, of
     * the table's name, as without a schema.
     *
     * @throws MigrationException for an empty name or schema, one over 63 bytes, one with a NUL or another control
     *                            character, one starting with {@code pg_}, more than one {@code .}, or the name of
     *                            another of Ashlar's tables
     */
    public Project historyTable(String name) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting.historyTable(name == null ? null : History.tableName(name)),
                placeholders, javaMigrations);
    }

    /**
     * Whether a history kept in a schema of its own ({@link #historyTable(String)} {@code meta.history}) that does not
     * exist yet starts empty beside a table with a history's columns in the main schema, which is then taken as another
     * application's or an old history left there on purpose ({@code --accept-history-left-behind}), over
     * {@code migrate.accept-history-left-behind} in {@code ashlar.properties}. Off by default: such a history is
     * refused as one the setting moved but the database did not, naming both tables.
     */
    public Project acceptHistoryLeftBehind(boolean accept) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting.acceptHistoryLeftBehind(accept), placeholders, javaMigrations);
    }

    /**
     * Whether a migrate or baseline first creates the main schema ({@code public}) when it is missing (Flyway's
     * {@code createSchemas}, {@code --no-create-schemas}), over {@code migrate.create-schemas} in
     * {@code ashlar.properties}; true by default, as Flyway's. Off, a missing main schema fails naming it.
     */
    public Project createSchemas(boolean create) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting.createSchemas(create), placeholders, javaMigrations);
    }

    /**
     * Whether a migrate of the main schema prints, with its progress, the rows each statement of a file returns (a
     * {@code SELECT}, an {@code INSERT ... RETURNING}) as a table of at most 100 rows (Flyway's
     * {@code outputQueryResults}, {@code --no-output-query-results}), over {@code migrate.output-query-results} in
     * {@code ashlar.properties}; true by default, as Flyway's.
     */
    public Project outputQueryResults(boolean output) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting.outputQueryResults(output), placeholders, javaMigrations);
    }

    /** The bounds of lock waits and statements ({@code --lock-timeout}, {@code --statement-timeout}). */
    public Project timeouts(Timeouts bounds) {
        return new Project(layout, domain, plugins, dataSource, bounds, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /** Where progress lines go ("applied ...", "waiting for a lock ..."); the log by default. */
    public Project progress(Consumer<String> sink) {
        return new Project(layout, domain, plugins, dataSource, timeouts, sink, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /** The clock that dates new migration versions. */
    public Project clock(Clock time) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, time, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /**
     * Adds a listener told before and after each main-schema migrate and rollback run, and each file it runs
     * (Flyway's callbacks): see {@link MigrationListener}. Listeners are told in the order they were added. Tenant runs
     * tell them of each file of each schema, from their worker threads, several at once; a tenant created with its
     * record applies its files inside the creating transaction without telling them.
     */
    public Project listener(MigrationListener listener) {
        if (listener == null) {
            throw new AshlarException(ErrorCode.MIGRATION, "Project.listener was given null: give a MigrationListener, "
                    + "or add none");
        }
        List<MigrationListener> more = new ArrayList<>(listeners);
        more.add(listener);
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions, more,
                cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /**
     * Adds migrations written in Java ({@link JavaMigration}), each handed to the runs of its
     * {@link JavaMigration#scope()}: applied in version order with the files of {@code migrations/} in the main schema
     * ({@code MAIN}, the default), or with those of {@code tenant_migrations/} in every tenant schema ({@code TENANT}).
     *
     * @throws AshlarException for a null migration, or one without a scope or whose version or name is malformed
     */
    public Project javaMigrations(JavaMigration... migrations) {
        // A null element is refused below as a migration error, as it was before the array itself was checked.
        QueryException.required(migrations, "Java migrations");
        List<JavaMigration> more = new ArrayList<>(javaMigrations);
        for (JavaMigration migration : migrations) {
            if (migration == null) {
                throw new AshlarException(ErrorCode.MIGRATION, "Project.javaMigrations was given null: give "
                        + "JavaMigration instances, or none");
            }
            JavaMigrations.scopeOf(migration);
            MigrationFile.of(migration);
            more.add(migration);
        }
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders, more);
    }

    /** The Java migrations registered for the runs of {@code scope} ({@link JavaMigration#scope()}). */
    public List<JavaMigration> javaMigrationsFor(Scope scope) {
        return javaMigrations.stream().filter(migration -> migration.scope() == scope).toList();
    }

    /**
     * Adds every Java migration listed in {@code META-INF/services/dev.ashlar.kernel.migrate.JavaMigration} on these
     * classes, as the command line does over {@code --classpath} and the Maven plugin over the project's classes.
     *
     * @throws AshlarException naming a listed class that cannot be loaded or made, and the fix
     */
    public Project javaMigrationsListedIn(ClassLoader classes) {
        return javaMigrations(ListedJavaMigrations.find(classes).toArray(JavaMigration[]::new));
    }

    /**
     * The values of the migrations' {@code ${name}} placeholders, main and tenant ({@code --placeholder name=value}):
     * see {@link Placeholders}, which also replaces its built-ins ({@code ${ashlar:schema}}, {@code ${ashlar:user}},
     * ...).
     *
     * @throws dev.ashlar.api.error.AshlarException naming a malformed name or a value with a line break
     */
    public Project placeholders(Map<String, String> values) {
        QueryException.required(values, "placeholder values");
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders.values(values), javaMigrations);
    }

    /**
     * How the migrations' placeholders are written, as Flyway's {@code placeholderPrefix} and
     * {@code placeholderSuffix} ({@code --placeholder-prefix}, {@code --placeholder-suffix}): {@code ("#[", "]")}
     * replaces {@code #[name]} and leaves {@code ${name}} as text. Default {@code ${} and {@code }}.
     *
     * @throws dev.ashlar.api.error.AshlarException for an empty prefix or suffix, or one with white space
     */
    public Project placeholderDelimiters(String prefix, String suffix) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders.delimiters(new PlaceholderDelimiters(prefix, suffix)),
                javaMigrations);
    }

    /**
     * Whether {@code ${name}} is replaced at all (on by default); off ({@code --no-placeholders}) runs every file as
     * written, for a project whose files mean {@code ${...}} literally.
     */
    public Project placeholderReplacement(boolean enabled) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders.enabled(enabled), javaMigrations);
    }

    /**
     * Allows {@link #clean()}, which drops everything the migrations made: off by default, as Flyway's
     * {@code cleanDisabled}, so that no production database is emptied by a stray call. Enable it for development and
     * test databases only ({@code ashlar clean --enable-clean}).
     */
    public Project cleanEnabled(boolean enabled) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, codegenOptions,
                listeners, enabled, connecting, placeholders, javaMigrations);
    }

    /**
     * Drops everything the project's migrations made, so that the next {@link #migrate()} starts from nothing
     * (Flyway's {@code clean}): every tenant schema (each schema with a migration history of its own), the schemas of
     * main resources other than {@code public} (from the snapshots), and in {@code public} every table, view,
     * sequence, routine, type, domain, collation and extension, with the migration history. {@code public} itself
     * stays, with its owner and grants. Runs under the migration lock.
     *
     * @return what was dropped, a line each
     * @throws MigrationException when clean is not enabled ({@link #cleanEnabled}), before connecting; or naming the
     *                            statement that failed
     */
    public List<String> clean() {
        if (!cleanEnabled) {
            throw new MigrationException(ErrorCode.MIGRATION, "Clean is disabled: it drops every table, view, function "
                    + "and type in public, the schemas of the main resources and every tenant schema, with their "
                    + "rows. Enable it for a development or test database only: Project.cleanEnabled(true), or "
                    + "'ashlar clean --enable-clean'. Nothing was dropped.", null);
        }
        coordinator("clean");
        return migrator().clean(mainSchemas(List.of()));
    }

    /** The schemas of the main resources, from the snapshots; {@code otherwise} for a class path project. */
    private List<String> mainSchemas(List<String> otherwise) {
        return MigrationLocation.writable(layout.root())
                ? new DriftCheck(database(), new SnapshotStore(layout.root()).latest()).mainSchemas() : otherwise;
    }

    public ProjectLayout layout() {
        return layout;
    }

    /** The pending changes, computed without writing anything. */
    public Codegen.Result check(Renames renames) {
        return codegen(renames).check();
    }

    /**
     * Records the domain's schema as the snapshots, writing no migration: after {@code ashlar inspect},
     * for a database that already has it, so that the next generation writes nothing.
     */
    public List<MigrationStep> recordSnapshots() {
        return codegen(Renames.none()).recordSnapshots();
    }

    /** The versions of the development migrations waiting to be squashed, oldest first. */
    public List<String> devVersions() {
        return codegen(Renames.none()).devVersions();
    }

    /**
     * Writes the migrations for the pending changes. A development generation ({@link Codegen#DEV})
     * adds a file to iterate on; a named one first squashes the development migrations
     * ({@link #squashDev}), keeping their renames and taking a version later than theirs.
     */
    public Codegen.Result generate(String name, Renames renames) {
        if (Codegen.DEV.equals(name) || devVersions().isEmpty()) {
            return codegen(renames).generate(name);
        }
        checkRenameHints(renames);                          // before the squash rolls anything back
        return generate(name, renames, squashDev());
    }

    /**
     * Refuses rename hints that can rename nothing in the resources' tables (a resource's name where the table's
     * belongs, a misspelt new name, an old name the resources still have), naming each: without this, the hint
     * would be ignored and the column or table dropped and added again. Call it before a squash.
     */
    public void checkRenameHints(Renames renames) {
        QueryException.required(renames, "renames");
        if (!renames.hints().isEmpty()) {
            codegen(renames);
        }
    }

    /** Writes the migrations that follow a squash: with its renames, and versions later than the squashed ones. */
    public Codegen.Result generate(String name, Renames renames, DevSquash.Squashed squashed) {
        QueryException.required(squashed, "squashed migrations");
        checkRenameHints(renames);
        return codegen(Renames.hints(squashed.renames()).or(renames)).generate(name, squashed.versions());
    }

    /**
     * Rolls the development migrations back, in the main schema and in every tenant schema that has
     * them, and deletes them with their snapshots; the next named generation writes them as one.
     *
     * @return the versions removed and the renames they made
     * @throws AshlarException when a schema could not be rolled back; the files stay, to try again
     */
    public DevSquash.Squashed squashDev() {
        return new DevSquash(this, codegen(Renames.none())).squash();
    }

    /**
     * Runs the migration linter over every main and tenant migration file, with the allow list of the
     * project's {@code ashlar.properties} ({@code ashlar lint}).
     */
    public LintReport lint() {
        return Linter.of(layout).placeholders(placeholders).lintProject();
    }

    /** Applies the main schema's pending migrations. */
    public List<MigrationFile> migrate() {
        return migrateTo(null);
    }

    /** Applies the main schema's pending migrations up to version {@code upTo} (all when null). */
    public List<MigrationFile> migrateTo(String upTo) {
        return migrate(MigrateRun.all().upTo(upTo));
    }

    /**
     * Applies the main schema's pending migrations that {@code run} chooses (up to a version, the next few, or all),
     * baselining first a schema that holds objects but no history when it asks to ({@link MigrateRun}); only the
     * versions it cherry-picks, or all in one transaction when it asks for a group (Flyway's {@code cherryPick} and
     * {@code group}).
     *
     * @return the files applied, not those baselined
     */
    public List<MigrationFile> migrate(MigrateRun run) {
        QueryException.required(run, "run");
        coordinator("migrate");
        mainSchema("migrate");
        return migrator().migrate(run);
    }

    /**
     * What a migrate run that applied these files leaves: the main schema's migrations still to run after it (read
     * from its history now), and the sentence that says so ({@link MigrateReport#left}).
     */
    public MigrateReport reported(List<MigrationFile> applied) {
        QueryException.required(applied, "applied files");
        return MigrateReport.of(applied, status());
    }

    /**
     * Applies the pending files {@code run} chooses one at a time, rolls them back newest first checking that each
     * down section leaves the tables as they were before its up section, then applies them again (Liquibase's
     * {@code update-testing-rollback}, {@code migrate --test-rollback}); see {@link RollbackRehearsal}. Compares
     * {@code public} and the schemas of the main resources' snapshots. For development and CI databases.
     *
     * @return the files applied
     * @throws MigrationException naming the file whose down section left something behind or dropped too much
     */
    public List<MigrationFile> migrateTestingRollback(MigrateRun run) {
        QueryException.required(run, "run");
        if (run.baselineOnMigrate()) {
            throw new MigrationException(ErrorCode.MIGRATION, "A rollback rehearsal runs the files it applies, and a "
                    + "baseline on migrate records files without running them: baseline first ('ashlar baseline --to "
                    + "VERSION'), then test the rollback of the rest. Nothing was applied.", null);
        }
        if (run.group() || !run.cherryPick().isEmpty()) {
            throw new MigrationException(ErrorCode.MIGRATION, "A rollback rehearsal applies the pending files one at a "
                    + "time, in their own transactions: " + (run.group() ? "it cannot apply them in one transaction "
                    + "(group)" : "give it --to VERSION or --steps N instead of a cherry-pick") + ". Nothing was "
                    + "applied.", null);
        }
        // Before the rehearsal reads the main schema's tables: it is a migrate, and makes a missing schema as one does.
        mainSchema("migrate");
        return new RollbackRehearsal(this, migrator(), database(), mainSchemas(List.of("public")), progress).run(run);
    }

    /**
     * Marks the main schema's migrations up to {@code upToVersion} (all when null) as applied without
     * running them, for a database that already has that schema; {@link #migrate()} goes on from there.
     */
    public List<MigrationFile> baseline(String upToVersion) {
        mainSchema("baseline");
        return migrator().baseline(upToVersion);
    }

    /**
     * Marks the main schema's migrations up to the file with the header {@code -- tag: TAG}, that one included, as
     * applied without running them (Liquibase's {@code changelog-sync-to-tag}; {@code ashlar baseline --to-tag TAG}).
     */
    public List<MigrationFile> baselineToTag(String tag) {
        mainSchema("baseline");
        return migrator().baselineToTag(tag);
    }

    /**
     * The main schema's migrations {@link #baseline} would record, refusing what it would refuse; writes nothing
     * ({@code ashlar baseline --dry-run}). Give them to {@link #baselineScript} for the SQL.
     */
    public List<MigrationFile> baselineDryRun(String upToVersion) {
        return migrator().baselineDryRun(upToVersion);
    }

    /** The migrations {@link #baselineToTag} would record, as {@link #baselineDryRun}; writes nothing. */
    public List<MigrationFile> baselineDryRunToTag(String tag) {
        QueryException.required(tag, "tag");
        return migrator().baselineDryRunToTag(tag);
    }

    /**
     * The SQL script that records {@code files} (from {@link #baselineDryRun}) as baselined in the main schema's history,
     * for psql (Liquibase's {@code changelog-sync-sql}, {@code ashlar baseline --script}); runs no file.
     */
    public String baselineScript(List<MigrationFile> files) {
        QueryException.requiredEach(QueryException.required(files, "files").toArray(MigrationFile[]::new), "file");
        return DryRunText.baselineScript(files, migrator().history());
    }

    /**
     * Makes the main schema's history agree with its files: changed applied files recorded with their new text,
     * rows of deleted ones removed; nothing is run ({@code ashlar repair}).
     *
     * @return what was repaired, a line each
     */
    public List<String> repair() {
        requireMigrationsToRepair(Scope.MAIN);
        return migrator().repair();
    }

    /**
     * Refuses a repair whose migrations folder is not there and that has no other migrations (a Java one, or for the
     * main schema an extra folder): run from the wrong folder, it would take every applied file for one deleted on
     * purpose and forget them all.
     */
    private void requireMigrationsToRepair(Scope scope) {
        Path folder = layout.migrations(scope);
        if (Files.isDirectory(folder) || !javaMigrationsFor(scope).isEmpty()
                || scope == Scope.MAIN && !layout.extraMigrations().isEmpty()) {
            return;
        }
        String name = folder.getFileName().toString();
        throw ProjectFileException.of(folder.toString(), "No " + name + "/ folder in "
                + layout.root().toAbsolutePath().normalize() + ": repair would forget every migration applied to "
                + (scope == Scope.MAIN ? "public" : "the tenant schemas") + ". Run it on the project folder (ashlar "
                + "repair --dir DIR, the Maven plugin's <folder>); if every file was deleted on purpose, create "
                + name + "/ empty. Nothing was repaired.");
    }

    /**
     * What {@link #migrate()} would run, with the lock each statement takes ({@code migrate --dry-run}): the pending
     * files, and the callback files where the run runs them ({@link DryRun#migration()} tells them apart).
     */
    public List<DryRun> dryRun() {
        return dryRun((String) null);
    }

    /** What {@link #migrateTo} would run, refusing what it would refuse ({@code migrate --to V --dry-run}). */
    public List<DryRun> dryRun(String upTo) {
        return migrator().dryRun(upTo);
    }

    /**
     * What {@link #migrate(MigrateRun)} would run ({@code migrate --steps N --dry-run}), without the files its baseline
     * on migrate would record; refuses what it would refuse.
     */
    public List<DryRun> dryRun(MigrateRun run) {
        QueryException.required(run, "run");
        return migrator().dryRun(run);
    }

    /** Undoes the main schema's last {@code steps} migrations. */
    public List<MigrationFile> rollback(int steps) {
        coordinator("roll back");
        return migrator().rollback(steps);
    }

    /** Undoes the main schema's migrations from the newest down to {@code version}, that one included. */
    public List<MigrationFile> rollbackTo(String version) {
        QueryException.required(version, "version");
        coordinator("roll back");
        return migrator().rollbackTo(version);
    }

    /**
     * Undoes the main schema's migrations applied after {@code moment}, newest version first (Liquibase's
     * {@code rollback-to-date}, {@code ashlar rollback --to-date}).
     */
    public List<MigrationFile> rollbackAfter(Instant moment) {
        QueryException.required(moment, "moment");
        coordinator("roll back");
        return migrator().rollbackAfter(moment);
    }

    /**
     * Marks the main schema's state with {@code tag} (Liquibase's {@code tag}, {@code ashlar tag}): the migration
     * applied last carries it; see {@link Migrator#tag}.
     */
    public History.Entry tag(String tag) {
        coordinator("tag");
        return migrator().tag(tag);
    }

    /**
     * The migration locks held on the database and the session holding each, with the host and time the run took it
     * (Liquibase's {@code list-locks}, {@code ashlar locks}); none while no migration runs.
     */
    public List<MigrationLocks.Held> locks() {
        return MigrationLocks.list(database());
    }

    /**
     * Ends the session {@code pid} that holds a migration lock, for a holder whose client is gone but whose session the
     * server has not ended yet (Liquibase's {@code release-locks}, {@code ashlar locks --release PID}); a run it belongs
     * to that still goes on records nothing more, its file in progress rolled back. See {@link MigrationLocks#release}.
     *
     * @return the lock that session held
     * @throws MigrationException when {@code pid} holds no migration lock, naming those that do
     */
    public MigrationLocks.Held releaseLock(int pid) {
        return MigrationLocks.release(database(), pid);
    }

    /** The main schema's tags with the version each marks, in the order those were applied. */
    public Map<String, String> tags() {
        return migrator().tags();
    }

    /**
     * Undoes what was applied to the main schema after the migration {@code tag} marks, keeping that one (Liquibase's
     * {@code rollback} to a tag, {@code ashlar rollback --to-tag}).
     */
    public List<MigrationFile> rollbackToTag(String tag) {
        coordinator("roll back");
        return migrator().rollbackToTag(tag);
    }

    /**
     * Undoes the main schema's migrations that one run applied, newest version first (Liquibase's
     * {@code rollback-one-update}, {@code ashlar rollback --deployment ID}); see {@link Migrator#rollbackDeployment}.
     */
    public List<MigrationFile> rollbackDeployment(String id) {
        coordinator("roll back");
        return migrator().rollbackDeployment(id);
    }

    /** What {@link #rollbackDeployment} would run, with the lock each statement takes; changes nothing. */
    public List<DryRun> rollbackDryRunDeployment(String id) {
        return migrator().rollbackDryRunDeployment(id);
    }

    /** What {@link #rollbackToTag} would run, with the lock each statement takes; changes nothing. */
    public List<DryRun> rollbackDryRunToTag(String tag) {
        return migrator().rollbackDryRunToTag(tag);
    }

    /**
     * What a dry run found ({@link #dryRun}, or a rollback's: {@link #rollbackDryRun(int, String)} and the others),
     * as one SQL script that psql runs in the run's place, recording each file in the history as the run does
     * (Liquibase's {@code update-sql} and {@code rollback-sql}).
     *
     * @param direction {@code UP} for a migration's files, {@code DOWN} for a rollback's
     * @throws MigrationException naming a Java migration among them, which no script can hold
     */
    public String script(List<DryRun> files, FileRunner.Direction direction) {
        QueryException.required(files, "files");
        QueryException.required(direction, "direction");
        return DryRunText.script(files, direction, migrator().history());
    }

    /**
     * What rolling back the files {@link #migrate(MigrateRun)} would apply would run once they are applied, newest
     * first (Liquibase's {@code future-rollback-sql}, {@code ashlar rollback --pending --dry-run}); give it to
     * {@link #script} for the SQL; changes nothing. See {@link Migrator#pendingRollbackDryRun}.
     */
    public List<DryRun> pendingRollbackDryRun(MigrateRun run) {
        QueryException.required(run, "run");
        return migrator().pendingRollbackDryRun(run);
    }

    /** What {@link #rollbackAfter} would run, with the lock each statement takes; changes nothing. */
    public List<DryRun> rollbackDryRun(Instant moment) {
        QueryException.required(moment, "moment");
        return migrator().rollbackDryRun(moment);
    }

    /**
     * What {@link #rollback} ({@code steps}) or, when {@code version} is given, {@link #rollbackTo} would run, with
     * the lock each statement takes ({@code rollback --dry-run}); changes nothing.
     */
    public List<DryRun> rollbackDryRun(int steps, String version) {
        return migrator().rollbackDryRun(steps, version);
    }

    /**
     * Checks the main schema's history against its files, running nothing (Flyway's {@code validate}); see
     * {@link Migrator#validate()}.
     */
    public List<MigrationStatus> validate() {
        return migrator().validate();
    }

    /**
     * {@link #validate()} letting pass the migrations {@code ignored} names ({@code ashlar validate
     * --ignore-migration-patterns}, Flyway's {@code ignoreMigrationPatterns}): {@code *:missing} lets a file deleted
     * on purpose pass, {@code *:future} alone makes a pending file fail, as Flyway's default does.
     */
    public List<MigrationStatus> validate(IgnoreMigrationPatterns ignored) {
        QueryException.required(ignored, "ignored patterns");
        return migrator().validate(ignored);
    }

    /**
     * The checksum of the main-schema file named {@code file} (its name or version) as the history records it, beside
     * the one the history holds (Liquibase's {@code calculate-checksum}, {@code ashlar checksum FILE}); see
     * {@link Migrator#checksum}.
     */
    public FileChecksum checksum(String file) {
        return migrator().checksum(file);
    }

    /** Every main-schema migration with its state. */
    public List<MigrationStatus> status() {
        return migrator().status();
    }

    /**
     * Every main-schema migration with its state against {@code target} (Flyway's {@code info} with a target,
     * {@code ashlar status --target}): pending files after it are {@code ABOVE_TARGET}; see {@link Migrator#status(String)}.
     */
    public List<MigrationStatus> status(String target) {
        return migrator().status(target);
    }

    /**
     * Compares the live database with what the snapshots say it should be (the drift gate of {@code ashlar
     * check}): the main schemas and, when a selection is given, its tenant schemas. Migrations that the history
     * does not have as applied are listed beside the differences, which they may explain.
     *
     * @param tenants the tenant schemas to compare as well, or {@code null} for the main schemas only
     */
    public DriftReport drift(TenantSelection tenants) {
        List<String> schemas = tenants == null ? List.of() : tenants().select(tenants);
        DriftCheck check = new DriftCheck(database(), new SnapshotStore(layout.root()).latest(), historyTable());
        List<Difference> differences = check.compare(schemas);
        List<String> compared = new java.util.ArrayList<>(check.mainSchemas());
        compared.addAll(schemas);
        List<String> unapplied = status().stream().filter(s -> s.state() != MigrationStatus.State.APPLIED
                        && s.state() != MigrationStatus.State.BASELINED && s.state() != MigrationStatus.State.JAVA)
                .map(s -> s.state().name().toLowerCase(java.util.Locale.ROOT) + " " + s.label())
                .toList();
        return new DriftReport(compared, differences, unapplied);
    }

    /**
     * Applies the pending tenant migrations to the selected tenant schemas; on Citus taking turns between
     * the nodes that hold them, so that parallel jobs spread over the workers.
     */
    public TenantReport migrateTenants(TenantSelection selection) {
        QueryException.required(selection, "tenant selection");
        return migrateTenants(selection, MigrateRun.all());
    }

    /**
     * {@link #migrateTenants(TenantSelection)} as {@code run} asks: with {@code outOfOrder(false)} a schema holding a
     * pending file older than the newest one applied there fails naming it, nothing applied to it, while the others
     * migrate ({@code migrate --tenants --no-out-of-order}).
     *
     * @throws MigrationException for a run with a target version, a tag, a step count or a baseline on migrate, which
     *                            name the main schema's files, naming the one given: tenant schemas take every pending
     *                            tenant migration
     */
    public TenantReport migrateTenants(TenantSelection selection, MigrateRun run) {
        QueryException.required(selection, "tenant selection");
        QueryException.required(run, "run");
        if (run.bounded() || run.baselineOnMigrate() || run.group() || !run.validateOnMigrate()
                || run.skipDefaultCallbacks() || run.skipExecutingMigrations() || run.minVersion() != null
                || run.refuseNonEmptySchema()) {
            throw new MigrationException(ErrorCode.MIGRATION, "A tenant run applies every pending tenant migration: "
                    + given(run) + " applies to the main schema only: migrate the main schema with it, then the "
                    + "tenant schemas without it (baseline tenant schemas with 'ashlar baseline --tenants', "
                    + "Project.baselineTenants). Nothing was applied.", null);
        }
        coordinator("migrate tenants");
        TenantMigrator migrator = tenantMigrator(selection);
        Set<String> listed = new HashSet<>();
        TenantReport report = null;
        List<String> schemas = tenants().select(selection);
        // A tenant created while the run goes, by an application still holding the older files, is not in the list
        // read at its start: the list is read again until it names no schema the run has not seen.
        while (!schemas.isEmpty() || report == null) {
            listed.addAll(schemas);
            List<String> placed = Citus.interleaved(schemas, onDatabase("read tenant placements", Citus::placements));
            TenantReport pass = migrator.migrate(placed.iterator(), placed.size(), run.outOfOrder());
            report = report == null ? pass : report.and(pass);
            if (!selection.schemas().isEmpty()) {
                break;
            }
            schemas = tenants().select(selection).stream().filter(schema -> !listed.contains(schema)).toList();
        }
        return report;
    }

    /** The option a tenant run refuses, as the run's method and the command line's option name it. */
    private static String given(MigrateRun run) {
        String baseline = run.baselineVersion();
        String picked = String.join(",", run.cherryPick());
        String contexts = String.join(",", run.contexts().stream().sorted().toList());
        return run.baselineOnMigrate() ? "a baseline on migrate (baselineOnMigrate(" + (baseline == null ? "null"
                : "\"" + baseline + "\"") + "), --baseline-on-migrate" + (baseline == null ? "" : "=" + baseline) + ")"
                : !picked.isEmpty() ? "a cherry-pick (cherryPick(List.of(\"" + picked.replace(",", "\", \"")
                + "\")), --cherry-pick " + picked + ")"
                : !contexts.isEmpty() ? "contexts (contexts(List.of(\"" + contexts.replace(",", "\", \"")
                + "\")), --contexts " + contexts + ")"
                : run.labels() != null ? "labels (labels(\"" + run.labels() + "\"), --labels '" + run.labels() + "')"
                : run.group() ? "one transaction for all files (group(true), --group)"
                : !run.validateOnMigrate() ? "skipping the check for changed applied files (validateOnMigrate(false), "
                + "--no-validate)"
                : run.skipDefaultCallbacks() ? "leaving out the callback files (skipDefaultCallbacks(true), "
                + "--skip-default-callbacks)"
                : run.skipExecutingMigrations() ? "recording files without running them (skipExecutingMigrations(true), "
                + "--skip-executing-migrations)"
                : run.minVersion() != null ? "a minimum version (minVersion(\"" + run.minVersion() + "\"), --min-version "
                + run.minVersion() + ")"
                : run.refuseNonEmptySchema() ? "refusing a non-empty schema without history (refuseNonEmptySchema(true), "
                + "--refuse-non-empty-schema)"
                : run.toTag() != null ? "a tag to migrate to (upToTag(\"" + run.toTag() + "\"), --to-tag " + run.toTag()
                + ")"
                : run.steps() > 0 ? "a step count (steps(" + run.steps() + "), --steps " + run.steps() + ")"
                : "a target version (upTo(\"" + run.upTo() + "\"), --to " + run.upTo() + ")";
    }

    /** A tenant run over the selected schemas, which must be run from a Citus cluster's coordinator ({@code what}). */
    private TenantReport onTenants(String what, TenantSelection selection, TenantRunCall call) {
        coordinator(what);
        List<String> schemas = tenants().select(selection);
        return call.run(tenantMigrator(selection), schemas.iterator(), schemas.size());
    }

    @FunctionalInterface
    private interface TenantRunCall {
        TenantReport run(TenantMigrator migrator, Iterator<String> schemas, long total);
    }

    /** Undoes the last {@code steps} tenant migrations of the selected tenant schemas. */
    public TenantReport rollbackTenants(TenantSelection selection, int steps) {
        QueryException.required(selection, "tenant selection");
        return onTenants("roll back tenants", selection,
                (migrator, schemas, total) -> migrator.rollback(schemas, total, steps));
    }

    /** Undoes, in the selected tenant schemas, the tenant migrations from the newest down to {@code version}. */
    public TenantReport rollbackTenantsTo(TenantSelection selection, String version) {
        QueryException.required(selection, "tenant selection");
        return onTenants("roll back tenants", selection,
                (migrator, schemas, total) -> migrator.rollbackTo(schemas, total, version));
    }

    /**
     * Undoes, in the selected tenant schemas, the tenant migrations applied there after {@code moment}, newest version
     * first ({@code rollback --to-date TIME --tenants}); each schema's history says when its files were applied.
     */
    public TenantReport rollbackTenantsAfter(TenantSelection selection, Instant moment) {
        return onTenants("roll back tenants", selection,
                (migrator, schemas, total) -> migrator.rollbackAfter(schemas, total, moment));
    }

    /**
     * {@link #rollbackDeployment} in each selected tenant schema, by its own history ({@code ashlar rollback
     * --deployment ID --tenants}); a schema the run did not migrate is left alone.
     */
    public TenantReport rollbackTenantsDeployment(TenantSelection selection, String id) {
        QueryException.required(selection, "tenant selection");
        return onTenants("roll back tenants", selection,
                (migrator, schemas, total) -> migrator.rollbackDeployment(schemas, total, id));
    }

    /**
     * {@link #tag} in each selected tenant schema: the tenant migration applied last there carries the tag
     * ({@code ashlar tag NAME --tenants}).
     */
    public TenantReport tagTenants(TenantSelection selection, String tag) {
        QueryException.required(selection, "tenant selection");
        return onTenants("tag tenants", selection,
                (migrator, schemas, total) -> migrator.tag(schemas, total, tag));
    }

    /**
     * {@link #rollbackToTag} in each selected tenant schema, by its own history ({@code ashlar rollback --to-tag NAME
     * --tenants}).
     */
    public TenantReport rollbackTenantsToTag(TenantSelection selection, String tag) {
        QueryException.required(selection, "tenant selection");
        return onTenants("roll back tenants", selection,
                (migrator, schemas, total) -> migrator.rollbackToTag(schemas, total, tag));
    }

    /** {@link #baseline} in the selected tenant schemas, with tenant_migrations/: recorded as applied, not run. */
    public TenantReport baselineTenants(TenantSelection selection, String upToVersion) {
        QueryException.required(selection, "tenant selection");
        return onTenants("baseline tenants", selection,
                (migrator, schemas, total) -> migrator.baseline(schemas, total, upToVersion));
    }

    /** {@link #repair()} in the selected tenant schemas, with tenant_migrations/; nothing is run. */
    public TenantReport repairTenants(TenantSelection selection) {
        QueryException.required(selection, "tenant selection");
        requireMigrationsToRepair(Scope.TENANT);
        return onTenants("repair tenants", selection, TenantMigrator::repair);
    }

    /**
     * {@link #validate()} in the selected tenant schemas, with tenant_migrations/: a schema whose history holds a changed
     * or missing file fails, naming it; nothing is run or recorded.
     */
    public TenantReport validateTenants(TenantSelection selection) {
        QueryException.required(selection, "tenant selection");
        return validateTenants(selection, IgnoreMigrationPatterns.DEFAULT);
    }

    /** {@link #validateTenants(TenantSelection)} letting pass the migrations {@code ignored} names. */
    public TenantReport validateTenants(TenantSelection selection, IgnoreMigrationPatterns ignored) {
        QueryException.required(selection, "tenant selection");
        List<String> schemas = tenants().select(selection);
        return tenantMigrator(selection).validate(schemas.iterator(), schemas.size(), ignored);
    }

    /** Which selected tenant schemas have pending migrations, and which schemas have a history but are not listed. */
    public TenantStatus tenantStatus(TenantSelection selection) {
        QueryException.required(selection, "tenant selection");
        List<String> schemas = tenants().select(selection);
        TenantStatus status = tenantMigrator(selection).status(schemas.iterator());
        Map<String, String> nodes = new LinkedHashMap<>(onDatabase("read tenant placements", Citus::placements));
        nodes.keySet().retainAll(new HashSet<>(schemas));
        return status.withNodes(nodes);
    }

    /**
     * Moves a tenant's schema, tables and data to another Citus node ({@code host:port}) with
     * {@code citus_schema_move}; its migrations go on there as before.
     *
     * @throws AshlarException when the database is not Citus, the node is not a worker, or the tenant is unknown
     */
    public void moveTenant(String schema, String node) {
        QueryException.required(schema, "schema");
        tenants().select(TenantSelection.named(List.of(schema)));
        coordinator("move a tenant");
        onDatabase("move tenant schema '" + schema + "' to " + node, connection -> {
            Citus.move(connection, schema, node);
            return null;
        });
        progress.accept("moved " + schema + " to " + node);
    }

    /** The Citus worker nodes ({@code host:port}) that can hold tenants; empty on a single server. */
    public List<String> nodes() {
        return onDatabase("read the Citus nodes", c -> Citus.present(c) ? Citus.workers(c) : List.of());
    }

    /**
     * The database the migrations are generated for: the configured one, else the one the project's first
     * generation recorded ({@link ProjectTarget}), else {@link Target#CITUS} when the project's database has
     * the {@code citus} extension, else {@link Target#POSTGRESQL}.
     */
    public Target target() {
        if (target != null) {
            return target;
        }
        Optional<Target> recorded = ProjectTarget.recorded(layout.root());
        if (recorded.isPresent() || dataSource == null) {
            return recorded.orElse(Target.POSTGRESQL);
        }
        return onDatabase("detect the database's target", c -> Citus.present(c) ? Target.CITUS : Target.POSTGRESQL);
    }

    /** Generates with these options ({@code codegen --dont-drop-columns}, {@code --concurrent-indexes}). */
    public Project codegenOptions(Codegen.Options options) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, target, options, listeners,
                cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /**
     * Whether indexes added to tables that already exist are generated {@code CONCURRENTLY} (the default) or
     * in the migration's transaction ({@code codegen --no-concurrent-indexes}); see {@link Codegen.Options}.
     */
    public Project concurrentIndexes(boolean concurrently) {
        return codegenOptions(codegenOptions.concurrentIndexes(concurrently));
    }

    /**
     * The migration files the next generation would write, writing nothing: neither files nor snapshots
     * ({@code codegen --dry-run}).
     */
    public List<Codegen.PlannedFile> preview(String name, Renames renames) {
        return codegen(renames).preview(name);
    }

    /**
     * Generates for this target whatever the database says (e.g. for Citus without a database at hand); a
     * target other than the recorded one is refused at generation, see {@link #switchTarget(Target)}.
     */
    public Project target(Target configured) {
        return new Project(layout, domain, plugins, dataSource, timeouts, progress, clock, configured, codegenOptions,
                listeners, cleanEnabled, connecting, placeholders, javaMigrations);
    }

    /**
     * Switches the project to another target: records it, so that the next generation writes the
     * migration that changes the tables over (distributes them for Citus, or undistributes them).
     */
    public Project switchTarget(Target configured) {
        QueryException.required(configured, "target");
        ProjectTarget.write(layout.root(), configured);
        progress.accept("the migrations are now generated for " + configured.name().toLowerCase(Locale.ROOT));
        return target(configured);
    }

    /** Refuses to run migrations through a Citus worker: they must go through the coordinator. */
    private void coordinator(String what) {
        onDatabase(what, connection -> {
            Citus.requireCoordinator(connection, what);
            return null;
        });
    }

    private <T> T onDatabase(String what, SqlWork<T> work) {
        try (Connection connection = database().getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            // The state stays structured too: callers tell a database that does not answer (08...) by it.
            throw DatabaseException.withState("Could not " + what + ": " + e.getMessage() + " [SQL state "
                    + e.getSQLState() + "]" + unreachable(e.getSQLState()), e.getSQLState(), e);
        }
    }

    /** What to check when no connection could be had (SQL state class 08: refused, lost, no such host). */
    private String unreachable(String sqlState) {
        if (sqlState == null || !sqlState.startsWith("08")) {
            return "";
        }
        return ". Check that the server is running and that the URL's host, port and database are right"
                + (connecting.retries().count() == 0 ? "; to wait for a server that is still starting, give "
                + "--connect-retries N (Project.connectRetries)" : "");
    }

    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    Migrator migrator() {
        return new Migrator(database(), layout.migrations(Scope.MAIN)).extraFolders(layout.extraMigrations())
                .timeouts(timeouts).progress(progress)
                .listener(MigrationListener.all(listeners)).placeholders(placeholders)
                .javaMigrations(javaMigrationsFor(Scope.MAIN)).historyTable(historyTable())
                .acceptHistoryLeftBehind(acceptsHistoryLeftBehind()).outputQueryResults(outputsQueryResults());
    }

    /** {@link #acceptHistoryLeftBehind}: the project's own setting, else its settings file's, else false. */
    private boolean acceptsHistoryLeftBehind() {
        Boolean set = connecting.acceptHistoryLeftBehind() != null ? connecting.acceptHistoryLeftBehind()
                : SettingsFile.flag(layout, SettingsFile.read(layout), SettingsFile.ACCEPT_HISTORY_LEFT_BEHIND);
        return set != null && set;
    }

    /** {@link #outputQueryResults}: the project's own setting, else its settings file's, else true. */
    private boolean outputsQueryResults() {
        Boolean set = connecting.outputQueryResults() != null ? connecting.outputQueryResults()
                : SettingsFile.flag(layout, SettingsFile.read(layout), SettingsFile.OUTPUT_QUERY_RESULTS);
        return set == null || set;
    }

    TenantMigrator tenantMigrator(TenantSelection selection) {
        return new TenantMigrator(database(), layout.migrations(Scope.TENANT)).jobs(selection.jobs())
                .failFast(selection.failFast()).timeouts(timeouts).progress(selection.progress()).messages(progress)
                .listener(MigrationListener.all(listeners)).placeholders(placeholders)
                .javaMigrations(javaMigrationsFor(Scope.TENANT)).historyTable(historyTable());
    }

    ProjectTenants tenants() {
        return new ProjectTenants(database(), () -> domain.get().flatMap(d -> TenantList.of(plugins.get(), d)),
                () -> domain.get().isEmpty()
                        ? "no domain was found, so no resource lists the tenants. Give the domain (--domain and "
                        + "--classpath on the command line, Project.domain(...) in code)"
                        : "no resource of the domain lists the tenants. A tenant resource does "
                        + "(.with(ManageTenant.template(...)), from ashlar-tenancy, which must be on the class path)");
    }

    private Codegen codegen(Renames renames) {
        if (!MigrationLocation.writable(layout.root())) {
            throw ProjectFileException.of(layout.root().toUri().toString(), "The project at " + layout.root().toUri()
                    + " is on the class path, inside a jar: it can be migrated, not generated. Run codegen on "
                    + "the source folder it is packaged from (e.g. src/main/resources/db/ashlar)");
        }
        Domain resources = domain.get().orElseThrow(() -> new AshlarException(ErrorCode.INVALID_DEFINITION,
                "No domain found: generating migrations needs the resources. Give a class implementing "
                + "dev.ashlar.api.resource.DomainProvider: on the command line with --domain com.example.BlogDomain "
                + "and --classpath target/classes (or list it in META-INF/services/"
                + "dev.ashlar.api.resource.DomainProvider), in code with Project.domain(...)"));
        Codegen codegen = new Codegen(layout.root(), resources, plugins.get(), renames, clock, target())
                .options(codegenOptions).checkRenameHints(renames.hints());
        return timeouts.lock() == null ? codegen : codegen.lockTimeout(timeouts.lock());
    }

    private DataSource database() {
        if (dataSource == null) {
            throw new AshlarException(ErrorCode.DATABASE, "No database: give the project a data source");
        }
        DataSource retried = connecting.retries().around(dataSource, progress);
        InitSql init = connecting.initSql().installedBy(installedBy());
        return init.statements().isEmpty() ? retried
                : new OpeningDataSource(retried, attempt -> init.initialise(attempt.connect()));
    }

    /** Who applies migrations: the project's own setting, else its settings file's, else null for the database user. */
    private String installedBy() {
        if (connecting.installedBy() != null) {
            return connecting.installedBy();
        }
        String set = SettingsFile.read(layout).getProperty(SettingsFile.INSTALLED_BY);
        return set == null || set.isBlank() ? null : set.strip();
    }

    /**
     * The table that holds the migration history ({@link #historyTable(String)}): the project's own setting, else
     * {@code migrate.history-table} in its settings file, else {@code ashlar_schema_migrations}. What a runtime that
     * creates tenant schemas is given too ({@code Ashlar.Builder.historyTable}).
     *
     * @throws MigrationException for a name in the settings file that {@link #historyTable(String)} refuses
     */
    public String historyTable() {
        if (connecting.historyTable() != null) {
            return connecting.historyTable();
        }
        String set = SettingsFile.read(layout).getProperty(SettingsFile.HISTORY_TABLE);
        return History.tableName(set == null ? null : set.strip());
    }

    /**
     * Creates the main schema, and the schema its history is kept in ({@link #historyTable(String)} {@code
     * meta.history}), when missing and {@link #createSchemas} allows it; refuses it clearly when not.
     */
    private void mainSchema(String what) {
        Boolean set = connecting.createSchemas() != null ? connecting.createSchemas()
                : SettingsFile.flag(layout, SettingsFile.read(layout), SettingsFile.CREATE_SCHEMAS);
        boolean create = set == null || set;
        String history = History.schemaOf(historyTable(), "public");
        onDatabase(what, connection -> {
            MainSchema.ensure(connection, "public", create, progress);
            MainSchema.ensure(connection, history, create, progress);
            return null;
        });
    }

    /**
     * How the project's connections are opened (retried while the database does not answer, then initialised,
     * naming who applies migrations), whether the schema they migrate is created when missing, which table holds
     * its history and whether a migrate prints the rows its files' statements return; null where the project's
     * settings file decides.
     */
    private record Connecting(ConnectRetries retries, InitSql initSql, String installedBy, Boolean createSchemas,
                              String historyTable, Boolean outputQueryResults, Boolean acceptHistoryLeftBehind) {
        static final Connecting NONE = new Connecting(ConnectRetries.NONE, InitSql.NONE, null, null, null, null, null);

        Connecting with(ConnectRetries more) {
            return new Connecting(more, initSql, installedBy, createSchemas, historyTable, outputQueryResults,
                    acceptHistoryLeftBehind);
        }

        Connecting with(InitSql init) {
            return new Connecting(retries, init, installedBy, createSchemas, historyTable, outputQueryResults,
                    acceptHistoryLeftBehind);
        }

        Connecting installedBy(String user) {
            return new Connecting(retries, initSql, user, createSchemas, historyTable, outputQueryResults,
                    acceptHistoryLeftBehind);
        }

        Connecting createSchemas(boolean create) {
            return new Connecting(retries, initSql, installedBy, create, historyTable, outputQueryResults,
                    acceptHistoryLeftBehind);
        }

        Connecting historyTable(String name) {
            return new Connecting(retries, initSql, installedBy, createSchemas, name, outputQueryResults,
                    acceptHistoryLeftBehind);
        }

        Connecting outputQueryResults(boolean output) {
            return new Connecting(retries, initSql, installedBy, createSchemas, historyTable, output,
                    acceptHistoryLeftBehind);
        }

        Connecting acceptHistoryLeftBehind(boolean accept) {
            return new Connecting(retries, initSql, installedBy, createSchemas, historyTable, outputQueryResults,
                    accept);
        }
    }

    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
