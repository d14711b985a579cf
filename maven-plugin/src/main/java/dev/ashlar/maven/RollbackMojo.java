package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Undoes the main schema's last migrations with their down sections: {@code -Dashlar.steps=N}, or
 * {@code -Dashlar.to=VERSION} for every one from the newest down to that version.
 */
@Mojo(name = "rollback", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class RollbackMojo extends AshlarMojo {
    /** How many migrations to undo. */
    @Parameter(property = "ashlar.steps", defaultValue = "1")
    int steps;

    /** Undo every migration from the newest down to this version, that one included, instead of counting steps. */
    @Parameter(property = "ashlar.to")
    String to;

    @Override
    void run() throws MojoExecutionException {
        List<MigrationFile> undone = to == null || to.isBlank() ? projectOnDatabase().rollback(steps)
                : projectOnDatabase().rollbackTo(to);
        getLog().info(undone.isEmpty() ? "Nothing to roll back." : "Rolled back " + undone.size() + " migration(s).");
    }
}
