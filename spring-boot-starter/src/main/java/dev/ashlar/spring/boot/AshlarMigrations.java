package dev.ashlar.spring.boot;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.IgnoreMigrationPatterns;
import dev.ashlar.kernel.migrate.JavaMigration;
import dev.ashlar.kernel.migrate.MigrateReport;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantProgress;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.tenant.TenantStatus;
import dev.ashlar.spi.schema.Scope;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The application's Ashlar project ({@code ashlar.migrate.location}) on its data source: what the
 * start-up migration, the Actuator endpoint and the health indicator ask about the migrations.
 */
public final class AshlarMigrations {
    private final Project project;
    private final int tenantJobs;
    private final Consumer<TenantProgress> progress;
    private final BooleanSupplier tenancy;

    private final MigrateRun run;
    private final boolean testRollback;
    private final boolean located;
    private final Optional<IgnoreMigrationPatterns> ignored;

    AshlarMigrations(Project project, boolean located, MigrateRun run, boolean testRollback,
                     Optional<IgnoreMigrationPatterns> ignored, BooleanSupplier tenancy, int tenantJobs,
                     Consumer<TenantProgress> progress) {
        this.project = project;
        this.testRollback = testRollback;
        this.ignored = ignored;
        this.located = located;
        this.run = run;
        this.tenancy = tenancy;
        this.tenantJobs = tenantJobs;
        this.progress = progress;
    }

    /**
     * Whether {@code ashlar.migrate.location} is there; false only with
     * {@code ashlar.migrate.fail-on-missing-location=false}, and then the start-up migrates nothing.
     */
    public boolean located() {
        return located;
    }

    /**
     * The project the start-up migrates, on the migrations' data source, with the listeners, Java migrations and
     * placeholders the starter gave it: for what an {@link AshlarMigrationStrategy} does besides migrating, as Boot's
     * {@code FlywayMigrationStrategy} is handed the {@code Flyway} bean ({@code project().repair()},
     * {@code project().cleanEnabled(true).clean()}, {@code project().baseline(version)}, {@code project().tag(name)}).
     */
    public Project project() {
        return project;
    }

    /**
     * The folder of tenant migrations in the project ({@code tenant_migrations/} under
     * {@code ashlar.migrate.location}): what start-up applies to every tenant schema, and what a tenant created
     * through the data layer gets.
     */
    public Path tenantMigrations() {
        return project.layout().migrations(Scope.TENANT);
    }

    /**
     * The table that holds each schema's migration history ({@code ashlar.migrate.history-table}, or
     * {@code migrate.history-table} in the location's {@code ashlar.properties}): where start-up records what it
     * applies, and where a tenant created through the data layer records its files.
     */
    public String historyTable() {
        return project.historyTable();
    }

    /**
     * The Java migrations of the tenant schemas ({@code JavaMigration} beans whose {@code scope()} is
     * {@code TENANT}): what start-up runs in every tenant schema with the tenant migrations, and what a tenant
     * created through the data layer gets.
     */
    public List<JavaMigration> tenantJavaMigrations() {
        return project.javaMigrationsFor(Scope.TENANT);
    }

    /**
     * Applies the main schema's pending migrations, up to {@code ashlar.migrate.target} when it is set, baselining
     * first when {@code ashlar.migrate.baseline-on-migrate} asks to, rehearsing their rollback first with
     * {@code ashlar.migrate.test-rollback}; returns those applied.
     *
     * @throws MigrationException as the migrator does; a version no file has names its property
     */
    public List<MigrationFile> migrate() {
        try {
            return testRollback ? project.migrateTestingRollback(run) : project.migrate(run);
        } catch (MigrationException e) {
            throw named(e);
        }
    }

    /**
     * What a start-up migrate that applied these files leaves in the main schema: the migrations still to run (a file
     * after {@code ashlar.migrate.target}, one that its {@code -- fail-on-error: false} header let fail), as the
     * command line and the Maven plugin report them.
     */
    public MigrateReport reported(List<MigrationFile> applied) {
        return project.reported(applied);
    }

