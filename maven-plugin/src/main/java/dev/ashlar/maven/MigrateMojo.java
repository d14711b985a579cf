package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantReport;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;
import java.util.Locale;

/**
 * Applies the main schema's pending migrations to the configured database and, with {@code -Dashlar.tenants}, the
 * tenant migrations to every tenant schema after them (as {@code ashlar migrate} then {@code ashlar migrate --tenants}).
 */
@Mojo(name = "migrate", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class MigrateMojo extends AshlarMojo {
    /** Apply the pending migrations up to this version only (default: all); the later ones stay pending. */
    @Parameter(property = "ashlar.to")
    String upTo;

    /** Then apply tenant_migrations/ to every tenant schema the domain's tenant resource lists. */
    @Parameter(property = "ashlar.tenants", defaultValue = "false")
    boolean tenants;

    /** Tenant schemas migrated at once. */
    @Parameter(property = "ashlar.jobs", defaultValue = "4")
    int jobs;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (tenants && jobs < 1) {
            throw new MojoFailureException("ashlar.jobs is " + jobs + ", the tenant schemas migrated at once: give 1 or "
                    + "more (-Dashlar.jobs=4, the default). Nothing was applied.");
        }
        Project project = projectOnDatabase();
        List<MigrationFile> applied = project.migrateTo(upTo);
        getLog().info(applied.isEmpty() ? "Nothing to migrate: the database is up to date."
                : "Applied " + applied.size() + " migration(s).");
        if (tenants) {
            TenantReport report = project.migrateTenants(TenantSelection.all().jobs(jobs));
            getLog().info(String.format(Locale.ROOT, "Tenants: %d migrated, %d up to date, %d failed, in %.1f s", report.migrated(),
                    report.upToDate(), report.failed(), report.elapsed().toMillis() / 1000.0));
            if (!report.succeeded()) {
                StringBuilder failure = new StringBuilder().append(report.failed()).append(" tenant schema(s) failed:");
                report.failures().forEach(f -> failure.append("\n  ").append(f.schema()).append(": ").append(f.message()));
                if (report.failed() > report.failures().size()) {
                    failure.append("\n  ... and ").append(report.failed() - report.failures().size()).append(" more");
                }
                throw new MojoFailureException(failure.append("\nFix them and run ashlar:migrate -Dashlar.tenants again: "
                        + "the schemas already migrated are up to date and are skipped.").toString());
            }
        }
    }
}
