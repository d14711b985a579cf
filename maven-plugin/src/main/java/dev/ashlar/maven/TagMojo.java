package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.History;
import dev.ashlar.kernel.project.TenantSelection;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.Map;

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

    /**
     * Tag nothing; pass when a migration of the main schema carries the tag, fail the build when none does (as
     * Liquibase's {@code tag-exists} and {@code ashlar tag NAME --exists}).
     */
    @Parameter(property = "ashlar.exists", defaultValue = "false")
    boolean exists;

    /** Tenant schemas tagged at once. */
    @Parameter(property = "ashlar.jobs", defaultValue = "4")
    int jobs;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (tag == null || tag.isBlank()) {
            throw new MojoFailureException("Give the tag's name: -Dashlar.tag=NAME (<tag> in the configuration), such "
                    + "as the release being deployed. Nothing was tagged.");
        }
        if (exists) {
            requireTag();
            return;
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

    /** Passes naming the migration the tag marks, or fails naming the tags there are. */
    private void requireTag() throws MojoExecutionException, MojoFailureException {
        if (tenants) {
            throw new MojoFailureException("ashlar.exists looks for the tag in the main schema: run it without "
                    + "ashlar.tenants (ashlar:status lists the main schema's migrations).");
        }
        Map<String, String> tags = projectOnDatabase().tags();
        String version = tags.get(tag);
        if (version == null) {
            throw new MojoFailureException("No migration of the main schema carries the tag " + tag + " (ashlar.exists)"
                    + (tags.isEmpty() ? ": it has no tags." : ": the tags are " + String.join(", ", tags.keySet())
                    + "."));
        }
        getLog().info("The tag " + tag + " marks " + version + ".");
    }
}
