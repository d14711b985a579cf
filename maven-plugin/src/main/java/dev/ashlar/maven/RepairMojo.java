package dev.ashlar.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Makes the main schema's migration history agree with the files once you have decided the files are right: an
 * applied file changed on purpose is recorded with its new text, one renamed with its version kept with its new name,
 * and the row of one deleted on purpose is removed. Nothing is run.
 */
@Mojo(name = "repair", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class RepairMojo extends AshlarMojo {
    @Override
    void run() throws MojoExecutionException {
        List<String> repaired = projectOnDatabase().repair();
        repaired.forEach(line -> getLog().info(line));
        getLog().info(repaired.isEmpty() ? "Nothing to repair: the history agrees with the files."
                : "Repaired " + repaired.size() + " history row(s).");
    }
}
