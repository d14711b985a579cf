package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.FileRunner.Direction;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.tenant.TenantReport;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.io.File;
import java.util.List;

/**
 * Applies the main schema's pending migrations to the configured database and, with {@code -Dashlar.tenants}, the
 * tenant migrations to every tenant schema after them (as {@code ashlar migrate} then {@code ashlar migrate --tenants}).
 */
@Mojo(name = "migrate", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class MigrateMojo extends AshlarMojo {
    /** Apply the pending migrations up to this version only (default: all); the later ones stay pending. */
    @Parameter(property = "ashlar.to")
    String upTo;

    /**
     * Apply the pending migrations up to the one whose {@code -- tag: TAG} header names this tag, that one included
     * (Liquibase's {@code update-to-tag}, {@code ashlar migrate --to-tag}); not with {@code to}, {@code steps} or
     * {@code cherryPick}. Main schema only.
     */
    @Parameter(property = "ashlar.toTag")
    String toTag;

    /** Apply only the next N pending migrations, oldest first (Liquibase's update-count); not with {@code to}. */
    @Parameter(property = "ashlar.steps")
    Integer steps;

    /**
     * When the main schema holds tables, views, sequences, types or functions but no migration history (made by
     * another tool or by hand), first record the files up to {@code baselineVersion} as baselined, without running
     * them (Flyway's {@code baselineOnMigrate}).
     */
    @Parameter(property = "ashlar.baselineOnMigrate", defaultValue = "false")
    boolean baselineOnMigrate;

    /** The last file a baseline on migrate records (default: the oldest one). */
    @Parameter(property = "ashlar.baselineVersion")
    String baselineVersion;

    /**
     * Whether a pending migration older than the newest applied one (a branch merged late) is applied in version
     * order with the rest (true) or fails the build before anything is applied (false, Flyway's default); with
     * {@code tenants}, in each tenant schema too.
     */
    @Parameter(property = "ashlar.outOfOrder", defaultValue = "true")
    boolean outOfOrder = true;

    /**
     * Apply the pending migrations in one transaction, with their history rows (Flyway's {@code group}): all of them,
     * or, when one fails, none. A pending {@code transaction:false} file fails the build before anything runs. Main
     * schema only (with {@code tenants}, each tenant file still runs in its own transaction).
     */
    @Parameter(property = "ashlar.group", defaultValue = "false")
    boolean group;

    /**
     * Apply only the pending migrations of these versions (Flyway's {@code cherryPick}, comma-separated), in version
     * order; the others stay pending. A version no file has fails the build. Main schema only (with {@code tenants},
     * the tenant schemas take every pending tenant migration after it); not with {@code to} or {@code steps}.
     */
    @Parameter(property = "ashlar.cherryPick")
    List<String> cherryPick;

    /**
     * Fail the build, before anything is applied, when the main schema's history ends before this 14-digit version
     * (Ebean's {@code minVersion}, {@code ashlar migrate --min-version}): after old files were squashed away, migrate
     * it to this version first with the release that still has them. A schema with no history migrates as usual;
     * {@code dryRun} fails the same. Main schema only (with {@code tenants}, the tenant schemas are not checked).
     */
    @Parameter(property = "ashlar.minVersion")
    String minVersion;

    /**
     * Apply, of the main-schema files with a {@code -- context:} header, those whose expression these contexts satisfy
     * (Liquibase's {@code contexts}, comma-separated); files without one always apply. Default: every file.
     */
    @Parameter(property = "ashlar.contexts")
    List<String> contexts;

    /**
     * Apply, of the main-schema files with a {@code -- labels:} header, those whose labels satisfy this expression,
     * e.g. {@code billing and !eu} (Liquibase's {@code labelFilter}); files without labels always apply.
     */
    @Parameter(property = "ashlar.labels")
    String labels;

    /** Then apply tenant_migrations/ to every tenant schema the domain's tenant resource lists. */
    @Parameter(property = "ashlar.tenants", defaultValue = "false")
    boolean tenants;

    /** Tenant schemas migrated at once. */
    @Parameter(property = "ashlar.jobs", defaultValue = "4")
    int jobs;

    /**
     * Log the files that would run and each statement with its lock, and change nothing (as {@code ashlar migrate
     * --dry-run}, Liquibase's {@code updateSQL}); refuses what the real run would refuse. Main schema only.
     */
    @Parameter(property = "ashlar.dryRun", defaultValue = "false")
    boolean dryRun;

    /**
     * Write what would run to this file as one SQL script for psql, each file with the row that records it in the
     * history, and change nothing (as {@code ashlar migrate --script}, Liquibase's {@code updateSQL} with an output
     * file). Main schema only.
     */
    @Parameter(property = "ashlar.script")
    File script;

    /**
     * Whether the main schema's run first checks that no applied file changed since it was applied (Flyway's
     * {@code validateOnMigrate}); false, as {@code ashlar migrate --no-validate}, applies the pending files past a
     * changed one with a warning that it was not checked. A missing applied file still fails the build.
     */
    @Parameter(property = "ashlar.validateOnMigrate", defaultValue = "true")
    boolean validateOnMigrate = true;

    /**
     * Run none of the callback files of {@code migrations/} ({@code beforeMigrate.sql}, {@code afterMigrate.sql}, ...;
     * Flyway's {@code skipDefaultCallbacks}, {@code ashlar migrate --skip-default-callbacks}); the application's
     * MigrationListeners are still told. Main schema only.
     */
    @Parameter(property = "ashlar.skipDefaultCallbacks", defaultValue = "false")
    boolean skipDefaultCallbacks;

    /**
     * Apply the main schema's pending migrations one at a time, roll them back newest first checking that each down
     * section leaves the schema as its up section found it, then apply them again (as {@code ashlar migrate
     * --test-rollback}, Liquibase's {@code update-testing-rollback}). For development and CI databases.
     */
    @Parameter(property = "ashlar.testRollback", defaultValue = "false")
    boolean testRollback;

    /**
     * Record the main schema's pending migrations the run chooses (all, or with {@code to}, {@code steps} or
     * {@code cherryPick}) as applied without running them, {@code baselined} in {@code ashlar:status}, as Flyway's
     * {@code skipExecutingMigrations} and {@code ashlar migrate --skip-executing-migrations}: for files applied by
     * hand. Repeatable files are not recorded. Main schema only; not with {@code group}, {@code testRollback},
     * {@code dryRun} or {@code script}.
     */
    @Parameter(property = "ashlar.skipExecutingMigrations", defaultValue = "false")
    boolean skipExecutingMigrations;

    /**
     * Refuse, before anything is applied, a main schema that holds tables, views, sequences, types or functions but no
     * migration history (made by another tool or by hand), as Flyway refuses a non-empty schema without a schema history
     * table and {@code ashlar migrate --refuse-non-empty-schema} does; {@code baselineOnMigrate} takes such a schema
     * over instead.
     */
    @Parameter(property = "ashlar.refuseNonEmptySchema", defaultValue = "false")
    boolean refuseNonEmptySchema;

    private MigrateRun migrateRun() throws MojoFailureException {
        if (steps != null && upTo != null) {
            throw new MojoFailureException("Give either ashlar.steps (" + steps + ") or ashlar.to (" + upTo + "), not "
                    + "both: steps applies the next N pending migrations, to every pending one up to a version. "
                    + "Nothing was applied.");
        }
        MigrateRun run = MigrateRun.all().upTo(upTo).outOfOrder(outOfOrder);
        try {
            run = steps == null ? run : run.steps(steps);
        } catch (MigrationException e) {
            throw new MojoFailureException("ashlar.steps: " + e.getMessage(), e);
        }
        try {
            run = blank(toTag) ? run : run.upToTag(toTag);
        } catch (MigrationException e) {
            throw new MojoFailureException("ashlar.toTag: " + e.getMessage(), e);
        }
        try {
            run = blank(minVersion) ? run : run.minVersion(minVersion.strip());
        } catch (MigrationException e) {
            throw new MojoFailureException("ashlar.minVersion: " + e.getMessage(), e);
        }
        run = run.contexts(contexts == null ? List.of() : contexts).labels(blank(labels) ? null : labels);
        run = cherryPick == null || cherryPick.isEmpty() ? run : run.cherryPick(cherryPick.stream().map(String::strip)
                .toList());
        run = run.group(group).validateOnMigrate(validateOnMigrate).skipDefaultCallbacks(skipDefaultCallbacks)
                .refuseNonEmptySchema(refuseNonEmptySchema);
        try {
            run = run.skipExecutingMigrations(skipExecutingMigrations);
        } catch (MigrationException e) {
            throw new MojoFailureException("ashlar.skipExecutingMigrations: " + e.getMessage(), e);
        }
        return baselineOnMigrate ? run.baselineOnMigrate(blank(baselineVersion) ? null : baselineVersion.strip()) : run;
    }

    /** Test rollback applies the main schema's files one at a time, as the command line's refuses the same. */
    private void refuseTestRollbackWith() throws MojoFailureException {
        String other = !testRollback ? null : dryRun || script != null ? "ashlar.dryRun and ashlar.script"
                : tenants ? "ashlar.tenants" : group ? "ashlar.group" : cherryPick != null && !cherryPick.isEmpty()
                ? "ashlar.cherryPick" : baselineOnMigrate ? "ashlar.baselineOnMigrate" : null;
        if (other != null) {
            throw new MojoFailureException("ashlar.testRollback applies the main schema's pending files one at a time, "
                    + "rolls them back and applies them again: give it without " + other + ". Nothing was applied.");
        }
    }

    /** Skipping execution records the files without running them, as the command line's refuses the same. */
    private void refuseSkipExecutingWith() throws MojoFailureException {
        String other = !skipExecutingMigrations ? null : testRollback ? "ashlar.testRollback"
                : dryRun || script != null ? "ashlar.dryRun and ashlar.script (ashlar:status lists the pending files it "
                + "would record)" : null;
        if (other != null) {
            throw new MojoFailureException("ashlar.skipExecutingMigrations records the pending files without running "
                    + "them: give it without " + other + ". Nothing was applied.");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (tenants) {
            TenantRuns.requireJobs(jobs, "Nothing was applied.");
        }
        MigrateRun run = migrateRun();
        refuseSkipExecutingWith();
        refuseTestRollbackWith();
        Project project = projectOnDatabase();
        if (dryRun || script != null) {
            if (tenants) {
                throw new MojoFailureException((script != null ? "ashlar.script" : "ashlar.dryRun") + " shows what "
                        + "migrating the main schema would run; run it without ashlar.tenants. Nothing was applied.");
            }
            showDryRun(project, project.dryRun(run), Direction.UP, script);
            return;
        }
        List<MigrationFile> applied = testRollback ? project.migrateTestingRollback(run) : project.migrate(run);
        getLog().info(applied.isEmpty() ? "Nothing to migrate." : (skipExecutingMigrations ? "Recorded "
                + applied.size() + " migration(s) without running them" : "Applied " + applied.size()
                + " migration(s)") + (testRollback ? ", after rolling each back and finding the schema as before it."
                : "."));
        getLog().info(project.reported(applied).left("ashlar:status"));
        if (tenants) {
            TenantReport report = project.migrateTenants(TenantSelection.all().jobs(jobs),
                    MigrateRun.all().outOfOrder(outOfOrder));
            TenantRuns.report(getLog(), report, "migrated", "ashlar:migrate -Dashlar.tenants");
        }
    }
}
