package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.project.TenantSelection;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Marks the main schema's state with {@code -Dashlar.tag=NAME}, as Liquibase's {@code tag} does: the migration applied
 * last carries it, and {@code ashlar:rollback -Dashlar.toTag=NAME} later undoes what was applied after it. With
 * {@code -Dashlar.tenants}, every tenant schema's state instead.
 */
@Mojo(name = "tag", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class TagMojo extends AshlarMojo {
    /** The tag, such as the release being deployed. */
    @Parameter(property = "ashlar.tag")
    String tag;

    /** Tag every tenant schema the domain's tenant resource lists instead, each by its own history. */
    @Parameter(property = "ashlar.tenants", defaultValue = "false")
    boolean tenants;

    /** Tenant schemas tagged at once. */
    @Parameter(property = "ashlar.jobs", defaultValue = "4")
    int jobs;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (tag == null || tag.isBlank()) {
            throw new MojoFailureException("Give the tag's name: -Dashlar.tag=NAME (<tag> in the configuration), such "
                    + "as the release being deployed. Nothing was tagged.");
        }
        if (tenants) {
            TenantRuns.requireJobs(jobs, "Nothing was tagged.");
            TenantRuns.report(getLog(), projectOnDatabase().tagTenants(TenantSelection.all().jobs(jobs), tag), "tagged",
                    "ashlar:tag -Dashlar.tenants");
            return;
        }
        History.Entry tagged = projectOnDatabase().tag(tag);
        getLog().info("Tagged " + tagged.version() + "_" + tagged.name() + " as " + tag + ".");
    }
}
