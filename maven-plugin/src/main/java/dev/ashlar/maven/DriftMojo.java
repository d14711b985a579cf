package dev.ashlar.maven;

import dev.ashlar.kernel.drift.DriftReport;
import dev.ashlar.kernel.project.TenantSelection;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Fails the build when the configured database differs from what the snapshots say it should be
 * (as {@code ashlar check}): a table, column, constraint, index, trigger or policy that is extra,
 * missing or different, such as a change made by hand. For a deployment pipeline; needs the database.
 */
@Mojo(name = "drift", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class DriftMojo extends AshlarMojo {
    /** Compare every tenant schema too. */
    @Parameter(property = "ashlar.tenants", defaultValue = "false")
    boolean tenants;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        DriftReport report = projectOnDatabase().drift(tenants ? TenantSelection.all() : null);
        if (report.clean()) {
            getLog().info(report.noDrift());
            return;
        }
        StringBuilder failure = new StringBuilder().append(report.differences().size())
                .append(" difference(s) between the database and the snapshots in ").append(folder).append(':');
        report.differences().forEach(difference -> failure.append("\n  ").append(difference));
        report.unapplied().forEach(file -> failure.append("\n  not applied: ").append(file)
                .append(" (compared with the state after it)"));
        failure.append("\nUndo the change made by hand, or describe it in the resources and run ashlar:codegen.");
        throw new MojoFailureException(failure.toString());
    }
}