    /**
     * Checks the main schema and applies nothing ({@code ashlar.migrate.validate-only}): its history must agree with
     * the files, and every file up to {@code ashlar.migrate.target} (every file when it is not set) must be applied.
     *
     * With {@code ashlar.migrate.ignore-migration-patterns} set, those patterns alone say which migrations pass, as
     * {@code ashlar validate --ignore-migration-patterns} does.
     *
     * @return every main-schema migration with its state
     * @throws MigrationException naming the first changed or missing file, or the pending ones
     */
    public List<MigrationStatus> validate() {
        if (ignored.isPresent()) {
            return project.validate(ignored.get());
        }
        List<MigrationStatus> statuses = project.validate();
        List<String> pending;
        try {
            List<DryRun> toApply = run.toTag() == null ? project.dryRun(run.upTo())
                    : project.dryRun(MigrateRun.all().upToTag(run.toTag()));
            pending = toApply.stream().filter(DryRun::migration).map(file -> file.file().fileName())
                    .toList();
        } catch (MigrationException e) {
            throw named(e);
        }
        if (!pending.isEmpty()) {
            throw new MigrationException(ErrorCode.MIGRATION, "ashlar.migrate.validate-only=true, and " + pending.size()
                    + " migration(s) of the main schema are pending: " + String.join(", ", pending.subList(0,
                    Math.min(5, pending.size()))) + (pending.size() > 5 ? ", ..." : "") + ". Apply them before the "
                    + "application starts (ashlar migrate, or ashlar:migrate), or set ashlar.migrate.validate-only="
                    + "false to apply them at start-up.", pending.get(0));
        }
        return statuses;
    }

    /**
     * The refusal of a version no file has, naming the property that gave it; any other failure as it is. The
     * migrator refuses such a version before it reads the history, naming it as the failure's file (a failing
     * file's name ends in .sql, so never equals a version).
     */
    private MigrationException named(MigrationException e) {
        String version = e.file().orElse("");
        String property = version.equals(run.upTo()) ? "ashlar.migrate.target"
                : version.equals(run.toTag()) ? "ashlar.migrate.to-tag"
                : version.equals(run.minVersion()) ? "ashlar.migrate.min-version"
                : version.equals(run.baselineVersion()) ? "ashlar.migrate.baseline-version" : null;
        return property == null ? e : new MigrationException(ErrorCode.MIGRATION, property + ": " + e.getMessage(),
                version);
    }

    /**
     * Applies the pending tenant migrations to every tenant schema, in parallel; with
     * {@code ashlar.migrate.out-of-order=false} a schema with a pending file older than its newest applied one fails.
     */
    public TenantReport migrateTenants() {
        return project.migrateTenants(TenantSelection.all().jobs(tenantJobs).progress(progress),
                MigrateRun.all().outOfOrder(run.outOfOrder()));
    }

    /** Checks every tenant schema's history against tenant_migrations/, applying nothing. */
    public TenantReport validateTenants() {
        return project.validateTenants(TenantSelection.all().jobs(tenantJobs).progress(progress),
                ignored.orElse(IgnoreMigrationPatterns.DEFAULT));
    }

    /**
     * Whether validate-only fails on pending migrations whatever the history says: without
     * {@code ashlar.migrate.ignore-migration-patterns}; with them, the patterns decide.
     */
    boolean pendingFails() {
        return ignored.isEmpty();
    }

    /** Every main-schema migration with its state: applied, pending or changed since applied. */
    public List<MigrationStatus> status() {
        return project.status();
    }

    /** Whether the domain has tenants in schemas of their own (the tenancy plugin lists them). */
    public boolean hasTenants() {
        return tenancy.getAsBoolean();
    }

    /** How many tenant schemas there are and which have pending migrations; none without tenancy. */
    public TenantStatus tenantStatus() {
        return hasTenants() ? project.tenantStatus(TenantSelection.all()) : new TenantStatus(0, List.of(), List.of());
    }
}
