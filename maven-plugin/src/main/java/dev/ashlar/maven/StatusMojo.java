package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationStatus;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;
import java.util.Locale;

/**
 * Lists the main schema's migrations: applied, baselined, pending, changed or missing. Fails the build when an
 * applied file is missing or changed, as {@code ashlar status} exits non-zero.
 */
@Mojo(name = "status", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class StatusMojo extends AshlarMojo {
    /**
     * Show the pending migrations after this version as above-target, as Flyway's info with a target and
     * {@code ashlar status --target}: {@code ashlar:migrate -Dashlar.to=VERSION} leaves them pending, and the build
     * says nothing is pending once the target is applied ({@code latest}: every file; {@code current}: the newest
     * version applied). A version no file has fails the build, naming the nearest.
     */
    @Parameter(property = "ashlar.target")
    String target;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<MigrationStatus> statuses;
        try {
            statuses = projectOnDatabase().status(target == null || target.isBlank() ? null : target.strip());
        } catch (MigrationException e) {
            throw new MojoFailureException("ashlar.target: " + e.getMessage(), e);
        }
        if (statuses.isEmpty()) {
            getLog().info("No migrations yet: run ashlar:codegen -Dashlar.name=NAME.");
            return;
        }
        for (MigrationStatus status : statuses) {
            getLog().info(String.format(Locale.ROOT, "  %-9s %s%s", status.stateName(),
                    status.label(), status.detail() == null ? "" : "  (" + status.detail() + ")"));
        }
        long pending = statuses.stream().filter(MigrationStatus::toRun).count();
        long missing = count(statuses, MigrationStatus.State.MISSING);
        long changed = count(statuses, MigrationStatus.State.CHANGED);
        long above = count(statuses, MigrationStatus.State.ABOVE_TARGET);
        if (above > 0) {
            getLog().info(above + " above the target (above-target): ashlar:migrate -Dashlar.to=" + target.strip()
                    + " leaves them pending.");
        }
        if (pending > 0) {
            getLog().info(pending + " pending: run ashlar:migrate.");
        }
        long failed = count(statuses, MigrationStatus.State.FAILED);
        if (missing > 0 || changed > 0) {
            throw new MojoFailureException((missing > 0 ? missing + " applied file(s) missing from the migrations "
                    + "folder. " : "") + (changed > 0 ? changed + " applied file(s) changed since they were applied. "
                    : "") + "Restore them from version control, or run ashlar:repair if that was on purpose.");
        }
        if (failed > 0) {
            throw new MojoFailureException(failed + " transaction:false file(s) failed part way, their earlier "
                    + "statements applied: fix the cause, then ashlar:repair marks them resolved and the next "
                    + "ashlar:migrate resumes them.");
        }
        if (pending == 0) {
            getLog().info("Everything is applied.");
        }
    }

    private static long count(List<MigrationStatus> statuses, MigrationStatus.State state) {
        return statuses.stream().filter(s -> s.state() == state).count();
    }
}
