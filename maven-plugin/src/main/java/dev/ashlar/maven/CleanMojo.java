package dev.ashlar.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Drops everything the migrations made (every tenant schema, the main resources' schemas other than public, every
 * object in public with the history), so that the next {@code ashlar:migrate} starts from nothing, as
 * {@code flyway:clean} does. Disabled unless {@code cleanEnabled} ({@code -Dashlar.cleanEnabled}) is true, as Flyway's
 * {@code cleanDisabled} is by default: for development and test databases only.
 */
@Mojo(name = "clean", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
public final class CleanMojo extends AshlarMojo {
    /** Allows the goal to drop anything; refused without it. */
    @Parameter(property = "ashlar.cleanEnabled", defaultValue = "false")
    boolean cleanEnabled;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (!cleanEnabled) {
            throw new MojoFailureException("ashlar:clean is disabled: it drops every table, view, function and type in "
                    + "public, the schemas of the main resources and every tenant schema, with their rows. Enable it "
                    + "for a development or test database only: <cleanEnabled>true</cleanEnabled> (or "
                    + "-Dashlar.cleanEnabled=true). Nothing was dropped.");
        }
        List<String> dropped = projectOnDatabase().cleanEnabled(true).clean();
        dropped.forEach(line -> getLog().info(line));
        getLog().info(dropped.isEmpty() ? "Nothing to clean." : "Dropped " + dropped.size() + " object(s).");
    }
}
