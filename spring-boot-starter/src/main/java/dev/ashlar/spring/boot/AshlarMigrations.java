package dev.ashlar.spring.boot;

import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.MigrationStatus;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantProgress;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.tenant.TenantStatus;

import java.util.List;
import java.util.function.Consumer;

/**
 * The application's Ashlar project ({@code ashlar.migrate.location}) on its data source: what the
 * start-up migration, the Actuator endpoint and the health indicator ask about the migrations.
 */
public final class AshlarMigrations {
    private final Project project;
    private final int tenantJobs;
    private final Consumer<TenantProgress> progress;

    AshlarMigrations(Project project, int tenantJobs, Consumer<TenantProgress> progress) {
        this.project = project;
        this.tenantJobs = tenantJobs;
        this.progress = progress;
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

    /** How many tenant schemas there are and which have pending migrations. */
    public TenantStatus tenantStatus() {
        return project.tenantStatus(TenantSelection.all());
    }
}
