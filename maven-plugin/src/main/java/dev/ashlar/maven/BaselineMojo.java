package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Records the main schema's migrations as applied without running them, for a database that already has their
 * schema (made by another tool or by hand): every file, or those up to {@code -Dashlar.to=VERSION} or to the file
 * tagged {@code -Dashlar.toTag=TAG}; a later {@code ashlar:migrate} applies only what comes after, as
 * {@code ashlar baseline} and Flyway's baseline do.
 */
@Mojo(name = "baseline", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class BaselineMojo extends AshlarMojo {
    /** The newest version to record (default: every file). */
    @Parameter(property = "ashlar.to")
    String to;

    /**
     * The last file to record is the one whose {@code -- tag: TAG} header names this tag, and its history row gets
     * the tag (Liquibase's {@code changelogSyncToTag}, {@code ashlar baseline --to-tag}); not with {@code to}.
     */
    @Parameter(property = "ashlar.toTag")
    String toTag;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        boolean tagged = toTag != null && !toTag.isBlank();
        if (tagged && to != null && !to.isBlank()) {
            throw new MojoFailureException("Give either ashlar.toTag (" + toTag + ") or ashlar.to (" + to + "), not "
                    + "both: toTag baselines the files up to the one with the header '-- tag: " + toTag + "'. Nothing "
                    + "was recorded.");
        }
        List<MigrationFile> recorded = tagged ? projectOnDatabase().baselineToTag(toTag.strip())
                : projectOnDatabase().baseline(to == null || to.isBlank() ? null : to);
        getLog().info(recorded.isEmpty() ? "Nothing to baseline: every file up to there is already recorded."
                : "Baselined " + recorded.size() + " migration(s): recorded as applied, not run.");
    }
}
