package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.RollbackDate;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantReport;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.io.File;
import java.time.Instant;
import java.util.List;

/**
 * Undoes the main schema's last migrations with their down sections: {@code -Dashlar.steps=N}, or
 * {@code -Dashlar.to=VERSION} for every one from the newest down to that version, or {@code -Dashlar.toDate=TIME} for
 * every one applied after that time (Liquibase's {@code rollback-to-date}), or {@code -Dashlar.toTag=TAG} for every one
 * applied after the one the tag marks, or {@code -Dashlar.deployment=ID} for every one the run ID applied (Liquibase's
 * {@code rollbackOneUpdate}). With {@code -Dashlar.tenants}, the same in
 * every tenant schema, with tenant_migrations/, instead of the main schema (as {@code ashlar rollback --tenants}).
 */
@Mojo(name = "rollback", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class RollbackMojo extends AshlarMojo {
    /** How many migrations to undo (default: 1); with {@code pending}, of the next pending ones (default: all). */
    @Parameter(property = "ashlar.steps")
    Integer steps;

    /** Undo every migration from the newest down to this version, that one included, instead of counting steps. */
    @Parameter(property = "ashlar.to")
    String to;

    /**
     * Undo every migration applied after this time instead: {@code 2026-12-01}, {@code 2026-12-01T14:30:00} (both
     * UTC) or with an offset ({@code 2026-12-01T14:30:00+01:00}, {@code ...Z}).
     */
    @Parameter(property = "ashlar.toDate")
    String toDate;

    /**
     * Undo what was applied after the migration this tag marks ({@code ashlar:tag}), keeping that one, instead
     * (Liquibase's {@code rollback} to a tag).
     */
    @Parameter(property = "ashlar.toTag")
    String toTag;

    /**
     * Undo the migrations one run applied instead, newest version first (Liquibase's {@code rollbackOneUpdate}): the
     * deployment id {@code ashlar:status} shows; refused when a later run applied migrations after it.
     */
    @Parameter(property = "ashlar.deployment")
    String deployment;

    /**
     * Roll back tenant_migrations/ in every tenant schema the domain's tenant resource lists, each by its own history,
     * instead of the main schema (which is left as it is).
     */
    @Parameter(property = "ashlar.tenants", defaultValue = "false")
    boolean tenants;

    /** Tenant schemas rolled back at once. */
    @Parameter(property = "ashlar.jobs", defaultValue = "4")
    int jobs;

    /**
     * Log the down sections that would run, newest first, each statement with its lock, and change nothing (as
     * {@code ashlar rollback --dry-run}, Liquibase's {@code rollbackSQL}). Main schema only.
     */
    @Parameter(property = "ashlar.dryRun", defaultValue = "false")
    boolean dryRun;

    /**
     * Write the down sections that would run to this file as one SQL script for psql, each with the removal of its
     * history row, and change nothing (as {@code ashlar rollback --script}, Liquibase's {@code rollbackSQL}).
     */
    @Parameter(property = "ashlar.script")
    File script;

    /**
     * With {@code dryRun} or {@code script}: the down sections of the pending migrations instead, newest first, as
     * rolling them back would run them once applied (Liquibase's {@code future-rollback-sql}, {@code ashlar rollback
     * --pending}); with {@code steps}, of the next N pending ones, with {@code to}, of those up to that version.
     */
    @Parameter(property = "ashlar.pending", defaultValue = "false")
    boolean pending;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        for (String[] option : new String[][] {{"ashlar.to", to}, {"ashlar.toDate", toDate},
                {"ashlar.toTag", toTag}, {"ashlar.deployment", deployment}}) {
            if (option[1] != null && option[1].isBlank()) {
                throw new MojoFailureException(option[0] + " is given but blank: give its value (e.g. -D" + option[0]
                        + "=...), or leave it out to roll back the last migration. Nothing was rolled back.");
            }
        }
        boolean byVersion = to != null && !to.isBlank();
        boolean byDate = toDate != null && !toDate.isBlank();
        boolean byTag = toTag != null && !toTag.isBlank();
        boolean byDeployment = deployment != null && !deployment.isBlank();
        if ((byVersion ? 1 : 0) + (byDate ? 1 : 0) + (byTag ? 1 : 0) + (byDeployment ? 1 : 0) > 1) {
            throw new MojoFailureException("Give one of ashlar.to, ashlar.toDate, ashlar.toTag and ashlar.deployment: "
                    + "to undoes every migration down to a version, toDate every one applied after a time, toTag every "
                    + "one applied after the one a tag marks, deployment every one a run applied. Nothing was rolled "
                    + "back.");
        }
        dryRun |= script != null;
        if (dryRun && tenants) {
            throw new MojoFailureException("ashlar.dryRun shows what rolling back the main schema would run; run it "
                    + "without ashlar.tenants. Nothing was rolled back.");
        }
        if (pending && (!dryRun || byDate || byTag || byDeployment)) {
            throw new MojoFailureException("ashlar.pending previews rolling back the migrations not yet applied: give "
                    + "it with ashlar.dryRun or ashlar.script, and with ashlar.steps or ashlar.to at most (the pending "
                    + "migrations have no date, tag or deployment yet). Nothing was rolled back.");
        }
        int count = steps == null ? 1 : steps;
        if (count < 1) {
            throw new MojoFailureException("ashlar.steps is " + count + ": give the number of migrations to "
                    + (pending ? "preview" : "undo") + ", 1 or more. Nothing was rolled back.");
        }
        Instant after = byDate ? RollbackDate.parse(toDate, "ashlar.toDate") : null;
        if (tenants) {
            TenantRuns.requireJobs(jobs, "Nothing was rolled back.");
            TenantSelection selection = TenantSelection.all().jobs(jobs);
            Project project = projectOnDatabase();
            TenantReport report = byDeployment ? project.rollbackTenantsDeployment(selection, deployment)
                    : byTag ? project.rollbackTenantsToTag(selection, toTag)
                    : after != null ? project.rollbackTenantsAfter(selection, after)
                    : byVersion ? project.rollbackTenantsTo(selection, to) : project.rollbackTenants(selection, count);
            TenantRuns.report(getLog(), report, "rolled back", "ashlar:rollback -Dashlar.tenants");
            return;
        }
        if (dryRun) {
            Project project = projectOnDatabase();
            showDryRun(project, pending ? project.pendingRollbackDryRun(byVersion ? MigrateRun.all().upTo(to)
                    : steps != null ? MigrateRun.all().steps(count) : MigrateRun.all())
                    : byDeployment ? project.rollbackDryRunDeployment(deployment) : byTag
                    ? project.rollbackDryRunToTag(toTag) : after != null ? project.rollbackDryRun(after)
                    : project.rollbackDryRun(count, byVersion ? to : null), Direction.DOWN, script);
            return;
        }
        List<MigrationFile> undone = byDeployment ? projectOnDatabase().rollbackDeployment(deployment)
                : byTag ? projectOnDatabase().rollbackToTag(toTag)
                : after != null ? projectOnDatabase().rollbackAfter(after)
                : byVersion ? projectOnDatabase().rollbackTo(to) : projectOnDatabase().rollback(count);
        getLog().info(undone.isEmpty() ? "Nothing to roll back." : "Rolled back " + undone.size() + " migration(s).");
    }
}
