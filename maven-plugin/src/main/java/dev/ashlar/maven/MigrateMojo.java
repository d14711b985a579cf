package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/** Applies the main schema's pending migrations to the configured database. */
@Mojo(name = "migrate", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class MigrateMojo extends AshlarMojo {
    /** Apply the pending migrations up to this version only (default: all); the later ones stay pending. */
    @Parameter(property = "ashlar.to")
    String upTo;

    @Override
    void run() throws MojoExecutionException {
        List<MigrationFile> applied = projectOnDatabase().migrateTo(upTo);
        getLog().info(applied.isEmpty() ? "Nothing to migrate: the database is up to date."
                : "Applied " + applied.size() + " migration(s).");
    }
}
