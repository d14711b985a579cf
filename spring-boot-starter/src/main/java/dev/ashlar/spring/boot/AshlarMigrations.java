package dev.ashlar.spring.boot;

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

    AshlarMigrations(Project project, BooleanSupplier tenancy, int tenantJobs, Consumer<TenantProgress> progress) {
        this.project = project;
        this.tenancy = tenancy;
        this.tenantJobs = tenantJobs;
        this.progress = progress;
    }

    /**
     * The folder of tenant migrations in the project ({@code tenant_migrations/} under
     * {@code ashlar.migrate.location}): what start-up applies to every tenant schema, and what a tenant created
     * through the data layer gets.
     */
    public Path tenantMigrations() {
        return project.layout().migrations(Scope.TENANT);
    }

    /** Applies the main schema's pending migrations; returns those applied. */
    public List<MigrationFile> migrate() {
        return project.migrate();
    }

    /** Applies the pending tenant migrations to every tenant schema, in parallel. */
    public TenantReport migrateTenants() {
        return project.migrateTenants(TenantSelection.all().jobs(tenantJobs).progress(progress));
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
