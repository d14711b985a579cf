package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.History;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Marks the main schema's state with {@code -Dashlar.tag=NAME}, as Liquibase's {@code tag} does: the migration applied
 * last carries it, and {@code ashlar:rollback -Dashlar.toTag=NAME} later undoes what was applied after it.
 */
@Mojo(name = "tag", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class TagMojo extends AshlarMojo {
    /** The tag, such as the release being deployed. */
    @Parameter(property = "ashlar.tag")
    String tag;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (tag == null || tag.isBlank()) {
            throw new MojoFailureException("Give the tag's name: -Dashlar.tag=NAME (<tag> in the configuration), such "
                    + "as the release being deployed. Nothing was tagged.");
        }
        History.Entry tagged = projectOnDatabase().tag(tag);
        getLog().info("Tagged " + tagged.version() + "_" + tagged.name() + " as " + tag + ".");
    }
}
