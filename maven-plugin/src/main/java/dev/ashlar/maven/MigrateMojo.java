package dev.ashlar.maven;

import dev.ashlar.kernel.migrate.MigrationFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/** Applies the main schema's pending migrations to the configured database. */
@Mojo(name = "migrate", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class MigrateMojo extends AshlarMojo {
    @Override
    void run() throws MojoExecutionException {
        List<MigrationFile> applied = projectOnDatabase().migrate();
        getLog().info(applied.isEmpty() ? "Nothing to migrate: the database is up to date."
                : "Applied " + applied.size() + " migration(s).");
    }
}
