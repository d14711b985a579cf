package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/** Undoes the main schema's last migrations with their down sections. */
@Mojo(name = "rollback", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class RollbackMojo extends AshlarMojo {
    /** How many migrations to undo. */
    @Parameter(property = "ashlar.steps", defaultValue = "1")
    int steps;

    @Override
    void run() throws MojoExecutionException {
        List<MigrationFile> undone = projectOnDatabase().rollback(steps);
        getLog().info(undone.isEmpty() ? "Nothing to roll back." : "Rolled back " + undone.size() + " migration(s).");
    }
}
